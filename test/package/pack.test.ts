import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fakeGithubToken } from '../helpers/secrets.js';

/**
 * `npm pack` → install into a fresh project → run there (scripts/check-pack.sh). Catches
 * a `files` list that forgets something needed at run time. Uses the npm registry for
 * keyscan's dependencies, as a user's install would.
 */
const SCRIPT = fileURLToPath(new URL('../../scripts/check-pack.sh', import.meta.url));

describe('the npm package', () => {
  it('packs, installs into a fresh project and runs there', () => {
    const res = spawnSync('bash', [SCRIPT], {
      encoding: 'utf8',
      env: { ...process.env, KEYSCAN_PACK_TOKEN: fakeGithubToken('pack-check') },
      timeout: 240_000,
    });
    expect(res.stderr + res.stdout).toContain('check-pack: ok');
    expect(res.status).toBe(0);
  }, 300_000);
});
