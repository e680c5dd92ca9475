import { describe, expect, it } from 'vitest';
import { windows } from '../../src/detect/detector.js';

describe('keyword windows', () => {
  it('span the keyword line and the line after it', () => {
    const text = 'one\ntwo key here\nthree\nfour\n';
    const at = text.indexOf('key');
    const [[s, e]] = windows(text, [at], 2048) as [[number, number]];
    expect(s).toBeLessThanOrEqual(4);
    expect(e).toBe(text.indexOf('\nfour'));
  });

  it('merge hits on nearby lines and keep far ones apart', () => {
    const filler = 'x'.repeat(100);
    const lines = Array.from({ length: 200 }, (_, i) => (i === 2 || i === 3 || i === 150 ? `key ${filler}` : filler));
    const text = lines.join('\n');
    const hits = [2, 3, 150].map((i) => lines.slice(0, i).join('\n').length + (i > 0 ? 1 : 0));
    const ws = windows(text, hits, 2048);
    expect(ws).toHaveLength(2);
    expect(ws[0]![0]).toBeLessThanOrEqual(hits[0]!);
    expect(ws[0]![1]).toBeGreaterThan(hits[1]!);
    expect(ws[1]![0]).toBeGreaterThan(hits[1]!);
    expect(ws[1]![0]).toBeLessThanOrEqual(hits[2]!);
  });

  it('stay bounded on a 100k-character line dense with hits, and cover every hit', () => {
    const text = 'eyJ'.repeat(40_000);
    const hits = Array.from({ length: 40_000 }, (_, i) => i * 3);
    const ws = windows(text, [...hits], 2048);
    expect(ws.every(([s, e]) => e - s <= 96 * 1024 + 2048)).toBe(true);
    // Every hit lies inside some window (windows are sorted by start).
    let wi = 0;
    const uncovered = hits.filter((h) => {
      while (wi < ws.length && ws[wi]![1] <= h) wi++;
      return wi >= ws.length || ws[wi]![0] > h;
    });
    expect(uncovered).toEqual([]);
  });

  it('clamp the look-back on a long line to a bounded distance before the keyword', () => {
    const text = `${'a'.repeat(10_000)}key${'b'.repeat(10_000)}`;
    const [[s, e]] = windows(text, [10_000], 2048) as [[number, number]];
    expect(s).toBe(10_000 - 512);
    expect(e).toBe(10_000 + 2048);
  });
});
