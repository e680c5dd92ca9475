import { chmodSync, mkdirSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir, TestRepo, writeFiles } from '../helpers/repo.js';
import { e2eToken, writeE2eConfig, type GitleaksRecord } from './e2e-config.js';

/** `keyscan detect --no-git` on real temp directories, through the built CLI. */

const cfg = tempDir('keyscan-cfg-');
const CONFIG = writeE2eConfig(cfg.dir);
afterAll(cfg.cleanup);

function scanJson(dir: string, extra: string[] = [], options: { prefix?: string[] } = {}) {
  const res = runCli(['detect', '--no-git', '.', '--config', CONFIG, '-f', 'json', ...extra], { cwd: dir, ...options });
  expect(res.code, res.stderr).not.toBe(2);
  return { ...res, report: JSON.parse(res.stdout) as GitleaksRecord[] };
}

describe('detect --no-git: findings', () => {
  const t = tempDir();
  afterAll(t.cleanup);

  it('reports gitleaks fields with the right lines, columns and fingerprint', () => {
    const a = e2eToken('fields-a');
    const b = e2eToken('fields-b');
    writeFiles(t.dir, {
      'app/settings.py': `# settings\n\nimport os\nTOKEN = "${a}"  # comment\n`,
      'notes.md': `first\n  key: ${b}\n`,
    });
    const { code, report } = scanJson(t.dir, ['--no-redact']);
    expect(code).toBe(1);
    expect(report.map((r) => r.File).sort()).toEqual(['app/settings.py', 'notes.md']);
    const ra = report.find((r) => r.File === 'app/settings.py')!;
    // gitleaks' order: importers such as DefectDojo read these names.
    expect(Object.keys(ra).slice(0, 18)).toEqual([
      'RuleID', 'Description', 'StartLine', 'EndLine', 'StartColumn', 'EndColumn', 'Match', 'Secret', 'File',
      'SymlinkFile', 'Commit', 'Entropy', 'Author', 'Email', 'Date', 'Message', 'Tags', 'Fingerprint',
    ]);
    expect(ra).toMatchObject({ RuleID: 'e2e-token', StartLine: 4, EndLine: 4, StartColumn: 10, EndColumn: 10 + a.length - 1, Secret: a, Match: a, Fingerprint: 'app/settings.py:e2e-token:4' });
    expect(report.find((r) => r.File === 'notes.md')).toMatchObject({ StartLine: 2, StartColumn: 8 });
  });
});

describe('detect --no-git: .gitignore', () => {
  const repo = new TestRepo();
  afterAll(repo.cleanup);

  it('honours nested .gitignore files, negations and .git/info/exclude, and scans tracked-but-ignored files', () => {
    const tok = (s: string) => `value = ${e2eToken(s)}\n`;
    repo.write({
      '.gitignore': '*.log\nsecret/\n!keep.log\n',
      'keep.log': tok('keep'),
      'drop.log': tok('drop'),
      'secret/a.txt': tok('secret-dir'),
      'sub/.gitignore': 'local.env\n',
      'sub/local.env': tok('nested-ignored'),
      'sub/other.env': tok('nested-kept'),
      'excluded.txt': tok('excluded'),
      'visible.txt': tok('visible'),
      'forced.log': tok('forced'),
    });
    writeFiles(repo.dir, { '.git/info/exclude': 'excluded.txt\n' });
    repo.git(['add', '.gitignore', 'sub/.gitignore', 'visible.txt']);
    repo.git(['add', '-f', 'forced.log']);
    repo.commit('initial');
    const { report } = scanJson(repo.dir);
    const files = report.map((r) => r.File).sort();
    // git itself is the oracle for what is ignored.
    const ignored = spawnSync('git', ['check-ignore', '--no-index', 'drop.log', 'secret/a.txt', 'sub/local.env', 'excluded.txt'], { cwd: repo.dir, encoding: 'utf8' }).stdout.trim().split('\n');
    expect(ignored).toHaveLength(4);
    expect(files).toEqual(['forced.log', 'keep.log', 'sub/other.env', 'visible.txt']);
  });

  it('scans a subdirectory of a work tree with paths relative to it', () => {
    const { report } = scanJson(join(repo.dir, 'sub'));
    expect(report.map((r) => r.File)).toEqual(['other.env']);
  });

  it('never scans .git/ outside a work tree either', () => {
    const t = tempDir();
    try {
      writeFiles(t.dir, { '.git/config': `x = ${e2eToken('dotgit')}\n`, 'a.txt': `x = ${e2eToken('plain')}\n` });
      expect(scanJson(t.dir).report.map((r) => r.File)).toEqual(['a.txt']);
    } finally {
      t.cleanup();
    }
  });
});

describe('detect --no-git: what is skipped is counted', () => {
  const t = tempDir();
  afterAll(t.cleanup);

  it('skips binary files by content, even named .txt, and oversize files; the summary counts both', () => {
    writeFiles(t.dir, {
      'blob.txt': Buffer.concat([Buffer.from('header\0\x01\x02'), Buffer.from(`\nkey = ${e2eToken('binary')}\n`)]),
      'big.env': `key = ${e2eToken('big')}\n${'#'.repeat(4000)}\n`,
      'small.env': `key = ${e2eToken('small')}\n`,
    });
    const res = runCli(['detect', '--no-git', '.', '--config', CONFIG, '--max-target-megabytes', '0.002'], { cwd: t.dir });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('small.env');
    expect(res.stdout).not.toMatch(/blob\.txt|big\.env/);
    expect(res.stdout).toMatch(/1 leak found — directory scan: 1 file, .*skipped 1 binary, 1 too large/);
  });

  it('does not follow a symlink out of the scanned root, but follows one inside it', () => {
    const outside = tempDir('keyscan-outside-');
    try {
      writeFiles(outside.dir, { 'creds.env': `key = ${e2eToken('outside')}\n` });
      writeFiles(t.dir, { 'inner/real.env': `key = ${e2eToken('inner')}\n` });
      mkdirSync(join(t.dir, 'links'), { recursive: true });
      symlinkSync(join(outside.dir, 'creds.env'), join(t.dir, 'links/outside.env'));
      symlinkSync('../inner/real.env', join(t.dir, 'links/inside.env'));
      symlinkSync(outside.dir, join(t.dir, 'links/outside-dir'));
      const res = scanJson(join(t.dir), ['--no-redact']);
      const files = res.report.map((r) => `${r.File}<${r.SymlinkFile}`);
      expect(files.some((f) => f.includes('creds') || f.includes('outside'))).toBe(false);
      expect(res.report.map((r) => r.Secret)).not.toContain(e2eToken('outside'));
      expect(res.report.map((r) => r.Secret)).toContain(e2eToken('inner'));
      // The real file and the link to it are one file: reported once.
      expect(files.filter((f) => f.startsWith('inner/real.env'))).toHaveLength(1);
      expect(res.stderr).toMatch(/symlinks? out of root/);
    } finally {
      outside.cleanup();
    }
  });
});

describe('detect --no-git: a file that cannot be read', () => {
  const isRoot = process.getuid?.() === 0;
  // Root reads anything; without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH it obeys file modes like anyone.
  const hasSetpriv = spawnSync('setpriv', ['--bounding-set=-dac_override,-dac_read_search', 'true']).status === 0;
  const prefix = isRoot ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search'] : [];

  it.skipIf(process.platform === 'win32' || (isRoot && !hasSetpriv))('is a warning and makes the summary say "partial"', () => {
    const t = tempDir();
    try {
      writeFiles(t.dir, { 'locked.env': `key = ${e2eToken('locked')}\n`, 'open.env': `key = ${e2eToken('open')}\n` });
      chmodSync(join(t.dir, 'locked.env'), 0o000);
      const res = runCli(['detect', '--no-git', '.', '--config', CONFIG], { cwd: t.dir, prefix });
      expect(res.code).toBe(1);
      expect(res.stdout).toContain('open.env');
      expect(res.stdout).toMatch(/warning: cannot read locked\.env: EACCES/);
      expect(res.stdout).toMatch(/PARTIAL: 1 file could not be read/);
      const json = runCli(['detect', '--no-git', '.', '--config', CONFIG, '-f', 'sarif'], { cwd: t.dir, prefix });
      const log = JSON.parse(json.stdout);
      expect(log.runs[0].properties.partial).toBe(true);
      expect(log.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toContain('locked.env');
      expect(json.stderr).toContain('PARTIAL');
    } finally {
      chmodSync(join(t.dir, 'locked.env'), 0o644);
      t.cleanup();
    }
  });
});

describe('detect --no-git: the default rules', () => {
  it('finds a generated GitHub token', async () => {
    const { fakeGithubToken } = await import('../helpers/secrets.js');
    const t = tempDir();
    try {
      writeFiles(t.dir, { 'deploy.sh': `#!/bin/sh\nexport GH=${fakeGithubToken('e2e-default')}\n` });
      const res = runCli(['detect', '--no-git', '.', '-f', 'json'], { cwd: t.dir });
      expect(res.code).toBe(1);
      const report = JSON.parse(res.stdout) as GitleaksRecord[];
      expect(report.find((r) => r.RuleID === 'github-pat')).toMatchObject({ File: 'deploy.sh', StartLine: 2 });
    } finally {
      t.cleanup();
    }
  });
});
