import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load.js';
import { Detector } from '../src/detect/detector.js';
import { scan } from '../src/scan.js';
import { scanFilesParallel } from '../src/scan-parallel.js';
import { FileSource } from '../src/sources/files.js';
import { SeededRandom } from './helpers/random.js';
import { fakeGithubToken } from './helpers/secrets.js';
import { git, tempDir, writeFiles } from './helpers/repo.js';
import { runCli } from './helpers/cli.js';

/**
 * The worker pool must give exactly the single-threaded result: same findings in the same
 * order, same suppressions, same counters and warnings. Checked on a generated tree with
 * every kind of entry the file source treats specially.
 */

// The worker is the built one: `npm test` builds before running vitest.
const WORKER_URL = new URL('../dist/scan-worker.js', import.meta.url);

let root: string;
let cleanup: () => void;
let planted = 0;

beforeAll(() => {
  const t = tempDir('keyscan-parallel-');
  root = t.dir;
  cleanup = t.cleanup;
  const rng = new SeededRandom('parallel');
  const files: Record<string, string | Buffer> = {};
  for (let i = 0; i < 400; i++) {
    const lines: string[] = [];
    const n = 5 + rng.int(200);
    for (let l = 0; l < n; l++) {
      const r = rng.int(60);
      if (r === 0) {
        lines.push(`const token = "${fakeGithubToken(`p-${i}-${l}`)}";`);
        planted++;
      } else if (r === 1) {
        lines.push(`const token = "${fakeGithubToken(`a-${i}-${l}`)}"; // keyscan:allow`);
      } else {
        lines.push(`const value${l} = compute(${rng.pick('abcdefghij', 12)}, ${rng.int(1000)});`);
      }
    }
    files[`src/dir-${i % 17}/file-${i}.js`] = lines.join('\n') + '\n';
  }
  // Binary, oversize, a lockfile (global path allowlist), a secret cut by a chunk edge.
  const bin = Buffer.alloc(5000, 7);
  bin[10] = 0;
  files['assets/logo.dat'] = bin;
  files['assets/blob.dat'] = bin;
  files['data/huge.txt'] = 'x'.repeat(300 * 1024) + '\n';
  files['package-lock.json'] = '{}\n';
  // Values the default allowlists drop: documented example keys and placeholders.
  files['docs/example.env'] = `AWS_ACCESS_KEY_ID=${'AKIAIOSFODNN7'}EXAMPLE\napi_key = "\${API_KEY}"\ntoken: your-api-key-here\n`;
  // Spread along the tree, so workers meet allowlisted matches too: --explain quotes the
  // allowlist's regex as written, which the worker must know as well as this thread.
  for (let i = 0; i < 40; i++) files[`src/dir-${i % 17}/sample-${i}.env`] = `AWS_ACCESS_KEY_ID=${'AKIAIOSFODNN7'}EXAMPLE\n`;
  files['big/long.js'] = `${'// filler line\n'.repeat(9000)}const token = "${fakeGithubToken('edge')}";\n${'// more\n'.repeat(5000)}`;
  planted++;
  writeFiles(root, files);
  // Symlinks: one to a file inside (scanned once, as the first name in order), one leaving the root.
  symlinkSync(join(root, 'src/dir-0/file-0.js'), join(root, 'aaa-link.js'));
  symlinkSync('/etc/hostname', join(root, 'outside-link'));
  writeFileSync(join(root, '.gitignore'), 'ignored/\n');
  writeFiles(root, { 'ignored/secret.js': `const token = "${fakeGithubToken('ignored')}";\n` });
  git(root, ['init', '-q']);
});

afterAll(() => cleanup());

function source(): FileSource {
  const detector = new Detector(loadConfig());
  // Small chunks so the chunked path (and its edge) runs across thread boundaries too.
  return new FileSource({ root, maxBytes: 200 * 1024, chunkBytes: 64 * 1024, overlapBytes: 4096, skipPath: (p) => detector.isPathAllowed(p) });
}

describe('scanFilesParallel', () => {
  it('gives exactly the single-threaded result, order included', async () => {
    const config = loadConfig();
    const single = await scan(source(), config, {});
    expect(single.findings.length).toBeGreaterThanOrEqual(planted);
    expect(single.suppressed.length).toBeGreaterThan(0);
    expect(single.stats.skippedBinary).toBe(2);
    expect(single.stats.skippedLarge).toBe(1);
    expect(single.stats.skippedSymlinks).toBe(1);
    for (const threads of [2, 3]) {
      const s = source();
      // Both this thread and the workers must have scanned batches, or the comparison proves little.
      const ran = new Set<string>();
      const parallel = await scanFilesParallel(s, config, {}, {}, { threads, readOptions: s.readOptions, workerUrl: WORKER_URL, localBatchBytes: 8192, workerBatchBytes: 16384, startAfterBytes: 0, shareWithWorkers: true, onBatch: (where) => void ran.add(where) });
      expect([...ran].sort()).toEqual(['here', 'worker']);
      expect(parallel.findings).toEqual(single.findings);
      expect(parallel.suppressed).toEqual(single.suppressed);
      expect(parallel.stats).toEqual(single.stats);
      expect(parallel.suppressedCounts).toEqual(single.suppressedCounts);
    }
  });

  it('keeps allowlisted matches with their reasons in the same order for --explain', async () => {
    const config = loadConfig();
    const single = await scan(source(), config, { explainAllowlisted: true });
    const s = source();
    const ran = new Set<string>();
    const parallel = await scanFilesParallel(s, config, { explainAllowlisted: true }, {}, { threads: 2, workerUrl: WORKER_URL, localBatchBytes: 4096, workerBatchBytes: 8192, startAfterBytes: 0, shareWithWorkers: true, onBatch: (where) => void ran.add(where) });
    expect([...ran].sort()).toEqual(['here', 'worker']);
    expect(parallel.suppressed).toEqual(single.suppressed);
    expect(parallel.suppressedCounts).toEqual(single.suppressedCounts);
    expect(parallel.findings).toEqual(single.findings);
  });

  it('keeps the order with --ignore-directives too', async () => {
    const config = loadConfig();
    const single = await scan(source(), config, { ignoreDirectives: true });
    const s = source();
    const parallel = await scanFilesParallel(s, config, { ignoreDirectives: true }, {}, { threads: 2, workerUrl: WORKER_URL, localBatchBytes: 4096, workerBatchBytes: 4096, startAfterBytes: 0 });
    expect(parallel.findings.map((f) => f.fingerprint)).toEqual(single.findings.map((f) => f.fingerprint));
    expect(parallel.findings).toEqual(single.findings);
  });

  it('the built CLI reports the same with --threads 1 and --threads 2', () => {
    const one = runCli(['detect', '--no-git', '.', '-f', 'json', '--threads', '1', '--no-redact'], { cwd: root });
    const two = runCli(['detect', '--no-git', '.', '-f', 'json', '--threads', '2', '--no-redact'], { cwd: root });
    expect(one.code).toBe(1);
    expect(two.code).toBe(1);
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
    expect(JSON.parse(one.stdout).length).toBeGreaterThanOrEqual(planted);
  });

  it('starts its workers while git is still listing a long tree, with the same result', async () => {
    // More files than START_AT_ONCE_FILES: workers are launched during the listing, and
    // their first replies wait until the scan attaches its handler.
    const t = tempDir('keyscan-parallel-wide-');
    try {
      const files: Record<string, string> = {};
      let secrets = 0;
      for (let i = 0; i < 2100; i++) {
        const secret = i % 150 === 7;
        if (secret) secrets++;
        files[`pkg-${i % 40}/f-${i}.js`] = secret ? `const token = "${fakeGithubToken(`w-${i}`)}";\n` : `export const n${i} = ${i};\n`;
      }
      writeFiles(t.dir, files);
      git(t.dir, ['init', '-q']);
      const config = loadConfig();
      const make = () => new FileSource({ root: t.dir, maxBytes: 1 << 20 });
      const single = await scan(make(), config, {});
      const parallel = await scanFilesParallel(make(), config, {}, {}, { threads: 2, workerUrl: WORKER_URL, workerBatchBytes: 16384 });
      expect(single.findings.length).toBe(secrets);
      expect(parallel.findings).toEqual(single.findings);
      expect(parallel.stats).toEqual(single.stats);
    } finally {
      t.cleanup();
    }
  });

  it('rejects a bad --threads value in one line', () => {
    const res = runCli(['detect', '--no-git', '.', '--threads', '0'], { cwd: root });
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')[0]).toContain('--threads');
  });
});
