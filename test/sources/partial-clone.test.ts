import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefaultConfig } from '../../src/config/load.js';
import { scan } from '../../src/scan.js';
import { GitHistorySource } from '../../src/sources/git-history.js';
import { promisorRemote } from '../../src/sources/partial-clone.js';
import { cleanupAfterEach, gitEnv, tempDir } from '../helpers/repo.js';
import { fakeGithubToken, fakeStripeKey } from '../helpers/secrets.js';

const { repo, track } = cleanupAfterEach();

const git = (cwd: string, args: string[]) => {
  const res = spawnSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`git ${args.join(' ')}: ${res.stderr}`);
  return res.stdout;
};

const packs = (dir: string) => readdirSync(join(dir, '.git', 'objects', 'pack')).filter((f) => f.endsWith('.pack')).length;

async function history(dir: string) {
  const result = await scan(new GitHistorySource({ repoPath: dir, readers: 2, blockCommits: 4 }), loadDefaultConfig());
  return { notes: result.stats.notes, found: result.findings.map((f) => `${f.commit.slice(0, 12)}:${f.file}:${f.startLine}:${f.ruleId}`).sort() };
}

describe('history scan of a partial clone (--filter=blob:none)', () => {
  it('fetches every missing file version in one request, then finds what a full clone finds', async () => {
    const origin = repo();
    git(origin.dir, ['config', 'uploadpack.allowFilter', 'true']);
    origin.write({ 'README.md': '# app\n' }).commit('base');
    for (let i = 0; i < 24; i++) {
      const files: Record<string, string> = { [`src/m${i % 5}.js`]: `export const v = ${i};\n`.repeat(i + 1) };
      if (i === 6) files['config/old.env'] = `GITHUB_TOKEN=${fakeGithubToken('partial')}\n`;
      if (i === 17) files['pay.js'] = `const key = "${fakeStripeKey('partial')}";\n`;
      origin.write(files).commit(`change ${i}`);
      if (i === 9) {
        git(origin.dir, ['rm', '-q', 'config/old.env']);
        origin.commit('drop the env file');
      }
    }
    const expected = await history(origin.dir);
    expect(expected.found).toHaveLength(2);

    const clone = track(tempDir()).dir;
    git(clone, ['clone', '-q', '--filter=blob:none', '--no-checkout', `file://${origin.dir}`, '.']);
    expect(promisorRemote(clone, join(clone, '.git'))).toBe('origin');
    const before = packs(clone);

    const first = await history(clone);
    expect(first.found).toEqual(expected.found);
    expect(first.notes).toContainEqual(expect.stringMatching(/^partial clone: fetched the \d+ objects it lacked from origin in one request/));
    // One pack more: git's own fetches on demand made one per commit that needed file contents.
    expect(packs(clone) - before).toBe(1);

    const again = await history(clone);
    expect(again.found).toEqual(expected.found);
    expect(again.notes).toContain('partial clone: every object the scan reads is already here');
    expect(packs(clone) - before).toBe(1);
  });

  it('an ordinary clone has no promisor remote and gets no note', async () => {
    const r = repo();
    r.write({ 'a.txt': 'a\n' }).commit('one');
    expect(promisorRemote(r.dir, join(r.dir, '.git'))).toBeUndefined();
    expect((await history(r.dir)).notes.filter((n) => n.startsWith('partial clone'))).toEqual([]);
  });
});
