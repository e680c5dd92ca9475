import { spawn, spawnSync } from 'node:child_process';
import { closeSync, fstatSync, lstatSync, openSync, readSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { TargetError } from '../errors.js';
import { newFragment, type Fragment } from './fragment.js';
import type { ScanStats, Source } from './source.js';
import { countNewlines, decodeText, hasUtf8Bom, sniffEncoding, utf8Boundary } from './content.js';

export interface FileSourceOptions {
  /** Directory (or single file) to scan. */
  root: string;
  /** Files larger than this are skipped and counted. */
  maxBytes: number;
  /** Paths (relative, `/`) to skip without reading: the detector's global path allowlist. */
  skipPath?: (relPath: string) => boolean;
  /** Read files larger than this in pieces of this size. */
  chunkBytes?: number;
  /** How far each piece reaches into the next, so a secret on the cut is seen whole. */
  overlapBytes?: number;
}

/**
 * A piece and its overlap stay under 128 KB, V8's large-object size: a larger string
 * is mapped on its own pages and faulted in page by page, and decoding files into such
 * strings ran at 350 MB/s where smaller ones decode at several GB/s (measured on the
 * benchmark tree: 250 ms of a scan went to decoding its bundles). The detector does not
 * search the overlap again (see SEARCH_PAST_OWN_END), so its size costs only the copy.
 */
const DEFAULT_CHUNK = 60 * 1024;
/** Larger than any secret we look for, PEM blocks included, and than a multi-line rule's window. */
const DEFAULT_OVERLAP = 64 * 1024;

/**
 * Files on disk (`detect --no-git`). Inside a git work tree git itself lists the files,
 * so every .gitignore, negation, .git/info/exclude and the global excludes file are
 * honoured exactly as git does. Elsewhere, a plain walk that skips `.git/`.
 */
export class FileSource implements Source {
  readonly root: string;
  private readonly single: boolean;

  constructor(private readonly options: FileSourceOptions) {
    const root = resolve(options.root);
    let st;
    try {
      st = statSync(root);
    } catch {
      throw new TargetError(`path not found: ${options.root}`, 'pass an existing file or directory');
    }
    this.single = st.isFile();
    this.root = root;
  }

  /** What reading a file needs, as plain data (worker threads receive it). */
  get readOptions(): ReadOptions {
    const { maxBytes, chunkBytes, overlapBytes } = this.options;
    return { maxBytes, chunkBytes, overlapBytes };
  }

  private listing: string[] | undefined;

  /** Relative paths of the files to scan, `/`-separated, sorted. Listed once, on first use. */
  listFiles(): string[] {
    if (this.single) return [''];
    this.listing ??= (gitListFiles(this.root) ?? walk(this.root)).sort();
    return this.listing;
  }

  /**
   * The same listing, without blocking the thread while git walks the tree: a scan on
   * several threads starts its workers while git is still listing (`onCount` hears how
   * many paths have arrived so far).
   */
  async listFilesAsync(onCount?: (files: number) => void): Promise<string[]> {
    if (this.single || this.listing) return this.listFiles();
    if (onCount) this.countListeners.push(onCount);
    this.startListing();
    await this.pendingListing;
    return this.listFiles();
  }

  /**
   * Asks git for the listing now, before anything needs it: the CLI starts it first thing,
   * and loads the rules and the detector while git walks the tree (a fifth of a second
   * on the benchmark tree, which no thread had anything else to do in).
   */
  startListing(): void {
    if (this.single || this.listing || this.pendingListing) return;
    this.pendingListing = gitListFilesAsync(this.root, (n) => {
      for (const listener of this.countListeners) listener(n);
    }).then((fromGit) => {
      this.listing = (fromGit ?? walk(this.root)).sort();
    });
  }

  private pendingListing: Promise<void> | undefined;

  /**
   * git is still listing what startListing() asked for. The CLI starts the listing before
   * it loads the rules: a listing not done by the time the scan begins is a large tree's
   * (a few hundred files list in a few milliseconds; the benchmark tree takes git 0.2 s).
   */
  get listingUnderWay(): boolean {
    return this.pendingListing !== undefined && this.listing === undefined;
  }
  private readonly countListeners: ((files: number) => void)[] = [];

  async *fragments(stats: ScanStats): AsyncIterable<Fragment> {
    // A listing under way is awaited rather than asked of git a second time.
    if (this.pendingListing) await this.pendingListing;
    const seen = new Set<string>();
    for (const entry of this.entries(stats)) yield* this.read(entry, stats, seen);
  }

  /**
   * The files to read, in order, after the checks that need no content: global path
   * allowlist, symlinks leaving the root, things that are not files. Counts what it skips.
   * Kept apart from reading so a worker pool can read the same entries in parallel.
   */
  *entries(stats: ScanStats): Iterable<FileEntry> {
    const rootReal = realpathSync(this.root);
    for (const rel of this.listFiles()) {
      const abs = this.single ? this.root : join(this.root, rel);
      const display = this.single ? baseName(this.root) : rel;
      if (this.options.skipPath?.(display)) {
        stats.skippedAllowlisted++;
        continue;
      }
      let target = abs;
      let symlinkFile: string | undefined;
      let lst;
      try {
        lst = lstatSync(abs);
      } catch (err) {
        // Listed by git but deleted from the work tree: nothing on disk to scan.
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        stats.unreadable++;
        stats.warnings.push(`cannot read ${display}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
        continue;
      }
      if (lst.isSymbolicLink()) {
        // Follow a link only when it stays inside the root: a link to ~/.ssh is not ours to read.
        let real: string;
        try {
          real = realpathSync(abs);
        } catch {
          stats.skippedSymlinks++;
          continue;
        }
        if (real !== rootReal && !real.startsWith(rootReal.endsWith(sep) ? rootReal : rootReal + sep)) {
          stats.skippedSymlinks++;
          continue;
        }
        target = real;
        symlinkFile = display;
      } else if (!lst.isFile()) {
        continue; // submodule directory, socket, fifo…
      }
      const filePath = symlinkFile ? toSlash(relative(rootReal, target)) : display;
      yield { path: target, filePath, symlinkFile, size: lst.isSymbolicLink() ? -1 : lst.size, ...(lst.isSymbolicLink() ? {} : { inode: `${lst.dev}:${lst.ino}` }) };
    }
  }

  /**
   * Reads one entry as fragments. `seen` (device:inode) makes a file reached twice, through
   * a symlink and directly, scanned once; pass the same set for the whole scan.
   */
  *read(entry: FileEntry, stats: ScanStats, seen: Set<string>): Iterable<Fragment> {
    yield* readEntry(entry, stats, seen, this.options);
  }
}

/** A file to read: where it is, and how findings name it. */
export interface FileEntry {
  /** Absolute path to open (a symlink's target, already resolved). */
  path: string;
  /** Path relative to the scan root, `/` separators. */
  filePath: string;
  /** The symlink's own path, when reached through one. */
  symlinkFile?: string;
  /** Size from lstat (-1 for a symlink): lets a scheduler balance work without reading. */
  size: number;
  /** `dev:ino` from lstat, for a regular file: finds a file reached twice without another stat. */
  inode?: string;
}

/** Options `readEntry` needs: plain data, so a worker thread can receive them. */
export type ReadOptions = Pick<FileSourceOptions, 'maxBytes' | 'chunkBytes' | 'overlapBytes'>;

export function* readEntry(entry: FileEntry, stats: ScanStats, seen: Set<string>, options: ReadOptions): Iterable<Fragment> {
  const { path: abs, filePath, symlinkFile } = entry;
  let fd: number;
  try {
    fd = openSync(abs, 'r');
  } catch (err) {
    stats.unreadable++;
    stats.warnings.push(`cannot read ${symlinkFile ?? filePath}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    return;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return;
    const id = `${st.dev}:${st.ino}`;
    if (seen.has(id)) return;
    seen.add(id);
    if (st.size > options.maxBytes) {
      stats.skippedLarge++;
      return;
    }
    yield* readFragments(fd, st.size, filePath, symlinkFile, stats, options.chunkBytes ?? DEFAULT_CHUNK, options.overlapBytes ?? DEFAULT_OVERLAP);
  } catch (err) {
    stats.unreadable++;
    stats.warnings.push(`cannot read ${symlinkFile ?? filePath}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads an open file as fragments: whole when small, otherwise in pieces cut at a line
 * end, each reaching `overlap` bytes into the next and owning only its own part.
 */
function* readFragments(fd: number, size: number, filePath: string, symlinkFile: string | undefined, stats: ScanStats, chunk: number, overlap: number): Iterable<Fragment> {
  const first = readBuffer(Math.min(size, chunk + overlap));
  const firstLen = readFully(fd, first, 0);
  const encoding = sniffEncoding(first.subarray(0, firstLen));
  if (encoding === 'binary') {
    stats.skippedBinary++;
    return;
  }
  stats.files++;
  stats.bytes += size;
  if (encoding !== 'utf8' || firstLen >= size) {
    // UTF-16 files are rare and small: decode whole.
    const buf = firstLen >= size ? first.subarray(0, firstLen) : readAll(fd, size);
    const raw = decodeText(buf, encoding);
    stats.lines += countLines(raw);
    const body = encoding === 'utf8' ? buf.subarray(hasUtf8Bom(buf) ? 3 : 0) : undefined;
    yield newFragment({ raw, filePath, symlinkFile, startLine: 1, bytes: body && isOneBytePerCharacter(raw, body) ? body : undefined });
    return;
  }
  // A UTF-8 byte-order mark is no character of line 1 (decodeText drops it for whole files too).
  let pos = hasUtf8Bom(first.subarray(0, firstLen)) ? 3 : 0;
  let line = 1;
  let column = 1;
  let buf = first.subarray(pos, firstLen);
  for (;;) {
    const last = pos + buf.length >= size;
    const raw = buf.toString('utf8');
    const bytes = isOneBytePerCharacter(raw, buf) ? buf : undefined;
    const startColumn = column > 1 ? column : undefined;
    if (last) {
      stats.lines += countLines(raw);
      yield newFragment({ raw, filePath, symlinkFile, startLine: line, startColumn, bytes });
      return;
    }
    // Cut after the last newline of the own part; with no newline (minified), at a character boundary.
    const nl = buf.lastIndexOf(10, chunk - 1);
    const cut = nl >= 0 ? nl + 1 : utf8Boundary(buf, chunk) || chunk;
    const own = buf.subarray(0, cut);
    const ownEnd = bytes ? cut : own.toString('utf8').length;
    const newlines = countNewlines(own);
    stats.lines += newlines;
    yield newFragment({ raw, filePath, symlinkFile, startLine: line, startColumn, ownEnd, bytes });
    line += newlines;
    // Cut at a line end, the next piece starts a line; cut inside a line, it goes on where this one stopped.
    column = nl >= 0 ? 1 : column + ownEnd;
    pos += cut;
    // The previous piece is decoded already: its bytes may be overwritten.
    const next = readBuffer(Math.min(size - pos, chunk + overlap));
    buf = next.subarray(0, readFully(fd, next, pos));
    if (buf.length === 0) return; // file shrank while we read it
  }
}

/**
 * True when every byte of `bytes` decoded to one character of `text`, at the same offset:
 * no byte decodes to less than one UTF-16 unit's worth (a multi-byte sequence, even a
 * 4-byte one giving a surrogate pair, is shorter in UTF-16), so equal lengths mean ASCII
 * bytes and invalid single bytes replaced one for one.
 */
function isOneBytePerCharacter(text: string, bytes: Uint8Array): boolean {
  return text.length === bytes.length;
}

/**
 * One read buffer per thread, reused file after file (pieces are decoded to strings before
 * the next read). A fresh buffer per file cost a page fault per 4 KB read and the kernel
 * time to zero those pages: a fifth of a directory scan's time went to system calls.
 */
let scratch: Buffer | undefined;

function readBuffer(size: number): Buffer {
  if (scratch === undefined || scratch.length < size) scratch = Buffer.allocUnsafeSlow(Math.max(size, DEFAULT_CHUNK + DEFAULT_OVERLAP));
  return scratch.subarray(0, size);
}

function countLines(raw: string): number {
  if (raw.length === 0) return 0;
  let n = 0;
  for (let at = raw.indexOf('\n'); at >= 0; at = raw.indexOf('\n', at + 1)) n++;
  return raw.endsWith('\n') ? n : n + 1;
}

function readFully(fd: number, buf: Buffer, position: number): number {
  let got = 0;
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

function readAll(fd: number, size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  return buf.subarray(0, readFully(fd, buf, 0));
}

/**
 * Ask git for the files of the work tree under `dir`: tracked ones and untracked ones
 * that are not ignored. Returns undefined outside a work tree (or without git).
 */
function gitListFiles(dir: string): string[] | undefined {
  const res = spawnSync('git', LS_FILES, {
    cwd: dir,
    encoding: 'buffer',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (res.error || res.status !== 0) return undefined;
  return listedPaths(dir, res.stdout);
}

const LS_FILES = ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate'];

/** gitListFiles, asynchronously, counting paths as git prints them. */
function gitListFilesAsync(dir: string, onCount?: (files: number) => void): Promise<string[] | undefined> {
  return new Promise((resolve) => {
    const child = spawn('git', LS_FILES, { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    let count = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (!onCount) return;
      for (let at = chunk.indexOf(0); at >= 0; at = chunk.indexOf(0, at + 1)) count++;
      onCount(count);
    });
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => resolve(code === 0 ? listedPaths(dir, Buffer.concat(chunks)) : undefined));
  });
}

/** Paths from `git ls-files -z` output; undefined when an empty answer means git sees no work tree here. */
function listedPaths(dir: string, stdout: Buffer): string[] | undefined {
  const out = stdout.toString('utf8');
  if (out.length === 0) {
    // An empty list may also mean "inside .git" or a bare repository; fall back only if git says we are not in a work tree.
    const inside = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, encoding: 'utf8' });
    if (inside.status !== 0 || inside.stdout.trim() !== 'true') return undefined;
    return [];
  }
  return out.split('\0').filter((p) => p !== '');
}

/** A plain walk: every file below `dir` except `.git/`, not following symlinked directories. */
function walk(dir: string): string[] {
  const out: string[] = [];
  const stack: string[] = [''];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(join(dir, rel), { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name !== '.git') stack.push(child);
      } else {
        out.push(child);
      }
    }
  }
  return out;
}

function toSlash(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

function baseName(p: string): string {
  return toSlash(p).split('/').pop() ?? p;
}
