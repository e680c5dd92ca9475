/**
 * A deterministic tree that looks like a monorepo's working tree: source in several
 * languages, configs, docs, lockfiles and minified bundles, a few binaries, one file over
 * the size limit, and a handful of planted fake secrets. The same seed always gives the
 * same bytes, so figures from different runs compare.
 *
 * Identifiers deliberately include the words secret scanners key on (token, key, secret,
 * password, auth…) at the rate real code has them: a benchmark on text without keyword
 * hits would only measure the prefilter.
 */
import { mkdirSync, writeFileSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { SeededRandom, ALNUM, BASE64, plantedSecrets } from './random.js';

/** Bump when the generator changes, so a cached tree is rebuilt. */
const GENERATOR_VERSION = 4;

const WORDS = [
  'user', 'token', 'key', 'secret', 'session', 'config', 'request', 'response', 'handler', 'cache',
  'value', 'item', 'index', 'auth', 'password', 'client', 'server', 'options', 'data', 'result',
  'error', 'node', 'path', 'file', 'buffer', 'stream', 'parse', 'visit', 'scope', 'state', 'context',
  'plugin', 'module', 'export', 'import', 'source', 'target', 'type', 'name', 'id', 'list', 'map',
  'entry', 'api', 'access', 'credential', 'account', 'message', 'event', 'queue', 'worker', 'job',
  'format', 'render', 'view', 'model', 'schema', 'field', 'record', 'query', 'filter', 'sort',
  'page', 'limit', 'offset', 'count', 'total', 'size', 'length', 'width', 'height', 'color', 'style',
  'theme', 'layout', 'route', 'router', 'store', 'action', 'reducer', 'effect', 'hook', 'ref', 'props',
  'child', 'parent', 'root', 'tree', 'graph', 'edge', 'vertex', 'hash', 'digest', 'sign', 'verify',
  'encode', 'decode', 'encrypt', 'decrypt', 'cipher', 'salt', 'nonce', 'timestamp', 'date', 'time',
];
const PROSE = ('the a of to and in is it that for you was on are with as this be at by not or have from ' +
  'but what all were when we there can an your which their said if do will each about how up out them ' +
  'then she many some so these would other into has more her two like him see time could no make than ' +
  'first been its who now people my made over did down only way find use may water long little very ' +
  'after words called just where most know get through back much before go good new write our used me ' +
  'man too any day same right look think also around another came come work three word must because does ' +
  'part even place well such here take why things help put years different away again off went old number ' +
  'configure token secret key password environment variable rotate credential').split(' ');

function ident(rng) {
  const a = rng.choice(WORDS);
  const r = rng.int(4);
  if (r === 0) return a;
  const b = rng.choice(WORDS);
  return r === 3 ? `${a}_${b}` : a + b[0].toUpperCase() + b.slice(1);
}
/** Names without the words secret rules key on, for values that look random (hashes, ids). */
const SAFE = WORDS.filter((w) => !/token|key|secret|passw|auth|credential|access|api|sign|cipher|salt|nonce|hash|digest|crypt/.test(w));
function safeIdent(rng) {
  const a = rng.choice(SAFE);
  const b = rng.choice(SAFE);
  return a + b[0].toUpperCase() + b.slice(1);
}
const safeUpper = (rng) => `${rng.choice(SAFE)}_${rng.choice(SAFE)}`.toUpperCase();
const upper = (rng) => `${rng.choice(WORDS)}_${rng.choice(WORDS)}`.toUpperCase();
const sentence = (rng, n) => Array.from({ length: n }, () => rng.choice(PROSE)).join(' ');
const hex = (rng, n) => rng.pick('0123456789abcdef', n);

const JS_LINES = [
  (r) => `import { ${ident(r)}, ${ident(r)} } from '../${ident(r)}/${ident(r)}.js';`,
  (r) => `export function ${ident(r)}(${ident(r)}, ${ident(r)}) {`,
  (r) => `  const ${ident(r)} = await ${ident(r)}.${ident(r)}(${ident(r)}, { ${ident(r)}: ${ident(r)}, timeout: ${r.int(10000)} });`,
  (r) => `  if (!${ident(r)}.${ident(r)}) throw new Error('${sentence(r, 6)}');`,
  (r) => `  // ${sentence(r, 8 + r.int(8))}`,
  (r) => `  return ${ident(r)}.map((x) => x.${ident(r)}).filter(Boolean);`,
  (r) => `  headers['Authorization'] = \`Bearer \${${ident(r)}.accessToken}\`;`,
  (r) => `  const password = process.env.${upper(r)};`,
  (r) => `  this.apiKey = options.apiKey ?? config.get('${ident(r)}.key');`,
  (r) => `  const ${safeIdent(r)}Sha = '${hex(r, 40)}';`,
  () => '}',
  () => '',
  (r) => `  expect(${ident(r)}.${ident(r)}).toBe('${ident(r)}');`,
  (r) => `    ${ident(r)}: ${r.int(2) ? `'${ident(r)}'` : r.int(1000)},`,
  (r) => `  for (const ${ident(r)} of ${ident(r)}.${ident(r)}) ${ident(r)}.push(${ident(r)});`,
  (r) => `  const { ${ident(r)}, ${ident(r)}, secretKey } = await loadSecrets(${ident(r)});`,
  (r) => `export const ${safeUpper(r)} = '${safeIdent(r)}-${r.int(100)}';`,
];
const PY_LINES = [
  (r) => `from ${ident(r)}.${ident(r)} import ${ident(r)}, ${ident(r)}`,
  (r) => `def ${ident(r)}(self, ${ident(r)}, ${ident(r)}=None):`,
  (r) => `    ${ident(r)} = self.${ident(r)}.get("${ident(r)}", ${r.int(100)})`,
  (r) => `    # ${sentence(r, 10)}`,
  (r) => `    token = os.environ["${upper(r)}"]`,
  (r) => `    return {"${ident(r)}": ${ident(r)}, "key": self.key}`,
  (r) => `    if not ${ident(r)}: raise ValueError("${sentence(r, 5)}")`,
  () => '',
];
const GO_LINES = [
  (r) => `func (s *${ident(r)}) ${ident(r)}(ctx context.Context, ${ident(r)} string) error {`,
  (r) => `\t${ident(r)}, err := s.${ident(r)}.Get(ctx, "${ident(r)}")`,
  () => '\tif err != nil {\n\t\treturn err\n\t}',
  (r) => `\t// ${sentence(r, 9)}`,
  (r) => `\tsecretKey := os.Getenv("${upper(r)}")`,
  () => '}',
];
const MD_LINES = [
  (r) => `## ${sentence(r, 4)}`,
  (r) => sentence(r, 20 + r.int(30)),
  (r) => `- \`${ident(r)}\`: ${sentence(r, 10)}`,
  (r) => `\`\`\`sh\nexport ${upper(r)}=<your-api-key-here>\n\`\`\``,
  () => '',
];
const YAML_LINES = [
  (r) => `${ident(r)}:`,
  (r) => `  ${ident(r)}: ${ident(r)}`,
  (r) => `  ${ident(r)}: ${r.int(10000)}`,
  (r) => `  token: \${{ secrets.${upper(r)} }}`,
  (r) => `  password: \${${upper(r)}}`,
  (r) => `  image: registry.example.com/${ident(r)}:${r.int(10)}.${r.int(20)}.${r.int(50)}`,
];

function lines(rng, templates, bytes) {
  const out = [];
  let n = 0;
  while (n < bytes) {
    const l = rng.choice(templates)(rng);
    out.push(l);
    n += l.length + 1;
  }
  return out;
}

function minifiedBundle(rng, bytes) {
  const parts = [];
  let n = 0;
  const v = () => rng.pick('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ$_', 1 + rng.int(2));
  while (n < bytes) {
    let s;
    switch (rng.int(8)) {
      case 0: s = `function ${v()}(${v()},${v()}){return ${v()}.${ident(rng)}(${v()})}`; break;
      case 1: s = `var ${v()}="${sentence(rng, 4)}";`; break;
      case 2: s = `${v()}.apiKey=${v()}.key||"";${v()}.token=${v()}.${ident(rng)};`; break;
      case 3: s = rng.int(40) === 0 ? `"data:image/png;base64,${rng.pick(BASE64, 1500)}"` : `"${hex(rng, 32)}"`; break;
      case 4: s = `${v()}=${v()}.createElement("${ident(rng)}",{className:"${ident(rng)}",key:${v()}.id},${v()});`; break;
      case 5: s = `case ${rng.int(500)}:${v()}=${v()}[${rng.int(99)}];break;`; break;
      case 6: s = `e.exports={${ident(rng)}:${v()},${ident(rng)}:${v()}};`; break;
      default: s = `if(!${v()})throw new Error("${sentence(rng, 5)}");`;
    }
    parts.push(s);
    n += s.length;
  }
  return parts.join(rng.int(3) === 0 ? '\n' : '');
}

function packageLock(rng, bytes) {
  const out = ['{', '  "name": "bench-monorepo",', '  "lockfileVersion": 3,', '  "packages": {'];
  let n = 0;
  while (n < bytes) {
    const name = `${ident(rng)}-${ident(rng)}`.toLowerCase();
    const ver = `${rng.int(10)}.${rng.int(30)}.${rng.int(30)}`;
    const e = `    "node_modules/${name}": {\n      "version": "${ver}",\n      "resolved": "https://registry.npmjs.org/${name}/-/${name}-${ver}.tgz",\n      "integrity": "sha512-${rng.pick(BASE64, 86)}==",\n      "license": "MIT"\n    },`;
    out.push(e);
    n += e.length;
  }
  out.push('    "": {}', '  }', '}');
  return out.join('\n');
}

function goSum(rng, bytes) {
  const out = [];
  let n = 0;
  while (n < bytes) {
    const l = `github.com/${ident(rng)}/${ident(rng)} v${rng.int(3)}.${rng.int(20)}.${rng.int(20)} h1:${rng.pick(BASE64, 43)}=`;
    out.push(l);
    n += l.length + 1;
  }
  return out.join('\n');
}

function jsonConfig(rng, bytes) {
  const o = {};
  let n = 0;
  while (n < bytes) {
    const k = rng.int(4) === 0 ? safeIdent(rng) : ident(rng);
    const val = rng.int(3) === 0 ? { [ident(rng)]: ident(rng), enabled: true, retries: rng.int(9) } : rng.int(2) ? ident(rng) : `${rng.int(10)}.${rng.int(40)}.${rng.int(90)}`;
    o[k] = val;
    n += k.length + 40;
  }
  return JSON.stringify(o, null, 2);
}

/** A file size drawn from a skewed distribution: many small files, a few large ones. */
function sourceSize(rng) {
  const u = rng.next();
  return Math.floor(1500 + u * u * u * 60000);
}

/**
 * Write the tree under `dir` (replaced if it exists and is stale). Returns
 * `{ files, bytes, planted }`; `planted` lists {file, rule} (not the secret values).
 */
export function generateTree(dir, { megabytes = 220, seed = 'keyscan-bench' } = {}) {
  const stamp = `${dir}.stamp.json`;
  const want = { version: GENERATOR_VERSION, megabytes, seed };
  if (existsSync(stamp)) {
    try {
      const have = JSON.parse(readFileSync(stamp, 'utf8'));
      if (have.version === want.version && have.megabytes === want.megabytes && have.seed === want.seed) return have.summary;
    } catch { /* rebuild */ }
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const rng = new SeededRandom(`${seed}:${megabytes}`);
  const budget = megabytes * 1024 * 1024;
  let bytes = 0;
  let files = 0;
  const write = (rel, content) => {
    const abs = join(dir, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    bytes += Buffer.byteLength(content);
    files++;
  };
  // Shares of the bytes, roughly those of a JS monorepo with a few services in other languages.
  const share = { lock: 0.08, bundle: 0.2, config: 0.05, docs: 0.07 };
  write('package-lock.json', packageLock(rng, budget * share.lock * 0.6));
  write('services/api/go.sum', goSum(rng, budget * share.lock * 0.4));
  const packages = Math.max(4, Math.round(megabytes / 4));
  const sourceBudget = budget * (1 - share.lock - share.bundle - share.config - share.docs);
  for (let p = 0; p < packages; p++) {
    const pkg = `packages/${ident(rng).toLowerCase()}-${p}`;
    write(`${pkg}/package.json`, JSON.stringify({ name: `@bench/${p}`, version: '1.0.0', scripts: { build: 'tsc', test: 'vitest' }, dependencies: { [ident(rng)]: '^1.0.0' } }, null, 2));
    write(`${pkg}/README.md`, lines(rng, MD_LINES, (budget * share.docs) / packages).join('\n'));
    write(`${pkg}/config/${ident(rng)}.json`, jsonConfig(rng, (budget * share.config * 0.6) / packages));
    write(`${pkg}/.github/workflows/ci.yml`, lines(rng, YAML_LINES, (budget * share.config * 0.4) / packages).join('\n'));
    write(`${pkg}/dist/${ident(rng)}.min.js`, minifiedBundle(rng, (budget * share.bundle) / packages));
    let left = sourceBudget / packages;
    let i = 0;
    while (left > 0) {
      const size = sourceSize(rng);
      const kind = rng.int(10);
      const [templates, ext] = kind < 6 ? [JS_LINES, rng.int(2) ? 'ts' : 'js'] : kind < 8 ? [PY_LINES, 'py'] : [GO_LINES, 'go'];
      const text = lines(rng, templates, size).join('\n') + '\n';
      write(`${pkg}/src/${ident(rng)}/${ident(rng)}-${i++}.${ext}`, text);
      left -= text.length;
    }
    // A few binaries (judged by content) and, in one package, a file over the 10 MB limit.
    if (p % 8 === 0) {
      const png = Buffer.alloc(20000 + rng.int(50000));
      for (let b = 0; b < png.length; b++) png[b] = rng.int(256);
      png.write('\x89PNG\r\n\x1a\n', 0, 'latin1');
      png[9] = 0;
      write(`${pkg}/assets/${ident(rng)}.png`, png);
    }
    if (p === 1) write(`${pkg}/fixtures/huge-dump.sql`, lines(rng, [(r) => `INSERT INTO ${ident(r)} VALUES (${r.int(1e6)}, '${sentence(r, 6)}');`], 11 * 1024 * 1024).join('\n'));
  }
  // Planted secrets, in files of their own kind, recorded by rule (never by value).
  const planted = [];
  const secrets = plantedSecrets(rng);
  secrets.forEach((s, k) => {
    const name = { 'config.js': `packages/leak-${k}/src/config.js`, env: `packages/leak-${k}/.env.production`, py: `services/leak-${k}/settings.py`, yaml: `deploy/leak-${k}/values.yaml`, pem: `deploy/leak-${k}/id_rsa.pem` }[s.file];
    const body = lines(rng, s.file === 'py' ? PY_LINES : s.file === 'yaml' ? YAML_LINES : JS_LINES, 3000);
    const at = rng.int(body.length);
    body.splice(at, 0, s.line(s.secret));
    write(name, body.join('\n') + '\n');
    planted.push({ rule: s.rule, file: name, line: at + 1 });
  });
  // A git work tree, as keyscan usually sees one (files untracked but not ignored are scanned).
  spawnSync('git', ['init', '-q'], { cwd: dir });
  const summary = { files, bytes, planted };
  writeFileSync(stamp, JSON.stringify({ ...want, summary }, null, 2));
  return summary;
}
