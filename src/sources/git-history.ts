import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { GitError, TargetError } from '../errors.js';
import { gitQuery, lastLine, spawnGit } from './git.js';
import type { Fragment } from './fragment.js';
import { COMMIT_FORMAT, PatchParser } from './patch-parser.js';
import type { ScanStats, Source } from './source.js';

export interface GitHistoryOptions {
  /** Any directory inside the repository (work tree or bare). */
  repoPath: string;
  /**
   * `git rev-list` arguments selecting the commits (e.g. ["origin/main..HEAD"]); paths
   * after a `--` also limit which files' changes are scanned. Default: every ref.
   */
  logOpts?: string[];
  /** A file whose new content in one commit is larger than this is skipped and counted. */
  maxBytes?: number;
  /** git processes reading diffs in parallel. Default: 1 below 4 cores, else 2 (see `defaultReaders`). */
  readers?: number;
}

/** Commits handed to one reader at a time: neighbours share trees and delta bases, which git then finds in its caches (measured: blocks of 32 cost two readers 45% more CPU than one, halves 15-25%). */
const BLOCK = 1024;
/** Fragments waiting for the detector, in characters; above it the readers are paused. */
const QUEUE_HIGH = 8 * 1024 * 1024;
/** A reader whose stdin holds this much unread input gets no more until it drains. */
const STDIN_HIGH = 64 * 1024;
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
/** A line of rev-list output naming a commit (SHA-1 or SHA-256). */
const COMMIT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * Every commit's new content, from the history of every ref: branches, tags, remotes,
 * notes, the stash (the stash commit's index and untracked-files parents are reached as
 * its parents; older stash entries through the stash reflog, which `--all` misses).
 *
 * `git rev-list` lists the commits; `git diff-tree --stdin -p` readers (one per core)
 * diff them in blocks; their output is parsed as it arrives (PatchParser) into fragments
 * of added lines. Plumbing rather than `git log`: its output ignores the user's diff and
 * log configuration (noprefix, external diff, renames, showSignature…), which would
 * otherwise change what the parser reads.
 *
 * Measured on a 6,000-commit generated repository and expressjs/express (6,413 commits):
 * the diffs' new lines are 13 to 20 times smaller than every unique blob (11 MB against
 * 150 MB, 7 MB against 144 MB), and git spends about the same CPU producing either, so
 * scanning diffs beats scanning each blob once (which would also need a second pass to
 * attribute blobs to commits). diff-tree over rev-list costs git what `git log -p` does.
 */
export class GitHistorySource implements Source {
  /** Where git runs: the directory given (git finds the repository from there; paths it prints are repository-relative). */
  readonly root: string;
  private readonly shallow: boolean;
  private readonly readers: number;

  constructor(private readonly options: GitHistoryOptions) {
    ({ root: this.root, shallow: this.shallow } = openRepository(options.repoPath));
    this.readers = Math.max(1, options.readers ?? defaultReaders());
  }

  async *fragments(stats: ScanStats): AsyncIterable<Fragment> {
    const root = this.root;
    const logOpts = this.options.logOpts && this.options.logOpts.length > 0 ? this.options.logOpts : undefined;
    if (!logOpts && gitQuery(root, ['for-each-ref', '--count=1']).stdout.trim() === '' && gitQuery(root, ['rev-parse', '--verify', '-q', 'HEAD']).status !== 0) {
      stats.notes.push('the repository has no commits yet: nothing to scan');
      return;
    }
    if (this.shallow) {
      stats.notes.push('shallow clone: the history is incomplete; commits before the shallow boundary were not scanned, and what the boundary commits contain is attributed to them (git fetch --unshallow for a complete scan)');
    }
    const dash = logOpts ? logOpts.indexOf('--') : -1;
    let revArgs = logOpts ? (dash >= 0 ? logOpts.slice(0, dash) : logOpts) : [];
    // No revision named (only limits such as --since or -- paths): every ref, as without --log-opts.
    if (!logOpts || gitQuery(root, ['rev-parse', '--revs-only', '--no-flags', ...revArgs]).stdout.trim() === '') {
      revArgs = [...revArgs, '--all', ...stashEntries(root)];
    }
    const paths = logOpts && dash >= 0 ? logOpts.slice(dash + 1) : [];
    yield* this.stream(stats, revArgs, paths);
  }

  private async *stream(stats: ScanStats, revArgs: string[], paths: string[]): AsyncGenerator<Fragment> {
    const root = this.root;
    const maxBytes = this.options.maxBytes ?? DEFAULT_MAX_BYTES;
    let queue: Fragment[] = [];
    let queued = 0;
    let failure: Error | undefined;
    let stopping = false;
    let notify: (() => void) | undefined;
    const wake = () => {
      const n = notify;
      notify = undefined;
      n?.();
    };
    const fail = (err: Error) => {
      failure ??= err;
      wake();
    };
    let open = 0;

    const readers = Array.from({ length: this.readers }, () => {
      const child = spawnGit(root, diffTreeArgs(paths), 'pipe');
      open++;
      const pending: number[] = [];
      let stderr = '';
      const parser = new PatchParser({
        emit: (f) => {
          queue.push(f);
          queued += f.raw.length;
        },
        stats,
        maxBytes,
        nextOrder: () => pending.shift(),
      });
      child.stdout.on('data', (chunk: Buffer) => {
        parser.push(chunk);
        if (queued > QUEUE_HIGH) for (const r of readers) r.child.stdout.pause();
        wake();
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (d: string) => {
        if (stderr.length < 16 * 1024) stderr += d;
      });
      child.stdin!.on('error', () => {}); // git exited early: its exit status says why
      child.stdin!.on('drain', () => revList.stdout.resume());
      child.on('error', (err) => fail(spawnError(err)));
      child.on('close', (code) => {
        parser.end();
        open--;
        if (code !== 0 && !stopping) fail(new GitError(`git diff-tree failed: ${lastLine(stderr) || `exit ${code}`}`));
        wake();
      });
      return { child, pending };
    });

    // rev-list → readers, a block of commits at a time to the least busy one, pausing when all are full.
    const revList = spawnGit(root, ['rev-list', ...revArgs, '--', ...paths]);
    open++;
    let revErr = '';
    let carry = '';
    let order = 0;
    let next = 0;
    const blocks: string[][] = readers.map(() => []);
    const send = (i: number) => {
      const r = readers[i]!;
      const block = blocks[i]!;
      if (block.length === 0) return;
      r.child.stdin!.write(`${block.join('\n')}\n`);
      blocks[i] = [];
    };
    const pick = () => {
      let best = next;
      for (let k = 0; k < readers.length; k++) {
        const i = (next + k) % readers.length;
        if (readers[i]!.child.stdin!.writableLength < readers[best]!.child.stdin!.writableLength) best = i;
      }
      next = (best + 1) % readers.length;
      return best;
    };
    let current = pick();
    revList.stdout.setEncoding('utf8');
    revList.stdout.on('data', (text: string) => {
      const lines = (carry + text).split('\n');
      carry = lines.pop()!;
      for (const sha of lines) {
        if (!COMMIT_ID.test(sha)) continue;
        readers[current]!.pending.push(order++);
        blocks[current]!.push(sha);
        if (blocks[current]!.length >= BLOCK) {
          send(current);
          current = pick();
        }
      }
      if (readers.every((r) => r.child.stdin!.writableLength > STDIN_HIGH)) revList.stdout.pause();
    });
    revList.stderr.setEncoding('utf8');
    revList.stderr.on('data', (d: string) => {
      if (revErr.length < 16 * 1024) revErr += d;
    });
    revList.on('error', (err) => fail(spawnError(err)));
    revList.on('close', (code) => {
      open--;
      if (code !== 0 && !stopping) {
        fail(new GitError(`git rev-list failed: ${lastLine(revErr) || `exit ${code}`}`, 'check --log-opts: it takes revisions, ranges and commit limits such as --since or -- paths'));
      } else {
        readers.forEach((_, i) => send(i));
        stats.commitsTotal = order;
      }
      for (const r of readers) r.child.stdin!.end();
      wake();
    });

    try {
      for (;;) {
        if (failure) throw failure;
        if (queue.length > 0) {
          const batch = queue;
          queue = [];
          queued = 0;
          for (const r of readers) r.child.stdout.resume();
          for (const f of batch) yield f;
          continue;
        }
        if (open === 0) break;
        await new Promise<void>((r) => {
          notify = r;
        });
      }
      if (failure) throw failure;
    } finally {
      stopping = true;
      if (revList.exitCode === null) revList.kill();
      for (const r of readers) if (r.child.exitCode === null) r.child.kill();
    }
  }
}

/**
 * git is the bottleneck (the detector waits on it most of the time), so a second reader
 * helps only when a core is free for it: one git reader and the detector already fill
 * two cores, and two readers cost 15-25% more CPU in all (each inflates the objects
 * its commits share with the other's). Measured on 2 cores: no faster, often slower.
 */
function defaultReaders(): number {
  return availableParallelism() >= 4 ? 2 : 1;
}

function diffTreeArgs(paths: string[]): string[] {
  return [
    '-c', 'core.quotePath=true',
    'diff-tree', '--stdin', '--always', '-r', '--root', '-p', '--cc',
    // One line of context: a PEM block whose body was replaced keeps its unchanged BEGIN
    // and END lines, and a value on an added line may sit under its key on an unchanged
    // one (YAML, `password =` then the value). The detector needs that line to match;
    // it still reports only matches that touch an added line. -U0 would miss both, and
    // one line costs little (measured: +2% to +34% of diff text).
    '-U1', '--inter-hunk-context=0',
    // Renames: a moved file is not a new secret (the finding stays with the commit that added it).
    '-M',
    '--no-color', '--no-ext-diff', '--no-textconv', '--ignore-submodules=all',
    '--src-prefix=a/', '--dst-prefix=b/', '--encoding=UTF-8', COMMIT_FORMAT,
    ...(paths.length > 0 ? ['--', ...paths] : []),
  ];
}

/**
 * Older stash entries are reachable only from the stash's reflog (`--all` reaches
 * stash@{0} alone). Each entry's index and untracked-files commits are its parents.
 */
function stashEntries(root: string): string[] {
  // Fails when there is no stash: then there is nothing to add.
  const res = gitQuery(root, ['log', '-g', '--format=%H', 'refs/stash', '--']);
  return res.status === 0 ? res.stdout.split('\n').filter((s) => /^[0-9a-f]{40,64}$/.test(s)) : [];
}

/**
 * Check that `dir` is in a repository (work tree or bare: a CI mirror), in one git call
 * (each costs a process start before the scan can begin). Not a repository: a
 * TargetError that points to --no-git.
 */
export function openRepository(dir: string): { root: string; shallow: boolean } {
  const abs = resolve(dir);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new TargetError(`path not found: ${dir}`, 'pass a directory inside a git repository, or use --no-git to scan files');
  }
  if (!st.isDirectory()) throw new TargetError(`not a directory: ${dir}`, 'a history scan takes a repository; use --no-git to scan a single file');
  const res = gitQuery(abs, ['rev-parse', '--is-bare-repository', '--is-shallow-repository', '--git-dir']);
  if (res.status === 0) {
    const [, shallow] = res.stdout.split('\n');
    return { root: abs, shallow: shallow === 'true' };
  }
  if (/dubious ownership/.test(res.stderr)) {
    throw new TargetError(`git refuses to read ${dir}: it is owned by another user`, `mark it safe with git config --global --add safe.directory ${abs}, or use --no-git`);
  }
  throw new TargetError(`not a git repository: ${dir}`, 'run it inside a repository, or use --no-git to scan the files on disk');
}

function spawnError(err: Error): Error {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new GitError('git is not installed or not on PATH', 'install git, or use --no-git to scan files on disk');
  return err;
}
