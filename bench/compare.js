#!/usr/bin/env node
/**
 * `node bench/compare.js --base PATH`: this build against another one (PATH is its
 * bin/keyscan.js), on the benchmarks of bench/run.js, in interleaved rounds. On a machine
 * whose speed drifts from minute to minute, two builds timed minutes apart cannot be
 * compared; run round-robin, each round sees both at the same speed. Reports, per
 * command, the median and minimum wall and CPU time over the rounds, and the median of
 * the per-round ratios to the first command of its group.
 *
 *   node bench/compare.js --base /tmp/old/bin/keyscan.js [--rounds 5] [--only tree,babel,history,express,hook]
 *
 * Needs what bench/run.js builds in .bench/ (run it once first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = join(ROOT, '.bench');
const argv = process.argv.slice(2);
const value = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : def;
};
if (argv.includes('--help') || !value('base')) {
  console.log('usage: node bench/compare.js --base OTHER/bin/keyscan.js [--rounds N] [--only tree,babel,history,express,hook]');
  process.exit(argv.includes('--help') ? 0 : 2);
}
const BASE = resolve(value('base'));
const HEAD = join(ROOT, 'bin', 'keyscan.js');
const ROUNDS = Number(value('rounds', 5));
const only = new Set(String(value('only', 'tree,babel,history,express,hook')).split(','));
if (!existsSync(BASE)) {
  console.error(`bench/compare.js: --base ${BASE} does not exist`);
  process.exit(2);
}

/** One run: wall seconds (the clock around the child) and CPU seconds (user + sys of the child and its children). */
function once(cmd, args, cwd) {
  const res = spawnSync('/usr/bin/time', ['-f', '%U %S', cmd, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
  const [user, sys] = res.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { cpu: user + sys };
}

function timed(cmd, args, cwd) {
  const started = process.hrtime.bigint();
  const { cpu } = once(cmd, args, cwd);
  return { wall: Number(process.hrtime.bigint() - started) / 1e9, cpu };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Interleaved rounds over `commands` ([label, cmd, args]), the order rotated each round. */
function group(title, cwd, commands) {
  if (!existsSync(cwd)) {
    console.log(`### ${title}: skipped (${cwd} is missing: run bench/run.js first)\n`);
    return;
  }
  const runs = commands.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    for (let k = 0; k < commands.length; k++) {
      const i = (k + r) % commands.length;
      const [, cmd, args] = commands[i];
      runs[i].push(timed(cmd, args, cwd));
    }
  }
  console.log(`### ${title} (${ROUNDS} interleaved rounds)\n`);
  console.log('| command | wall median (min) s | CPU median s | wall / first, median of rounds |');
  console.log('| --- | ---: | ---: | ---: |');
  commands.forEach(([label], i) => {
    const walls = runs[i].map((x) => x.wall);
    const ratio = median(runs[i].map((x, r) => x.wall / runs[0][r].wall));
    console.log(`| ${label} | ${median(walls).toFixed(2)} (${Math.min(...walls).toFixed(2)}) | ${median(runs[i].map((x) => x.cpu)).toFixed(2)} | ${ratio.toFixed(2)}× |`);
  });
  console.log();
}

const node = process.execPath;
const scanFiles = (bin, extra = []) => [node, [bin, 'detect', '--no-git', '--no-progress', ...extra]];

if (only.has('tree')) {
  group('Generated tree, --no-git', join(BENCH, 'tree'), [
    ['base, all cores', ...scanFiles(BASE)],
    ['this build, all cores', ...scanFiles(HEAD)],
    ['base, one thread', ...scanFiles(BASE, ['--threads', '1'])],
    ['this build, one thread', ...scanFiles(HEAD, ['--threads', '1'])],
  ]);
}
if (only.has('babel')) {
  group('babel/babel working tree, --no-git', join(BENCH, 'babel'), [['base', ...scanFiles(BASE)], ['this build', ...scanFiles(HEAD)]]);
}
for (const [name, dir] of [['history', 'history-repo'], ['express', 'express']]) {
  if (!only.has(name)) continue;
  group(`${dir} history`, join(BENCH, dir), [
    ['git log -p --all', 'git', ['log', '-p', '--all']],
    ['base', node, [BASE, 'detect', '--no-progress']],
    ['this build', node, [HEAD, 'detect', '--no-progress']],
  ]);
}
if (only.has('hook')) {
  group('protect --staged on a 10-file change', join(BENCH, 'hook-repo'), [
    ['node -e 0', node, ['-e', '0']],
    ['base', node, [BASE, 'protect', '--staged']],
    ['this build', node, [HEAD, 'protect', '--staged']],
  ]);
}
