/**
 * Turns offsets in a fragment into 1-based lines and columns. Built lazily, once per
 * fragment, and only when something matched: most fragments never need it.
 */
export class LineIndex {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}

  private lineStarts(): number[] {
    if (!this.starts) {
      const starts = [0];
      for (let at = this.text.indexOf('\n'); at >= 0; at = this.text.indexOf('\n', at + 1)) starts.push(at + 1);
      this.starts = starts;
    }
    return this.starts;
  }

  /** 0-based line number of `offset`. */
  lineOf(offset: number): number {
    const starts = this.lineStarts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  lineStart(line: number): number {
    return this.lineStarts()[line] ?? this.text.length;
  }

  /** The text of 0-based line `line`, without its newline (and without a trailing \r). */
  lineText(line: number): string {
    const starts = this.lineStarts();
    const start = starts[line] ?? this.text.length;
    const next = starts[line + 1];
    const end = next === undefined ? this.text.length : next - 1;
    const s = this.text.slice(start, end);
    return s.endsWith('\r') ? s.slice(0, -1) : s;
  }

  /** Number of newline characters in the text. */
  get newlines(): number {
    return this.lineStarts().length - 1;
  }
}
