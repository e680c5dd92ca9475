import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.js';
import { tempDir, cleanupAfterEach } from '../helpers/repo.js';
import { fakeGithubToken } from '../helpers/secrets.js';
import { fastPathArgs } from '../../src/cli/run.js';

const { repo, track } = cleanupAfterEach();

describe('keyscan protect --staged (built CLI)', () => {
  it('blocks with file:line, rule, redacted value, fingerprint and the ways forward; exit 1', () => {
    const token = fakeGithubToken('protect-e2e');
    const r = repo().write({ 'README.md': 'x\n' });
    r.commit('init');
    r.write({ 'src/settings.py': `DEBUG = True\nGITHUB_TOKEN = "${token}"\n` });
    r.git(['add', '-A']);
    const res = runCli(['protect', '--staged'], { cwd: r.dir });
    expect(res.code).toBe(1);
    const out = res.stdout;
    expect(out).not.toContain(token);
    expect(out).not.toContain(token.slice(4, 20));
    expect(out).toContain('commit blocked: 1 secret');
    expect(out).toMatch(/src\/settings\.py:2 {2}github-pat {2}GITHUB_TOKEN = "ghp_…"/);
    expect(out).toMatch(/fingerprint ks1:github-pat:[0-9a-f]{16}:src\/settings\.py/);
    expect(out).toContain('git add src/settings.py');
    expect(out).toContain('keyscan:allow');
    expect(out).toContain('.keyscanignore');
    expect(out).toContain('git commit --no-verify');
    for (const line of out.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(runCli(['protect', '--staged', '--exit-code', '3'], { cwd: r.dir }).code).toBe(3);
  });

  it('says what it scanned on a clean run, says when nothing is staged, and --quiet says nothing', () => {
    const r = repo().write({ 'a.txt': 'a\n' });
    r.commit('init');
    let res = runCli(['protect', '--staged'], { cwd: r.dir });
    expect(res).toMatchObject({ code: 0, stdout: 'keyscan: nothing staged to scan\n' });
    r.write({ 'a.txt': 'a\nb\nc\n', 'd.txt': 'd\n' });
    r.git(['add', '-A']);
    res = runCli(['protect', '--staged'], { cwd: r.dir });
    expect(res).toMatchObject({ code: 0, stdout: 'keyscan: 2 staged files, 3 added lines scanned, no secrets found\n' });
    expect(runCli(['protect', '--staged', '--quiet'], { cwd: r.dir })).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('blocks a newly added credential file by its name, even with no secret in it; a template passes', () => {
    const r = repo().write({ 'a.txt': 'a\n' });
    r.commit('init');
    r.write({ '.env.example': 'DATABASE_URL=\n', 'app/.env': 'DEBUG=1\n' });
    r.git(['add', '-f', '-A']);
    const res = runCli(['protect', '--staged'], { cwd: r.dir });
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/app\/\.env:1 {2}credential-file {2}new dotenv file/);
    expect(res.stdout).toContain('git rm --cached app/.env');
    expect(res.stdout).not.toContain('.env.example');
    expect(res.stdout).not.toContain('keyscan:allow'); // no secret line to mark
    // Already tracked: not the commit's doing (keyscan hygiene reports it).
    r.git(['commit', '-q', '--no-verify', '-m', 'env']);
    r.write({ 'app/.env': 'DEBUG=0\n' });
    r.git(['add', '-A']);
    expect(runCli(['protect', '--staged'], { cwd: r.dir }).code).toBe(0);
  });

  it('the printed fingerprint, added to .keyscanignore, lets the commit through', () => {
    const r = repo().write({ 'a.txt': 'a\n' });
    r.commit('init');
    r.write({ 'b.txt': `b = "${fakeGithubToken('ignored')}"\n` });
    r.git(['add', '-A']);
    const blocked = runCli(['protect', '--staged'], { cwd: r.dir });
    const fingerprint = /fingerprint (ks1:\S+)/.exec(blocked.stdout)![1]!;
    r.write({ '.keyscanignore': `${fingerprint}\n` });
    expect(runCli(['protect', '--staged'], { cwd: r.dir }).code).toBe(0);
  });

  it('an inline keyscan:allow lets the commit through', () => {
    const r = repo().write({ 'a.txt': 'a\n' });
    r.commit('init');
    r.write({ 'a.txt': `a\nexample = "${fakeGithubToken('allowed')}"  # keyscan:allow\n` });
    r.git(['add', '-A']);
    expect(runCli(['protect', '--staged'], { cwd: r.dir }).code).toBe(0);
  });

  it('protect [files…] scans only the staged content of the files named (pre-commit framework, lint-staged)', () => {
    const r = repo().write({ 'a.txt': 'a\n' });
    r.commit('init');
    r.write({ 'clean.txt': 'fine\n', 'leak.env': `T=${fakeGithubToken('files')}\n` });
    r.git(['add', '-A']);
    expect(runCli(['protect', 'clean.txt'], { cwd: r.dir })).toMatchObject({ code: 0, stdout: 'keyscan: 1 staged file, 1 added line scanned, no secrets found\n' });
    expect(runCli(['protect', 'clean.txt', 'leak.env'], { cwd: r.dir }).code).toBe(1);
    expect(runCli(['protect', '--staged', '--', 'leak.env'], { cwd: r.dir }).code).toBe(1);
    expect(runCli(['protect', '--exit-code', '1', '--', 'leak.env'], { cwd: r.dir }).code).toBe(1);
  });

  it('gives the same answer through the fast path and through full argument parsing', () => {
    const r = repo().write({ 'a.txt': 'a\n' });
    r.commit('init');
    r.write({ 'b.txt': `b = "${fakeGithubToken('fast')}"\n` });
    r.git(['add', '-A']);
    const fast = runCli(['protect', '--staged'], { cwd: r.dir });
    const full = runCli(['protect', '--staged', '--redact'], { cwd: r.dir });
    expect(full).toEqual(fast);
    expect(fastPathArgs(['protect', '--staged', '--redact'])?.args).toMatchObject({ staged: true, redact: true });
    expect(fastPathArgs(['protect', '--staged', '--help'])).toBeUndefined();
    expect(fastPathArgs(['protect', '--staged', '-q', 'a b.txt'])?.args).toMatchObject({ staged: true, quiet: true, files: ['a b.txt'], redact: true, 'exit-code': 1 });
  });

  it('writes a machine-readable report when asked', () => {
    const r = repo().write({ 'a.txt': 'a\n' });
    r.commit('init');
    r.write({ 'b.txt': `b = "${fakeGithubToken('json')}"\n` });
    r.git(['add', '-A']);
    const res = runCli(['protect', '--staged', '-f', 'json'], { cwd: r.dir });
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout)).toMatchObject([{ RuleID: 'github-pat', File: 'b.txt', StartLine: 1 }]);
  });

  it('outside a repository: one line, exit 2', () => {
    const t = tempDir();
    track(t);
    const res = runCli(['protect', '--staged'], { cwd: t.dir, env: { GIT_CEILING_DIRECTORIES: t.dir } });
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain('not a git repository');
  });

  it('ships a pre-commit framework hook definition', () => {
    const yaml = readFileSync(fileURLToPath(new URL('../../.pre-commit-hooks.yaml', import.meta.url)), 'utf8');
    expect(yaml).toMatch(/^- id: keyscan$/m);
    expect(yaml).toMatch(/^ {2}entry: keyscan protect$/m);
    expect(yaml).toMatch(/^ {2}language: node$/m);
    expect(yaml).toMatch(/^ {2}pass_filenames: true$/m);
  });
});
