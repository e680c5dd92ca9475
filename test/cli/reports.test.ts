import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { BIN, runCli, type CliResult } from '../helpers/cli.js';
import { fakeGithubToken } from '../helpers/secrets.js';
import { tempDir, writeFiles } from '../helpers/repo.js';
import { reportFixture } from './e2e-config.js';

/** Reports, exit codes and user mistakes, through the built CLI. */

const fixture = reportFixture();
const { dir: TREE, outDir: OUT, config: CONFIG, ghToken, expectNoSecret } = fixture;
afterAll(fixture.cleanup);

describe('exit codes', () => {
  it('0 when clean, 1 with findings, N with --exit-code N', () => {
    const clean = tempDir();
    try {
      writeFiles(clean.dir, { 'a.txt': 'hello\n' });
      const res = runCli(['detect', '--no-git', '.', '--config', CONFIG], { cwd: clean.dir });
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(/^no leaks found — directory scan: 1 file/m);
    } finally {
      clean.cleanup();
    }
    expect(runCli(['detect', '--no-git', '.', '--config', CONFIG], { cwd: TREE }).code).toBe(1);
    expect(runCli(['detect', '--no-git', '.', '--config', CONFIG, '--exit-code', '7'], { cwd: TREE }).code).toBe(7);
    expect(runCli(['detect', '--no-git', '.', '--config', CONFIG, '--exit-code', '0'], { cwd: TREE }).code).toBe(0);
  });

  it('--quiet prints findings but no summary; a clean --quiet run prints nothing', () => {
    const res = runCli(['detect', '--no-git', 'README.md', '--config', CONFIG, '--quiet'], { cwd: TREE });
    expect(res).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });
});

describe('report files', () => {
  it('picks the format from the extension and leaves no temp file beside the report', () => {
    const dir = join(OUT, 'ext');
    writeFiles(dir, { '.keep': '' });
    for (const [name, check] of [
      ['r.sarif', (s: string) => expect(JSON.parse(s).version).toBe('2.1.0')],
      ['r.json', (s: string) => expect(Array.isArray(JSON.parse(s))).toBe(true)],
      ['r.csv', (s: string) => expect(s).toMatch(/^RuleID,Commit,File,/)],
      ['r.xml', (s: string) => expect(s).toMatch(/^<\?xml/)],
    ] as const) {
      const res = runCli(['detect', '--no-git', '.', '--config', CONFIG, '--report-path', join(dir, name)], { cwd: TREE });
      expect(res.code).toBe(1);
      check(readFileSync(join(dir, name), 'utf8'));
    }
    expect(readdirSync(dir).sort()).toEqual(['.keep', 'r.csv', 'r.json', 'r.sarif', 'r.xml']);
  });

  it('a report path in a missing directory: exit 2, one line, no file, nothing scanned', () => {
    const path = join(OUT, 'no-such-dir', 'r.json');
    const res = runCli(['detect', '--no-git', '.', '--report-path', path], { cwd: TREE });
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/--report-path: directory does not exist/);
    expect(res.stdout).toBe('');
    expect(existsSync(join(OUT, 'no-such-dir'))).toBe(false);
  });

  it('an existing report is left untouched when the run fails on a config error', () => {
    const path = join(OUT, 'keep.json');
    writeFileSync(path, 'previous report\n');
    const bad = join(OUT, 'broken.toml');
    writeFileSync(bad, '[[rules]]\nid = "x"\nregex = "("\n');
    const res = runCli(['detect', '--no-git', '.', '--config', bad, '--report-path', path], { cwd: TREE });
    expect(res.code).toBe(2);
    expect(readFileSync(path, 'utf8')).toBe('previous report\n');
    expect(readdirSync(OUT).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('a report that cannot be written is a one-line error, not a stack trace', () => {
    // /proc accepts no new files, even from root.
    if (!existsSync('/proc/self')) return;
    const res = runCli(['detect', '--no-git', '.', '--config', CONFIG, '--report-path', '/proc/keyscan-report.json'], { cwd: TREE });
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/^keyscan: --report-path: cannot write/);
    expectNoSecret(res);
  });

  it('SARIF records the config files (relative) and the default rules a config switched off', () => {
    const dir = tempDir();
    try {
      writeFiles(dir.dir, {
        '.keyscan.toml': '[extend]\nuseDefault = true\ndisabledRules = ["github-pat"]\n',
        'a.ts': `const gh = '${ghToken}';\n`,
      });
      const res = runCli(['detect', '--no-git', '.', '--config', '.keyscan.toml', '-f', 'sarif'], { cwd: dir.dir });
      const run = JSON.parse(res.stdout).runs[0];
      expect(run.properties.configSources).toEqual(['(keyscan default rules)', '.keyscan.toml']);
      expect(run.properties.disabledRules).toEqual(['github-pat']);
      expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).not.toContain('github-pat');
      expect(run.results.map((r: { ruleId: string }) => r.ruleId)).not.toContain('github-pat');
    } finally {
      dir.cleanup();
    }
  });

  it('"-" is stdout', () => {
    for (const flag of ['--report-path', '-r']) {
      const res = runCli(['detect', '--no-git', '.', '--config', CONFIG, flag, '-', '-f', 'csv'], { cwd: TREE });
      expect(res.code, res.stderr).toBe(1);
      expect(res.stdout).toMatch(/^RuleID,/);
    }
  });
});

describe('user mistakes: one line, exit 2, no stack', () => {
  function expectOneLine(res: CliResult, pattern: RegExp): void {
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    const lines = res.stderr.trim().split('\n');
    expect(lines, res.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^keyscan: /);
    expect(lines[0]).toMatch(pattern);
    expect(res.stderr).not.toMatch(/\n\s+at |internal error/);
  }

  it('a config file that is not TOML', () => {
    const bad = join(OUT, 'not-toml.toml');
    writeFileSync(bad, 'this is = = not toml\n');
    expectOneLine(runCli(['detect', '--no-git', '.', '--config', bad], { cwd: TREE }), /not-toml\.toml: invalid TOML/);
  });

  it('a bad regex names the file and the rule', () => {
    const bad = join(OUT, 'bad-regex.toml');
    writeFileSync(bad, '[[rules]]\nid = "broken-rule"\nregex = \'\'\'key_([a-z\'\'\'\n');
    expectOneLine(runCli(['detect', '--no-git', '.', '--config', bad], { cwd: TREE }), /bad-regex\.toml: broken-rule: "regex"/);
  });

  it('several problems are all listed, each naming its rule', () => {
    const bad = join(OUT, 'many.toml');
    writeFileSync(bad, '[[rules]]\nid = "one"\nregex = "("\n[[rules]]\nid = "two"\nregex = "a"\nsecretGroup = 3\n');
    const res = runCli(['detect', '--no-git', '.', '--config', bad], { cwd: TREE });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/many\.toml: one: "regex"/);
    expect(res.stderr).toMatch(/many\.toml: two: "secretGroup"/);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('a lone "-" as the path', () => {
    expectOneLine(runCli(['detect', '--no-git', '-'], { cwd: TREE }), /path of "-" \(standard input\) is not supported/);
  });

  it('a missing config file', () => {
    expectOneLine(runCli(['detect', '--no-git', '.', '--config', 'nope.toml'], { cwd: TREE }), /--config: config file not found: .*nope\.toml/);
  });

  it('an unknown flag', () => {
    expectOneLine(runCli(['detect', '--no-git', '--reportformat', 'json'], { cwd: TREE }), /unknown option: --reportformat/);
  });

  it('an unknown report format', () => {
    expectOneLine(runCli(['detect', '--no-git', '-f', 'xml'], { cwd: TREE }), /--report-format: "xml" is not one of text, json, sarif, csv, junit/);
  });

  it('a flag that needs a value given none', () => {
    expectOneLine(runCli(['detect', '--no-git', '.', '--report-path'], { cwd: TREE }), /--report-path needs a value/);
    expectOneLine(runCli(['detect', '--no-git', '.', '-c'], { cwd: TREE }), /--config needs a value/);
  });

  it('a missing path', () => {
    expectOneLine(runCli(['detect', '--no-git', 'does/not/exist'], { cwd: TREE }), /path not found: .*does\/not\/exist/);
  });

  it('a bad --max-target-megabytes and --exit-code', () => {
    expectOneLine(runCli(['detect', '--no-git', '.', '--max-target-megabytes', '0'], { cwd: TREE }), /--max-target-megabytes/);
    expectOneLine(runCli(['detect', '--no-git', '.', '--exit-code', '300'], { cwd: TREE }), /--exit-code/);
  });
});

describe('a reader that stops early', () => {
  it('`keyscan detect -r - | head` ends quietly: no EPIPE stack trace, the exit code of the scan', () => {
    const t = tempDir();
    try {
      // Some 200 KB of JSON report: more than a pipe holds, so writes go on after head has gone.
      writeFiles(t.dir, { 'tokens.env': Array.from({ length: 400 }, (_, i) => `TOKEN_${i}=${fakeGithubToken(`pipe-${i}`)}\n`).join('') });
      const res = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" detect --no-git . -f json -r - 2>err.txt | head -c 100 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`], {
        cwd: t.dir, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' },
      });
      expect(res.stdout.trim()).toBe('exit=1');
      const stderr = readFileSync(join(t.dir, 'err.txt'), 'utf8');
      expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
      // The summary still goes to stderr, which nobody closed.
      expect(stderr).toMatch(/400 leaks found|leaks found/);
    } finally {
      t.cleanup();
    }
  });
});
