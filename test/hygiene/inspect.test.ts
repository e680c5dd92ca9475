import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TargetError } from '../../src/errors.js';
import { workTreeRoot } from '../../src/hygiene/git.js';
import { inspectRepository } from '../../src/hygiene/inspect.js';
import type { HygieneProblem } from '../../src/hygiene/problem.js';
import {
  certificatePem, dotenv, npmrcWithEnvReference, npmrcWithToken, privateKeyPem, serviceAccountJson,
} from '../helpers/credential-files.js';
import { tempDir, cleanupAfterEach } from '../helpers/repo.js';

/** Every .env variant ignored, every template un-ignored: a root .gitignore that passes coverage. */
const GOOD_GITIGNORE = ['.env', '.env.*', '*.env', '!.env.example', '!.env.sample', '!.env.template', '!.env.dist', '!.env.defaults', ''].join('\n');

const brief = (problems: HygieneProblem[]) => problems.map((p) => `${p.rule} ${p.path}${p.patterns ? ` +${p.patterns.join(' +')}` : ''}`).sort();

const { repo, track } = cleanupAfterEach();

beforeAll(() => {
  // keyscan's own git calls must not see the developer's global config (an excludesFile there would change the answers).
  vi.stubEnv('GIT_CONFIG_GLOBAL', '/dev/null');
  vi.stubEnv('GIT_CONFIG_NOSYSTEM', '1');
});

describe('coverage, asked of git', () => {
  it('passes a repository whose root .gitignore covers every variant and keeps templates', async () => {
    const r = repo().write({ '.gitignore': GOOD_GITIGNORE, '.env.example': 'API_KEY=\n', 'README.md': 'hi\n' });
    r.commit('init');
    r.write({ '.env': dotenv(), 'web/.env.local': dotenv('w') });
    const result = await inspectRepository(r.dir);
    expect(result.problems).toEqual([]);
    expect(result.probes.every((p) => p.ignored === (p.expect === 'ignored'))).toBe(true);
    expect(result.checks).toEqual(['coverage', 'tracked', 'history', 'exposure']);
  });

  it('reports what is missing, one problem per pattern, with the pattern --fix would add', async () => {
    const r = repo().write({ '.gitignore': 'node_modules/\n.env\n' });
    r.commit('init');
    const result = await inspectRepository(r.dir);
    expect(brief(result.problems)).toEqual(['env-not-ignored .env.local +.env.*', 'env-not-ignored production.env +*.env']);
    const grouped = result.problems.find((p) => p.patterns?.includes('.env.*'))!;
    expect(grouped.paths).toEqual(expect.arrayContaining(['.env.local', '.env.development', '.env.production', '.env.staging']));
    expect(grouped.severity).toBe('medium');
  });

  it('sees negations in nested .gitignore files, and says the root cannot override them', async () => {
    const r = repo().write({
      '.gitignore': GOOD_GITIGNORE,
      'web/.gitignore': '!.env.local\n',
      'api/.gitignore': '.env.example\n',
      '.env.example': 'API_KEY=\n',
    });
    r.commit('init');
    r.write({ 'web/.env.local': dotenv('web') });
    const result = await inspectRepository(r.dir);
    expect(brief(result.problems)).toEqual([
      'credential-file-exposed web/.env.local',
      'env-not-ignored web/.env.local',
      'template-ignored api/.env.example',
    ]);
    const negated = result.problems.find((p) => p.rule === 'env-not-ignored')!;
    expect(negated.match).toEqual({ source: 'web/.gitignore', line: 1, pattern: '!.env.local' });
    expect(negated.fix).toContain('web/.gitignore');
    const template = result.problems.find((p) => p.rule === 'template-ignored')!;
    expect(template.match).toEqual({ source: 'api/.gitignore', line: 1, pattern: '.env.example' });
  });

  it('honours the global excludes file (core.excludesFile) and .git/info/exclude', async () => {
    const t = tempDir();
    track(t);
    const globalFile = join(t.dir, 'global-ignore');
    writeFileSync(globalFile, '.env\n.env.*\n');
    const r = repo();
    r.git(['config', 'core.excludesFile', globalFile]);
    r.write({ '.git/info/exclude': '*.env\n', 'README.md': 'hi\n' });
    r.commit('init');
    const result = await inspectRepository(r.dir);
    const local = result.probes.find((p) => p.path === '.env.local')!;
    expect(local.ignored).toBe(true);
    expect(local.match?.source).toBe(globalFile);
    // .git/info/exclude outranks the global file: its `*.env` decides for `.env` too.
    expect(result.probes.find((p) => p.path === '.env')!.match?.source).toBe('.git/info/exclude');
    expect(result.probes.find((p) => p.path === 'production.env')!.match?.source).toBe('.git/info/exclude');
    // `.env.*` in the global file also hides the templates; the root .gitignore outranks it, so --fix can.
    expect(brief(result.problems)).toEqual(['template-ignored .env.example +!.env.example +!.env.sample +!.env.template +!.env.dist +!.env.defaults']);
    expect(result.problems[0]!.paths).toEqual(['.env.example', '.env.sample', '.env.template', '.env.dist', '.env.defaults']);
  });
});

describe('credential files: tracked, ignored too late, in history, exposed', () => {
  it('finds each, reading content from the index, and names the commit that added it', async () => {
    const r = repo();
    r.write({
      '.env.production': dotenv('prod'),
      '.env.example': 'DATABASE_URL=\n',
      'config/.npmrc': npmrcWithToken(),
      '.npmrc': npmrcWithEnvReference(),
      'keys/deployer-0123456789ab.json': serviceAccountJson(),
      'package.json': '{"name": "x"}\n',
      'ca/root.pem': certificatePem(),
      'secrets/id_rsa': privateKeyPem(),
    });
    const first = r.commit('first');
    r.git(['rm', '-q', 'secrets/id_rsa']);
    r.write({ '.gitignore': `${GOOD_GITIGNORE}/ignored-dir/\n` });
    r.commit('ignore env files, drop the key');
    r.write({ 'old/.npmrc': npmrcWithToken('old') });
    const third = r.commit('add old npmrc');
    r.git(['rm', '-q', 'old/.npmrc']);
    r.commit('remove old npmrc');
    // The work tree copy no longer holds the token, the index still does: the index decides.
    r.write({ 'config/.npmrc': npmrcWithEnvReference(), 'terraform.tfstate': '{"version": 4}\n', 'ignored-dir/id_rsa': 'x\n' });

    const result = await inspectRepository(r.dir);
    expect(brief(result.problems)).toEqual([
      'credential-file-exposed terraform.tfstate +/terraform.tfstate',
      'credential-file-ignored-too-late .env.production',
      'credential-file-in-history old/.npmrc',
      'credential-file-in-history secrets/id_rsa',
      'credential-file-tracked config/.npmrc +/config/.npmrc',
      'credential-file-tracked keys/deployer-0123456789ab.json +/keys/deployer-0123456789ab.json',
    ]);
    const byPath = new Map(result.problems.map((p) => [p.path, p]));
    expect(byPath.get('.env.production')!.match).toEqual({ source: '.gitignore', line: 2, pattern: '.env.*' });
    expect(byPath.get('.env.production')!.addedIn?.sha).toBe(first);
    expect(byPath.get('.env.production')!.commands).toEqual(['git rm --cached -- .env.production']);
    expect(byPath.get('secrets/id_rsa')!.addedIn?.sha).toBe(first);
    expect(byPath.get('old/.npmrc')!.addedIn?.sha).toBe(third);
    expect(byPath.get('keys/deployer-0123456789ab.json')!.kind).toBe('service-account-key');
    expect(byPath.get('terraform.tfstate')!.severity).toBe('medium');
    expect(result.counts.commits).toBeGreaterThanOrEqual(3);
  });

  it('finds a credential file that only a merge added (in neither parent), attributed to the merge', async () => {
    const r = repo().write({ '.gitignore': GOOD_GITIGNORE, 'README.md': 'hi\n' });
    r.commit('init');
    r.git(['checkout', '-q', '-b', 'side']);
    r.write({ 'side.txt': 'side\n' });
    r.commit('side work');
    r.git(['checkout', '-q', 'main']);
    r.write({ 'main.txt': 'main\n' });
    r.commit('main work');
    r.git(['merge', '-q', '--no-commit', '--no-ff', 'side']);
    // The resolution adds a key file neither side had, then a later commit deletes it.
    r.write({ 'deploy/id_ed25519': privateKeyPem() });
    r.git(['add', '-f', 'deploy/id_ed25519']);
    const merge = r.commit('merge side');
    r.git(['rm', '-q', 'deploy/id_ed25519']);
    r.commit('drop the key');
    const result = await inspectRepository(r.dir);
    expect(brief(result.problems)).toEqual(['credential-file-in-history deploy/id_ed25519']);
    expect(result.problems[0]!.addedIn?.sha).toBe(merge);
    expect(result.problems[0]!.kind).toBe('ssh-private-key');
  });

  it('skips history with history: false', async () => {
    const r = repo().write({ '.gitignore': GOOD_GITIGNORE, 'id_rsa': 'x\n' });
    r.commit('one');
    r.git(['rm', '-q', 'id_rsa']);
    r.commit('two');
    expect(brief((await inspectRepository(r.dir)).problems)).toEqual(['credential-file-in-history id_rsa']);
    const without = await inspectRepository(r.dir, { history: false });
    expect(without.problems).toEqual([]);
    expect(without.checks).not.toContain('history');
  });

  it('works in a repository without commits', async () => {
    const r = repo().write({ '.env': dotenv() });
    const result = await inspectRepository(r.dir);
    expect(brief(result.problems)).toContain('credential-file-exposed .env +.env');
  });
});

describe('errors', () => {
  it('rejects a directory outside any work tree', () => {
    const t = tempDir();
    track(t);
    expect(() => workTreeRoot(t.dir)).toThrow(TargetError);
  });

  it('stops on an ignore file git cannot read (a symlink), instead of silently dropping its rules', async () => {
    const r = repo().write({ 'README.md': 'hi\n', 'sub/keep.txt': 'x\n' });
    r.commit('init');
    writeFileSync(join(r.dir, 'sub', 'ignore-rules'), '.env\n');
    symlinkSync('ignore-rules', join(r.dir, 'sub', '.gitignore'));
    await expect(inspectRepository(r.dir)).rejects.toThrow(/sub\/\.gitignore is a symbolic link/);
  });
});
