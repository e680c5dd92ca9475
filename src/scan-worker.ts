/**
 * Worker thread of `scan-parallel.ts`: reads and scans the batches of files it is sent,
 * and replies with one result per file, in the batch's order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { deserializeConfig } from './config/precompiled.js';
import { Detector } from './detect/detector.js';
import { emptyStats } from './sources/source.js';
import { scanEntry, type WorkerInit, type WorkerReply, type WorkerRequest } from './scan-parallel.js';

const init = workerData as WorkerInit;
const detector = new Detector(typeof init.config === 'string' ? deserializeConfig(init.config)!.config : init.config);
const port = parentPort!;

port.on('message', (req: WorkerRequest) => {
  try {
    const stats = emptyStats();
    const allowlisted = { count: 0 };
    // Inodes were deduplicated by the main thread: a fresh set per file keeps this one small.
    const results = req.entries.map((entry) => scanEntry(entry, detector, init.filterOptions, init.readOptions, stats, new Set(), allowlisted));
    const { warnings: _w, notes, ...counters } = stats;
    port.postMessage({ id: req.id, results, counters, notes, allowlisted: allowlisted.count } satisfies WorkerReply);
  } catch (err) {
    port.postMessage({ id: req.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies WorkerReply);
  }
});
port.postMessage({ ready: true } satisfies WorkerReply);
