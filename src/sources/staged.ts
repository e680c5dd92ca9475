import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GitError, TargetError } from '../errors.js';
import { newFragment, type Fragment } from './fragment.js';
import { gitEnv, lastLine, plainWorkTree, spawnGit, unquoteGitPath } from './git.js';
import type { ScanStats, Source } from './source.js';

export interface StagedOptions {
  /** Any directory inside the repository. */
  cwd: string;
  /**
   * Only these paths (as the user gave them: relative to `cwd`, or absolute). The
   * pre-commit framework and lint-staged pass the files of the commit this way.
   * Undefined or empty: everything staged.
   */
  paths?: string[];
  /** Skip staged files larger than this many bytes. */
  maxBytes: number;
  /** A global path allowlist excludes this path: not read at all. */
  skipPath?: (path: string) => boolean;
}

/** A file the commit adds (not modifies): hygiene checks look at these by name. */
export interface NewStagedFile {
  /** Repository-relative path, `/` separators. */
  path: string;
  /** Its staged text, when it is text and at most 64 KB. */
  content?: string;
}

/** One file of `git diff --cached`, as parsed from its patch. */
interface StagedFile {
  path: string;
  mode?: string;
  isNew: boolean;
  deleted: boolean;
  binary: boolean;
  /** 1-based line numbers of the index version that the commit adds or changes. */
  added: Set<number>;
  /** The index version's lines (full-context diffs only); undefined once over the size limit. */
  lines?: string[];
  bytes: number;
  large: boolean;
}

const GITLINK_MODE = '160000';
/** Like git (and content.ts): a NUL in the first 8000 bytes means binary. */
const SNIFF_CHARS = 8000;
/** New files keep their text for the credential-file check only up to this size (credential files are small). */
const NEW_FILE_CONTENT_CHARS = 64 * 1024;

/**
 * Context wide enough that each file's patch holds the whole index version: one git
 * call gives both the content and which lines are new. (Not INT_MAX: git adds it to
 * line numbers in a C `long`, 32 bits on Windows.)
 */
const WHOLE_FILE_CONTEXT = '-U100000000';

/**
 * What the next commit will contain: the index, compared with HEAD (or with nothing
 * before the first commit). The text scanned is the index version, never the working
 * tree, so partial staging (`git add -p`) is honoured both ways; only lines the commit
 * adds or changes are reported (`Fragment.addedLines`), but the detector sees the whole
 * staged file so a key name on an unchanged line or a multi-line secret still match.
 *
 * During a merge, a line counts only when it is new against every parent (HEAD and
 * MERGE_HEAD), as in a combined diff: the conflict resolution is what is scanned, not
 * the other branch's already-committed history (`keyscan detect` covers that).
 *
 * Start-up is the whole cost of a small commit (issue 3), and on Linux each git process
 * costs Node a fork of itself on the main thread. So the hook's case is one process: a
 * whole-file `diff --cached`, with the work tree and merge state read from `.git` where
 * git itself runs hooks (the top of the work tree, see `plainWorkTree` in git.ts).
 * Anywhere else (a subdirectory, GIT_DIR set, a bare repository) `rev-parse` answers,
 * concurrently with the diff.
 */
export class StagedSource implements Source {
  /** The work tree's top directory; known once scanning has started. */
  root = '';
  /** Filled while scanning: files the commit creates, for the credential-file check. */
  readonly newFiles: NewStagedFile[] = [];
  /** Files in the staged diff, whatever became of them (deleted, binary, submodule…). */
  stagedFiles = 0;

  private started?: { where?: Promise<{ status: number; stdout: string }>; diff: GitOutput; pathspecs?: string[] };
  private mergeHead = '';

  constructor(private readonly options: StagedOptions) {}

  /**
   * Start git now, so it runs while the caller loads the rest of the pipeline; idempotent.
   * The diff needs nothing from the work tree's location (it reads the index, paths
   * relative to `cwd`), so it never waits for it.
   */
  start(): void {
    if (this.started) return;
    const { cwd, paths } = this.options;
    // Names are literal (a `*` or `:` in a file name is not a pattern) and relative to
    // cwd, as git reads pathspecs; absolute paths inside the work tree work too.
    const pathspecs = paths && paths.length > 0 ? paths.map((p) => `:(literal)${p}`) : undefined;
    const diff = spawnOutput(cwd, diffArgs(undefined, pathspecs));
    const plain = plainWorkTree(cwd);
    if (plain) {
      this.root = plain.top;
      this.mergeHead = join(plain.gitDir, 'MERGE_HEAD');
      this.started = { diff, pathspecs };
    } else {
      this.started = { where: capture(cwd, ['rev-parse', '--show-toplevel', '--git-path', 'MERGE_HEAD']), diff, pathspecs };
    }
  }

  /**
   * Start git (if not yet) and return the work tree's top directory, e.g. to find the
   * repository's config and ignore files while the diff runs.
   */
  async locate(): Promise<string> {
    this.start();
    if (this.root !== '') return this.root;
    const located = await this.started!.where!;
    const cwd = this.options.cwd;
    const [root = '', mergeHead = ''] = located.stdout.split('\n');
    if (located.status !== 0 || root === '') {
      this.started!.diff.kill();
      if (located.status !== 0) throw new TargetError(`not a git repository: ${cwd}`, '`keyscan protect` scans what is staged for a commit; run it inside a repository');
      throw new TargetError(`not inside a work tree: ${cwd}`, '`keyscan protect` needs a repository with a work tree');
    }
    this.mergeHead = resolve(cwd, mergeHead);
    this.root = root;
    return root;
  }

  async *fragments(stats: ScanStats): AsyncIterable<Fragment> {
    await this.locate();
    const { cwd, maxBytes } = this.options;
    const { diff, pathspecs } = this.started!;
    let theirs: Map<string, Set<number>> | undefined;
    if (existsSync(this.mergeHead)) {
      theirs = new Map();
      for await (const f of parseDiff(spawnOutput(cwd, diffArgs('MERGE_HEAD', pathspecs)).chunks, false, maxBytes)) theirs.set(f.path, f.added);
      stats.notes.push('merge in progress: only lines new against both parents (the conflict resolution) were scanned');
    }
    // File by file as git writes them: memory holds one staged file, not the whole commit.
    for await (const f of parseDiff(diff.chunks, true, maxBytes)) {
      this.stagedFiles++;
      if (theirs) {
        const other = theirs.get(f.path);
        f.added = new Set([...f.added].filter((l) => other?.has(l) === true));
      }
      if (f.deleted) continue; // nothing of it is committed
      if (f.mode === GITLINK_MODE) continue; // submodule: its own repository scans its own commits
      const added: NewStagedFile | undefined = f.isNew ? { path: f.path } : undefined;
      if (added) this.newFiles.push(added);
      if (f.binary) {
        stats.skippedBinary++;
        continue;
      }
      if (f.large) {
        stats.skippedLarge++;
        continue;
      }
      if (f.added.size === 0 && !f.isNew) continue; // renamed or mode change only
      if (this.options.skipPath?.(f.path)) {
        stats.skippedAllowlisted++;
        continue;
      }
      const text = (f.lines ?? []).join('\n');
      if (text.slice(0, SNIFF_CHARS).includes('\0')) {
        stats.skippedBinary++;
        continue;
      }
      if (added && text.length <= NEW_FILE_CONTENT_CHARS) added.content = text;
      if (f.added.size === 0) continue;
      stats.files++;
      stats.lines += f.added.size;
      stats.bytes += f.bytes;
      yield newFragment({ raw: text, filePath: f.path, startLine: 1, addedLines: f.added });
    }
  }
}

export function diffArgs(base: string | undefined, pathspecs: string[] | undefined): string[] {
  return [
    '-c', 'core.quotePath=true', 'diff', '--cached', base === undefined ? WHOLE_FILE_CONTEXT : '-U0', '--full-index', '-M',
    // A deleted file's header only, not its whole old content as removed lines: nothing of
    // it is committed. Deleting a 10 MB file made the hook take 0.41 s instead of 0.18 s.
    '--irreversible-delete',
    // --text: a `-diff` or `binary` attribute (often set on lockfiles or *.env) must not
    // hide a file from the scan; binary content is recognised by its NUL bytes instead.
    '--text', '--no-color', '--no-ext-diff', '--no-textconv', '--ignore-submodules=none', '--submodule=short',
    '--inter-hunk-context=0', '--src-prefix=a/', '--dst-prefix=b/',
    ...(base ? [base] : []),
    ...(pathspecs ? ['--', ...pathspecs] : []),
  ];
}

/**
 * Parse `git diff --cached`, file by file. Against HEAD (or the empty tree before the
 * first commit) the diff has whole-file context, so each file's
 * index version is rebuilt from its context and added lines; against another base
 * (MERGE_HEAD) only the added line numbers are needed (-U0). Hunk bodies are consumed
 * by their counts, so a content line that looks like a header (`+++ x`) is never misread.
 */
async function* parseDiff(chunks: AsyncIterable<Buffer>, withContent: boolean, maxBytes: number): AsyncGenerator<StagedFile> {
  const parser = new DiffParser(withContent, maxBytes);
  for await (const chunk of chunks) yield* parser.push(chunk);
  yield* parser.end();
}

/**
 * The parser behind parseDiff, fed git's output as it comes. It works a chunk at a time:
 * one decode per chunk, each content line a slice of it, no promise per line. Reading
 * line by line through async generators made the diff of a 10-file commit allocate
 * about 3 MB (three young-generation collections) and cost more than its scan (issue 3).
 */
export class DiffParser {
  private cur: StagedFile | undefined;
  private oldLeft = 0;
  private newLeft = 0;
  private next = 0;
  /** The end of the last chunk, after its last newline. */
  private rest: Buffer | undefined;
  /** The current file's `diff --git` line. */
  private gitLine = '';

  constructor(private readonly withContent: boolean, private readonly maxBytes: number) {}

  /** Feed the next chunk of output; returns the files it completed. */
  push(chunk: Buffer): StagedFile[] {
    const buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    // Lines end at `\n` only (a lone `\r` stays in the line, as the file has it); a `\n`
    // byte is never part of a multi-byte UTF-8 character, so the cut decodes cleanly.
    const end = buf.lastIndexOf(10) + 1;
    this.rest = end < buf.length ? buf.subarray(end) : undefined;
    return end === 0 ? [] : this.lines(buf.toString('utf8', 0, end), end);
  }

  /** The output ended: the last file. */
  end(): StagedFile[] {
    const done = this.rest ? this.lines(`${this.rest.toString('utf8')}\n`, this.rest.length + 1) : [];
    this.rest = undefined;
    if (this.cur && this.cur.path !== '') done.push(this.cur);
    this.cur = undefined;
    return done;
  }

  /** Whole lines (`text` ends with `\n`), `bytes` long in UTF-8. */
  private lines(text: string, bytes: number): StagedFile[] {
    const done: StagedFile[] = [];
    // Pure ASCII (the usual case): a line's UTF-8 size is its length.
    const ascii = text.length === bytes;
    for (let pos = 0, nl = text.indexOf('\n'); nl >= 0; pos = nl + 1, nl = text.indexOf('\n', pos)) {
      if (this.oldLeft > 0 || this.newLeft > 0) {
        const cur = this.cur!;
        const c = text.charCodeAt(pos);
        if (c === 92 /* \ No newline at end of file */) continue;
        if (c === 45 /* - */) {
          this.oldLeft--;
          continue;
        }
        if (c === 32 /* space */) this.oldLeft--;
        else cur.added.add(this.next);
        this.newLeft--;
        if (cur.lines) {
          cur.bytes += (ascii ? nl - pos : Buffer.byteLength(text.slice(pos, nl))) + 1;
          if (cur.bytes > this.maxBytes) {
            cur.lines = undefined;
            cur.large = true;
          } else {
            cur.lines[this.next - 1] = text.slice(pos + 1, nl);
          }
        }
        this.next++;
        continue;
      }
      const finished = this.header(text.slice(pos, nl));
      if (finished) done.push(finished);
    }
    return done;
  }

  /** A line outside hunk bodies; returns the previous file when this one starts a new file. */
  private header(line: string): StagedFile | undefined {
    if (line.startsWith('diff --git ')) {
      const prev = this.cur;
      this.cur = { path: '', isNew: false, deleted: false, binary: false, added: new Set(), lines: this.withContent ? [] : undefined, bytes: 0, large: false };
      // A deletion (--irreversible-delete) has no ---/+++ lines: its name is only here.
      this.gitLine = line;
      return prev && prev.path !== '' ? prev : undefined;
    }
    const cur = this.cur;
    if (!cur) return undefined;
    if (line.startsWith('@@ ')) {
      const m = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!m) throw new GitError(`unexpected hunk header from git diff: ${line.slice(0, 80)}`);
      this.oldLeft = m[1] === undefined ? 1 : Number(m[1]);
      this.next = Number(m[2]);
      this.newLeft = m[3] === undefined ? 1 : Number(m[3]);
      if (!this.withContent) {
        // -U0: the new side of a hunk is exactly the added lines.
        for (let l = this.next; l < this.next + this.newLeft; l++) cur.added.add(l);
      }
      return undefined;
    }
    if (line.startsWith('new file mode ')) {
      cur.isNew = true;
      cur.mode = line.slice('new file mode '.length);
    } else if (line.startsWith('new mode ')) {
      cur.mode = line.slice('new mode '.length);
    } else if (line.startsWith('deleted file mode ')) {
      cur.deleted = true;
      cur.path ||= sameNamePath(this.gitLine.slice('diff --git '.length));
    } else if (line.startsWith('index ')) {
      const m = /^index [0-9a-f]+\.\.[0-9a-f]+ (\d+)/.exec(line);
      if (m) cur.mode = m[1];
    } else if (line.startsWith('--- ')) {
      cur.path ||= diffPath(line.slice(4)).replace(/^a\//, ''); // a deletion's only name
    } else if (line.startsWith('+++ ')) {
      cur.path = diffPath(line.slice(4)) || cur.path;
    } else if (line.startsWith('rename to ')) {
      cur.path = unquoteGitPath(line.slice('rename to '.length));
    } else if (line.startsWith('Binary files ')) {
      cur.binary = true;
      // A binary file has no +++ line; its name is in "Binary files a/x and b/y differ".
      if (cur.path === '') cur.path = binaryPath(line);
    }
    // "* Unmerged path x" (an unresolved conflict) has no content yet: git refuses the commit until it is resolved.
    return undefined;
  }
}

/** `b/path`, `"b/quoted\tpath"` or `/dev/null`; git appends a tab to names holding a space. */
function diffPath(field: string): string {
  const f = field.replace(/\t$/, '');
  if (f === '/dev/null') return '';
  const p = f.startsWith('"') ? unquoteGitPath(f) : f;
  return p.startsWith('b/') ? p.slice(2) : p;
}

/**
 * The name in `diff --git a/N b/N` when both sides name the same file, as a deletion's do;
 * '' otherwise. Cut in the middle: N may hold spaces (git quotes a name only for special
 * characters, and then both sides).
 */
export function sameNamePath(rest: string): string {
  const half = (rest.length - 1) / 2;
  if (!Number.isInteger(half) || rest[half] !== ' ') return '';
  const side = (f: string, prefix: string): string | undefined => {
    const p = f.startsWith('"') ? unquoteGitPath(f) : f;
    return p.startsWith(prefix) ? p.slice(prefix.length) : undefined;
  };
  const a = side(rest.slice(0, half), 'a/');
  return a !== undefined && a === side(rest.slice(half + 1), 'b/') ? a : '';
}

function binaryPath(line: string): string {
  const m = / and (".*"|b\/.*|\/dev\/null)\t? differ$/.exec(line);
  return m ? diffPath(m[1]!) : '';
}

/** A small git query, asynchronous so it can run while the diff does. */
function capture(cwd: string, args: string[]): Promise<{ status: number; stdout: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('git', args, { cwd, env: gitEnv(), stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (stdout += d));
    child.on('error', (err) => reject((err as NodeJS.ErrnoException).code === 'ENOENT' ? new GitError('git is not installed or not on PATH', 'install git') : err));
    child.on('close', (code) => resolvePromise({ status: code ?? -1, stdout: stdout.replace(/\n$/, '') }));
  });
}

interface GitOutput {
  chunks: AsyncGenerator<Buffer>;
  kill: () => void;
}

/**
 * Start a git command now (so it runs while other work happens) and hand its stdout
 * over chunk by chunk, for DiffParser to split into lines.
 */
function spawnOutput(cwd: string, args: string[]): GitOutput {
  const child = spawnGit(cwd, args);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 16 * 1024) stderr += d;
  });
  const exited = new Promise<number>((resolvePromise, reject) => {
    child.on('error', (err) => reject((err as NodeJS.ErrnoException).code === 'ENOENT' ? new GitError('git is not installed or not on PATH', 'install git') : err));
    child.on('close', (code) => resolvePromise(code ?? -1));
  });
  // Until the output is read, a failure (git missing) must not be an unhandled rejection.
  exited.catch(() => {});
  // Read from the start: Node discards a child's unread stdout when it exits (flushStdio),
  // and this diff may finish before its output is wanted. Paused while well ahead.
  const queue: Buffer[] = [];
  let queued = 0;
  let ended = false;
  let wake: (() => void) | undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    queued += chunk.length;
    if (queued > 4 * 1024 * 1024) child.stdout.pause();
    wake?.();
  });
  child.stdout.on('end', () => {
    ended = true;
    wake?.();
  });
  async function* chunks(): AsyncGenerator<Buffer> {
    let finished = false;
    try {
      for (;;) {
        const chunk = queue.shift();
        if (!chunk) {
          if (ended) break;
          await new Promise<void>((resolveWait) => (wake = resolveWait));
          wake = undefined;
          continue;
        }
        queued -= chunk.length;
        if (child.stdout.isPaused() && queued < 1024 * 1024) child.stdout.resume();
        yield chunk;
      }
      finished = true;
    } finally {
      if (!finished) child.kill();
    }
    const code = await exited;
    if (code !== 0) {
      throw new GitError(`git diff failed: ${lastLine(stderr) || `exit ${code}`}`);
    }
  }
  return { chunks: chunks(), kill: () => child.kill() };
}
