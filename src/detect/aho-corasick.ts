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

  /** The longest keyword: how far a later search stream must start before its part. */
  private readonly maxLength: number;

  /**
   * Where the streams record what they find: (row, end offset) pairs, written inline.
   * Turning a row into its keywords is left to one loop afterwards (expand): a call per
   * hit from inside the search loop, which V8 does not inline there, cost 125 ns a hit
   * (a third of the search on keyword-dense code, 2 million hits in 212 MB).
   */
  private ends: Int32Array = new Int32Array(4096);
  private endCount = 0;

  /**
   * Appends (keywordId, start) pairs for every occurrence in text[0, to) to `hits`, in no
   * particular order.
   *
   * Why two streams: each step of a DFA waits for the table load of the step before, so
   * one pass runs at the latency of a load per character, not at the speed of the CPU.
   * The text is cut in two halves searched in the same loop; the second starts a
   * keyword's length early, in the start state, so it finds every keyword that ends in
   * its half (and reports only those), and the CPU overlaps the two chains of loads.
   */
  find(text: string, hits: KeywordHits, to = text.length): void {
    const len = Math.min(to, text.length);
    this.endCount = 0;
    if (len < TWO_STREAMS) {
      this.stream(text, 0, len, 0, 0);
    } else {
      const mid = len >> 1;
      this.twoStreams(text, len, mid, Math.max(0, mid - this.maxLength + 1));
    }
    this.expand(hits);
    if (this.slow.length > 0) {
      const lower = (len < text.length ? text.slice(0, len) : text).toLowerCase();
      for (const { id, keyword } of this.slow) {
        for (let at = lower.indexOf(keyword); at >= 0; at = lower.indexOf(keyword, at + 1)) hits.push(id, at);
      }
    }
  }

  /**
   * `find` over bytes[0, to) of a text whose every byte is one character (ASCII, see
   * Fragment.bytes): the same hits at the same offsets. Reading a byte array costs less
   * than charCodeAt on a string, which lets six streams overlap where two did: measured
   * on the 212 MB benchmark tree, 230 ms against 520 ms for find() without the hits.
   * Bytes of 128 and up reset the search, as non-ASCII characters do in find(); keywords
   * with non-ASCII characters cannot occur in such a text.
   */
  findBytes(bytes: Uint8Array, hits: KeywordHits, to = bytes.length): void {
    const len = Math.min(to, bytes.length);
    this.endCount = 0;
    // Each stream starts a keyword's length before its sixth: the sixths must be longer.
    if (len < SIX_STREAMS || len / 6 <= this.maxLength) this.byteStream(bytes, 0, len, 0, 0);
    else this.sixStreams(bytes, len);
    this.expand(hits);
  }

  /** The recorded (row, end) pairs as (keywordId, start) pairs. */
  private expand(hits: KeywordHits): void {
    const { ends, endCount, outputs, lengths } = this;
    for (let h = 0; h < endCount; h += 2) {
      const o = outputs[ends[h]! >> 7]!;
      const end = ends[h + 1]!;
      for (let j = 0; j < o.length; j++) {
        const id = o[j]!;
        hits.push(id, end - lengths[id]! + 1);
      }
    }
  }

  /** Room for `more` recorded ends. */
  private reserve(more: number): Int32Array {
    if (this.endCount + more > this.ends.length) {
      const bigger = new Int32Array(this.ends.length * 2);
      bigger.set(this.ends);
      this.ends = bigger;
    }
    return this.ends;
  }

  /** One stream over [from, to) from DFA row `row`, recording keywords that end at or after `reportFrom`. */
  private stream(text: string, from: number, to: number, reportFrom: number, row: number): void {
    const { delta } = this;
    let ends = this.ends;
    let n = this.endCount;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c >= ALPHABET) {
        row = 0;
        continue;
      }
      const v = delta[row | c]!;
      row = v & ~1;
      if ((v & 1) !== 0 && i >= reportFrom) {
        if (n + 2 > ends.length) {
          this.endCount = n;
          ends = this.reserve(2);
        }
        ends[n++] = row;
        ends[n++] = i;
      }
    }
    this.endCount = n;
  }

  private twoStreams(text: string, len: number, mid: number, start2: number): void {
    const { delta } = this;
    // Stream 1 covers [0, mid); stream 2 covers [start2, len) and reports ends >= mid.
    const steps = Math.min(mid, len - start2);
    let row1 = 0;
    let row2 = 0;
    let ends = this.ends;
    let n = this.endCount;
    for (let k = 0; k < steps; k++) {
      if (n + 4 > ends.length) {
        this.endCount = n;
        ends = this.reserve(4);
      }
      const i2 = start2 + k;
      const c1 = text.charCodeAt(k);
      const c2 = text.charCodeAt(i2);
      if (c1 < ALPHABET) {
        const v1 = delta[row1 | c1]!;
        row1 = v1 & ~1;
        if ((v1 & 1) !== 0) {
          ends[n++] = row1;
          ends[n++] = k;
        }
      } else {
        row1 = 0;
      }
      if (c2 < ALPHABET) {
        const v2 = delta[row2 | c2]!;
        row2 = v2 & ~1;
        if ((v2 & 1) !== 0 && i2 >= mid) {
          ends[n++] = row2;
          ends[n++] = i2;
        }
      } else {
        row2 = 0;
      }
    }
    this.endCount = n;
    // Stream 2 is the longer one (it starts early): finish it alone.
    this.stream(text, start2 + steps, len, mid, row2);
  }

  /** stream() over bytes. */
  private byteStream(bytes: Uint8Array, from: number, to: number, reportFrom: number, row: number): void {
    const { delta } = this;
    let ends = this.ends;
    let n = this.endCount;
    for (let i = from; i < to; i++) {
      const c = bytes[i]!;
      if (c >= ALPHABET) {
        row = 0;
        continue;
      }
      const v = delta[row | c]!;
      row = v & ~1;
      if ((v & 1) !== 0 && i >= reportFrom) {
        if (n + 2 > ends.length) {
          this.endCount = n;
          ends = this.reserve(2);
        }
        ends[n++] = row;
        ends[n++] = i;
      }
    }
    this.endCount = n;
  }

  /**
   * Six streams over bytes[0, len), each a sixth: stream k starts a keyword's length
   * before its sixth (in the start state) and records only keywords ending in it, as the
   * second of twoStreams does. Written out rather than looped over arrays of rows: the
   * six rows must live in registers for the loads to overlap (an 8-stream loop over a
   * typed array of rows ran at half this speed).
   */
  private sixStreams(bytes: Uint8Array, len: number): void {
    const { delta } = this;
    const q = Math.floor(len / 6);
    const back = this.maxLength - 1;
    const b1 = q, b2 = 2 * q, b3 = 3 * q, b4 = 4 * q, b5 = 5 * q;
    const s1 = b1 - back, s2 = b2 - back, s3 = b3 - back, s4 = b4 - back, s5 = b5 - back;
    let r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0;
    let ends = this.ends;
    let n = this.endCount;
    for (let k = 0; k < q; k++) {
      if (n + 12 > ends.length) {
        this.endCount = n;
        ends = this.reserve(12);
      }
      let c = bytes[k]!;
      if (c < ALPHABET) {
        const v = delta[r0 | c]!;
        r0 = v & ~1;
        if ((v & 1) !== 0) {
          ends[n++] = r0;
          ends[n++] = k;
        }
      } else r0 = 0;
      let i = s1 + k;
      c = bytes[i]!;
      if (c < ALPHABET) {
        const v = delta[r1 | c]!;
        r1 = v & ~1;
        if ((v & 1) !== 0 && i >= b1) {
          ends[n++] = r1;
          ends[n++] = i;
        }
      } else r1 = 0;
      i = s2 + k;
      c = bytes[i]!;
      if (c < ALPHABET) {
        const v = delta[r2 | c]!;
        r2 = v & ~1;
        if ((v & 1) !== 0 && i >= b2) {
          ends[n++] = r2;
          ends[n++] = i;
        }
      } else r2 = 0;
      i = s3 + k;
      c = bytes[i]!;
      if (c < ALPHABET) {
        const v = delta[r3 | c]!;
        r3 = v & ~1;
        if ((v & 1) !== 0 && i >= b3) {
          ends[n++] = r3;
          ends[n++] = i;
        }
      } else r3 = 0;
      i = s4 + k;
      c = bytes[i]!;
      if (c < ALPHABET) {
        const v = delta[r4 | c]!;
        r4 = v & ~1;
        if ((v & 1) !== 0 && i >= b4) {
          ends[n++] = r4;
          ends[n++] = i;
        }
      } else r4 = 0;
      i = s5 + k;
      c = bytes[i]!;
      if (c < ALPHABET) {
        const v = delta[r5 | c]!;
        r5 = v & ~1;
        if ((v & 1) !== 0 && i >= b5) {
          ends[n++] = r5;
          ends[n++] = i;
        }
      } else r5 = 0;
    }
    this.endCount = n;
    // Each stream k (1..5) has covered [sk, sk + q); it goes on alone to the end of its sixth.
    this.byteStream(bytes, s1 + q, b2, b1, r1);
    this.byteStream(bytes, s2 + q, b3, b2, r2);
    this.byteStream(bytes, s3 + q, b4, b3, r3);
    this.byteStream(bytes, s4 + q, b5, b4, r4);
    this.byteStream(bytes, s5 + q, len, b5, r5);
  }
}

/** Below this many characters one search stream is enough. */
const TWO_STREAMS = 4096;
/** Below this many bytes findBytes uses one stream (each of six must be longer than a keyword). */
const SIX_STREAMS = 4096;

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
