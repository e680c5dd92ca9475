import { afterAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import type { Config } from '../../src/config/rule.js';
import { FileSource } from '../../src/sources/files.js';
import { emptyStats } from '../../src/sources/source.js';
import { scan } from '../../src/scan.js';
import { SeededRandom } from '../helpers/random.js';
import { git, tempDir, writeFiles } from '../helpers/repo.js';

/** A rule of our own, so these tests do not depend on the default rule set. */
function testConfig(): Config {
  const cf = parseConfigText(`
[[rules]]
id = "chunk-token"
description = "test token"
regex = '''\\b(ctk_[A-Za-z0-9]{32})\\b'''
secretGroup = 1
keywords = ["ctk_"]
`, 'test.toml');
  return { rules: cf.rules, allowlists: [], sources: ['test.toml'], disabledRules: [] };
}

function token(seed: string): string {
  return `ctk_${new SeededRandom(seed).pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 32)}`;
}

/** Line and column (1-based) of `needle` in `text`, computed independently of keyscan. */
function position(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, column: at - (before.lastIndexOf('\n') + 1) + 1 };
}

describe('FileSource: large files in chunks', () => {
  const t = tempDir();
  afterAll(t.cleanup);
  const CHUNK = 256;
  const OVERLAP = 96;

  it('finds a secret whose line straddles a chunk edge once, on the right line', async () => {
    for (const shift of [-30, -10, -1, 0, 1, 7, 20]) {
      const secret = token(`edge${shift}`);
      const filler = Array.from({ length: 40 }, (_, i) => `line ${String(i).padStart(3, '0')} of filler text`).join('\n');
      // Put the secret so that it starts `shift` bytes before the first chunk edge.
      let head = filler.slice(0, CHUNK - shift - 'key = '.length);
      head = head.replace(/\n[^\n]*$/, '\n') + 'x'.repeat(Math.max(0, CHUNK - shift - 'key = '.length - head.replace(/\n[^\n]*$/, '\n').length));
      const text = `${head}key = ${secret}\n${filler}\n`;
      writeFiles(t.dir, { 'big.txt': text });
      const source = new FileSource({ root: `${t.dir}/big.txt`, maxBytes: 1 << 20, chunkBytes: CHUNK, overlapBytes: OVERLAP });
      const { findings, stats } = await scan(source, testConfig());
      expect(findings.map((f) => f.secret), `shift ${shift}`).toEqual([secret]);
      const want = position(text, secret);
      expect(findings[0]).toMatchObject({ startLine: want.line, startColumn: want.column });
      expect(stats.files).toBe(1);
      expect(stats.lines).toBe(text.split('\n').length - 1);
    }
  });

  it('finds a secret cut by a chunk edge inside one long (minified) line, with the right column', async () => {
    for (const shift of [5, 20, 35]) {
      const secret = token(`minified${shift}`);
      const before = 'a=1;'.repeat(Math.ceil(CHUNK * 2 / 4)).slice(0, CHUNK * 2 - shift);
      const text = `first line\n${before};${secret};${'b=2;'.repeat(200)}\nlast line ${token('other')}\n`;
      writeFiles(t.dir, { 'min.js': text });
      const source = new FileSource({ root: `${t.dir}/min.js`, maxBytes: 1 << 20, chunkBytes: CHUNK, overlapBytes: OVERLAP });
      const { findings } = await scan(source, testConfig());
      expect(findings.map((f) => f.secret), `shift ${shift}`).toEqual([secret, token('other')]);
      const want = position(text, secret);
      expect(findings[0]).toMatchObject({ startLine: want.line, startColumn: want.column, endColumn: want.column + secret.length - 1 });
      expect(findings[1]).toMatchObject({ startLine: 3, startColumn: 11 });
    }
  });

  it('a UTF-8 byte-order mark does not shift columns, whole or in chunks', async () => {
    const secret = token('bom');
    const text = `key = ${secret}\n${'filler line\n'.repeat(100)}`;
    writeFiles(t.dir, { 'bom.txt': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]) });
    for (const chunkBytes of [CHUNK, 1 << 20]) {
      const source = new FileSource({ root: `${t.dir}/bom.txt`, maxBytes: 1 << 20, chunkBytes, overlapBytes: OVERLAP });
      const { findings } = await scan(source, testConfig());
      expect(findings).toHaveLength(1);
      expect(findings[0]).toMatchObject({ startLine: 1, startColumn: 7 });
    }
  });

  it('passes ASCII pieces with their bytes, and pieces of a large file stay below V8\'s large-object size', async () => {
    const secret = token('pieces');
    const line = 'const value = compute(input, options); // ascii filler\n';
    const ascii = `${line.repeat(20_000)}key = ${secret}\n${line.repeat(100)}`;
    const accented = ascii.replaceAll('ascii filler', 'filler é');
    writeFiles(t.dir, { 'ascii.js': ascii, 'accented.js': accented });
    for (const [name, text, withBytes] of [['ascii.js', ascii, true], ['accented.js', accented, false]] as const) {
      const source = new FileSource({ root: `${t.dir}/${name}`, maxBytes: 10 << 20 });
      const pieces: { length: number; bytes: boolean }[] = [];
      let own = '';
      for await (const f of source.fragments(emptyStats())) {
        pieces.push({ length: f.raw.length, bytes: f.bytes !== undefined });
        if (f.bytes) expect(Buffer.from(f.bytes).toString('latin1')).toBe(f.raw);
        own += f.raw.slice(0, f.ownEnd ?? f.raw.length);
      }
      expect(own).toBe(text);
      expect(pieces.length).toBeGreaterThan(8);
      expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(128 * 1024);
      // Every line of the accented file has an é: none of its pieces is one byte per character.
      expect(pieces.every((p) => p.bytes === withBytes)).toBe(true);
      const { findings } = await scan(new FileSource({ root: `${t.dir}/${name}`, maxBytes: 10 << 20 }), testConfig());
      expect(findings.map((f) => [f.secret, f.startLine])).toEqual([[secret, 20_001]]);
    }
  });

  it('counts every line once across chunks', async () => {
    const text = Array.from({ length: 500 }, (_, i) => `row ${i}`).join('\n');
    writeFiles(t.dir, { 'rows.txt': text });
    const stats = emptyStats();
    const source = new FileSource({ root: `${t.dir}/rows.txt`, maxBytes: 1 << 20, chunkBytes: 100, overlapBytes: 40 });
    let raw = '';
    for await (const f of source.fragments(stats)) raw += f.raw.slice(0, f.ownEnd ?? f.raw.length);
    expect(raw).toBe(text);
    expect(stats.lines).toBe(500);
  });
});

describe('FileSource: the listing started ahead of the scan', () => {
  it('is under way from startListing() until git has listed the files, then gives the same listing', async () => {
    const t = tempDir();
    try {
      writeFiles(t.dir, { 'a.txt': 'a\n', 'src/b.js': 'b\n', 'ignored.log': 'x\n', '.gitignore': '*.log\n' });
      git(t.dir, ['init', '-q']);
      const source = new FileSource({ root: t.dir, maxBytes: 1 << 20 });
      // Nothing asked for yet: no listing under way (a scan then lists for itself).
      expect(source.listingUnderWay).toBe(false);
      source.startListing();
      // git runs as a child process: it cannot have answered within this turn of the event loop.
      expect(source.listingUnderWay).toBe(true);
      const listing = await source.listFilesAsync();
      expect(source.listingUnderWay).toBe(false);
      expect(listing).toEqual(['.gitignore', 'a.txt', 'src/b.js']);
      expect(new FileSource({ root: t.dir, maxBytes: 1 << 20 }).listFiles()).toEqual(listing);
    } finally {
      t.cleanup();
    }
  });
});
