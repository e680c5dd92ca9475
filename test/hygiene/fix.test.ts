import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TargetError } from '../../src/errors.js';
import { applyFix } from '../../src/hygiene/fix.js';
import { BLOCK_BEGIN } from '../../src/hygiene/gitignore-block.js';
import { inspectRepository } from '../../src/hygiene/inspect.js';
import type { HygieneProblem } from '../../src/hygiene/problem.js';
import { dotenv, gitIgnores, privateKeyPem } from '../helpers/credential-files.js';
import { cleanupAfterEach } from '../helpers/repo.js';

/** Every .env variant the issue names, as paths: git must ignore all of them after --fix. */
const VARIANTS = ['.env', '.env.local', '.env.development', '.env.production', '.env.anything-else', '.env.production.local', 'deep/dir/.env', 'app/.env.local', 'service.env', 'config/prod.env'];
const TEMPLATES = ['.env.example', '.env.sample', '.env.template', '.env.dist', '.env.defaults', 'app/.env.example'];

const { repo, track } = cleanupAfterEach();

beforeAll(() => {
  vi.stubEnv('GIT_CONFIG_GLOBAL', '/dev/null');
  vi.stubEnv('GIT_CONFIG_NOSYSTEM', '1');
});

/** Inspect, fix, and inspect again: what `keyscan hygiene --fix` does. */
async function fix(dir: string, untrack = false) {
  const before = await inspectRepository(dir);
  const summary = applyFix(dir, before.problems, untrack);
  const after = await inspectRepository(dir);
  return { before, summary, after };
}

describe('applyFix', () => {
  it('creates .gitignore; afterwards git ignores every .env variant and no template (git check-ignore as the oracle)', async () => {
    const r = repo().write({ 'README.md': 'hi\n' });
    r.commit('init');
    const { summary, after } = await fix(r.dir);
    expect(summary.created).toBe(true);
    expect(after.problems).toEqual([]);
    for (const p of VARIANTS) expect(gitIgnores(r.dir, p), `${p} ignored`).toBe(true);
    for (const p of TEMPLATES) expect(gitIgnores(r.dir, p), `${p} not ignored`).toBe(false);
    expect(readFileSync(join(r.dir, '.gitignore'), 'utf8').startsWith(BLOCK_BEGIN)).toBe(true);
  });

  it('is idempotent: a second run leaves the file byte for byte as it was', async () => {
    const r = repo().write({ '.gitignore': 'node_modules/\n.env\n' });
    r.commit('init');
    r.write({ 'keys/deploy.pem': privateKeyPem() });
    const first = await fix(r.dir);
    expect(first.summary.added.length).toBeGreaterThan(0);
    const bytes = readFileSync(join(r.dir, '.gitignore'));
    const second = await fix(r.dir);
    expect(second.summary.added).toEqual([]);
    expect(readFileSync(join(r.dir, '.gitignore')).equals(bytes)).toBe(true);
    expect(second.after.problems).toEqual([]);
  });

  it('keeps a CRLF .gitignore CRLF and its existing lines untouched', async () => {
    const original = 'node_modules/\r\n# local settings\r\n.env\r\n';
    const r = repo().write({ '.gitignore': original });
    r.commit('init');
    await fix(r.dir);
    const out = readFileSync(join(r.dir, '.gitignore'), 'utf8');
    expect(out.startsWith(original)).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    for (const p of VARIANTS) expect(gitIgnores(r.dir, p), p).toBe(true);
    for (const p of TEMPLATES) expect(gitIgnores(r.dir, p), p).toBe(false);
  });

  it('keeps templates that are tracked un-ignored, and adds their exceptions with the pattern that would hide them', async () => {
    const r = repo().write({ '.gitignore': '.env\n', '.env.example': 'API_KEY=\n', 'app/.env.sample': 'API_KEY=\n' });
    r.commit('init');
    const { summary, after } = await fix(r.dir);
    expect(summary.added).toEqual(['.env.*', '*.env', '!.env.example', '!.env.sample', '!.env.template', '!.env.dist', '!.env.defaults']);
    expect(after.problems).toEqual([]);
    expect(gitIgnores(r.dir, '.env.example')).toBe(false);
    expect(gitIgnores(r.dir, 'app/.env.sample')).toBe(false);
  });

  it('ignores exposed credential files by their exact path, special characters escaped', async () => {
    const r = repo().write({ 'README.md': 'hi\n' });
    r.commit('init');
    r.write({ 'keys/[prod]*.pem': privateKeyPem(), 'id_ed25519': 'x\n' });
    const { summary, after } = await fix(r.dir);
    expect(summary.added).toContain('/keys/\\[prod]\\*.pem');
    expect(after.problems).toEqual([]);
    expect(gitIgnores(r.dir, 'keys/[prod]*.pem')).toBe(true);
    expect(gitIgnores(r.dir, 'keys/prod-other.pem')).toBe(false);
    expect(gitIgnores(r.dir, 'id_ed25519')).toBe(true);
  });

  it('never edits a nested .gitignore: its negation stays reported, with the line to delete', async () => {
    const r = repo().write({ 'web/.gitignore': '!.env.local\n', 'README.md': 'hi\n' });
    r.commit('init');
    const { after } = await fix(r.dir);
    expect(readFileSync(join(r.dir, 'web/.gitignore'), 'utf8')).toBe('!.env.local\n');
    expect(after.problems.map((p) => `${p.rule} ${p.path}`)).toEqual(['env-not-ignored web/.env.local']);
    expect(after.problems[0]!.patterns).toBeUndefined();
    expect(after.problems[0]!.fix).toContain('delete line 1 (`!.env.local`) from web/.gitignore');
  });

  it('prints git rm --cached for tracked credential files, and with untrack runs it (index only)', async () => {
    const r = repo().write({ '.env.production': dotenv(), 'deploy.pem': privateKeyPem(), 'README.md': 'hi\n' });
    r.commit('init');
    const printed = await fix(r.dir);
    expect(printed.summary.untrackCommands).toEqual(['git rm --cached -- .env.production', 'git rm --cached -- deploy.pem']);
    expect(printed.summary.untracked).toEqual([]);
    expect(r.git(['ls-files']).split('\n')).toContain('deploy.pem');
    // Ignored now, but tracked: "ignored too late".
    expect(printed.after.problems.map((p) => p.rule)).toEqual(['credential-file-ignored-too-late', 'credential-file-ignored-too-late']);

    const untracked = await fix(r.dir, true);
    expect(untracked.summary.untracked).toEqual(['.env.production', 'deploy.pem']);
    expect(r.git(['ls-files']).trim().split('\n')).toEqual(['README.md']);
    expect(existsSync(join(r.dir, 'deploy.pem'))).toBe(true);
    expect(existsSync(join(r.dir, '.env.production'))).toBe(true);
    // Still in the last commit, so still readable: reported as history, not as tracked or exposed.
    expect(untracked.after.problems.map((p) => `${p.rule} ${p.path}`)).toEqual(['credential-file-in-history .env.production', 'credential-file-in-history deploy.pem']);
  });

  it('refuses a symlinked .gitignore (git does not read it) and leaves its target alone', async () => {
    const r = repo().write({ 'README.md': 'hi\n', 'elsewhere': 'node_modules/\n' });
    r.commit('init');
    symlinkSync('elsewhere', join(r.dir, '.gitignore'));
    await expect(inspectRepository(r.dir)).rejects.toThrow(/\.gitignore is a symbolic link/);
    const problem: HygieneProblem = { rule: 'env-not-ignored', check: 'coverage', severity: 'high', path: '.env', why: '', fix: '', patterns: ['.env'] };
    expect(() => applyFix(r.dir, [problem], false)).toThrow(TargetError);
    expect(readFileSync(join(r.dir, 'elsewhere'), 'utf8')).toBe('node_modules/\n');
  });

  it('writes nothing when nothing is missing', async () => {
    const r = repo().write({ 'README.md': 'hi\n' });
    r.commit('init');
    await fix(r.dir);
    const path = join(r.dir, '.gitignore');
    writeFileSync(path, readFileSync(path));
    const { summary } = await fix(r.dir);
    expect(summary.added).toEqual([]);
    expect(summary.created).toBe(false);
  });
});
