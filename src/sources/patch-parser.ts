import { newFragment, type CommitInfo, type Fragment } from './fragment.js';
import type { ScanStats } from './source.js';
import { unquoteGitPath } from './git.js';

/**
 * The `--format` the history source asks git for: one marker line with the commit's
 * fields, the full message, and an end marker. Control characters keep it unambiguous:
 * they cannot start a diff line, and git strips them from names and emails.
 */
export const COMMIT_FORMAT = '--format=%x1eKS%x1f%H%x1f%an%x1f%ae%x1f%aI%x1f%at%x1f%ct%x1f%B%x1eKE';
/**
 * A line the history source writes to diff-tree's stdin after each block of commits. Not
 * an object id, so diff-tree echoes it and flushes its output (see `diffTreeEnv` in
 * git-history.ts); the parser skips the echo.
 */
export const FLUSH_LINE = '\u001eKF';
const COMMIT_START = '\u001eKS\u001f';
const COMMIT_END = '\u001eKE';
/** Longest commit message kept: a report field, not a place to hold megabytes. */
const MAX_MESSAGE = 16 * 1024;

export interface PatchParserOptions {
  /** Where each fragment goes. */
  emit: (fragment: Fragment) => void;
  stats: ScanStats;
  /** A file whose new content in one commit is larger than this is skipped and counted. */
  maxBytes: number;
  /** Position of the next commit in the sequence fed to git (for a deterministic order). */
  nextOrder?: () => number | undefined;
}

const enum Mode {
  /** Between sections: expecting a commit or a file header. */
  Idle,
  /** Inside a commit message. */
  Message,
  /** After `diff --git`/`diff --cc`, before the first hunk. */
  FileHeader,
  /** Inside a hunk. */
  Hunk,
}

/**
 * Turns `git diff-tree -p --cc --format=COMMIT_FORMAT` output, fed as raw chunks, into
 * fragments: one per hunk, holding the hunk's lines of the new file (added lines and
 * the context git sent) with `addedLines` set to the lines new in this commit.
 *
 * Merge commits arrive as combined diffs: a line is new in the merge only when it is
 * added against every parent (all prefix columns `+`), which is exactly what a conflict
 * resolution wrote itself (gitleaks#1028). Lines taken from one parent were scanned in
 * that parent's commit.
 *
 * Memory is bounded: git's output is handled chunk by chunk; a file's fragments are held
 * until its section ends (at most `maxBytes` of them, beyond which the file is dropped
 * as too large), and a single line longer than that is skipped without being stored.
 */
export class PatchParser {
  private mode = Mode.Idle;
  private commit: CommitInfo | undefined;
  private message: string[] = [];
  private messageLength = 0;
  /** Path of the current file section (new side); undefined when it is not scanned. */
  private file: string | undefined;
  private skipFile = false;
  private parents = 1;
  private fileFragments: Fragment[] = [];
  private fileBytes = 0;
  private hunkLines: string[] = [];
  private hunkAdded: Set<number> | undefined;
  private hunkStart = 0;
  private hunkNext = 0;
  /** Bytes after the last line end seen, waiting for the rest of their line. */
  private carry: Buffer[] = [];
  private carryLength = 0;
  private droppingLine = false;

  constructor(private readonly options: PatchParserOptions) {}

  /** Feed a chunk of git's stdout. */
  push(chunk: Buffer): void {
    let start = 0;
    if (this.droppingLine) {
      const nl = chunk.indexOf(10);
      if (nl < 0) return;
      this.droppingLine = false;
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last < start) {
      // No line end in this chunk: keep it, unless the line has grown past any file we would scan.
      this.carry.push(chunk.subarray(start));
      this.carryLength += chunk.length - start;
      if (this.carryLength > this.options.maxBytes + 1024) {
        this.carry = [];
        this.carryLength = 0;
        this.droppingLine = true;
        this.tooLarge();
      }
      return;
    }
    if (this.carry.length > 0) {
      // The line carried over ends in this chunk: only its own bytes are joined (joining
      // the whole chunk to it copied every chunk once more).
      const nl = chunk.indexOf(10, start);
      const line = Buffer.concat([...this.carry, chunk.subarray(start, nl + 1)]);
      this.carry = [];
      this.carryLength = 0;
      this.lines(line.toString('utf8'));
      start = nl + 1;
    }
    // Whole lines only (cut at a newline byte), so a multi-byte character is never cut.
    if (start <= last) this.lines(chunk.toString('utf8', start, last + 1));
    this.carry = last + 1 < chunk.length ? [chunk.subarray(last + 1)] : [];
    this.carryLength = chunk.length - last - 1;
  }

  /** git is done: flush what is pending. */
  end(): void {
    if (this.carry.length > 0 && !this.droppingLine) this.lines(`${Buffer.concat(this.carry).toString('utf8')}\n`);
    this.carry = [];
    this.carryLength = 0;
    this.endFile();
    this.mode = Mode.Idle;
  }

  private lines(text: string): void {
    let at = 0;
    const n = text.length;
    while (at < n) {
      let nl = text.indexOf('\n', at);
      if (nl < 0) nl = n;
      if (this.mode === Mode.Hunk) {
        // Lines of a hunk, the bulk of the output, are read in place: a string is made
        // only of the part kept (a removed line, or one in a file not scanned, costs none).
        const c = at < nl ? text.charCodeAt(at) : -1;
        // ' ', '+', '-': a line of the hunk; empty: a blank context line (diff.suppressBlankEmpty).
        if (c === 32 || c === 43 || c === 45 || c === -1) {
          this.hunkLine(text, at, nl);
          at = nl + 1;
          continue;
        }
        // '\': "No newline at end of file".
        if (c === 92) {
          at = nl + 1;
          continue;
        }
      }
      this.line(text.slice(at, nl));
      at = nl + 1;
    }
  }

  private line(line: string): void {
    // In a hunk, `lines` has taken the hunk's own lines: anything else starts a new section.
    if (this.mode === Mode.Hunk && line.charCodeAt(0) === 64) return this.hunkHeader(line);
    if (this.mode === Mode.Message) {
      if (line.endsWith(COMMIT_END)) {
        this.addMessage(line.slice(0, -COMMIT_END.length));
        this.finishMessage();
      } else {
        this.addMessage(line);
      }
      return;
    }
    if (line === FLUSH_LINE) return;
    if (line.startsWith(COMMIT_START)) return this.commitHeader(line);
    if (line.startsWith('diff --git ') || line.startsWith('diff --cc ') || line.startsWith('diff --combined ')) {
      this.endFile();
      this.mode = Mode.FileHeader;
      this.file = undefined;
      this.skipFile = false;
      this.parents = line.startsWith('diff --git ') ? 1 : 2;
      return;
    }
    if (this.mode !== Mode.FileHeader) return;
    if (line.startsWith('@@')) return this.hunkHeader(line);
    if (line.startsWith('+++ ')) {
      const target = line.slice(4);
      if (target === '/dev/null') {
        this.file = undefined; // deleted: nothing new to scan
        return;
      }
      // git ends an unquoted name holding a space with a tab (so patch can read it back).
      const name = target.startsWith('"') ? unquoteGitPath(target) : target.endsWith('\t') ? target.slice(0, -1) : target;
      this.file = name.startsWith('b/') ? name.slice(2) : name;
      return;
    }
    if (line.startsWith('Binary files ')) {
      this.options.stats.skippedBinary++;
      this.skipFile = true;
      return;
    }
    // A submodule (gitlink, mode 160000) changes a commit id, not content: skipped.
    if (/^(?:index |new file mode |deleted file mode |new mode |mode )/.test(line) && /\b160000\b/.test(line)) {
      this.skipFile = true;
    }
  }

  private commitHeader(line: string): void {
    this.endFile();
    const body = line.slice(COMMIT_START.length);
    const [sha = '', author = '', email = '', date = '', at = '0', ct = '0', ...rest] = body.split('\u001f');
    const first = rest.join('\u001f');
    this.commit = { sha, author, email, date, message: '', authorTime: Number(at), commitTime: Number(ct), order: this.options.nextOrder?.() };
    this.options.stats.commits++;
    this.message = [];
    this.messageLength = 0;
    if (first.endsWith(COMMIT_END)) {
      this.addMessage(first.slice(0, -COMMIT_END.length));
      this.finishMessage();
    } else {
      this.addMessage(first);
      this.mode = Mode.Message;
    }
  }

  private addMessage(text: string): void {
    if (this.messageLength >= MAX_MESSAGE) return;
    this.message.push(text);
    this.messageLength += text.length + 1;
  }

  private finishMessage(): void {
    if (this.commit) this.commit.message = this.message.join('\n').trim().slice(0, MAX_MESSAGE);
    this.message = [];
    this.mode = Mode.Idle;
  }

  private hunkHeader(line: string): void {
    this.endHunk();
    let ats = 0;
    while (line.charCodeAt(ats) === 64) ats++;
    this.parents = Math.max(1, ats - 1);
    this.mode = Mode.Hunk;
    const plus = line.indexOf(' +', ats);
    const start = plus < 0 ? NaN : parseInt(line.slice(plus + 2), 10);
    if (this.file === undefined || this.skipFile || !Number.isFinite(start)) {
      this.hunkAdded = undefined; // not scanned: lines are read and dropped
      return;
    }
    this.hunkLines = [];
    this.hunkAdded = new Set();
    this.hunkStart = start;
    this.hunkNext = start;
  }

  /** The hunk line `text[start, end)`, prefix columns included. */
  private hunkLine(text: string, start: number, end: number): void {
    const added = this.hunkAdded;
    if (!added) return;
    const p = this.parents;
    let allPlus = true;
    for (let i = 0; i < p; i++) {
      const c = start + i < end ? text.charCodeAt(start + i) : -1;
      if (c === 45) return; // '-': removed from a parent, not in the new file
      if (c !== 43) allPlus = false;
    }
    const content = end - start > p ? text.slice(start + p, end) : '';
    if (allPlus) {
      added.add(this.hunkNext);
      this.options.stats.lines++;
    }
    this.hunkLines.push(content);
    this.hunkNext++;
    this.fileBytes += content.length + 1;
    if (this.fileBytes > this.options.maxBytes) this.tooLarge();
  }

  private endHunk(): void {
    const added = this.hunkAdded;
    this.hunkAdded = undefined;
    if (!added || added.size === 0 || this.file === undefined) return;
    this.fileFragments.push(newFragment({ raw: this.hunkLines.join('\n'), filePath: this.file, startLine: this.hunkStart, commit: this.commit, addedLines: added }));
    this.hunkLines = [];
  }

  /** The current file's new content is larger than --max-target-megabytes: drop it and count it. */
  private tooLarge(): void {
    if (this.skipFile || this.file === undefined) return;
    this.options.stats.skippedLarge++;
    this.skipFile = true;
    this.fileFragments = [];
    this.hunkAdded = undefined;
    this.hunkLines = [];
  }

  private endFile(): void {
    this.endHunk();
    if (this.fileFragments.length > 0 && !this.skipFile) {
      const stats = this.options.stats;
      stats.files++;
      for (const f of this.fileFragments) {
        stats.bytes += f.raw.length + 1;
        this.options.emit(f);
      }
    }
    this.fileFragments = [];
    this.fileBytes = 0;
    this.file = undefined;
    this.skipFile = false;
  }
}
