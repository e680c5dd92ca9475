import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/repo.js';
import { fakeGithubToken } from '../helpers/secrets.js';

const A = fakeGithubToken('cli-suppress-a');
const B = fakeGithubToken('cli-suppress-b');
const C = fakeGithubToken('cli-suppress-c');
const NEW = fakeGithubToken('cli-suppress-new');

interface Rec { RuleID: string; File: string; StartLine: number; StableFingerprint: string }
const records = (stdout: string) => JSON.parse(stdout) as Rec[];

let t: { dir: string; cleanup: () => void };
beforeEach(() => { t = tempDir(); });
afterEach(() => t.cleanup());

const detect = (...args: string[]) => runCli(['detect', '--no-git', '.', ...args], { cwd: t.dir });

describe('repository config discovery', () => {
  it('.keyscan.toml at the root: disabled default rules show in --verbose', () => {
    writeFiles(t.dir, {
      'app.env': `T=${A}\n`,
      '.keyscan.toml': '[extend]\nuseDefault = true\ndisabledRules = ["github-pat"]\n',
    });
    const res = detect('--verbose');
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/^config: \.keyscan\.toml: \(keyscan default rules\) \+ .*\.keyscan\.toml; \d+ rules active$/m);
    expect(res.stderr).toMatch(/^config: 1 of \d+ default rules disabled: github-pat$/m);
  });

  it('.gitleaks.toml is used when there is no keyscan config; .keyscan.toml and KEYSCAN_CONFIG win over it', () => {
    writeFiles(t.dir, {
      'app.env': `T=${A}\nDEMO=demo_${'x1y2z3'.repeat(3)}\n`,
      '.gitleaks.toml': "[[rules]]\nid = \"demo\"\nregex = '''demo_[[:alnum:]]{18}'''\nkeywords = [\"demo_\"]\n",
    });
    const fromGitleaks = detect('-f', 'json', '--verbose');
    expect(records(fromGitleaks.stdout).map((r) => r.RuleID)).toEqual(['demo']);
    expect(fromGitleaks.stderr).toMatch(/^config: \.gitleaks\.toml: /m);
    expect(fromGitleaks.stderr).toMatch(/default rules disabled: .*github-pat/);

    writeFiles(t.dir, { '.keyscan.toml': '[extend]\nuseDefault = true\n' });
    expect(records(detect('-f', 'json').stdout).map((r) => r.RuleID)).toEqual(['github-pat']);

    writeFiles(t.dir, { 'elsewhere/cfg.toml': "[[rules]]\nid = \"other\"\nregex = '''nomatch_[0-9]{30}'''\n" });
    const env = runCli(['detect', '--no-git', '.', '-f', 'json'], { cwd: t.dir, env: { KEYSCAN_CONFIG: 'elsewhere/cfg.toml' } });
    expect(records(env.stdout)).toEqual([]);
  });

  it('a construct that cannot be translated is one error naming the rule, exit 2', () => {
    writeFiles(t.dir, { 'a.txt': 'x\n', '.keyscan.toml': "[[rules]]\nid = \"uni\"\nregex = '''\\p{Greek}+'''\n" });
    const res = detect();
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('uni: "regex" uses the Unicode class \\p{Greek}, which cannot be translated to JavaScript');
    expect(res.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});

describe('--explain and the summary', () => {
  it('lists each suppressed finding with its reason; the summary counts them by kind', () => {
    writeFiles(t.dir, {
      'a.py': `x = "${A}"  # keyscan:allow\ny = "${B}"\n`,
      'b.md': `<!-- gitleaks:allow --> ${C}\n${NEW}\n`,
    });
    const first = records(detect('-f', 'json').stdout);
    const ignoreFp = first.find((r) => r.File === 'a.py')!.StableFingerprint;
    writeFiles(t.dir, { '.keyscanignore': `# reviewed\n${ignoreFp}\n` });
    const res = detect('-f', 'json', '--explain');
    expect(res.code).toBe(1);
    expect(records(res.stdout).map((r) => `${r.File}:${r.StartLine}`)).toEqual(['b.md:2']);
    expect(res.stderr).toContain('1 leak found');
    expect(res.stderr).toContain('3 suppressed (2 by directive, 1 by ignore file)');
    const explain = res.stderr.split('\n').filter((l) => l.startsWith('  '));
    expect(explain).toEqual([
      expect.stringMatching(/^  directive   github-pat at a\.py:1 \(ks1:github-pat:[0-9a-f]{16}:a\.py\): keyscan:allow on line 1$/),
      expect.stringMatching(/^  directive   github-pat at b\.md:1 \(ks1:github-pat:[0-9a-f]{16}:b\.md\): gitleaks:allow on line 1$/),
      `  ignore-file github-pat at a.py:2 (${ignoreFp}): ${ignoreFp} in .keyscanignore line 2`,
    ]);
    expect(res.stderr).not.toContain(A.slice(4));
    expect(res.stderr).not.toContain(B.slice(4));

    // Audits and migrations: every directive off, or only the foreign ones.
    expect(records(detect('-f', 'json', '--ignore-directives').stdout)).toHaveLength(3);
    expect(records(detect('-f', 'json', '--no-foreign-directives').stdout).map((r) => `${r.File}:${r.StartLine}`)).toEqual(['b.md:1', 'b.md:2']);
  });

  it('a bad line in an ignore file is an error naming file and line', () => {
    writeFiles(t.dir, { 'a.txt': 'x\n', '.gitleaksignore': 'a.txt:github-pat:1\noops\n' });
    const res = detect();
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('.gitleaksignore:2: not a fingerprint');
  });
});

describe('keyscan ignore', () => {
  it('appends fingerprints idempotently; the next scan is clean', () => {
    writeFiles(t.dir, { 'app.env': `T=${A}\n` });
    const fp = records(detect('-f', 'json').stdout)[0]!.StableFingerprint;
    expect(runCli(['ignore', fp], { cwd: t.dir }).stderr).toContain('added 1 fingerprint to .keyscanignore');
    const again = runCli(['ignore', fp, 'app.env:github-pat:1'], { cwd: t.dir });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('added 1 fingerprint to .keyscanignore (1 already there)');
    expect(readFileSync(join(t.dir, '.keyscanignore'), 'utf8')).toBe(`${fp}\napp.env:github-pat:1\n`);
    expect(detect().code).toBe(0);
    const bad = runCli(['ignore', 'not-a-fingerprint'], { cwd: t.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('not a fingerprint: not-a-fingerprint');
  });
});

describe('keyscan baseline and --baseline-path', () => {
  it('writes a stable baseline that survives inserted and renamed lines; new secrets are reported', () => {
    writeFiles(t.dir, { 'config/app.env': `A=${A}\nB=${B}\n`, 'docs/setup.md': `token: ${A}\n` });
    const made = runCli(['baseline'], { cwd: t.dir });
    expect(made.code).toBe(0);
    expect(made.stderr).toContain('baseline: 3 findings recorded in .keyscan-baseline.json');
    const path = join(t.dir, '.keyscan-baseline.json');
    const first = readFileSync(path, 'utf8');
    expect(first).not.toContain(A.slice(4));
    // Same findings, same bytes.
    runCli(['baseline'], { cwd: t.dir });
    expect(readFileSync(path, 'utf8')).toBe(first);

    writeFiles(t.dir, { 'config/app.env': `# moved down\n\nGITHUB=${B}\nRENAMED=${A}\n`, 'docs/setup.md': `intro\n  token: ${A}\n` });
    const clean = detect('--baseline-path', '.keyscan-baseline.json');
    expect(clean.code).toBe(0);
    expect(clean.stderr + clean.stdout).toMatch(/\b([34]) suppressed \(\1 by baseline\)/); // 4 with the generic twin of `token: …`

    writeFiles(t.dir, { 'config/app.env': `GITHUB=${B}\nRENAMED=${A}\nNEW=${NEW}\n`, 'deploy/ci.yml': `gh: ${B}\n` });
    const res = detect('--baseline-path', '.keyscan-baseline.json', '-f', 'json');
    expect(res.code).toBe(1);
    expect(records(res.stdout).map((r) => `${r.File}:${r.StartLine}`)).toEqual(['config/app.env:3', 'deploy/ci.yml:1']);
  });

  it('a keyscan JSON report, redacted, works as a baseline', () => {
    writeFiles(t.dir, { 'app.env': `A=${A}\n` });
    expect(detect('-r', 'report.json').code).toBe(1);
    expect(readFileSync(join(t.dir, 'report.json'), 'utf8')).not.toContain(A.slice(4));
    writeFiles(t.dir, { 'app.env': `\n\nA=${A}\n` });
    const res = detect('-b', 'report.json', '--explain');
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/baseline    github-pat at app\.env:3 \(ks1:github-pat:[0-9a-f]{16}:app\.env\): ks1:github-pat:[0-9a-f]{16}:app\.env in baseline report\.json/);
  });

  it('a missing or malformed baseline is one line, exit 2', () => {
    writeFiles(t.dir, { 'a.txt': 'x\n', 'bad.json': '{"hello": 1}' });
    const missing = detect('--baseline-path', 'nope.json');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--baseline-path: cannot read nope.json (no such file)');
    const bad = detect('--baseline-path', 'bad.json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--baseline-path: bad.json: expected a keyscan baseline or a JSON report');
    expect(existsSync(join(t.dir, '.keyscan-baseline.json'))).toBe(false);
  });
});
