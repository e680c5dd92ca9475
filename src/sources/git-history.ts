import { availableParallelism } from 'node:os';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { GitError, TargetError } from '../errors.js';
import { gitEnv, gitQuery, lastLine, spawnGit } from './git.js';
import type { Fragment } from './fragment.js';
import { COMMIT_FORMAT, FLUSH_LINE, PatchParser } from './patch-parser.js';
import { fetchMissing, promisorRemote } from './partial-clone.js';
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
  /** git processes reading diffs in parallel. Default: one per core, up to 4 (see `defaultReaders`). */
  readers?: number;
  /** Commits per block handed to a reader, at most (tests make it small so that every reader gets some). Default: 1024 while rev-list runs, then shrinking blocks (see `feed`). */
  blockCommits?: number;
}

/** Commits handed to one reader at a time: neighbours share trees and delta bases, which git then finds in its caches (measured: blocks of 32 cost two readers 45% more CPU than one, halves 15-25%). */
const BLOCK = 1024;
/** Fragments waiting to be yielded, in characters; above it the readers are paused (all but the one the next fragments come from). */
const QUEUE_HIGH = 8 * 1024 * 1024;
/** Commits listed by rev-list and not yet handed to a reader; above it rev-list is paused. */
const WAITING_HIGH = 16 * BLOCK;
/** How long rev-list may list before readers start on full blocks without waiting for the total. */
const LISTING_WAIT_MS = 150;
/** Each diff-tree reader's cache of inflated delta bases, in MB (see `stream`). */
const DELTA_BASE_CACHE_MB = 32;
/** glibc tunable for diff-tree (see `diffTreeEnv`). */
const TOP_PAD = 'glibc.malloc.top_pad=16777216';
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
  /** One fragment per hunk: thousands of small ones. */
  readonly manyFragments = true;
  /** Where git runs: the directory given (git finds the repository from there; paths it prints are repository-relative). */
  readonly root: string;
  private readonly repo: Repository;
  private readonly readers: number;

  constructor(private readonly options: GitHistoryOptions) {
    this.repo = openRepository(options.repoPath);
    this.root = this.repo.root;
    this.readers = Math.max(1, options.readers ?? defaultReaders());
  }

  /** The scan under way, once start() or fragments() has begun it. */
  private started: { stats: ScanStats; iterator: AsyncGenerator<Fragment>; first: Promise<IteratorResult<Fragment>> } | undefined;
  /** Kills the git processes of the scan under way (set while it runs). */
  private abort: (() => void) | undefined;

  /**
   * Starts git now: rev-list and the first diff reader run while the caller loads the
   * rules and the detector (about a tenth of a second that git otherwise waited for; see
   * the detect command). `fragments(stats)` then reads from the same scan; `stop()` ends
   * it when the caller gives up before reading.
   */
  start(stats: ScanStats): void {
    if (this.started) return;
    const iterator = this.generate(stats);
    // An async generator's body runs on its first next(): up to its first await, which
    // is after git has been spawned.
    const first = iterator.next();
    // A failure is thrown to whoever reads the fragments; after stop(), nobody does.
    first.catch(() => {});
    this.started = { stats, iterator, first };
  }

  /** Ends a started scan that will not be read: its git processes are killed. */
  stop(): void {
    this.stopped = true;
    this.abort?.();
  }

  private stopped = false;
  /** fragments() has been called: every reader may start. */
  private consuming = false;
  /** Lets the scan under way start its other readers. */
  private widen: (() => void) | undefined;

  async *fragments(stats: ScanStats): AsyncIterable<Fragment> {
    this.consuming = true;
    this.start(stats);
    this.widen?.();
    const { iterator, first } = this.started!;
    // Counters go to the object given first; a second one would silently stay at zero.
    if (this.started!.stats !== stats) throw new Error('GitHistorySource: fragments() needs the stats object given to start()');
    let done = false;
    try {
      for (let step = await first; !step.done; step = await iterator.next()) yield step.value;
      done = true;
    } finally {
      // The reader stopped early (an error downstream): end the scan, which kills git.
      if (!done) await iterator.return(undefined);
    }
  }

  private async *generate(stats: ScanStats): AsyncGenerator<Fragment> {
    const root = this.root;
    const logOpts = this.options.logOpts && this.options.logOpts.length > 0 ? this.options.logOpts : undefined;
    if (!logOpts && !this.repo.hasRefs && gitQuery(root, ['rev-parse', '--verify', '-q', 'HEAD']).status !== 0) {
      stats.notes.push('the repository has no commits yet: nothing to scan');
      return;
    }
    if (this.repo.shallow) {
      stats.notes.push('shallow clone: the history is incomplete; commits before the shallow boundary were not scanned, and what the boundary commits contain is attributed to them (git fetch --unshallow for a complete scan)');
    }
    const dash = logOpts ? logOpts.indexOf('--') : -1;
    let revArgs = logOpts ? (dash >= 0 ? logOpts.slice(0, dash) : logOpts) : [];
    // No revision named (only limits such as --since or -- paths): every ref, as without --log-opts.
    if (!logOpts || gitQuery(root, ['rev-parse', '--revs-only', '--no-flags', ...revArgs]).stdout.trim() === '') {
      revArgs = [...revArgs, '--all', ...(this.repo.hasStash ? stashEntries(root) : [])];
    }
    const paths = logOpts && dash >= 0 ? logOpts.slice(dash + 1) : [];
    if (this.repo.promisor !== undefined && !this.stopped) {
      stats.notes.push(await fetchMissing(root, this.repo.promisor, revArgs, paths, (kill) => (this.abort = kill)));
      this.abort = undefined;
    }
    yield* this.stream(stats, revArgs, paths);
  }

  private async *stream(stats: ScanStats, revArgs: string[], paths: string[]): AsyncGenerator<Fragment> {
    const root = this.root;
    const maxBytes = this.options.maxBytes ?? DEFAULT_MAX_BYTES;
    const blockSize = Math.max(1, this.options.blockCommits ?? BLOCK);
    const maxBlock = this.options.blockCommits ?? Number.POSITIVE_INFINITY;
    const refill = Math.max(1, Math.floor(blockSize / 8));
    const env = diffTreeEnv(this.repo.gitDir);
    // Each reader keeps its own cache of inflated delta bases (git's default: 96 MB). A
    // cache larger than a history's working set of bases only costs page faults: with
    // 32 MB per reader, two readers scanned the generated benchmark repository in 0.95x
    // the time they took with 48 MB each, and expressjs/express in 0.96x (interleaved
    // rounds). Much smaller is a cliff: at 8 MB git inflated the same bases again and
    // again and took twice as long, at 2 MB five times.
    const cacheArgs = ['-c', `core.deltaBaseCacheLimit=${DELTA_BASE_CACHE_MB}m`];
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
    if (this.stopped) return;
    // Started ahead of the scan, one reader: the other core is still loading the rules.
    let readerLimit = this.consuming ? this.readers : 1;
    /** Characters of fragments parsed and not yet yielded, in all blocks. */
    let queued = 0;

    // Blocks of consecutive commits, in rev-list order. Each goes to one reader. Fragments
    // are yielded as they are parsed, from whichever reader: each reader's in its own
    // order, so one commit's fragments stay in order, and what comes after depends on
    // arrival order nowhere (the first-introduction ranking and the report order use
    // the commits' positions in rev-list's listing, `CommitInfo.order`). Holding a later
    // block's fragments until the earlier ones were done kept megabytes of them alive
    // through young-generation collections: a tenth of the main thread's time on the
    // generated benchmark repository.
    const blocks: (Block | undefined)[] = [];
    let head = 0;
    const readers: Reader[] = [];

    const startReader = (): Reader => {
      const child = spawnGit(root, [...cacheArgs, ...BARE_ARGS, ...diffTreeArgs(paths)], 'pipe', env);
      open++;
      let stderr = '';
      const reader: Reader = {
        child,
        blocks: [],
        outstanding: 0,
        current: undefined,
        closed: false,
        parser: new PatchParser({
          emit: (f) => {
            reader.current!.fragments.push(f);
            queued += f.raw.length;
          },
          stats,
          maxBytes,
          nextOrder: () => {
            const block = reader.blocks[0];
            if (!block) return undefined;
            if (reader.current !== block) {
              if (reader.current) reader.current.done = true;
              reader.current = block;
            }
            const at = block.first + block.seen++;
            if (block.seen === block.count) reader.blocks.shift();
            if (--reader.outstanding <= refill) feedSoon = true;
            return at;
          },
        }),
      };
      child.stdout.on('data', (chunk: Buffer) => {
        reader.parser.push(chunk);
        if (feedSoon) feed();
        if (queued > QUEUE_HIGH) throttle();
        wake();
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (d: string) => {
        if (stderr.length < 16 * 1024) stderr += d;
      });
      child.stdin!.on('error', () => {}); // git exited early: its exit status says why
      child.on('error', (err) => fail(spawnError(err)));
      child.on('close', (code) => {
        reader.parser.end();
        if (reader.current) reader.current.done = true;
        open--;
        if (code !== 0 && !stopping) fail(new GitError(`git diff-tree failed: ${lastLine(stderr) || `exit ${code}`}`));
        wake();
      });
      readers.push(reader);
      return reader;
    };

    // Above QUEUE_HIGH (git is ahead of the detector), the readers pause until the queue is drained below it.
    const throttle = () => {
      for (const r of readers) r.child.stdout.pause();
    };
    const resumeAll = () => {
      for (const r of readers) r.child.stdout.resume();
    };

    // rev-list → commits waiting for a reader.
    const revList = spawnGit(root, ['rev-list', ...revArgs, '--', ...paths]);
    open++;
    let revErr = '';
    let carry = '';
    let revDone = false;
    let waiting: string[] = [];
    let waitingAt = 0;
    let order = 0;
    let feedSoon = false;
    let listingIsLong = false;
    const listingTimer = setTimeout(() => {
      listingIsLong = true;
      feed();
    }, LISTING_WAIT_MS);

    /**
     * Hand waiting commits to readers: a block to any reader with little left to do,
     * starting another reader (up to the limit) when all are busy. Once rev-list is done
     * and the total is known, blocks shrink as the rest does ("guided" scheduling): large
     * blocks first, where neighbouring commits share objects
     * git has just inflated, small ones at the end so the readers finish together.
     * Measured, two readers over the generated repository: halves cost git 10% more CPU
     * than one reader, alternating blocks of 1024 commits 25%, of 256 35%.
     */
    const feed = () => {
      feedSoon = false;
      for (;;) {
        const left = waiting.length - waitingAt;
        // While rev-list runs, full blocks only, and only once it has run for a while (most
        // histories are listed in a few milliseconds: then the total is known first).
        if (left === 0 || (!revDone && (left < blockSize || (!listingIsLong && left < WAITING_HIGH)))) break;
        let reader: Reader | undefined;
        for (const r of readers) if (!r.closed && r.outstanding <= refill && (!reader || r.outstanding < reader.outstanding)) reader = r;
        if (!reader && readers.length < readerLimit) reader = startReader();
        if (!reader) break;
        // Once the total is known: three quarters of a reader's fair share of what is not done yet.
        const unfinished = left + readers.reduce((n, r) => n + r.outstanding, 0);
        const size = revDone ? Math.min(maxBlock, Math.max(refill, Math.ceil((3 * unfinished) / (4 * this.readers)) - reader.outstanding)) : blockSize;
        const shas = waiting.slice(waitingAt, waitingAt + size);
        waitingAt += shas.length;
        const block: Block = { first: order, count: shas.length, seen: 0, fragments: [], done: false, reader };
        order += shas.length;
        blocks.push(block);
        reader.blocks.push(block);
        reader.outstanding += shas.length;
        // FLUSH_LINE: git writes out the block's last commits before it waits for more (see diffTreeEnv).
        reader.child.stdin!.write(`${shas.join('\n')}\n${FLUSH_LINE}\n`);
      }
      if (waitingAt > 0 && waitingAt === waiting.length) {
        waiting = [];
        waitingAt = 0;
      }
      if (revDone && waiting.length === 0) {
        for (const r of readers) {
          if (!r.closed) r.child.stdin!.end();
          r.closed = true;
        }
      } else if (waiting.length - waitingAt < WAITING_HIGH) {
        revList.stdout.resume();
      }
    };

    revList.stdout.setEncoding('utf8');
    revList.stdout.on('data', (text: string) => {
      const lines = (carry + text).split('\n');
      carry = lines.pop()!;
      for (const sha of lines) if (COMMIT_ID.test(sha)) waiting.push(sha);
      feed();
      if (waiting.length - waitingAt >= WAITING_HIGH) revList.stdout.pause();
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
        revDone = true;
        clearTimeout(listingTimer);
        stats.commitsTotal = order + waiting.length - waitingAt;
        feed();
      }
      wake();
    });

    this.widen = () => {
      readerLimit = this.readers;
      feed();
    };
    this.abort = () => {
      stopping = true;
      if (revList.exitCode === null) revList.kill();
      for (const r of readers) if (r.child.exitCode === null) r.child.kill();
      fail(new GitError('the history scan was stopped'));
    };
    try {
      for (;;) {
        if (failure) throw failure;
        // Blocks at the head whose fragments have all been yielded are let go.
        while (head < blocks.length && blocks[head]!.done && blocks[head]!.fragments.length === 0) blocks[head++] = undefined;
        let batch: Fragment[] | undefined;
        for (let b = head; b < blocks.length; b++) {
          const block = blocks[b]!;
          if (block.fragments.length > 0) {
            batch = block.fragments;
            block.fragments = [];
            break;
          }
        }
        if (batch) {
          for (const f of batch) queued -= f.raw.length;
          if (queued <= QUEUE_HIGH) resumeAll();
          for (const f of batch) yield f;
          continue;
        }
        if (open === 0) break;
        resumeAll();
        await new Promise<void>((r) => {
          notify = r;
        });
      }
      if (failure) throw failure;
    } finally {
      stopping = true;
      this.abort = undefined;
      clearTimeout(listingTimer);
      if (revList.exitCode === null) revList.kill();
      for (const r of readers) if (r.child.exitCode === null) r.child.kill();
    }
  }
}

/** Consecutive commits handed to one reader, and the fragments parsed from them. */
interface Block {
  /** Position in rev-list's output of the first commit. */
  first: number;
  count: number;
  /** Commits whose header the reader has printed. */
  seen: number;
  /** Parsed, not yet yielded. */
  fragments: Fragment[];
  /** Every commit of the block has been parsed. */
  done: boolean;
  reader: Reader;
}

/** One `git diff-tree --stdin` process and the parser of its output. */
interface Reader {
  child: ReturnType<typeof spawnGit>;
  parser: PatchParser;
  /** Blocks sent whose commits are not all printed yet, oldest first. */
  blocks: Block[];
  /** Commits sent and not printed yet. */
  outstanding: number;
  /** The block the parser is in. */
  current: Block | undefined;
  /** stdin ended: no more commits. */
  closed: boolean;
}

/**
 * One git reader per core, up to 4. With the keyword automaton set up once (see
 * `Source.manyFragments`), the detector keeps up with git and git is the bottleneck, so
 * readers share the commits out (the second starts only once there is a second block: a
 * small history runs one). Measured on 2 cores: see BENCHMARKS.md, history.
 */
function defaultReaders(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * git's environment for diff-tree.
 *
 * glibc's malloc hands memory back to the system as soon as 128 KB at the top of the heap
 * are free, and diff-tree allocates and frees buffers for every blob it reads, so each
 * round trip costs fresh page faults. A 16 MB pad keeps that memory: on expressjs/express,
 * diff-tree took 1.6 s of CPU instead of 3.0 s, at the same peak RSS. Other C libraries
 * ignore the variable.
 *
 * No work tree (with BARE_ARGS): for every path of every commit, git otherwise looks for
 * a `.gitattributes` in each of its directories in the work tree (31,000 failed opens on
 * the generated benchmark repository, a tenth of diff-tree's time there). Those files
 * describe the checkout, not the history, and the one thing they could change here is
 * to hide a file's diff (`-diff`), which a scanner must not honour anyway. The output is
 * otherwise the same: diff-tree reads only objects. With core.worktree set, git keeps its
 * work tree and simply looks as before. For the same reason the user's and the system's
 * attributes files are not read either (a global `*.pem binary` would hide every key);
 * only the repository's own `info/attributes`, which no setting turns off, still applies.
 *
 * GIT_FLUSH=0: diff-tree otherwise flushes its output after every commit, a write of a
 * few hundred bytes each, ~5,800 on the generated benchmark repository instead of ~2,000
 * full 4 KB buffers. Without the per-commit flush git's system time halved, and the
 * history scan took 0.95x the time on the generated repository, 0.96x on
 * expressjs/express (15 interleaved rounds, BENCHMARKS.md). The catch: git could then sit
 * on the last commits of a block, unflushed, while it waits on stdin for the next one,
 * and `feed` waits for those commits before it sends more. So every block ends with
 * FLUSH_LINE, which diff-tree echoes and flushes before it reads on.
 */
function diffTreeEnv(gitDir: string): NodeJS.ProcessEnv {
  const env = gitEnv();
  const tunables = env.GLIBC_TUNABLES ?? '';
  if (!tunables.includes('glibc.malloc.top_pad')) env.GLIBC_TUNABLES = tunables ? `${tunables}:${TOP_PAD}` : TOP_PAD;
  env.GIT_ATTR_NOSYSTEM = '1';
  env.GIT_FLUSH = '0';
  if (env.GIT_WORK_TREE === undefined) {
    env.GIT_DIR = gitDir;
    env.GIT_IMPLICIT_WORK_TREE = '0';
  }
  return env;
}

/** With diffTreeEnv's GIT_DIR and no work tree, git treats the repository as bare: no work-tree attributes; and no global ones. */
const BARE_ARGS = ['-c', 'core.bare=true', '-c', 'core.attributesFile=/dev/null'];

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
    // A deleted file's header only, not its old content as removed lines, which nothing
    // reads: expressjs/express's history is 13.6 MB of diffs instead of 15.5.
    '--irreversible-delete',
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

/** What the history scan needs to know about the repository before it starts. */
interface Repository {
  /** Where git runs. */
  root: string;
  /** The repository's git directory, absolute. */
  gitDir: string;
  shallow: boolean;
  /** Some ref exists (else the repository may have no commit at all). */
  hasRefs: boolean;
  /** refs/stash exists: its reflog holds older entries. */
  hasStash: boolean;
  /** A partial clone's promisor remote (see partial-clone.ts). */
  promisor: string | undefined;
}

/**
 * Check that `dir` is in a repository (work tree or bare: a CI mirror), and list its refs,
 * in one git call (each costs a process start before the scan can begin). Not a
 * repository: a TargetError that points to --no-git.
 */
function openRepository(dir: string): Repository {
  const abs = resolve(dir);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new TargetError(`path not found: ${dir}`, 'pass a directory inside a git repository, or use --no-git to scan files');
  }
  if (!st.isDirectory()) throw new TargetError(`not a directory: ${dir}`, 'a history scan takes a repository; use --no-git to scan a single file');
  const res = gitQuery(abs, ['rev-parse', '--is-bare-repository', '--is-shallow-repository', '--git-dir', '--git-common-dir', '--symbolic-full-name', '--all']);
  if (res.status === 0) {
    const [, shallow, gitDir = '.git', commonDir = gitDir, ...refs] = res.stdout.split('\n');
    return {
      root: abs, gitDir: resolve(abs, gitDir), shallow: shallow === 'true', hasRefs: refs.some((r) => r !== ''), hasStash: refs.includes('refs/stash'),
      promisor: promisorRemote(abs, resolve(abs, commonDir)),
    };
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
