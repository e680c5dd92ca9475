import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { GitError, TargetError } from '../errors.js';
import { decodeText, sniffEncoding } from './content.js';
import type { Fragment } from './fragment.js';
import { gitLines, gitQuery, unquoteGitPath } from './git.js';
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
  /** Skip blobs larger than this many bytes. */
  maxBytes: number;
  /** A global path allowlist excludes this path: not read at all. */
  skipPath?: (path: string) => boolean;
}

/** A file the commit adds (not modifies): hygiene checks look at these by name. */
export interface NewStagedFile {
  /** Repository-relative path, `/` separators. */
  path: string;
  /** Decoded text, when it was read (text and within the size limit). */
  content?: string;
}

/** One file of `git diff --cached`, as parsed from its patch. */
interface StagedFile {
  path: string;
  /** Index blob id; undefined for a deletion. */
  blob?: string;
  mode?: string;
  isNew: boolean;
  binary: boolean;
  /** 1-based line numbers of the index version that the commit adds or changes. */
  added: Set<number>;
}

const GITLINK_MODE = '160000';

/**
 * What the next commit will contain: the index, compared with HEAD (or with nothing
 * before the first commit). The text scanned is the index blob, never the working
 * tree, so partial staging (`git add -p`) is honoured both ways; only lines the commit
 * adds or changes are reported (`Fragment.addedLines`), but the detector sees the whole
 * staged file so a key name on an unchanged line or a multi-line secret still match.
 *
 * During a merge, a line counts only when it is new against every parent (HEAD and
 * MERGE_HEAD), as in a combined diff: the conflict resolution is what is scanned, not
 * the other branch's already-committed history (`keyscan detect` covers that).
 */
export class StagedSource implements Source {
  readonly root: string;
  private readonly mergeHeadFile: string;
  /** Filled while scanning: files the commit creates, for the credential-file check. */
  readonly newFiles: NewStagedFile[] = [];
  /** Files in the staged diff, whatever became of them (deleted, binary, submodule…). */
  stagedFiles = 0;

  constructor(private readonly options: StagedOptions) {
    // One git call for both: start-up is the whole cost of a small commit.
    const res = gitQuery(options.cwd, ['rev-parse', '--show-toplevel', '--git-path', 'MERGE_HEAD']);
    if (res.status !== 0) {
      throw new TargetError(`not a git repository: ${options.cwd}`, '`keyscan protect` scans what is staged for a commit; run it inside a repository');
    }
    const [root = '', mergeHead = ''] = res.stdout.split('\n');
    if (root === '') throw new TargetError(`not inside a work tree: ${options.cwd}`, '`keyscan protect` needs a repository with a work tree');
    this.root = root;
    this.mergeHeadFile = resolve(options.cwd, mergeHead);
  }

  async *fragments(stats: ScanStats): AsyncIterable<Fragment> {
    const pathspecs = this.pathspecs();
    if (pathspecs && pathspecs.length === 0) return;
    const files = await stagedDiff(this.root, 'HEAD', pathspecs);
    if (existsSync(this.mergeHeadFile)) {
      const theirs = await stagedDiff(this.root, 'MERGE_HEAD', pathspecs);
      const byPath = new Map(theirs.map((f) => [f.path, f.added]));
      for (const f of files) {
        const other = byPath.get(f.path);
        f.added = new Set([...f.added].filter((l) => other?.has(l) === true));
      }
      stats.notes.push('merge in progress: only lines new against both parents (the conflict resolution) were scanned');
    }
    this.stagedFiles = files.length;
    const newFiles = new Map<string, NewStagedFile>();
    const toRead: StagedFile[] = [];
    for (const f of files) {
      if (f.blob === undefined) continue; // deleted: nothing of it is committed
      if (f.mode === GITLINK_MODE) continue; // submodule: its own repository scans its own commits
      if (f.isNew) newFiles.set(f.path, { path: f.path });
      if (f.binary) {
        stats.skippedBinary++;
        continue;
      }
      if (f.added.size === 0 && !f.isNew) continue; // renamed or mode change only
      if (this.options.skipPath?.(f.path)) {
        stats.skippedAllowlisted++;
        continue;
      }
      toRead.push(f);
    }
    this.newFiles.push(...newFiles.values());
    if (toRead.length === 0) return;
    let i = 0;
    for await (const blob of readBlobs(this.root, toRead.map((f) => f.blob!), this.options.maxBytes)) {
      const f = toRead[i++]!;
      if (blob === 'large') {
        stats.skippedLarge++;
        continue;
      }
      if (blob === 'missing') {
        stats.unreadable++;
        stats.warnings.push(`${f.path}: staged blob ${f.blob!.slice(0, 12)} could not be read`);
        continue;
      }
      const encoding = sniffEncoding(blob);
      if (encoding === 'binary') {
        stats.skippedBinary++;
        continue;
      }
      const text = decodeText(blob, encoding);
      const added = newFiles.get(f.path);
      if (added) added.content = text;
      if (f.added.size === 0) continue;
      stats.files++;
      stats.lines += f.added.size;
      stats.bytes += blob.length;
      yield { raw: text, filePath: f.path, startLine: 1, addedLines: f.added };
    }
  }

  /**
   * The user's paths as literal pathspecs relative to the root (so `*` or `:` in a name
   * is not a pattern). Undefined: no restriction. Paths outside the repository are an error.
   */
  private pathspecs(): string[] | undefined {
    const paths = this.options.paths;
    if (!paths || paths.length === 0) return undefined;
    return paths.map((p) => {
      const abs = isAbsolute(p) ? p : resolve(this.options.cwd, p);
      const rel = relative(this.root, abs);
      if (rel.startsWith('..') || isAbsolute(rel)) throw new TargetError(`${p}: outside the repository ${this.root}`, 'name files inside the repository');
      return `:(literal)${rel.split('\\').join('/') || '.'}`;
    });
  }
}

/**
 * Parse `git diff --cached -U0` against `base`: for each file, the index blob and the
 * line numbers the index version adds. With -U0 every hunk is `-a,b +c,d`: its added
 * lines are c … c+d-1. Hunk bodies are skipped by count, so a content line that looks
 * like a header (`+++ x`) is never misread.
 */
async function stagedDiff(root: string, base: string, pathspecs: string[] | undefined): Promise<StagedFile[]> {
  const args = [
    '-c', 'core.quotePath=true', 'diff', '--cached', '-U0', '--full-index', '-M', '--no-color', '--no-ext-diff',
    '--no-textconv', '--ignore-submodules=none', '--submodule=short', '--inter-hunk-context=0', '--src-prefix=a/', '--dst-prefix=b/', base,
    ...(pathspecs ? ['--', ...pathspecs] : []),
  ];
  // Before the first commit there is no HEAD: `git diff --cached` with no revision compares with the empty tree.
  if (base === 'HEAD' && gitQuery(root, ['rev-parse', '-q', '--verify', 'HEAD^{commit}']).status !== 0) args.splice(args.indexOf(base), 1);
  const files: StagedFile[] = [];
  let cur: StagedFile | undefined;
  let skip = 0;
  for await (const line of gitLines(root, args)) {
    if (skip > 0) {
      if (!line.startsWith('\\')) skip--; // "\ No newline at end of file" is not a line of either side
      continue;
    }
    if (line.startsWith('diff --git ')) {
      cur = { path: '', isNew: false, binary: false, added: new Set() };
      files.push(cur);
      continue;
    }
    if (!cur) continue;
    if (line.startsWith('@@ ')) {
      const m = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!m) throw new GitError(`unexpected hunk header from git diff: ${line.slice(0, 80)}`);
      const removed = m[1] === undefined ? 1 : Number(m[1]);
      const start = Number(m[2]);
      const count = m[3] === undefined ? 1 : Number(m[3]);
      for (let l = start; l < start + count; l++) cur.added.add(l);
      skip = removed + count;
      continue;
    }
    if (line.startsWith('new file mode ')) {
      cur.isNew = true;
      cur.mode = line.slice('new file mode '.length);
    } else if (line.startsWith('new mode ')) {
      cur.mode = line.slice('new mode '.length);
    } else if (line.startsWith('deleted file mode ')) {
      cur.blob = undefined;
    } else if (line.startsWith('index ')) {
      const m = /^index [0-9a-f]+\.\.([0-9a-f]+)(?: (\d+))?/.exec(line);
      if (m) {
        cur.blob = /^0+$/.test(m[1]!) ? undefined : m[1];
        if (m[2]) cur.mode = m[2];
      }
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
    // "* Unmerged path x" (an unresolved conflict) has no blob yet: git refuses the commit until it is resolved.
  }
  return files.filter((f) => f.path !== '');
}

/** `b/path`, `"b/quoted\tpath"` or `/dev/null`; git appends a tab to unquoted names holding a space. */
function diffPath(field: string): string {
  const f = field.replace(/\t$/, '');
  if (f === '/dev/null') return '';
  const p = f.startsWith('"') ? unquoteGitPath(f) : f;
  return p.startsWith('b/') ? p.slice(2) : p;
}

function binaryPath(line: string): string {
  const m = / and (".*"|b\/.*|\/dev\/null)\t? differ$/.exec(line);
  return m ? diffPath(m[1]!) : '';
}

/**
 * Read blobs with one `git cat-file --batch`, streaming, in order. A blob larger than
 * `maxBytes` is skipped without being kept in memory. Yields the content, or 'large' /
 * 'missing'.
 */
async function* readBlobs(root: string, ids: string[], maxBytes: number): AsyncGenerator<Buffer | 'large' | 'missing'> {
  const child = spawn('git', ['cat-file', '--batch'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
  const exited = new Promise<void>((res, rej) => {
    child.on('error', rej);
    child.on('close', () => res());
  });
  child.stdin.on('error', () => {});
  child.stdin.end(`${ids.join('\n')}\n`);
  let buf: Buffer = Buffer.alloc(0);
  let want = -1; // body bytes still to read for the current blob, -1 = expecting a header
  let keep = false;
  const parts: Buffer[] = [];
  const out: (Buffer | 'large' | 'missing')[] = [];
  let finished = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      for (;;) {
        if (want < 0) {
          const nl = buf.indexOf(10);
          if (nl < 0) break;
          const header = buf.toString('utf8', 0, nl);
          buf = buf.subarray(nl + 1);
          if (header.endsWith(' missing')) {
            out.push('missing');
            continue;
          }
          const size = Number(header.split(' ')[2]);
          keep = size <= maxBytes;
          if (!keep) out.push('large');
          want = size + 1; // the body is followed by a newline
          parts.length = 0;
          continue;
        }
        if (buf.length === 0) break;
        const take = Math.min(want, buf.length);
        if (keep) parts.push(buf.subarray(0, take));
        buf = buf.subarray(take);
        want -= take;
        if (want === 0) {
          if (keep) {
            const body = Buffer.concat(parts);
            out.push(body.subarray(0, body.length - 1));
          }
          want = -1;
        }
      }
      while (out.length > 0) yield out.shift()!;
    }
    finished = true;
  } finally {
    if (!finished) child.kill();
  }
  await exited;
  while (out.length > 0) yield out.shift()!;
}
