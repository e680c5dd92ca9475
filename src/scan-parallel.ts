import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Config } from './config/rule.js';
import { Detector } from './detect/detector.js';
import type { Finding } from './detect/finding.js';
import { applyFragmentFilters, applyResultFilters, countSuppressed, type FilterOptions, type Suppressed } from './filters/index.js';
import { readEntry, type FileEntry, type FileSource, type ReadOptions } from './sources/files.js';
import type { Fragment } from './sources/fragment.js';
import { emptyStats, type ScanStats } from './sources/source.js';
import { allowlistHandler, type ScanHooks, type ScanResult } from './scan.js';
import { serializeConfig } from './config/precompiled.js';

/**
 * Directory scans on every core. The detector is single-threaded JavaScript and a
 * directory scan is CPU-bound once the files are in the page cache (issue 2's benchmark:
 * one core cannot reach 150 MB/s with the default rules), so files are shared out between
 * this thread and worker threads.
 *
 * The result is exactly `scan(source, …)`'s: the main thread plans the files in order
 * (listing, path allowlist, symlink checks, one scan per inode), numbers them, and puts the
 * per-file results back in that order before the whole-result filters run. Workers only
 * read and detect; they receive the compiled config by structured clone (RegExps survive
 * it), so they never reload rules from disk.
 */

/** What scanning one file produced. Only files with something to say are sent back. */
export interface EntryResult {
  findings: Finding[];
  suppressed: Suppressed[];
  warnings: string[];
}

/** Counters merged by addition (everything in ScanStats but the lists). */
type Counters = Omit<ScanStats, 'warnings' | 'notes'>;

export interface WorkerInit {
  /**
   * The compiled config as the precompiled rules file writes it, which keeps each regex's
   * RE2 text as written (--explain quotes it in its reasons); a structured clone of the
   * RegExps lost it, so a reason differed with the thread that found the match. The
   * config itself when it holds something that JSON cannot carry.
   */
  config: string | Config;
  filterOptions: FilterOptions;
  readOptions: ReadOptions;
}

export type WorkerRequest = { id: number; entries: FileEntry[] };
export type WorkerReply =
  | { ready: true }
  | { id: number; results: (EntryResult | null)[]; counters: Counters; notes: string[]; allowlisted: number }
  | { id: number; error: string };

/**
 * The per-fragment half of `scan()` for one file: read, detect, inline filters. Shared by
 * the main thread and the workers so both do exactly the same thing.
 */
export function scanEntry(
  entry: FileEntry, detector: Detector, filterOptions: FilterOptions, readOptions: ReadOptions,
  stats: ScanStats, seen: Set<string>, allowlisted: { count: number },
): EntryResult | null {
  const findings: Finding[] = [];
  const suppressed: Suppressed[] = [];
  const warningsBefore = stats.warnings.length;
  const onAllowlisted = allowlistHandler(filterOptions, suppressed, allowlisted);
  for (const fragment of readEntry(entry, stats, seen, readOptions)) {
    const raw = detector.detect(fragment, onAllowlisted);
    if (raw.length > 0) findings.push(...applyFragmentFilters(raw, fragment, filterOptions, suppressed));
  }
  const warnings = stats.warnings.splice(warningsBefore);
  return findings.length > 0 || suppressed.length > 0 || warnings.length > 0 ? { findings, suppressed, warnings } : null;
}

/**
 * What workers need of the filter options: the per-fragment ones. Ignore lists and
 * baselines apply to the whole result, on this thread, and need not be copied.
 */
function fragmentFilterOptions(o: FilterOptions): FilterOptions {
  return { ignoreDirectives: o.ignoreDirectives, foreignDirectives: o.foreignDirectives, explainAllowlisted: o.explainAllowlisted };
}

/** Threads to use when the user did not say: one per core, up to 4 (more buys little: the disk and git listing become the limit). */
export function defaultThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export interface ParallelOptions {
  /** Total threads, this one included (≥ 2 to start workers). */
  threads: number;
  readOptions?: ReadOptions;
  /** The worker module; tests running the TypeScript sources point it at the built one. */
  workerUrl?: URL;
  /** Bytes this thread scans before starting workers (tests use 0). */
  startAfterBytes?: number;
  /** Batch sizes in bytes (tests make them small so every thread gets files). */
  localBatchBytes?: number;
  workerBatchBytes?: number;
  /**
   * Tests: after its first batch this thread waits for a worker to be ready rather than
   * scanning on, so a small tree is shared out too (with onBatch, to check both ran).
   */
  shareWithWorkers?: boolean;
  /** Told where each batch ran: tests check that the workers did take some. */
  onBatch?: (where: 'here' | 'worker') => void;
}

/** Bytes per batch: small for this thread, which must come back to feed the workers; larger for workers, to amortise messages. */
const LOCAL_BATCH_BYTES = 256 * 1024;
const WORKER_BATCH_BYTES = 512 * 1024;
const BATCH_FILES = 256;
const START_AFTER_BYTES = 8 * 1024 * 1024;
/**
 * A listing this long starts the workers at once, before this thread has scanned
 * anything: a worker takes a few hundred milliseconds to load, and on a large tree every
 * one of them spent with a single thread at work is lost.
 */
const START_AT_ONCE_FILES = 2000;
/** Batches a worker holds at once, so it never waits for this thread between two. */
const IN_FLIGHT = 2;

interface Slot {
  /** Warnings from planning (unreadable entries) that came before this file. */
  before: string[];
  result: EntryResult | null;
}

export async function scanFilesParallel(
  source: FileSource, config: Config, filterOptions: FilterOptions = {}, hooks: ScanHooks = {}, options: ParallelOptions,
): Promise<ScanResult> {
  const started = performance.now();
  const detector = new Detector(config);
  const stats = emptyStats();
  const readOptions = options.readOptions ?? source.readOptions;
  const slots: Slot[] = [];
  const plan = source.entries(stats)[Symbol.iterator]();
  const seenInodes = new Set<string>();
  let planDone = false;

  /** Next entries, numbered, up to `bytes`; planning warnings are attached to the slot they precede. */
  const nextBatch = (bytes: number): { index: number; entry: FileEntry }[] => {
    const batch: { index: number; entry: FileEntry }[] = [];
    let size = 0;
    while (!planDone && size < bytes && batch.length < BATCH_FILES) {
      const step = plan.next();
      const before = stats.warnings.splice(0);
      if (step.done) {
        planDone = true;
        if (before.length > 0) slots.push({ before, result: null });
        break;
      }
      const entry = step.value;
      // One scan per inode, decided here because workers do not share a `seen` set.
      let id = entry.inode;
      if (id === undefined) {
        try {
          const st = statSync(entry.path);
          if (st.isFile()) id = `${st.dev}:${st.ino}`;
        } catch {
          // Left to readEntry, which reports it exactly as the single-threaded scan does.
        }
      }
      if (id !== undefined) {
        if (seenInodes.has(id)) {
          if (before.length > 0) slots.push({ before, result: null });
          continue;
        }
        seenInodes.add(id);
      }
      const index = slots.length;
      slots.push({ before, result: null });
      batch.push({ index, entry });
      size += Math.max(entry.size, 4096);
    }
    return batch;
  };

  const addCounters = (c: Counters): void => {
    for (const key of Object.keys(c) as (keyof Counters)[]) if (typeof c[key] === 'number') stats[key] += c[key];
  };
  let lastFile = '';
  const progress = (): void => {
    hooks.onFragment?.({ raw: '', filePath: lastFile, startLine: 1 }, stats);
  };

  // This thread scans with its own `seen` set left empty: inodes were deduplicated above.
  const allowlisted = { count: 0 };
  const scanLocally = (batch: { index: number; entry: FileEntry }[]): void => {
    options.onBatch?.('here');
    const local = emptyStats();
    for (const { index, entry } of batch) {
      slots[index]!.result = scanEntry(entry, detector, filterOptions, readOptions, local, new Set(), allowlisted);
      lastFile = entry.filePath;
    }
    stats.notes.push(...local.notes);
    addCounters(local);
    progress();
  };

  // Workers start only once this thread has scanned `startAfterBytes` and files remain:
  // loading a worker (modules, rules, automaton) costs more than scanning a small tree.
  const workers: Worker[] = [];
  const init: WorkerInit = { config: serializeConfig(config, '') ?? config, filterOptions: fragmentFilterOptions(filterOptions), readOptions };
  const workerUrl = options.workerUrl ?? new URL('./scan-worker.js', import.meta.url);
  // Replies that arrive before the scan below attaches its handler wait here.
  const early = new Map<Worker, WorkerReply[]>();
  const launch = (): void => {
    for (const w of startWorkers(options.threads - 1, init, workerUrl)) {
      workers.push(w);
      const queue: WorkerReply[] = [];
      early.set(w, queue);
      w.on('message', (msg: WorkerReply) => queue.push(msg));
    }
  };
  // A long listing starts the workers while git is still at it: at once when it has run
  // since before the rules loaded (a worker loads in ~0.2 s, as long as git takes to list
  // the benchmark tree), else once git has printed enough paths, or as soon as the scan
  // begins when it printed them before.
  if (source.listingUnderWay) {
    launch();
    // This thread has nothing to do until the listing ends: its set-up for a large scan meanwhile.
    detector.prepareForVolume();
  }
  const listing = await source.listFilesAsync((n) => {
    if (workers.length === 0 && n >= START_AT_ONCE_FILES) launch();
  });
  if (workers.length === 0 && listing.length >= START_AT_ONCE_FILES) launch();
  const startAfter = options.startAfterBytes ?? START_AFTER_BYTES;
  let scannedHere = 0;
  let failure: unknown;
  try {
    await new Promise<void>((resolve, reject) => {
      let outstanding = 0;
      let nextId = 0;
      const pending = new Map<number, { batch: { index: number; entry: FileEntry }[]; worker: Worker }>();
      // Workers are fed once loaded: until then this thread scans, so a small tree never waits for a worker to start.
      const live = new Set<Worker>();
      const attached = new Set<Worker>();

      const feed = (w: Worker): void => {
        while (live.has(w) && [...pending.values()].filter((p) => p.worker === w).length < IN_FLIGHT) {
          const batch = nextBatch(options.workerBatchBytes ?? WORKER_BATCH_BYTES);
          if (batch.length === 0) break;
          const id = nextId++;
          pending.set(id, { batch, worker: w });
          outstanding++;
          w.postMessage({ id, entries: batch.map((b) => b.entry) } satisfies WorkerRequest);
        }
      };
      const finishIfDone = (): void => {
        if (planDone && outstanding === 0) resolve();
      };
      const lose = (w: Worker): void => {
        // A worker that fails hands its batches back: this thread scans them itself.
        live.delete(w);
        for (const [id, p] of pending) {
          if (p.worker !== w) continue;
          pending.delete(id);
          outstanding--;
          try {
            scanLocally(p.batch);
          } catch (err) {
            reject(err);
            return;
          }
        }
        finishIfDone();
      };

      const attach = (w: Worker): void => {
        const queued = early.get(w) ?? [];
        w.removeAllListeners('message');
        const onMessage = (msg: WorkerReply): void => {
          if ('ready' in msg) {
            live.add(w);
            feed(w);
            return;
          }
          const p = pending.get(msg.id);
          if (!p) return;
          if ('error' in msg) {
            lose(w);
            return;
          }
          pending.delete(msg.id);
          outstanding--;
          options.onBatch?.('worker');
          msg.results.forEach((r, k) => {
            slots[p.batch[k]!.index]!.result = r;
          });
          lastFile = p.batch[p.batch.length - 1]!.entry.filePath;
          addCounters(msg.counters);
          allowlisted.count += msg.allowlisted;
          stats.notes.push(...msg.notes);
          progress();
          feed(w);
          finishIfDone();
        };
        w.on('message', onMessage);
        for (const msg of queued.splice(0)) onMessage(msg);
        w.on('error', () => lose(w));
        w.on('exit', () => {
          if (live.has(w)) lose(w);
        });
      };

      // This thread takes small batches in between, and yields so worker replies are handled.
      const step = (): void => {
        try {
          if (workers.length === 0 && scannedHere >= startAfter && !planDone) launch();
          for (const w of workers) if (!attached.has(w)) {
            attached.add(w);
            attach(w);
          }
          for (const w of live) feed(w);
          // Tests: leave the rest to a worker once this thread has scanned one batch.
          if (options.shareWithWorkers && scannedHere > 0 && live.size === 0 && workers.length > 0) {
            setTimeout(step, 5);
            return;
          }
          const batch = nextBatch(options.localBatchBytes ?? LOCAL_BATCH_BYTES);
          if (batch.length > 0) {
            for (const b of batch) scannedHere += Math.max(b.entry.size, 0);
            scanLocally(batch);
            setImmediate(step);
            return;
          }
          finishIfDone();
        } catch (err) {
          reject(err);
        }
      };
      step();
    });
  } catch (err) {
    failure = err;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (failure !== undefined) throw failure;

  const found: Finding[] = [];
  const suppressed: Suppressed[] = [];
  for (const slot of slots) {
    stats.warnings.push(...slot.before);
    if (!slot.result) continue;
    found.push(...slot.result.findings);
    suppressed.push(...slot.result.suppressed);
    stats.warnings.push(...slot.result.warnings);
  }
  const findings = applyResultFilters(found, filterOptions, suppressed);
  return { findings, suppressed, suppressedCounts: countSuppressed(suppressed, allowlisted.count), stats, durationMs: performance.now() - started };
}

/** Start `n` workers; messages sent before one has loaded are queued for it. */
function startWorkers(n: number, init: WorkerInit, url: URL): Worker[] {
  const workers: Worker[] = [];
  for (let i = 0; i < n; i++) {
    workers.push(new Worker(url, { workerData: init }));
  }
  return workers;
}
