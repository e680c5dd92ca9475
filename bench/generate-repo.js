/**
 * A deterministic git history for the history-scan benchmark (issue 3): thousands of
 * small commits over a few hundred files, feature branches merged back (some merges carry
 * content of their own, like a conflict resolution), tags, and a few fake secrets that are
 * added and later removed. Written with `git fast-import`, which builds thousands of
 * commits in seconds.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { SeededRandom, plantedSecrets } from './random.js';

const GENERATOR_VERSION = 2;

const WORDS = ['user', 'token', 'key', 'config', 'request', 'handler', 'cache', 'value', 'auth', 'client',
  'server', 'options', 'data', 'result', 'error', 'path', 'file', 'stream', 'parse', 'state', 'session',
  'plugin', 'module', 'source', 'target', 'name', 'list', 'map', 'entry', 'api', 'account', 'message'];

function ident(rng) {
  const a = rng.choice(WORDS);
  const b = rng.choice(WORDS);
  return a + b[0].toUpperCase() + b.slice(1);
}

function codeLine(rng) {
  switch (rng.int(6)) {
    case 0: return `export function ${ident(rng)}(${ident(rng)}) {`;
    case 1: return `  const ${ident(rng)} = ${ident(rng)}.${ident(rng)}(${rng.int(1000)});`;
    case 2: return `  // ${ident(rng)} ${ident(rng)} ${ident(rng)} ${ident(rng)}`;
    case 3: return `  if (!${ident(rng)}) return ${ident(rng)}.token;`;
    case 4: return '}';
    default: return `  this.${ident(rng)} = options.${ident(rng)} ?? '${ident(rng)}';`;
  }
}

/**
 * Create (or reuse) the repository at `dir` with `commits` commits. Returns
 * `{ commits, planted }` (`planted`: how many secrets went into the history).
 */
export async function generateRepo(dir, { commits = 5000, files = 300, seed = 'keyscan-history' } = {}) {
  const stamp = `${dir}.stamp.json`;
  const want = { version: GENERATOR_VERSION, commits, files, seed };
  if (existsSync(stamp) && existsSync(dir)) {
    try {
      const have = JSON.parse(readFileSync(stamp, 'utf8'));
      if (have.version === want.version && have.commits === commits && have.files === files && have.seed === seed) return have.summary;
    } catch { /* rebuild */ }
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  spawnSync('git', ['init', '-q', '--initial-branch=main', dir]);
  const rng = new SeededRandom(seed);
  const secrets = plantedSecrets(rng).filter((s) => s.rule !== 'private-key');
  const tree = new Map();
  for (let f = 0; f < files; f++) {
    tree.set(`src/${ident(rng).toLowerCase()}/${ident(rng)}-${f}.js`, Array.from({ length: 40 + rng.int(300) }, () => codeLine(rng)));
  }
  const paths = [...tree.keys()];
  const proc = spawn('git', ['fast-import', '--quiet', '--done'], { cwd: dir, stdio: ['pipe', 'inherit', 'inherit'] });
  const chunks = [];
  const out = (s) => chunks.push(typeof s === 'string' ? Buffer.from(s) : s);
  const data = (s) => {
    const b = Buffer.from(s);
    out(`data ${b.length}\n`);
    out(b);
    out('\n');
  };
  let mark = 0;
  let time = 1_600_000_000;
  let planted = 0;
  const commit = (ref, message, changes, { from, merge } = {}) => {
    mark++;
    time += 600 + rng.int(7200);
    const who = rng.choice(['Ada Lovelace <ada@example.com>', 'Grace Hopper <grace@example.com>', 'Alan Turing <alan@example.com>']);
    out(`commit ${ref}\nmark :${mark}\nauthor ${who} ${time} +0000\ncommitter ${who} ${time} +0000\n`);
    data(message);
    if (from) out(`from ${from}\n`);
    if (merge) out(`merge ${merge}\n`);
    for (const [path, lines] of changes) {
      out(`M 100644 inline ${path}\n`);
      data(lines.join('\n') + '\n');
    }
    out('\n');
    return `:${mark}`;
  };
  const edit = (path) => {
    const lines = tree.get(path);
    const at = rng.int(lines.length);
    const n = 1 + rng.int(4);
    lines.splice(at, rng.int(3), ...Array.from({ length: n }, () => codeLine(rng)));
    return [path, [...lines]];
  };
  // The first commit adds every file.
  let head = commit('refs/heads/main', 'initial import', [...tree.entries()].map(([p, l]) => [p, [...l]]));
  let made = 1;
  const secretAt = new Map(secrets.map((s, k) => [Math.floor(((k + 1) * commits) / (secrets.length + 2)), s]));
  while (made < commits) {
    if (made % 400 === 0 && commits - made > 30) {
      // A feature branch of a few commits, merged back with a change of its own.
      const branch = `refs/heads/feature/${made}`;
      let tip = head;
      const n = 5 + rng.int(10);
      for (let i = 0; i < n; i++) tip = commit(branch, `feature ${made}: ${ident(rng)}`, [edit(rng.choice(paths))], i === 0 ? { from: head } : {});
      head = commit('refs/heads/main', `Merge branch 'feature/${made}'`, [edit(rng.choice(paths))], { from: head, merge: tip });
      made += n + 1;
      out(`tag v${made}\nfrom ${head}\ntagger Ada Lovelace <ada@example.com> ${time} +0000\n`);
      data(`release ${made}`);
      continue;
    }
    const s = secretAt.get(made);
    const changes = [];
    if (s) {
      const path = rng.choice(paths);
      const lines = tree.get(path);
      lines.splice(rng.int(lines.length), 0, s.line(s.secret));
      changes.push([path, [...lines]]);
      planted++;
    } else {
      const k = 1 + rng.int(3);
      for (let i = 0; i < k; i++) changes.push(edit(rng.choice(paths)));
    }
    head = commit('refs/heads/main', `${rng.choice(['fix', 'feat', 'refactor', 'docs', 'test'])}: ${ident(rng)} ${ident(rng)}`, changes, { from: made === 1 ? head : undefined });
    made++;
    if (chunks.length > 2000) {
      const ok = proc.stdin.write(Buffer.concat(chunks.splice(0)));
      if (!ok) await new Promise((r) => proc.stdin.once('drain', r));
    }
  }
  out('done\n');
  proc.stdin.end(Buffer.concat(chunks.splice(0)));
  const code = await new Promise((r) => proc.on('close', r));
  if (code !== 0) throw new Error(`git fast-import failed (${code})`);
  spawnSync('git', ['checkout', '-q', '-f', 'main'], { cwd: dir });
  spawnSync('git', ['gc', '-q'], { cwd: dir });
  const count = Number(spawnSync('git', ['rev-list', '--all', '--count'], { cwd: dir, encoding: 'utf8' }).stdout.trim());
  const summary = { commits: count, planted };
  writeFileSync(stamp, JSON.stringify({ ...want, summary }, null, 2));
  return summary;
}
