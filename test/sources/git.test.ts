import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { plainWorkTree } from '../../src/sources/git.js';
import { cleanupAfterEach, git, tempDir } from '../helpers/repo.js';

const { repo, track } = cleanupAfterEach();

/** Git's own answer, the oracle: the work tree's top and the directory MERGE_HEAD lives in. */
function gitSays(cwd: string, env: Record<string, string> = {}): { top: string; gitDir: string } {
  const [top = '', mergeHead = ''] = git(cwd, ['rev-parse', '--show-toplevel', '--git-path', 'MERGE_HEAD'], env).trim().split('\n');
  return { top, gitDir: dirname(resolve(cwd, mergeHead)) };
}

describe('plainWorkTree: the work tree read from .git where git runs hooks, or undefined', () => {
  it('at the top of a repository, before and after the first commit: what git says', () => {
    const r = repo();
    expect(plainWorkTree(r.dir, {})).toEqual(gitSays(r.dir));
    r.write({ 'a.txt': 'a\n' }).commit('init');
    expect(plainWorkTree(r.dir, {})).toEqual({ top: r.dir, gitDir: join(r.dir, '.git') });
  });

  it('at the top of a linked worktree (a gitfile): its own git dir, where its MERGE_HEAD lives', () => {
    const r = repo().write({ 'a.txt': 'a\n' });
    r.commit('init');
    const wt = join(track(tempDir()).dir, 'wt');
    r.git(['worktree', 'add', '-q', wt]);
    const found = plainWorkTree(wt, {});
    expect(found).toEqual(gitSays(wt));
    expect(found!.gitDir).toContain(join('.git', 'worktrees'));
  });

  it('asks git everywhere else', () => {
    const r = repo().write({ 'src/a.txt': 'a\n' });
    r.commit('init');
    // A subdirectory: git looks upwards; so does rev-parse.
    expect(plainWorkTree(join(r.dir, 'src'), {})).toBeUndefined();
    // GIT_DIR or GIT_WORK_TREE (git sets GIT_DIR for a linked worktree's hooks).
    expect(plainWorkTree(r.dir, { GIT_DIR: join(r.dir, '.git') })).toBeUndefined();
    expect(plainWorkTree(r.dir, { GIT_WORK_TREE: r.dir })).toBeUndefined();
    // Not a repository, or an empty `.git` directory that git would not take for one.
    const plain = track(tempDir()).dir;
    expect(plainWorkTree(plain, {})).toBeUndefined();
    mkdirSync(join(plain, '.git'));
    expect(plainWorkTree(plain, {})).toBeUndefined();
    // A gitfile pointing nowhere, or through a file.
    const odd = track(tempDir()).dir;
    writeFileSync(join(odd, '.git'), `gitdir: ${join(odd, 'missing')}\n`);
    expect(plainWorkTree(odd, {})).toBeUndefined();
    writeFileSync(join(odd, 'file'), 'x');
    writeFileSync(join(odd, '.git'), `gitdir: ${join(odd, 'file', 'sub')}\n`);
    expect(plainWorkTree(odd, {})).toBeUndefined();
    // core.worktree moves the work tree; submodules set it.
    const sub = repo().write({ 'inner.txt': 'i\n' });
    sub.commit('inner');
    r.git(['-c', 'protocol.file.allow=always', 'submodule', '-q', 'add', sub.dir, 'vendor/sub']);
    expect(plainWorkTree(join(r.dir, 'vendor/sub'), {})).toBeUndefined();
    expect(gitSays(join(r.dir, 'vendor/sub')).top).toBe(join(r.dir, 'vendor/sub'));
    // core.bare = true.
    r.git(['config', 'core.bare', 'true']);
    expect(plainWorkTree(r.dir, {})).toBeUndefined();
  });
});
