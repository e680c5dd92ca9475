#!/usr/bin/env node
/**
 * The floor under any directory scan written in Node on this machine: what keyscan does
 * before it detects anything, and nothing else. Lists the files with git (the same
 * command keyscan runs), lstats each, and reads and decodes every one to a string on all
 * threads (this one and workers, as keyscan does), in the pieces keyscan reads. No rules,
 * no keyword search. bench/run.js times it next to keyscan and secretlint: a scanner
 * cannot be faster than this, which bounds what the targets can ask of it.
 *
 *   node bench/read-floor.js DIR [--threads N]
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, lstatSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

/** keyscan's piece and overlap (src/sources/files.ts): a large file is read in pieces this long. */
const PIECE = 124 * 1024;

/** Reads and decodes each file; returns the characters decoded (so the work cannot be skipped). */
function readAll(paths) {
  const buf = Buffer.allocUnsafeSlow(PIECE);
  let chars = 0;
  for (const path of paths) {
    let fd;
    try {
      fd = openSync(path, 'r');
    } catch {
      continue;
    }
    try {
      for (let pos = 0; ; ) {
        const n = readSync(fd, buf, 0, PIECE, pos);
        if (n === 0) break;
        chars += buf.toString('utf8', 0, n).length;
        pos += n;
      }
    } finally {
      closeSync(fd);
    }
  }
  return chars;
}

if (!isMainThread) {
  parentPort.postMessage({ ready: true });
  parentPort.once('message', (paths) => parentPort.postMessage({ chars: readAll(paths) }));
} else {
  const dir = process.argv[2];
  if (!dir || !existsSync(dir)) {
    console.error(dir ? `read-floor: ${dir}: no such directory` : 'usage: node bench/read-floor.js DIR [--threads N]');
    process.exit(2);
  }
  const t = process.argv.indexOf('--threads');
  const threads = t > 0 ? Math.max(1, Number(process.argv[t + 1])) : Math.max(1, Math.min(4, availableParallelism()));
  // Workers load while git lists, as keyscan's do.
  const workers = Array.from({ length: threads - 1 }, () => new Worker(new URL(import.meta.url)));
  const ready = Promise.all(workers.map((w) => new Promise((r) => w.once('message', r))));
  const listing = await new Promise((resolve, reject) => {
    const child = spawn('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--deduplicate'], { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString('utf8').split('\0').filter(Boolean)) : reject(new Error(`git ls-files failed in ${dir} (exit ${code}): pass a git work tree`))));
  }).catch((err) => {
    console.error(`read-floor: ${err.message}`);
    process.exit(2);
  });
  // Shares of about equal bytes, by lstat sizes, the largest files dealt first.
  const files = [];
  for (const rel of listing) {
    const path = join(dir, rel);
    try {
      const st = lstatSync(path);
      if (st.isFile()) files.push({ path, size: st.size });
    } catch {
      // gone since git listed it
    }
  }
  files.sort((a, b) => b.size - a.size);
  const shares = Array.from({ length: threads }, () => ({ paths: [], bytes: 0 }));
  for (const f of files) {
    const share = shares.reduce((min, s) => (s.bytes < min.bytes ? s : min));
    share.paths.push(f.path);
    share.bytes += f.size;
  }
  await ready;
  const replies = workers.map((w, i) => {
    const reply = new Promise((r) => w.once('message', r));
    w.postMessage(shares[i + 1].paths);
    return reply;
  });
  let chars = readAll(shares[0].paths);
  for (const r of await Promise.all(replies)) chars += r.chars;
  await Promise.all(workers.map((w) => w.terminate()));
  console.error(`read-floor: ${files.length} files, ${(chars / 1048576).toFixed(1)} M characters decoded on ${threads} thread${threads > 1 ? 's' : ''}`);
}
