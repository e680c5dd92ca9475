import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN, runCli } from '../helpers/cli.js';
import { gitEnv, tempDir, TestRepo, cleanupAfterEach } from '../helpers/repo.js';
import { fakeGithubToken } from '../helpers/secrets.js';

/**
 * `keyscan install` end to end: the built CLI installs the hook, then a real `git commit`
 * runs it — refused with a secret staged, through without.
 */

const HUSKY_PACKAGE = fileURLToPath(new URL('../../node_modules/husky', import.meta.url));
const { repo, track } = cleanupAfterEach();

/** A directory holding `keyscan` (this checkout's bin), for PATH. */
function keyscanOnPath(): string {
  const t = tempDir('keyscan-bin-');
  track(t);
  symlinkSync(BIN, join(t.dir, 'keyscan'));
  return t.dir;
}

function commit(r: TestRepo, message: string, path: string, extra: string[] = []) {
  const res = spawnSync('git', ['commit', '-m', message, ...extra], { cwd: r.dir, env: gitEnv({ PATH: path, CI: 'true', NO_COLOR: '1' }), encoding: 'utf8' });
  return { code: res.status ?? -1, out: `${res.stdout}${res.stderr}` };
}

const cli = (r: TestRepo, args: string[]) => runCli(args, { cwd: r.dir });

describe('keyscan install: plain git hook', () => {
  it('installs at the hooks path, blocks a secret in a real commit, lets a clean one through, and uninstalls', () => {
    const r = repo().write({ 'README.md': 'hi\n' });
    r.commit('init');
    const res = cli(r, ['install']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('created .git/hooks/pre-commit');
    const hook = join(r.dir, '.git/hooks/pre-commit');
    expect(statSync(hook).mode & 0o111).not.toBe(0);
    const installed = readFileSync(hook, 'utf8');
    // Idempotent.
    expect(cli(r, ['install']).stdout).toContain('nothing changed');
    expect(readFileSync(hook, 'utf8')).toBe(installed);

    const PATH = `${keyscanOnPath()}:${process.env.PATH}`;
    r.write({ 'config.yml': `github_token: ${fakeGithubToken('plain-hook')}\n` });
    r.git(['add', 'config.yml']);
    const blocked = commit(r, 'add config', PATH);
    expect(blocked.code).not.toBe(0);
    expect(blocked.out).toContain('commit blocked');
    expect(blocked.out).toContain('config.yml:1');
    expect(blocked.out).not.toContain(fakeGithubToken('plain-hook'));
    expect(r.git(['rev-list', '--count', 'HEAD']).trim()).toBe('1');

    r.write({ 'config.yml': 'github_token:\n' });
    r.git(['add', 'config.yml']);
    const ok = commit(r, 'add config', PATH);
    expect(ok.out).toContain('1 staged file, 1 added line scanned, no secrets found');
    expect(ok.code).toBe(0);
    expect(r.git(['rev-list', '--count', 'HEAD']).trim()).toBe('2');

    // `git commit -a` stages into a temporary index: the hook must read that one.
    r.write({ 'config.yml': `github_token: ${fakeGithubToken('commit-a')}\n` });
    expect(commit(r, 'commit -a', PATH, ['-a']).code).not.toBe(0);

    const un = cli(r, ['uninstall']);
    expect(un.code).toBe(0);
    expect(existsSync(hook)).toBe(false);
    expect(cli(r, ['uninstall']).stdout).toContain('nothing to remove');
  });

  it('keeps an existing shell hook\'s lines, and uninstall gives it back byte for byte', () => {
    const r = repo().write({ 'a.txt': 'a\n' });
    r.commit('init');
    const hook = join(r.dir, '.git/hooks/pre-commit');
    const original = '#!/bin/sh\necho "own hook ran" > own-hook.log\nexit 0\n';
    writeFileSync(hook, original, { mode: 0o755 });
    expect(cli(r, ['install', '--hook-runner', 'git']).stdout).toContain('added keyscan to the existing');
    const PATH = `${keyscanOnPath()}:${process.env.PATH}`;
    r.write({ 'b.txt': 'clean\n' });
    r.git(['add', 'b.txt']);
    expect(commit(r, 'b', PATH).code).toBe(0);
    expect(existsSync(join(r.dir, 'own-hook.log'))).toBe(true);
    r.write({ 'c.txt': `t=${fakeGithubToken('existing-hook')}\n` });
    r.git(['add', 'c.txt']);
    expect(commit(r, 'c', PATH).code).not.toBe(0);
    cli(r, ['uninstall']);
    expect(readFileSync(hook, 'utf8')).toBe(original);
    expect(statSync(hook).mode & 0o777).toBe(0o755);
  });

  it('chains a hook that is not a shell script, and restores it on uninstall', () => {
    const r = repo().write({ 'a.txt': 'a\n' });
    r.commit('init');
    const hook = join(r.dir, '.git/hooks/pre-commit');
    const original = `#!${process.execPath}\nrequire('node:fs').writeFileSync('chained.log', 'ran');\n`;
    writeFileSync(hook, original, { mode: 0o755 });
    expect(cli(r, ['install']).stdout).toContain('moved the existing hook');
    const PATH = `${keyscanOnPath()}:${process.env.PATH}`;
    r.write({ 'b.txt': 'clean\n' });
    r.git(['add', 'b.txt']);
    expect(commit(r, 'b', PATH).code).toBe(0);
    expect(readFileSync(join(r.dir, 'chained.log'), 'utf8')).toBe('ran');
    expect(cli(r, ['install']).stdout).toContain('nothing changed');
    cli(r, ['uninstall']);
    expect(readFileSync(hook, 'utf8')).toBe(original);
    expect(existsSync(`${hook}.keyscan-chained`)).toBe(false);
  });

  it('respects core.hooksPath', () => {
    const r = repo().write({ 'a.txt': 'a\n' });
    r.commit('init');
    r.git(['config', 'core.hooksPath', 'tools/hooks']);
    expect(cli(r, ['install']).stdout).toContain('tools/hooks/pre-commit');
    expect(existsSync(join(r.dir, 'tools/hooks/pre-commit'))).toBe(true);
    r.write({ 'b.txt': `t=${fakeGithubToken('hooks-path')}\n` });
    r.git(['add', 'b.txt']);
    expect(commit(r, 'b', `${keyscanOnPath()}:${process.env.PATH}`).code).not.toBe(0);
  });

  it('fails closed, with a way out, when keyscan is not on PATH', () => {
    const r = repo().write({ 'a.txt': 'a\n' });
    r.commit('init');
    cli(r, ['install']);
    r.write({ 'b.txt': 'clean\n' });
    r.git(['add', 'b.txt']);
    const res = commit(r, 'b', '/usr/bin:/bin');
    expect(res.code).not.toBe(0);
    expect(res.out).toContain('keyscan: not found on PATH');
    expect(res.out).toContain('--no-verify');
  });
});

describe('keyscan install: husky in an npm project', () => {
  /** An npm project with husky installed the way npm does (a copy in node_modules) and keyscan as a local bin. */
  function npmProject(pkgText: string): TestRepo {
    const r = repo();
    writeFileSync(join(r.dir, 'package.json'), pkgText);
    writeFileSync(join(r.dir, '.gitignore'), 'node_modules/\n');
    cpSync(HUSKY_PACKAGE, join(r.dir, 'node_modules/husky'), { recursive: true });
    mkdirSync(join(r.dir, 'node_modules/.bin'), { recursive: true });
    symlinkSync(BIN, join(r.dir, 'node_modules/.bin/keyscan'));
    r.commit('init');
    return r;
  }

  it('adds husky and prepare (keeping the file\'s tab indent), creates .husky/pre-commit, blocks a real commit, and uninstalls exactly', () => {
    const pkgText = '{\n\t"name": "demo",\n\t"version": "1.0.0",\n\t"scripts": {\n\t\t"test": "echo ok"\n\t}\n}\n';
    const r = npmProject(pkgText);
    const res = cli(r, ['install']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('created .husky/pre-commit');
    expect(res.stdout).toContain('ran husky');
    const pkg = readFileSync(join(r.dir, 'package.json'), 'utf8');
    expect(pkg).toBe('{\n\t"name": "demo",\n\t"version": "1.0.0",\n\t"scripts": {\n\t\t"test": "echo ok",\n\t\t"prepare": "husky"\n\t},\n\t"devDependencies": {\n\t\t"husky": "^9.1.7"\n\t}\n}\n');
    expect(readFileSync(join(r.dir, '.husky/pre-commit'), 'utf8')).toContain('\nnpx --no-install keyscan protect --staged\n');
    expect(r.git(['config', 'core.hooksPath']).trim()).toBe('.husky/_');
    const hookText = readFileSync(join(r.dir, '.husky/pre-commit'), 'utf8');
    expect(cli(r, ['install']).stdout).toContain('nothing changed');
    expect(readFileSync(join(r.dir, '.husky/pre-commit'), 'utf8')).toBe(hookText);
    expect(readFileSync(join(r.dir, 'package.json'), 'utf8')).toBe(pkg);

    const PATH = process.env.PATH!;
    r.write({ 'src/key.js': `export const key = "${fakeGithubToken('husky')}";\n` });
    r.git(['add', 'src/key.js']);
    const blocked = commit(r, 'key', PATH);
    expect(blocked.code).not.toBe(0);
    expect(blocked.out).toContain('src/key.js:1');
    expect(blocked.out).toContain('husky - pre-commit script failed');

    r.write({ 'src/key.js': 'export const key = process.env.KEY;\n' });
    r.git(['add', '-A']);
    const ok = commit(r, 'key from env', PATH);
    expect(ok.out).toContain('no secrets found');
    expect(ok.code).toBe(0);

    const un = cli(r, ['uninstall']);
    expect(un.code).toBe(0);
    expect(readFileSync(join(r.dir, 'package.json'), 'utf8')).toBe(pkgText);
    expect(existsSync(join(r.dir, '.husky'))).toBe(false);
    expect(spawnSync('git', ['config', 'core.hooksPath'], { cwd: r.dir, env: gitEnv() }).status).not.toBe(0);
  });

  it('keeps the lines of an existing .husky/pre-commit and an existing husky setup', () => {
    const pkgText = '{\n  "name": "demo",\n  "scripts": { "prepare": "husky" },\n  "devDependencies": { "husky": "^9.0.0" }\n}\n';
    const r = npmProject(pkgText);
    mkdirSync(join(r.dir, '.husky'));
    writeFileSync(join(r.dir, '.husky/pre-commit'), 'echo lint > lint.log\n');
    const res = cli(r, ['install']);
    expect(res.stdout).toContain('kept its other lines');
    expect(readFileSync(join(r.dir, 'package.json'), 'utf8')).toBe(pkgText);
    r.write({ 'a.txt': `t=${fakeGithubToken('husky-existing')}\n` });
    r.git(['add', 'a.txt']);
    expect(commit(r, 'a', process.env.PATH!).code).not.toBe(0);
    expect(existsSync(join(r.dir, 'lint.log'))).toBe(true);
    cli(r, ['uninstall']);
    expect(readFileSync(join(r.dir, '.husky/pre-commit'), 'utf8')).toBe('echo lint > lint.log\n');
    expect(readFileSync(join(r.dir, 'package.json'), 'utf8')).toBe(pkgText);
    expect(r.git(['config', 'core.hooksPath']).trim()).toBe('.husky/_');
  });

  it('--hook-runner husky outside an npm project is a one-line error', () => {
    const r = repo().write({ 'a.txt': 'a\n' });
    r.commit('init');
    const res = cli(r, ['install', '--hook-runner', 'husky']);
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain('package.json');
  });
});
