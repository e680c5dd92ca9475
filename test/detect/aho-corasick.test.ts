import { describe, expect, it } from 'vitest';
import { KeywordAutomaton, KeywordHits } from '../../src/detect/aho-corasick.js';
import { SeededRandom } from '../helpers/random.js';

function hits(keywords: string[], text: string): [number, number][] {
  const found = new KeywordHits();
  new KeywordAutomaton(keywords).find(text, found);
  const out: [number, number][] = [];
  for (let i = 0; i < found.length; i += 2) out.push([found.data[i]!, found.data[i + 1]!]);
  return out.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
}

/** The obvious algorithm, as the oracle. */
function naive(keywords: string[], text: string): [number, number][] {
  const lower = text.toLowerCase();
  const out: [number, number][] = [];
  keywords.forEach((k, id) => {
    for (let at = lower.indexOf(k.toLowerCase()); at >= 0; at = lower.indexOf(k.toLowerCase(), at + 1)) out.push([id, at]);
  });
  return out.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
}

describe('KeywordAutomaton', () => {
  it('finds overlapping and nested keywords, case-insensitively', () => {
    const kws = ['key', 'api_key', 'apikey', 'he', 'she', 'hers'];
    const text = 'API_KEY=1; sHErs; apikeyKEY';
    expect(hits(kws, text)).toEqual(naive(kws, text));
    expect(hits(kws, text).length).toBeGreaterThan(5);
  });

  it('matches the naive search on random text over a small alphabet', () => {
    const rng = new SeededRandom('ac');
    const kws = ['ab', 'abc', 'bca', 'c', 'aab', 'BAB'];
    for (let round = 0; round < 50; round++) {
      const text = rng.pick('abcABC \n', 200);
      expect(hits(kws, text)).toEqual(naive(kws, text));
    }
  });

  it('finds every keyword in long texts searched as two streams, around the cut too', () => {
    const rng = new SeededRandom('ac-long');
    const kws = ['ab', 'abc', 'bca', 'c', 'aab', 'BAB', 'abcabcab'];
    for (let round = 0; round < 20; round++) {
      // Lengths on both sides of the two-stream threshold, odd and even, so the cut moves.
      const text = rng.pick('abcABC \né', 4000 + round * 37);
      expect(hits(kws, text)).toEqual(naive(kws, text));
    }
    // A long keyword straddling the middle of the text is found once, at its start.
    const pad = 'x'.repeat(5000);
    const text = `${pad}abcabcab${pad}`;
    expect(hits(['abcabcab'], text)).toEqual([[0, 5000]]);
    for (let shift = 0; shift < 8; shift++) {
      const t = `${'x'.repeat(5000 - shift)}abcabcab${'x'.repeat(5000 + shift)}`;
      expect(hits(['abcabcab'], t)).toEqual([[0, 5000 - shift]]);
    }
  });

  it('handles non-ASCII text and non-ASCII keywords', () => {
    const kws = ['clé', 'token'];
    const text = 'la clé: 1, é token, CLÉ';
    expect(hits(kws, text)).toEqual([[0, 3], [1, 13], [0, 20]]);
  });
});
