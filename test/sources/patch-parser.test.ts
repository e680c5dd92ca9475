import { describe, expect, it } from 'vitest';
import type { Fragment } from '../../src/sources/fragment.js';
import { FLUSH_LINE, PatchParser } from '../../src/sources/patch-parser.js';
import { emptyStats } from '../../src/sources/source.js';

const header = (sha: string, message = 'msg') => `\u001eKS\u001f${sha}\u001fAda\u001fada@example.com\u001f2024-01-01T00:00:00+00:00\u001f1704067200\u001f1704067200\u001f${message}\n\u001eKE\n\n`;

/** Parse a patch, fed in chunks of `chunk` bytes to exercise lines cut across chunks. */
function parse(text: string, options: { chunk?: number; maxBytes?: number } = {}) {
  const out: Fragment[] = [];
  const stats = emptyStats();
  let order = 0;
  const parser = new PatchParser({ emit: (f) => out.push(f), stats, maxBytes: options.maxBytes ?? 1 << 20, nextOrder: () => order++ });
  const buf = Buffer.from(text, 'utf8');
  const step = options.chunk ?? buf.length;
  for (let i = 0; i < buf.length; i += step) parser.push(buf.subarray(i, i + step));
  parser.end();
  return { out, stats, view: out.map((f) => ({ file: f.filePath, start: f.startLine, raw: f.raw, added: [...(f.addedLines ?? [])], sha: f.commit?.sha })) };
}

describe('PatchParser', () => {
  const patch = [
    header('c1', 'subject\n\nbody'),
    'diff --git a/a.txt b/a.txt',
    'index 1..2 100644',
    '--- a/a.txt',
    '+++ b/a.txt',
    '@@ -1,2 +1,3 @@',
    ' key:',
    '-  old',
    '+  new value',
    '++ starts with plus',
    '@@ -9 +10,0 @@',
    '-gone',
    'diff --git a/with space.txt b/with space.txt',
    'new file mode 100644',
    '--- /dev/null',
    '+++ b/with space.txt\t',
    '@@ -0,0 +1 @@',
    '+é',
    '\\ No newline at end of file',
    'diff --git "a/t\\tab" "b/t\\tab"',
    '--- /dev/null',
    '+++ "b/\\303\\251\\nx"',
    '@@ -0,0 +1 @@',
    '+q',
    header('c2', 'merge'),
    'diff --cc m.txt',
    'index 1,2..3',
    '--- a/m.txt',
    '+++ b/m.txt',
    '@@@ -1,2 -1,2 +1,3 @@@',
    '  same',
    '- from one',
    ' -from two',
    '++resolved',
    ' +kept from one side',
    'diff --git a/bin b/bin',
    'Binary files a/bin and b/bin differ',
    'diff --git a/sub b/sub',
    'index 1..2 160000',
    '--- a/sub',
    '+++ b/sub',
    '@@ -1 +1 @@',
    '-Subproject commit 1',
    '+Subproject commit 2',
    'diff --git a/del b/del',
    'deleted file mode 100644',
    '--- a/del',
    '+++ /dev/null',
    '@@ -1 +0,0 @@',
    '-x',
    '',
  ].join('\n');

  it('yields the new side of each hunk, added lines marked, whatever the chunking', () => {
    const whole = parse(patch);
    expect(whole.view).toEqual([
      { file: 'a.txt', start: 1, raw: 'key:\n  new value\n+ starts with plus', added: [2, 3], sha: 'c1' },
      { file: 'with space.txt', start: 1, raw: 'é', added: [1], sha: 'c1' },
      { file: 'é\nx', start: 1, raw: 'q', added: [1], sha: 'c1' },
      { file: 'm.txt', start: 1, raw: 'same\nresolved\nkept from one side', added: [2], sha: 'c2' },
    ]);
    for (const chunk of [1, 3, 7, 64]) expect(parse(patch, { chunk }).view).toEqual(whole.view);
    expect(whole.out[0]!.commit).toMatchObject({ author: 'Ada', email: 'ada@example.com', message: 'subject\n\nbody', authorTime: 1704067200, order: 0 });
    expect(whole.out[3]!.commit?.order).toBe(1);
    expect(whole.stats).toMatchObject({ commits: 2, files: 4, skippedBinary: 1, lines: 5 });
  });

  it('skips the echoed FLUSH_LINE wherever a block ends: after a hunk, a file header or a commit', () => {
    // diff-tree echoes it after the last commit of a block, so it follows whatever that commit printed last.
    const lines = patch.split('\n');
    const at = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix));
    const cuts = [at('diff --git a/with space'), at('+++ b/with space'), lines.indexOf('\u001eKE') + 2, lines.length - 1];
    for (const cut of cuts) {
      const marked = [...lines.slice(0, cut), FLUSH_LINE, ...lines.slice(cut)].join('\n');
      expect(parse(marked).view, `marker at line ${cut}`).toEqual(parse(patch).view);
    }
  });

  it('drops a file whose new content exceeds the limit, and a line longer than it, without keeping it', () => {
    const big = 'x'.repeat(5000);
    const text = [header('c1'), 'diff --git a/big b/big', '--- a/big', '+++ b/big', '@@ -0,0 +1,2 @@', `+${big}`, `+${big}`,
      'diff --git a/long b/long', '--- a/long', '+++ b/long', '@@ -0,0 +1 @@', `+${big}${big}`,
      'diff --git a/ok b/ok', '--- a/ok', '+++ b/ok', '@@ -0,0 +1 @@', '+fine', ''].join('\n');
    const res = parse(text, { maxBytes: 6000, chunk: 1024 });
    expect(res.view.map((v) => v.file)).toEqual(['ok']);
    expect(res.stats.skippedLarge).toBe(2);
  });
});
