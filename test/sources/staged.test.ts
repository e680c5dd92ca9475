import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefaultConfig } from '../../src/config/load.js';
import { scan } from '../../src/scan.js';
import { DiffParser, diffArgs, sameNamePath, StagedSource } from '../../src/sources/staged.js';
import { gitEnv, TestRepo, cleanupAfterEach, tempDir } from '../helpers/repo.js';
import { fakeGithubToken } from '../helpers/secrets.js';

const { repo, track } = cleanupAfterEach();

async function staged(r: TestRepo, paths?: string[], cwd = r.dir, maxBytes = 10 * 1024 * 1024, env: Record<string, string> = {}) {
  // Git's environment for the test repo, as a hook would see it.
  const saved = { ...process.env };
  Object.assign(process.env, gitEnv(env));
  try {
    const source = new StagedSource({ cwd, paths, maxBytes });
    const result = await scan(source, loadDefaultConfig());
    return { ...result, source, found: result.findings.map((f) => `${f.file}:${f.startLine}`) };
  } finally {
    process.env = saved;
  }
}

const token = (seed: string) => fakeGithubToken(seed);

describe('StagedSource: what the next commit contains', () => {
  it('before the first commit: scans every staged file', async () => {
    const r = repo().write({ 'a.txt': 'hello\n', 'config/app.env': `A=1\nGITHUB_TOKEN=${token('first')}\n` });
    r.git(['add', '-A']);
    const res = await staged(r);
    expect(res.found).toEqual(['config/app.env:2']);
    expect(res.stats.files).toBe(2);
    expect(res.stats.lines).toBe(3);
  });

  it('nothing staged: no files, no findings', async () => {
    const r = repo().write({ 'a.txt': 'x\n' });
    r.commit('init');
    r.write({ 'a.txt': `x\n${token('unstaged')}\n` }); // changed, not staged
    const res = await staged(r);
    expect(res.source.stagedFiles).toBe(0);
    expect(res.findings).toEqual([]);
  });

  it('reports only added lines, with the new file\'s line numbers; a secret already committed is not re-reported', async () => {
    const r = repo().write({ 'app.js': `const old = "${token('old')}";\n${'x\n'.repeat(10)}` });
    r.commit('init');
    r.write({ 'app.js': `// header\nconst old = "${token('old')}";\n${'x\n'.repeat(5)}const t = "${token('new')}";\n${'x\n'.repeat(5)}` });
    r.git(['add', 'app.js']);
    const res = await staged(r);
    expect(res.found).toEqual(['app.js:8']);
    expect(res.stats.lines).toBe(2);
  });

  it('partial staging, one way: a secret only in the working tree does not count', async () => {
    const r = repo().write({ 'a.txt': 'one\n' });
    r.commit('init');
    r.write({ 'a.txt': 'one\ntwo\n' });
    r.git(['add', 'a.txt']);
    r.write({ 'a.txt': `one\ntwo\n${token('worktree-only')}\n` });
    const res = await staged(r);
    expect(res.findings).toEqual([]);
    expect(res.stats.lines).toBe(1);
  });

  it('partial staging, other way: a secret staged then removed from the working tree still counts', async () => {
    const r = repo().write({ 'a.txt': 'one\n' });
    r.commit('init');
    r.write({ 'a.txt': `one\n${token('index-only')}\n` });
    r.git(['add', 'a.txt']);
    r.write({ 'a.txt': 'one\n' });
    const res = await staged(r);
    expect(res.found).toEqual(['a.txt:2']);
  });

  it('git add -p: only the hunk that was staged is scanned', async () => {
    const body = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const r = repo().write({ 'f.txt': `${body.join('\n')}\n` });
    r.commit('init');
    const edited = [...body];
    edited[1] = `top = "${token('hunk-one')}"`;
    edited[27] = `bottom = "${token('hunk-two')}"`;
    r.write({ 'f.txt': `${edited.join('\n')}\n` });
    // Stage the first hunk only; leave the second in the working tree.
    const add = spawnSync('git', ['add', '-p', 'f.txt'], { cwd: r.dir, env: gitEnv(), input: 'y\nn\n', encoding: 'utf8' });
    expect(add.status).toBe(0);
    const res = await staged(r);
    expect(res.found).toEqual(['f.txt:2']);
    // And the other way round.
    r.git(['reset', '-q']);
    spawnSync('git', ['add', '-p', 'f.txt'], { cwd: r.dir, env: gitEnv(), input: 'n\ny\n', encoding: 'utf8' });
    expect((await staged(r)).found).toEqual(['f.txt:28']);
  });

  it('renames: a moved file is not re-reported, a line added while moving it is, at the new path', async () => {
    const r = repo().write({ 'old/name.txt': `a\n${token('moved')}\nb\nc\nd\ne\n` });
    r.commit('init');
    r.git(['mv', 'old/name.txt', 'new name.txt']);
    let res = await staged(r);
    expect(res.findings).toEqual([]);
    expect(res.source.stagedFiles).toBe(1);
    r.write({ 'new name.txt': `a\n${token('moved')}\nb\nc\nd\ne\n${token('added-on-move')}\n` });
    r.git(['add', '-A']);
    res = await staged(r);
    expect(res.found).toEqual(['new name.txt:7']);
  });

  it('deletions are not scanned', async () => {
    const r = repo().write({ 'gone.env': `T=${token('deleted')}\n`, 'keep.txt': 'k\n' });
    r.commit('init');
    r.git(['rm', '-q', 'gone.env']);
    const res = await staged(r);
    expect(res.findings).toEqual([]);
    expect(res.source.stagedFiles).toBe(1);
    expect(res.stats.files).toBe(0);
  });

  it('a deletion costs git its header only, and still counts as staged, whatever its name', async () => {
    const r = repo().write({ 'old data.txt': 'ordinary line\n'.repeat(5000), 'tab\tname.txt': 'x\n', 'ünï.txt': 'y\n', 'keep.txt': 'k\n' });
    r.commit('init');
    r.git(['rm', '-q', 'old data.txt', 'tab\tname.txt', 'ünï.txt']);
    // --irreversible-delete: none of the 5,000 removed lines is printed.
    const out = spawnSync('git', diffArgs(undefined, undefined), { cwd: r.dir, env: gitEnv(), encoding: 'utf8' }).stdout;
    expect(out).toContain('deleted file mode');
    expect(out).not.toContain('ordinary line');
    const res = await staged(r);
    expect(res.source.stagedFiles).toBe(3);
    expect(res.stats.files).toBe(0);
  });

  it('sameNamePath reads a deletion\'s name from its diff --git line', () => {
    expect(sameNamePath('a/x.txt b/x.txt')).toBe('x.txt');
    expect(sameNamePath('a/dir/with space b/c.txt b/dir/with space b/c.txt')).toBe('dir/with space b/c.txt');
    expect(sameNamePath('"a/tab\\tq.txt" "b/tab\\tq.txt"')).toBe('tab\tq.txt');
    // Two different names (a rename or a copy) give none: their ---/+++ lines do.
    expect(sameNamePath('a/x.txt b/y.txt')).toBe('');
    expect(sameNamePath('a/x b/xy')).toBe('');
  });

  it('binary files are skipped and counted', async () => {
    const r = repo().write({ 'img.bin': Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`x${token('binary')}x`)]) });
    r.git(['add', '-A']);
    const res = await staged(r);
    expect(res.findings).toEqual([]);
    expect(res.stats.skippedBinary).toBe(1);
  });

  it('submodules are skipped', async () => {
    const sub = repo().write({ 'inner.txt': `T=${token('inner')}\n` });
    sub.commit('inner');
    const r = repo().write({ 'a.txt': 'a\n' });
    r.commit('init');
    r.git(['-c', 'protocol.file.allow=always', 'submodule', '-q', 'add', sub.dir, 'vendor/sub']);
    const res = await staged(r);
    expect(res.findings).toEqual([]);
    expect(res.source.stagedFiles).toBe(2); // .gitmodules and the gitlink
    expect(res.stats.files).toBe(1); // .gitmodules only
  });

  it('odd file names: spaces, unicode, a newline, quotes', async () => {
    const names = ['dir with space/file name.env', 'unicodé/ñandú ☃.txt', 'new\nline.env', 'quote"d\ttab.txt', '-dash.txt'];
    const r = repo();
    names.forEach((n, i) => r.write({ [n]: `ok\nT=${token(`odd-${i}`)}\n` }));
    r.git(['add', '-A']);
    const res = await staged(r);
    expect(res.found.sort()).toEqual(names.map((n) => `${n}:2`).sort());
  });

  it('only the named files, given relative to a subdirectory or absolute', async () => {
    const r = repo().write({ 'src/a.env': `T=${token('a')}\n`, 'src/b.env': `T=${token('b')}\n`, 'c*.env': `T=${token('c')}\n`, 'cx.env': `T=${token('cx')}\n` });
    r.git(['add', '-A']);
    expect((await staged(r, ['a.env'], join(r.dir, 'src'))).found).toEqual(['src/a.env:1']);
    expect((await staged(r, [join(r.dir, 'src/b.env')])).found).toEqual(['src/b.env:1']);
    // Names are literal, not patterns.
    expect((await staged(r, ['c*.env'])).found).toEqual(['c*.env:1']);
    // A named file that is not staged: nothing to scan.
    r.commit('all');
    expect((await staged(r, ['src/a.env'])).source.stagedFiles).toBe(0);
  });

  it('a key name on an unchanged line still lets a rule match the changed line below it', async () => {
    // The detector sees the whole staged file, so multi-line context is there; only the added line is reported.
    const r = repo().write({ 'c.yml': 'github:\n  token: placeholder\n' });
    r.commit('init');
    r.write({ 'c.yml': `github:\n  token: ${token('ctx')}\n` });
    r.git(['add', '-A']);
    expect((await staged(r)).found).toEqual(['c.yml:2']);
  });

  it('during a merge: the conflict resolution is scanned, the other branch\'s committed content is not', async () => {
    const r = repo().write({ 'conflict.txt': 'base\n', 'other.txt': 'o\n' });
    r.commit('base');
    r.git(['checkout', '-q', '-b', 'feature']);
    // Already committed on the feature branch (a history scan attributes it there).
    r.write({ 'conflict.txt': 'feature\n', 'other.txt': `o\n${token('from-feature')}\n` });
    r.commit('feature');
    r.git(['checkout', '-q', 'main']);
    r.write({ 'conflict.txt': 'main\n' });
    r.commit('main');
    const merge = spawnSync('git', ['merge', 'feature'], { cwd: r.dir, env: gitEnv(), encoding: 'utf8' });
    expect(merge.status).not.toBe(0);
    // A clean resolution: nothing new against both parents.
    r.write({ 'conflict.txt': 'main\nfeature\n' });
    r.git(['add', 'conflict.txt']);
    let res = await staged(r);
    expect(res.findings).toEqual([]);
    expect(res.stats.notes.join()).toContain('merge in progress');
    // A resolution that introduces a secret.
    r.write({ 'conflict.txt': `main\nresolved = "${token('resolution')}"\n` });
    r.git(['add', 'conflict.txt']);
    res = await staged(r);
    expect(res.found).toEqual(['conflict.txt:2']);
  });

  it('during a merge in a linked worktree: its own merge state, whether git names the git dir (as for hooks) or not', async () => {
    const r = repo().write({ 'conflict.txt': 'base\n' });
    r.commit('base');
    r.git(['branch', 'feature']);
    r.write({ 'conflict.txt': 'main\n' });
    r.commit('main');
    const wt = join(track(tempDir()).dir, 'wt');
    r.git(['worktree', 'add', '-q', wt, 'feature']);
    const inWt = (args: string[]) => spawnSync('git', args, { cwd: wt, env: gitEnv(), encoding: 'utf8' });
    writeFileSync(join(wt, 'conflict.txt'), `feature\nold = "${token('feature-side')}"\n`);
    expect(inWt(['commit', '-qam', 'feature']).status).toBe(0);
    expect(inWt(['merge', 'main']).status).not.toBe(0);
    writeFileSync(join(wt, 'conflict.txt'), `main\nold = "${token('feature-side')}"\nnew = "${token('wt-resolution')}"\n`);
    expect(inWt(['add', 'conflict.txt']).status).toBe(0);
    // Run from the worktree's top: found from its gitfile; with GIT_DIR: found by git.
    const gitDir = inWt(['rev-parse', '--absolute-git-dir']).stdout.trim();
    for (const env of [{}, { GIT_DIR: gitDir }] as Record<string, string>[]) {
      const res = await staged(r, undefined, wt, undefined, env);
      expect(res.found).toEqual(['conflict.txt:3']);
      expect(res.stats.notes.join()).toContain('merge in progress');
    }
    // The main work tree has no merge in progress.
    expect((await staged(r)).stats.notes).toEqual([]);
  });

  it('reads the index, not the file on disk, for every scanned file', async () => {
    const r = repo().write({ 'a.txt': `T=${token('disk')}\n` });
    r.git(['add', '-A']);
    rmSync(join(r.dir, 'a.txt'));
    writeFileSync(join(r.dir, 'b.txt'), 'unrelated\n');
    expect((await staged(r)).found).toEqual(['a.txt:1']);
  });

  it('a file git treats as binary by attribute (-diff) is still scanned; real binary content is not', async () => {
    const r = repo().write({ '.gitattributes': '*.lock -diff\n', 'deps.lock': `a\nT=${token('attr')}\n` });
    r.git(['add', '-A']);
    expect((await staged(r)).found).toEqual(['deps.lock:2']);
  });

  it('counts lines on \\n only, as git does (a lone CR does not start a line)', async () => {
    const r = repo().write({ 'mac.txt': `a\rb\nT=${token('cr')}\r\n` });
    r.git(['add', '-A']);
    expect((await staged(r)).found).toEqual(['mac.txt:2']);
  });

  it('parses git\'s output the same however the pipe cuts it: multi-byte characters, CR LF and headers across chunk ends', () => {
    const unicode = Array.from({ length: 40 }, (_, i) => `línea ${i} ☃ 😀 ${'ü'.repeat(i % 7)}`).join('\n');
    const r = repo().write({ 'u.txt': 'old\n', 'crlf.txt': 'a\r\nb\r\n', 'gone.txt': 'bye\n', 'moved.txt': 'same\n'.repeat(20) });
    r.commit('init');
    r.write({ 'u.txt': `${unicode}\n`, 'crlf.txt': 'a\r\nb\r\nc\r\n', 'no-eol.txt': 'last line', 'img.bin': Buffer.from([0, 1, 2, 3]) });
    rmSync(join(r.dir, 'gone.txt'));
    r.git(['mv', 'moved.txt', 'renamed.txt']);
    r.git(['add', '-A']);
    const out = spawnSync('git', diffArgs(undefined, undefined), { cwd: r.dir, env: gitEnv() }).stdout;
    const parse = (size: number) => {
      const parser = new DiffParser(true, 1024 * 1024);
      const files = [];
      for (let at = 0; at < out.length; at += size) files.push(...parser.push(out.subarray(at, at + size)));
      return [...files, ...parser.end()];
    };
    const whole = parse(out.length);
    expect(whole.map((f) => f.path).sort()).toEqual(['crlf.txt', 'gone.txt', 'img.bin', 'no-eol.txt', 'renamed.txt', 'u.txt']);
    const u = whole.find((f) => f.path === 'u.txt')!;
    expect(u.lines!.join('\n')).toBe(unicode);
    expect(u.bytes).toBe(Buffer.byteLength(`${unicode}\n`) + 40); // the file, and a "+" before each of its 40 lines
    expect(whole.find((f) => f.path === 'crlf.txt')!.lines).toEqual(['a\r', 'b\r', 'c\r']);
    expect(whole.find((f) => f.path === 'no-eol.txt')!.lines).toEqual(['last line']);
    for (const size of [1, 2, 3, 5, 64, 4096]) expect(parse(size)).toEqual(whole);
  });

  it('skips a staged file over the size limit, and says so', async () => {
    const r = repo().write({ 'big.txt': `${'x'.repeat(2000)}\nT=${token('big')}\n`, 'small.txt': 'ok\n' });
    r.git(['add', '-A']);
    const res = await staged(r, undefined, r.dir, 1000);
    expect(res.findings).toEqual([]);
    expect(res.stats.skippedLarge).toBe(1);
    expect(res.stats.files).toBe(1);
  });
});
