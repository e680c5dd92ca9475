import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/repo.js';

/** `keyscan rules` and `keyscan rules --test`, run as a user runs them (built CLI). */
describe('keyscan rules', () => {
  const t = tempDir();
  afterAll(t.cleanup);

  it('lists every default rule with its description and tags', () => {
    const res = runCli(['rules'], { cwd: t.dir });
    expect(res.code).toBe(0);
    const lines = res.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(45);
    expect(lines.find((l) => l.startsWith('github-pat '))).toMatch(/GitHub personal access token \(classic\)\s+\[github, token\]$/);
    expect(lines.find((l) => l.startsWith('generic-api-key '))).toContain('[generic]');
  });

  it('--test passes on the default rules', () => {
    const res = runCli(['rules', '--test'], { cwd: t.dir });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^ok: \d+ rules passed \d+ sample cases$/m);
    expect(res.stdout).not.toContain('FAIL');
  });

  it('--test --config runs a user rule file and lists each failing sample with file and rule id (exit 1)', () => {
    writeFiles(t.dir, {
      'my-rules.toml': [
        '[[rules]]',
        'id = "acme-token"',
        'description = "ACME API token"',
        "regex = '''\\b(acme_[a-z0-9]{32})\\b'''",
        'secretGroup = 1',
        'keywords = ["acme_"]',
        '[rules.samples]',
        'name = "acme_token"',
        // The second positive has upper-case letters the regex does not accept.
        'positives = ["acme_{lowerdigits:32}", "acme_{upper:32}"]',
        'negatives = ["acme_short", "acme_0123456789abcdefghijklmnopqrstuv"]',
        '',
        '[[rules]]',
        'id = "acme-untested"',
        "regex = '''acme-[0-9]{8}'''",
        '',
      ].join('\n'),
    });
    const res = runCli(['rules', '--test', '--config', 'my-rules.toml'], { cwd: t.dir });
    expect(res.code).toBe(1);
    const fails = res.stdout.split('\n').filter((l) => l.startsWith('FAIL '));
    // positive #2 fails in all 9 syntaxes; negative #2 (a literal that matches) raw + 9 syntaxes.
    expect(fails.filter((l) => l.includes('positive #2'))).toHaveLength(9);
    expect(fails.filter((l) => l.includes('negative #2'))).toHaveLength(10);
    expect(fails.every((l) => /^FAIL \S*my-rules\.toml: acme-token: /.test(l))).toBe(true);
    expect(fails.some((l) => l.includes('positive #1'))).toBe(false);
    expect(res.stdout).toContain('acme-untested');
    expect(res.stdout).toMatch(/19 failures in 1 of 1 rules/);
  });

  it('a broken rule file fails with exit 2 and every problem, each with file and rule id', () => {
    writeFiles(t.dir, {
      'broken.toml': [
        '[[rules]]',
        'id = "bad-regex"',
        "regex = '''(unclosed'''",
        '',
        '[[rules]]',
        'id = "bad-group"',
        "regex = '''acme_[a-z]{8}'''",
        'secretGroup = 2',
        'colour = "red"',
        '',
      ].join('\n'),
    });
    for (const args of [['rules', '--config', 'broken.toml'], ['rules', '--test', '--config', 'broken.toml']]) {
      const res = runCli(args, { cwd: t.dir });
      expect(res.code).toBe(2);
      expect(res.stdout).toBe('');
      expect(res.stderr).toMatch(/broken\.toml: bad-regex: "regex" is not a valid regex/);
      expect(res.stderr).toMatch(/broken\.toml: bad-group: "secretGroup" is 2 but the regex has 0 capture groups/);
      expect(res.stderr).toMatch(/broken\.toml: bad-group: unknown field "colour"/);
      expect(res.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
