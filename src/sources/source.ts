import type { Fragment } from './fragment.js';

/** Counters a source keeps while it reads; the summary line and reports show them. */
export interface ScanStats {
  /** Files (or blobs) whose content was scanned. */
  files: number;
  bytes: number;
  /** Lines scanned (diff-based sources count added lines only). */
  lines: number;
  commits: number;
  /** Commits the scan will read, once the source knows (history scans): for progress. */
  commitsTotal?: number;
  skippedBinary: number;
  skippedLarge: number;
  /** Skipped because a global allowlist excludes their path (lockfiles, images, node_modules…). */
  skippedAllowlisted: number;
  /** Symlinks not followed because they point outside the scanned root. */
  skippedSymlinks: number;
  /** Could not be read: the scan is partial. */
  unreadable: number;
  /** One line each, shown as warnings. Never contains file content. */
  warnings: string[];
  /** Notes about completeness (shallow clone, empty repository…). */
  notes: string[];
}

export function emptyStats(): ScanStats {
  return {
    files: 0, bytes: 0, lines: 0, commits: 0, skippedBinary: 0, skippedLarge: 0,
    skippedAllowlisted: 0, skippedSymlinks: 0, unreadable: 0, warnings: [], notes: [],
  };
}

/** The scan read less than everything it was asked to. */
export function isPartial(stats: ScanStats): boolean {
  return stats.unreadable > 0;
}

/** Where to look: anything that yields fragments, counting what it reads into `stats`. */
export interface Source {
  fragments(stats: ScanStats): AsyncIterable<Fragment>;
  /**
   * The source yields many small fragments (a history scan: one per hunk, thousands of
   * them). The detector then builds its keyword automaton once up front instead of
   * searching each small text keyword by keyword, which costs a pass per keyword per
   * fragment (measured: 1.4 s of a 5,200-commit history scan, against 20 ms to build it).
   */
  readonly manyFragments?: boolean;
}
