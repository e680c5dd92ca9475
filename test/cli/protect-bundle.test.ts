import { describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupAfterEach, tempDir } from '../helpers/repo.js';
import { fakeGithubToken } from '../helpers/secrets.js';
// The build script's own function, so the check below rebuilds exactly what the build made.
import { buildBundle } from '../../scripts/bundle-protect.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE = join(ROOT, 'dist', 'bundle', 'protect.js');
const { repo, track } = cleanupAfterEach();

/**
 * `keyscan protect` runs from one file, dist/bundle/protect.js (scripts/bundle-protect.js):
 * the pre-commit hook's start-up. The other e2e tests of protect go through it too (the
 * bin picks it for that command); these check that it is current and self-contained.
 */
describe('the pre-commit bundle', () => {
  it('is what the bundler makes of dist/ now (a build that skipped it would leave the hook running old code)', async () => {
    const fresh = await buildBundle();
    expect(fresh.text).toBe(readFileSync(BUNDLE, 'utf8'));
    // ASCII only: a single wider character makes V8 hold and scan the whole file as two-byte text.
    expect(fresh.text).not.toMatch(/[^\x00-\x7f]/);
    // It holds the hook's path and none of the other commands.
    const inputs = Object.keys(fresh.metafile.inputs);
    expect(inputs).toContain('dist/cli/commands/protect.js');
    expect(inputs).toContain('dist/detect/detector.js');
    expect(inputs.filter((f) => /cli\/commands\/(?!protect|index)/.test(f))).toEqual([]);
  });

  it('blocks a staged secret and passes a clean commit with no other module of dist/ present', () => {
    // A copy of the package holding the bin, the bundle and the data it reads; nothing else of dist/.
    const pkg = track(tempDir()).dir;
    for (const f of ['bin', 'rules', 'package.json']) cpSync(join(ROOT, f), join(pkg, f), { recursive: true });
    mkdirSync(join(pkg, 'dist', 'bundle'), { recursive: true });
    cpSync(BUNDLE, join(pkg, 'dist', 'bundle', 'protect.js'));
    cpSync(join(ROOT, 'dist', 'default-rules.json'), join(pkg, 'dist', 'default-rules.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
    const keyscan = (cwd: string) => spawnSync(process.execPath, [join(pkg, 'bin', 'keyscan.js'), 'protect', '--staged'], {
      cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    });

    const r = repo().write({ 'README.md': 'x\n' });
    r.commit('init');
    r.write({ 'src/settings.py': `GITHUB_TOKEN = "${fakeGithubToken('bundle')}"\n` });
    r.git(['add', '-A']);
    const blocked = keyscan(r.dir);
    expect(blocked.stderr).toBe('');
    expect(blocked.status).toBe(1);
    expect(blocked.stdout).toContain('src/settings.py:1  github-pat');
    r.write({ 'src/settings.py': 'GITHUB_TOKEN = os.environ["GITHUB_TOKEN"]\n' });
    r.git(['add', '-A']);
    const clean = keyscan(r.dir);
    expect(clean).toMatchObject({ status: 0, stderr: '' });
    expect(clean.stdout).toMatch(/^keyscan: 1 staged file, 1 added line scanned, no secrets found\n$/);
    // The default rules came precompiled, not read from the TOML (which would need dist/config).
    expect(blocked.stdout + clean.stdout).not.toMatch(/toml/i);
  });
});
