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

describe('KeywordAutomaton over bytes', () => {
  function byteHits(ac: KeywordAutomaton, text: string, to?: number): [number, number][] {
    const found = new KeywordHits();
    ac.findBytes(Buffer.from(text, 'latin1'), found, to);
    const out: [number, number][] = [];
    for (let i = 0; i < found.length; i += 2) out.push([found.data[i]!, found.data[i + 1]!]);
    return out.sort((a, b) => a[1] - b[1] || a[0] - b[0]);
  }

  it('finds what the string search finds, around the cuts between its six streams too', () => {
    const rng = new SeededRandom('ac-bytes');
    const kws = ['ab', 'abc', 'bca', 'c', 'aab', 'BAB', 'abcabcab'];
    const ac = new KeywordAutomaton(kws);
    for (let round = 0; round < 30; round++) {
      // Short texts take one stream, long ones six; odd lengths move every cut.
      const text = rng.pick('abcABC \n\x7f', round < 5 ? 50 + round * 301 : 4096 + round * 997);
      expect(byteHits(ac, text)).toEqual(naive(kws, text));
    }
    // A long keyword straddling each cut is found once, at its start.
    const len = 60_000;
    for (let cut = 1; cut < 6; cut++) {
      for (let shift = 0; shift < 8; shift++) {
        const at = Math.floor(len / 6) * cut - shift;
        const text = `${'x'.repeat(at)}abcabcab${'x'.repeat(len - at - 8)}`;
        expect(byteHits(new KeywordAutomaton(['abcabcab']), text)).toEqual([[0, at]]);
      }
    }
  });

  it('treats bytes of 128 and up as the string search treats non-ASCII characters', () => {
    const kws = ['token', 'key'];
    const ac = new KeywordAutomaton(kws);
    // U+FFFD stands in for an invalid byte in the decoded string, one character per byte.
    const bytes = Buffer.from('tok\xffen key TOKEN k\x80ey', 'latin1');
    const text = bytes.toString('latin1').replace(/[\x80-\xff]/g, '\ufffd');
    const found = new KeywordHits();
    ac.findBytes(bytes, found);
    expect(Array.from(found.data.subarray(0, found.length))).toEqual([1, 7, 0, 11]);
    expect(hits(kws, text)).toEqual([[1, 7], [0, 11]]);
  });

  it('searches only up to `to`, in strings and bytes alike', () => {
    const rng = new SeededRandom('ac-to');
    const kws = ['ab', 'abc', 'bca', 'c', 'aab'];
    const ac = new KeywordAutomaton(kws);
    for (const len of [100, 5000, 30_000]) {
      const text = rng.pick('abcABC \n', len);
      for (const to of [0, 1, Math.floor(len / 3), len - 1, len, len + 10]) {
        const want = naive(kws, text.slice(0, to));
        expect(byteHits(ac, text, to)).toEqual(want);
        const found = new KeywordHits();
        ac.find(text, found, to);
        const fromString: [number, number][] = [];
        for (let i = 0; i < found.length; i += 2) fromString.push([found.data[i]!, found.data[i + 1]!]);
        expect(fromString.sort((a, b) => a[1] - b[1] || a[0] - b[0])).toEqual(want);
      }
    }
  });
});

describe('KeywordAutomaton on texts longer than one search segment', () => {
  it('finds every keyword, across the segment cuts too, in strings and bytes', () => {
    const rng = new SeededRandom('ac-segments');
    const kws = ['ab', 'abc', 'bca', 'aab', 'abcabcab'];
    const ac = new KeywordAutomaton(kws);
    // 256 Ki characters a segment: cuts at 262144 and 524288, with keywords laid over them.
    const text = rng.pick('abcABC \n', 700_000).split('');
    for (const cut of [262_144, 524_288]) for (let d = -7; d <= 0; d++) text.splice(cut + d, 8, ...'abcabcab');
    const joined = text.join('').slice(0, 700_000);
    const want = naive(kws, joined);
    expect(want.filter(([id]) => id === 4).length).toBeGreaterThan(2);
    const fromString = new KeywordHits();
    ac.find(joined, fromString);
    const fromBytes = new KeywordHits();
    ac.findBytes(Buffer.from(joined, 'latin1'), fromBytes);
    for (const found of [fromString, fromBytes]) {
      const got: [number, number][] = [];
      for (let i = 0; i < found.length; i += 2) got.push([found.data[i]!, found.data[i + 1]!]);
      expect(got.sort((a, b) => a[1] - b[1] || a[0] - b[0])).toEqual(want);
    }
  });
});
