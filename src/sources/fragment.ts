/** Who committed the content a fragment came from (history scans only). */
export interface CommitInfo {
  sha: string;
  author: string;
  email: string;
  /** ISO 8601, as git prints it with --date=iso-strict. */
  date: string;
  message: string;
  /** Author and committer times, Unix seconds: for ordering across time zones. */
  authorTime?: number;
  commitTime?: number;
  /**
   * Position of the commit in the order git listed it (newest first): breaks ties
   * between commits with the same times, and orders the report the same way every run.
   */
  order?: number;
}

/**
 * A piece of text to scan, and where it came from. Sources produce fragments; the
 * detector never touches the file system. A large file arrives as several fragments,
 * each overlapping the next so a secret straddling the cut is seen whole once.
 */
export interface Fragment {
  /** The text. */
  raw: string;
  /** Path relative to the scan root, always with `/` separators. */
  filePath: string;
  /** When `filePath` was reached through a symlink: the link's own path. */
  symlinkFile?: string;
  /** 1-based line number, in the file, of the first line of `raw`. */
  startLine: number;
  /**
   * 1-based column, in the file, of `raw`'s first character. A large file is cut at line
   * ends, but a line longer than a chunk (minified code) has to be cut inside: the pieces
   * after the first start mid-line. Undefined: 1.
   */
  startColumn?: number;
  /**
   * Offset in `raw` where the next fragment of the same file starts. A match starting
   * at or after it belongs to the next fragment (which sees it too), so it is dropped
   * here. Undefined: the fragment owns all of `raw`.
   */
  ownEnd?: number;
  /**
   * `raw` as the UTF-8 bytes it was decoded from, when each byte became one character of
   * `raw` (ASCII text, the common case: then `raw.length === bytes.length`). The detector
   * searches keywords in these bytes, which is faster than reading a string. Sources may
   * reuse the memory for the next fragment: it is valid only until then, so a consumer
   * that keeps a fragment must not keep this.
   */
  bytes?: Uint8Array;
  /** Set for content read from a commit. */
  commit?: CommitInfo;
  /**
   * For diff-based sources: the 1-based file line numbers that were added. Only findings
   * touching one of these lines are reported. Undefined: every line counts.
   */
  addedLines?: ReadonlySet<number>;
}

/**
 * A fragment with every field present (undefined when not set), always in this order.
 * Every source makes its fragments here so the detector sees one object shape: fragments
 * built with optional fields spread in or left out came in half a dozen shapes, and each
 * shape V8 had not yet seen made it throw away its optimised detect(), five times a scan.
 */
export function newFragment(f: Fragment): Fragment {
  return {
    raw: f.raw,
    filePath: f.filePath,
    symlinkFile: f.symlinkFile,
    startLine: f.startLine,
    startColumn: f.startColumn,
    ownEnd: f.ownEnd,
    bytes: f.bytes,
    commit: f.commit,
    addedLines: f.addedLines,
  };
}
