import { readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { dotenv, gitIgnores, privateKeyPem } from '../helpers/credential-files.js';
import { TestRepo, tempDir } from '../helpers/repo.js';

const GOOD_GITIGNORE = ['.env', '.env.*', '*.env', '!.env.example', '!.env.sample', '!.env.template', '!.env.dist', '!.env.defaults', ''].join('\n');

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
function repo(): TestRepo {
  const r = new TestRepo();
  cleanups.push(r.cleanup);
  return r;
}

/** A repository with one problem of each check. */
function messyRepo(): TestRepo {
  const r = repo().write({ '.gitignore': 'node_modules/\n.env\n', 'deploy.pem': privateKeyPem(), 'old/id_rsa': 'x\n', 'README.md': 'hi\n' });
  r.commit('init');
  r.git(['rm', '-q', 'old/id_rsa']);
  r.commit('drop key');
  r.write({ '.env.local': dotenv() });
  return r;
}

describe('keyscan hygiene (built CLI)', () => {
  it('exits 0 with a clean checklist for a tidy repository', () => {
    const r = repo().write({ '.gitignore': GOOD_GITIGNORE, '.env.example': 'API_KEY=\n' });
    r.commit('init');
    const res = runCli(['hygiene'], { cwd: r.dir });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('✓ every .env variant is ignored and every template is not');
    expect(res.stdout).toContain('clean: no hygiene problems');
    expect(runCli(['hygiene', '-q'], { cwd: r.dir }).stdout).toBe('');
    // A path inside the work tree checks the whole repository.
    r.write({ 'src/app/main.ts': 'export {};\n' });
    expect(runCli(['hygiene', 'src/app'], { cwd: r.dir }).stdout).toContain(`keyscan hygiene: ${realpathSync(r.dir)}`);
    const verbose = runCli(['hygiene', '--verbose', '--no-history'], { cwd: r.dir });
    expect(verbose.stdout).toMatch(/✓ \.env\.production +ignored by \.gitignore:2 `\.env\.\*`/);
    expect(verbose.stdout).toMatch(/✓ \.env\.example +not ignored \(template\), un-ignored by \.gitignore:4 `!\.env\.example`/);
  });

  it('exits 1 (or --exit-code) with a checklist naming severity, path, why and fix', () => {
    const r = messyRepo();
    const res = runCli(['hygiene'], { cwd: r.dir });
    expect(res.code).toBe(1);
    for (const heading of ['Coverage', 'Tracked credential files', 'Credential files in history', 'Exposure']) expect(res.stdout).toContain(heading);
    expect(res.stdout).toMatch(/✗ deploy\.pem {2}tracked \(private-key\) {2}\[HIGH\]/);
    expect(res.stdout).toContain('fix: `git rm --cached -- deploy.pem`');
    expect(res.stdout).toMatch(/old\/id_rsa {2}in history/);
    expect(res.stdout).toMatch(/\.env\.local {2}on disk, not ignored/);
    expect(runCli(['hygiene', '--exit-code', '7'], { cwd: r.dir }).code).toBe(7);
  });

  it('writes JSON for CI, with a one-line summary on stderr', () => {
    const r = messyRepo();
    const res = runCli(['hygiene', '-f', 'json'], { cwd: r.dir });
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as { clean: boolean; summary: Record<string, number>; problems: { rule: string; path: string; severity: string; fix: string }[] };
    expect(report.clean).toBe(false);
    expect(report.problems.map((p) => `${p.rule} ${p.path}`)).toEqual([
      'env-not-ignored .env.local',
      'env-not-ignored production.env',
      'credential-file-tracked deploy.pem',
      'credential-file-in-history old/id_rsa',
      'credential-file-exposed .env.local',
    ]);
    expect(report.summary.problems).toBe(5);
    expect(res.stderr.trim()).toBe('keyscan hygiene: 5 problems');
  });

  it('writes minimal valid SARIF: rules, and results pointing at them', () => {
    const r = messyRepo();
    const t = tempDir();
    cleanups.push(t.cleanup);
    const out = join(t.dir, 'hygiene.sarif');
    const res = runCli(['hygiene', '--report-path', out], { cwd: r.dir });
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    const log = JSON.parse(readFileSync(out, 'utf8')) as {
      version: string; $schema: string;
      runs: { tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string } }[] } }; results: { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toContain('sarif-schema-2.1.0');
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('keyscan');
    const ids = run.tool.driver.rules.map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(run.results).toHaveLength(5);
    for (const result of run.results) {
      expect(ids[result.ruleIndex]).toBe(result.ruleId);
      expect(['error', 'warning', 'note']).toContain(result.level);
      expect(result.message.text.length).toBeGreaterThan(0);
      expect(result.locations[0]!.physicalLocation.artifactLocation.uri).not.toMatch(/^\//);
    }
    expect(run.results.find((x) => x.ruleId === 'env-not-ignored')!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('.gitignore');
  });

  it('--fix repairs .gitignore, re-checks, and a second --fix changes nothing', () => {
    const r = repo().write({ '.gitignore': 'node_modules/\r\n.env\r\n', '.env.example': 'API_KEY=\n' });
    r.commit('init');
    r.write({ '.env.production': dotenv() });
    const first = runCli(['hygiene', '--fix'], { cwd: r.dir });
    expect(first.stdout).toContain('fix: updated .gitignore: added 7 patterns to the keyscan block:');
    expect(first.stdout).toContain('Re-checked after the fix:');
    expect(first.code).toBe(0);
    const bytes = readFileSync(join(r.dir, '.gitignore'));
    expect(bytes.toString('utf8').startsWith('node_modules/\r\n.env\r\n')).toBe(true);
    expect(bytes.toString('utf8').replace(/\r\n/g, '')).not.toContain('\n');
    expect(gitIgnores(r.dir, '.env.production')).toBe(true);
    expect(gitIgnores(r.dir, '.env.example')).toBe(false);

    // Nothing else changed: the only difference in the work tree is .gitignore.
    expect(r.git(['status', '--porcelain']).trim()).toBe('M .gitignore');

    const second = runCli(['hygiene', '--fix', '-f', 'json'], { cwd: r.dir });
    expect(second.code).toBe(0);
    const report = JSON.parse(second.stdout) as { clean: boolean; fix: { added: string[]; created: boolean } };
    expect(report.clean).toBe(true);
    expect(report.fix).toMatchObject({ added: [], created: false });
    expect(readFileSync(join(r.dir, '.gitignore')).equals(bytes)).toBe(true);
    expect(runCli(['hygiene', '--fix'], { cwd: r.dir }).stdout).toContain('nothing changed');
  });

  it('--untrack removes tracked credential files from the index only', () => {
    const r = repo().write({ '.env': dotenv(), 'README.md': 'hi\n' });
    r.commit('init');
    const res = runCli(['hygiene', '--untrack', '--no-history'], { cwd: r.dir });
    expect(res.stdout).toContain('fix: removed from the index');
    expect(res.code).toBe(0);
    expect(r.git(['ls-files']).trim()).toBe('README.md');
    expect(readFileSync(join(r.dir, '.env'), 'utf8')).toBe(dotenv());
  });

  it('exits 2 with one line for a directory outside git, a report format it has not, and an unreadable .gitignore', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const notRepo = runCli(['hygiene'], { cwd: t.dir });
    expect(notRepo.code).toBe(2);
    expect(notRepo.stderr.trim().split('\n')).toHaveLength(1);
    expect(notRepo.stderr).toContain('not a git work tree');

    const r = repo().write({ 'README.md': 'hi\n' });
    r.commit('init');
    const csv = runCli(['hygiene', '-f', 'csv'], { cwd: r.dir });
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain('--report-format');

    const missing = runCli(['hygiene', 'no/such/dir'], { cwd: r.dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('path not found');

    symlinkSync('README.md', join(r.dir, '.gitignore'));
    const unreadable = runCli(['hygiene'], { cwd: r.dir });
    expect(unreadable.code).toBe(2);
    expect(unreadable.stderr.trim().split('\n')).toHaveLength(1);
    expect(unreadable.stderr).toContain('.gitignore is a symbolic link');
  });
});
