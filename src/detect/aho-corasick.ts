/**
 * Multi-pattern keyword search (Aho-Corasick) compiled to a dense DFA over byte classes,
 * with ASCII case folding built into the classes. One pass over the text finds every
 * occurrence of every keyword: the cost no longer grows with the number of rules, which
 * a single alternation regex of all keywords does (measured ~110 MB/s for ~300 keywords).
 *
 * Byte classes: the keywords use a few dozen distinct characters (49 for the default
 * rules' 476), and every other character sends every state back to the start. So the
 * table has a column per keyword character, plus one for all the others (class 0, whose
 * column is all start state), and a character is looked up in a 256-byte class table
 * first (bytes of 128 and up are class 0 too: no branch). Against a column per ASCII
 * character, the table shrank from 1.3 MB to 0.5 MB and builds in 10 ms instead of 19
 * (on every thread of a large scan); the search itself runs at the same ~560 MB/s over
 * the benchmark tree: it is bound by the chain of loads, not by the cache.
 */

/** Characters with a class of their own: ASCII (a non-ASCII character resets the search). */
const ASCII = 128;

export class KeywordAutomaton {
  /**
   * delta[state * width + class] = next state * width, plus 1 when keywords end there.
   * Rows pre-multiplied (width is even) and the "has output" flag in the free low bit
   * keep the inner loop to one table load per character after the class (checking a JS
   * array of outputs per character cost more than the transition itself).
   */
  private readonly delta: Int32Array;
  /** classes[byte]: its column in delta; 0 for bytes in no keyword and for 128 and up. */
  private readonly classes: Uint8Array;
  /** Columns per row. */
  private readonly width: number;
  /** For each state: ids of the keywords ending there (including via suffix links), or undefined. */
  private readonly outputs: (readonly number[] | undefined)[];
  /** Keyword lengths by id, to turn an end position into a start position. */
  private readonly lengths: Int32Array;
  /** Keywords with a non-ASCII character: found with indexOf on the lower-cased text. */
  private readonly slow: { id: number; keyword: string }[] = [];

  constructor(keywords: readonly string[]) {
    this.lengths = new Int32Array(keywords.map((k) => k.length));
    this.maxLength = Math.max(1, ...keywords.map((k) => k.length));
    // Build the trie, over classes: one per character the keywords use.
    const classes = new Uint8Array(256);
    let classCount = 1;
    const classOf = (c: number): number => {
      if (classes[c] === 0) {
        classes[c] = classCount++;
        // Upper case moves like lower case: the text needs no toLowerCase().
        if (c >= 97 && c <= 122) classes[c - 32] = classes[c]!;
      }
      return classes[c]!;
    };
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
        const c = classOf(k.charCodeAt(i));
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
    // Breadth-first: failure links, merged outputs and the dense table, whose entries are
    // written in their final form (next state × width, plus 1 when keywords end there) as
    // the rows are made. A state's flag is known when its parent's row is made: its own
    // keyword, or its failure state's flag, and that state is shallower, so already final.
    // (A second pass over the whole table to turn states into entries made the build
    // several times slower; it runs before every large scan, on every thread.)
    const n = goto.length;
    const width = classCount + (classCount & 1);
    const delta = new Int32Array(n * width);
    const fail = new Int32Array(n);
    const flag = new Uint8Array(n);
    const entry = (t: number) => t * width + flag[t]!;
    const queue: number[] = [];
    for (const [c, t] of goto[0]!) {
      fail[t] = 0;
      flag[t] = out[t]!.length > 0 ? 1 : 0;
      delta[c] = entry(t);
      queue.push(t);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      const f = fail[s]!;
      if (out[f]!.length > 0) out[s] = out[s]!.concat(out[f]!);
      // A state moves like its failure state, except along its own trie edges: copy that
      // row, then set the edges (128 Map look-ups per state made building the automaton
      // for a few hundred keywords cost as much as scanning megabytes).
      delta.copyWithin(s * width, f * width, (f + 1) * width);
      for (const [c, t] of goto[s]!) {
        const ft = (delta[f * width + c]! / width) | 0;
        fail[t] = ft;
        flag[t] = out[t]!.length > 0 || flag[ft] === 1 ? 1 : 0;
        delta[s * width + c] = entry(t);
        queue.push(t);
      }
    }
    this.delta = delta;
    this.classes = classes;
    this.width = width;
    this.outputs = out.map((o) => (o.length > 0 ? o : undefined));
  }

  /** The longest keyword: how far a later search stream must start before its part. */
  private readonly maxLength: number;

  /**
   * Where the streams record what they find: (row, end offset) pairs, written inline.
   * Turning a row into its keywords is left to one loop afterwards (expand): a call per
   * hit from inside the search loop, which V8 does not inline there, cost 125 ns a hit
   * (a third of the search on keyword-dense code, 2 million hits in 212 MB). Sized for
   * the worst case before each segment is searched (a hit at every position), so the
   * loops check no capacity: a growth path first taken after V8 had optimised the loop
   * threw it back to the interpreter, six times in a directory scan.
   */
  private ends: Int32Array = new Int32Array(0);
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
    for (let from = 0; from < len; from += SEGMENT) {
      const end = Math.min(len, from + SEGMENT);
      this.startSegment(end - from);
      if (end - from < TWO_STREAMS) this.stream(text, Math.max(0, from - this.maxLength + 1), end, from, 0);
      else this.twoStreams(text, from, end);
      this.expand(hits);
    }
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
    for (let from = 0; from < len; from += SEGMENT) {
      const end = Math.min(len, from + SEGMENT);
      this.startSegment(end - from);
      // Each stream starts a keyword's length before its sixth: the sixths must be longer.
      if (end - from < SIX_STREAMS || (end - from) / 6 <= this.maxLength) this.byteStream(bytes, Math.max(0, from - this.maxLength + 1), end, from, 0);
      else this.sixStreams(bytes, from, end);
      this.expand(hits);
    }
  }

  /** Empties the recorded ends, with room for a hit at each of `length` positions. */
  private startSegment(length: number): void {
    this.endCount = 0;
    if (this.ends.length < 2 * length) this.ends = new Int32Array(2 * length);
  }

  /** The recorded (row, end) pairs as (keywordId, start) pairs. */
  private expand(hits: KeywordHits): void {
    const { ends, endCount, outputs, lengths, width } = this;
    for (let h = 0; h < endCount; h += 2) {
      const o = outputs[(ends[h]! / width) | 0]!;
      const end = ends[h + 1]!;
      for (let j = 0; j < o.length; j++) {
        const id = o[j]!;
        hits.push(id, end - lengths[id]! + 1);
      }
    }
  }

  /** One stream over [from, to) from DFA row `row`, recording keywords that end at or after `reportFrom`. */
  private stream(text: string, from: number, to: number, reportFrom: number, row: number): void {
    const { delta, ends, classes } = this;
    let n = this.endCount;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c >= ASCII) {
        row = 0;
        continue;
      }
      const v = delta[row + classes[c]!]!;
      row = v & ~1;
      if ((v & 1) !== 0 && i >= reportFrom) {
        ends[n++] = row;
        ends[n++] = i;
      }
    }
    this.endCount = n;
  }

  /** Two streams over text[from, to), each recording the keywords that end in its half. */
  private twoStreams(text: string, from: number, to: number): void {
    const { delta, ends, classes } = this;
    const mid = from + ((to - from) >> 1);
    const start1 = Math.max(0, from - this.maxLength + 1);
    const start2 = mid - this.maxLength + 1;
    // Stream 1 covers [start1, mid); stream 2 covers [start2, to) and is at least as long.
    const steps = mid - start1;
    let row1 = 0;
    let row2 = 0;
    let n = this.endCount;
    for (let k = 0; k < steps; k++) {
      const i1 = start1 + k;
      const i2 = start2 + k;
      const c1 = text.charCodeAt(i1);
      const c2 = text.charCodeAt(i2);
      if (c1 < ASCII) {
        const v1 = delta[row1 + classes[c1]!]!;
        row1 = v1 & ~1;
        if ((v1 & 1) !== 0 && i1 >= from) {
          ends[n++] = row1;
          ends[n++] = i1;
        }
      } else {
        row1 = 0;
      }
      if (c2 < ASCII) {
        const v2 = delta[row2 + classes[c2]!]!;
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
    // Stream 2 finishes alone.
    this.stream(text, start2 + steps, to, mid, row2);
  }

  /** stream() over bytes. */
  private byteStream(bytes: Uint8Array, from: number, to: number, reportFrom: number, row: number): void {
    const { delta, ends, classes } = this;
    let n = this.endCount;
    for (let i = from; i < to; i++) {
      const v = delta[row + classes[bytes[i]!]!]!;
      row = v & ~1;
      if ((v & 1) !== 0 && i >= reportFrom) {
        ends[n++] = row;
        ends[n++] = i;
      }
    }
    this.endCount = n;
  }

  /** Six streams over bytes[from, to): see sixStreams below. */
  private sixStreams(bytes: Uint8Array, from: number, to: number): void {
    const rows = this.rows;
    this.endCount = sixStreams(this.delta, this.classes, this.ends, this.endCount, bytes, from, to, this.maxLength - 1, rows);
    // Each stream k has covered its sixth but for the last `back` positions, or so; it goes
    // on alone to the end of its sixth.
    const q = Math.floor((to - from) / 6);
    for (let k = 0; k < 6; k++) {
      const start = k === 0 ? Math.max(0, from - this.maxLength + 1) : from + k * q - this.maxLength + 1;
      this.byteStream(bytes, start + q, k === 5 ? to : from + (k + 1) * q, from + k * q, rows[k]!);
    }
  }

  /** The six streams' rows where their common loop ends. */
  private readonly rows = new Int32Array(6);
}

/** Below this many characters one search stream is enough. */
const TWO_STREAMS = 4096;
/** Below this many bytes findBytes uses one stream (each of six must be longer than a keyword). */
const SIX_STREAMS = 4096;
/** Texts are searched this many characters at a time, so the recorded ends stay a few MB. */
const SEGMENT = 256 * 1024;

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

/**
 * Six streams over bytes[from, to), each a sixth: stream k starts `back` (a keyword's
 * length less one) before its sixth, in the start state, and records only keywords
 * ending in it, as the second of twoStreams does; each runs q steps, and leaves its row
 * in rows[k] for the caller to finish the sixth. Returns the new count of `ends`.
 *
 * Written out rather than looped over arrays of rows: the six rows must live in
 * registers for the loads to overlap (an 8-stream loop over a typed array of rows ran at
 * half this speed). A plain function of its arguments, not a method: inlined into its
 * caller with `this` loads around it, V8 compiled the loop 60% slower.
 */
function sixStreams(delta: Int32Array, classes: Uint8Array, ends: Int32Array, n: number, bytes: Uint8Array, from: number, to: number, back: number, rows: Int32Array): number {
  const q = Math.floor((to - from) / 6);
  const b0 = from, b1 = from + q, b2 = b1 + q, b3 = b2 + q, b4 = b3 + q, b5 = b4 + q;
  const s0 = Math.max(0, b0 - back), s1 = b1 - back, s2 = b2 - back, s3 = b3 - back, s4 = b4 - back, s5 = b5 - back;
  let r0 = 0, r1 = 0, r2 = 0, r3 = 0, r4 = 0, r5 = 0;
  for (let k = 0; k < q; k++) {
    let i = s0 + k;
    let v = delta[r0 + classes[bytes[i]!]!]!;
    r0 = v & ~1;
    if ((v & 1) !== 0 && i >= b0) {
      ends[n++] = r0;
      ends[n++] = i;
    }
    i = s1 + k;
    v = delta[r1 + classes[bytes[i]!]!]!;
    r1 = v & ~1;
    if ((v & 1) !== 0 && i >= b1) {
      ends[n++] = r1;
      ends[n++] = i;
    }
    i = s2 + k;
    v = delta[r2 + classes[bytes[i]!]!]!;
    r2 = v & ~1;
    if ((v & 1) !== 0 && i >= b2) {
      ends[n++] = r2;
      ends[n++] = i;
    }
    i = s3 + k;
    v = delta[r3 + classes[bytes[i]!]!]!;
    r3 = v & ~1;
    if ((v & 1) !== 0 && i >= b3) {
      ends[n++] = r3;
      ends[n++] = i;
    }
    i = s4 + k;
    v = delta[r4 + classes[bytes[i]!]!]!;
    r4 = v & ~1;
    if ((v & 1) !== 0 && i >= b4) {
      ends[n++] = r4;
      ends[n++] = i;
    }
    i = s5 + k;
    v = delta[r5 + classes[bytes[i]!]!]!;
    r5 = v & ~1;
    if ((v & 1) !== 0 && i >= b5) {
      ends[n++] = r5;
      ends[n++] = i;
    }
  }
  rows[0] = r0;
  rows[1] = r1;
  rows[2] = r2;
  rows[3] = r3;
  rows[4] = r4;
  rows[5] = r5;
  return n;
}
