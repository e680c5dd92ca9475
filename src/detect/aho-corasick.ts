/**
 * Multi-pattern keyword search (Aho-Corasick) compiled to a dense DFA over ASCII, with
 * ASCII case folding built into the transitions. One pass over the text finds every
 * occurrence of every keyword: the cost no longer grows with the number of rules, which
 * a single alternation regex of all keywords does (measured ~110 MB/s for ~300 keywords).
 */

const ALPHABET = 128;

export class KeywordAutomaton {
  /**
   * delta[state * 128 + char] = next state * 128, plus 1 when keywords end there. Rows
   * pre-multiplied and the "has output" flag in the free low bit keep the inner loop to
   * one typed-array load per character (checking a JS array of outputs per character
   * cost more than the transition itself).
   */
  private readonly delta: Int32Array;
  /** For each state: ids of the keywords ending there (including via suffix links), or undefined. */
  private readonly outputs: (readonly number[] | undefined)[];
  /** Keyword lengths by id, to turn an end position into a start position. */
  private readonly lengths: Int32Array;
  /** Keywords with a non-ASCII character: found with indexOf on the lower-cased text. */
  private readonly slow: { id: number; keyword: string }[] = [];

  constructor(keywords: readonly string[]) {
    this.lengths = new Int32Array(keywords.map((k) => k.length));
    this.maxLength = Math.max(1, ...keywords.map((k) => k.length));
    // Build the trie.
    const goto: Map<number, number>[] = [new Map()];
    const out: number[][] = [[]];
    keywords.forEach((kw, id) => {
      const k = kw.toLowerCase();
      if (k.length === 0) return;
      // eslint-disable-next-line no-control-regex
      if (/[^\x00-\x7f]/.test(k)) {
        this.slow.push({ id, keyword: k });
        return;
      }
      let s = 0;
      for (let i = 0; i < k.length; i++) {
        const c = k.charCodeAt(i);
        let next = goto[s]!.get(c);
        if (next === undefined) {
          next = goto.length;
          goto.push(new Map());
          out.push([]);
          goto[s]!.set(c, next);
        }
        s = next;
      }
      out[s]!.push(id);
    });
    // Breadth-first: failure links, merged outputs and the dense table.
    const n = goto.length;
    const delta = new Int32Array(n * ALPHABET);
    const fail = new Int32Array(n);
    const queue: number[] = [];
    for (const [c, t] of goto[0]!) {
      delta[c] = t;
      fail[t] = 0;
      queue.push(t);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      const f = fail[s]!;
      if (out[f]!.length > 0) out[s] = out[s]!.concat(out[f]!);
      // A state moves like its failure state, except along its own trie edges: copy that
      // row, then set the edges (128 Map look-ups per state made building the automaton
      // for a few hundred keywords cost as much as scanning megabytes).
      delta.copyWithin(s * ALPHABET, f * ALPHABET, (f + 1) * ALPHABET);
      for (const [c, t] of goto[s]!) {
        fail[t] = delta[f * ALPHABET + c]!;
        delta[s * ALPHABET + c] = t;
        queue.push(t);
      }
    }
    // Fold upper-case letters onto lower-case ones so the text needs no toLowerCase().
    for (let s = 0; s < n; s++) {
      for (let c = 65; c <= 90; c++) delta[s * ALPHABET + c] = delta[s * ALPHABET + c + 32]!;
    }
    for (let i = 0; i < delta.length; i++) {
      const t = delta[i]!;
      delta[i] = t * ALPHABET + (out[t]!.length > 0 ? 1 : 0);
    }
    this.delta = delta;
    this.outputs = out.map((o) => (o.length > 0 ? o : undefined));
  }

  /** The longest keyword: how far a second search stream must start before its half. */
  private readonly maxLength: number;

  /**
   * Appends (keywordId, start) pairs for every occurrence to `hits`, in no particular order.
   *
   * Why two streams: each step of a DFA waits for the table load of the step before, so
   * one pass runs at the latency of a load per character, not at the speed of the CPU.
   * The text is cut in two halves searched in the same loop; the second starts a
   * keyword's length early, in the start state, so it finds every keyword that ends in
   * its half (and reports only those), and the CPU overlaps the two chains of loads.
   */
  find(text: string, hits: KeywordHits): void {
    const len = text.length;
    if (len < TWO_STREAMS) {
      this.stream(text, 0, len, 0, hits);
    } else {
      const mid = len >> 1;
      const start2 = Math.max(0, mid - this.maxLength + 1);
      this.twoStreams(text, mid, start2, hits);
    }
    if (this.slow.length > 0) {
      const lower = text.toLowerCase();
      for (const { id, keyword } of this.slow) {
        for (let at = lower.indexOf(keyword); at >= 0; at = lower.indexOf(keyword, at + 1)) hits.push(id, at);
      }
    }
  }

  /** One stream over [from, to) from DFA row `row`, reporting keywords that end at or after `reportFrom`. */
  private stream(text: string, from: number, to: number, reportFrom: number, hits: KeywordHits, row = 0): void {
    const { delta } = this;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c >= ALPHABET) {
        row = 0;
        continue;
      }
      const v = delta[row | c]!;
      row = v & ~1;
      if ((v & 1) !== 0 && i >= reportFrom) this.report(row, i, hits);
    }
  }

  private twoStreams(text: string, mid: number, start2: number, hits: KeywordHits): void {
    const { delta } = this;
    const len = text.length;
    // Stream 1 covers [0, mid); stream 2 covers [start2, len) and reports ends >= mid.
    const steps = Math.min(mid, len - start2);
    let row1 = 0;
    let row2 = 0;
    for (let k = 0; k < steps; k++) {
      const i2 = start2 + k;
      const c1 = text.charCodeAt(k);
      const c2 = text.charCodeAt(i2);
      if (c1 < ALPHABET) {
        const v1 = delta[row1 | c1]!;
        row1 = v1 & ~1;
        if ((v1 & 1) !== 0) this.report(row1, k, hits);
      } else {
        row1 = 0;
      }
      if (c2 < ALPHABET) {
        const v2 = delta[row2 | c2]!;
        row2 = v2 & ~1;
        if ((v2 & 1) !== 0 && i2 >= mid) this.report(row2, i2, hits);
      } else {
        row2 = 0;
      }
    }
    // Stream 2 is the longer one (it starts early): finish it alone.
    this.stream(text, start2 + steps, len, mid, hits, row2);
  }

  private report(row: number, end: number, hits: KeywordHits): void {
    const o = this.outputs[row >> 7]!;
    for (let j = 0; j < o.length; j++) {
      const id = o[j]!;
      hits.push(id, end - this.lengths[id]! + 1);
    }
  }
}

/** Below this many characters one search stream is enough. */
const TWO_STREAMS = 4096;

/** A growable list of (keywordId, start) pairs: no object, closure or call per hit. */
export class KeywordHits {
  data = new Int32Array(1024);
  length = 0;

  push(id: number, at: number): void {
    if (this.length + 2 > this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length] = id;
    this.data[this.length + 1] = at;
    this.length += 2;
  }
}
