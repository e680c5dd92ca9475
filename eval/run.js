#!/usr/bin/env node
// Detection quality, measured (issue 7): builds a labelled evaluation set at run time,
// scans it with the built CLI exactly as a user would (`keyscan detect --no-git`), and
// reports recall and precision overall and per rule family, listing every miss and every
// false positive.
//
//   npm run build && npm run eval [-- --seed S] [--json FILE] [--keep] [--check]
//
// Positives: every positive template of every default rule, expanded by a seeded
// generator and written into realistic files (contexts.js), including base64 inside a
// Kubernetes Secret. Noise: the quiet cases issue 7 lists (noise.js). Nothing is stored:
// the corpus lives in a temporary directory, removed afterwards unless --keep.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTEXTS, K8S_SECRET, LINE_CONTEXTS, upper } from './contexts.js';
import { NOISE } from './noise.js';
import { SeededRandom, expandTemplate } from './random.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = 0.98;
/** Wrapped positives are written in this many of the contexts (chosen by the seed). */
const CONTEXTS_PER_SAMPLE = 3;

function parseArgs(argv) {
  const args = { seed: 'keyscan-eval', json: undefined, keep: false, check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seed') args.seed = argv[++i];
    else if (a === '--json') args.json = argv[++i];
    else if (a === '--keep') args.keep = true;
    else if (a === '--check') args.check = true;
    else {
      console.error(`eval: unknown option ${a} (use --seed S, --json FILE, --keep, --check)`);
      process.exit(2);
    }
  }
  return args;
}

async function loadRules() {
  let load;
  try {
    load = await import(join(ROOT, 'dist/config/load.js'));
  } catch {
    console.error('eval: dist/ is missing: run `npm run build` first');
    process.exit(2);
  }
  return load.readRulesDir(load.DEFAULT_RULES_DIR, ROOT).flatMap((f) => f.rules);
}

const familyOf = (rule) => rule.source.replace(/^rules\//, '').replace(/\.toml$/, '');
const GUILLEMETS = /«([\s\S]*?)»/;

/** Does the rule find this value with no name around it (a prefix, a PEM header)? */
function standalone(rule, value) {
  rule.regex.lastIndex = 0;
  const m = rule.regex.exec(value);
  rule.regex.lastIndex = 0;
  return m !== null && (rule.secretGroup === 0 ? m[0] : m[rule.secretGroup]) === value;
}

/** The labelled corpus: files, and for each positive file the secret it holds. */
function buildCorpus(rules, seed) {
  const files = [];
  const expected = [];
  let n = 0;
  const add = (path, text, label) => {
    const file = `case-${String(++n).padStart(4, '0')}/${path}`;
    const entry = { file, text };
    files.push(entry);
    if (label) expected.push({ file, ...label });
    return entry;
  };
  for (const rule of rules) {
    const s = rule.samples;
    if (!s) continue;
    const name = s.name ?? rule.id.replace(/-/g, '_');
    s.positives.forEach((template, i) => {
      const rng = new SeededRandom(`${seed}:${rule.id}#${i + 1}`);
      const value = expandTemplate(template, rng);
      const label = (secret, context) => ({ secret, ruleId: rule.id, family: familyOf(rule), context });
      const marked = GUILLEMETS.exec(value);
      if (marked) {
        const line = value.replace(GUILLEMETS, '$1');
        for (const ctx of s.path ? [LINE_CONTEXTS[2]] : LINE_CONTEXTS) {
          add(s.path ?? ctx.path(rule.id), s.path ? line : ctx.text(line), label(marked[1], ctx.name));
        }
        return;
      }
      if (s.wrap === false) {
        add(s.path ?? `deploy/${rule.id}.txt`, value.endsWith('\n') ? value : `${value}\n`, label(value, 'raw'));
        return;
      }
      const chosen = new Set();
      while (chosen.size < CONTEXTS_PER_SAMPLE) chosen.add(CONTEXTS[rng.int(CONTEXTS.length)]);
      for (const ctx of chosen) add(s.path ?? ctx.path(name), ctx.text(name, value), label(value, ctx.name));
      // One encoding deep: a value a rule finds on its own is a Secret's data value; one
      // that needs its name is an env file stored in the Secret.
      const encoded = standalone(rule, value) ? Buffer.from(value).toString('base64') : Buffer.from(`${upper(name)}=${value}\n`).toString('base64');
      add(K8S_SECRET.path(name), K8S_SECRET.text(standalone(rule, value) ? 'token' : 'app.env', encoded), label(value, K8S_SECRET.name));
    });
  }
  const noiseRng = new SeededRandom(`${seed}:noise`);
  for (const group of NOISE) {
    for (const f of group.files(noiseRng)) add(f.path, f.text).noise = group.kind;
  }
  return { files, expected };
}

function scanWithCli(dir) {
  const report = join(dir, '..', 'report.json');
  const res = spawnSync(process.execPath, [join(ROOT, 'bin/keyscan.js'), 'detect', '--no-git', dir, '-f', 'json', '-r', report, '--no-redact', '--no-progress', '--exit-code', '0'], { encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
  if (res.status !== 0) {
    console.error(`eval: keyscan exited with ${res.status}\n${res.stderr}`);
    process.exit(2);
  }
  return JSON.parse(readFileSync(report, 'utf8'));
}

function score(corpus, findings, rules) {
  const familyOfRule = new Map(rules.map((r) => [r.id, familyOf(r)]));
  const byFile = new Map();
  for (const e of corpus.expected) byFile.set(e.file, e);
  const noiseOf = new Map(corpus.files.filter((f) => f.noise).map((f) => [f.file, f.noise]));
  const found = new Set();
  const tp = [];
  const fp = [];
  for (const f of findings) {
    const e = byFile.get(f.File);
    // A percent-encoded secret is reported decoded (issue 7, "findings say they were decoded").
    const want = e ? [e.secret, safeDecode(e.secret)] : [];
    const same = e && want.some((w) => f.Secret === w || (f.Secret.length >= 8 && (w.includes(f.Secret) || f.Secret.includes(w))));
    if (same && !found.has(e)) {
      found.add(e);
      tp.push({ finding: f, expected: e });
    } else {
      fp.push({ finding: f, family: familyOfRule.get(f.RuleID) ?? '?', why: same ? 'duplicate finding of the same secret' : e ? `not the labelled secret (${e.ruleId})` : `noise: ${noiseOf.get(f.File) ?? '?'}` });
    }
  }
  const misses = corpus.expected.filter((e) => !found.has(e));
  const families = new Map();
  const fam = (k) => families.get(k) ?? families.set(k, { expected: 0, found: 0, reported: 0, correct: 0 }).get(k);
  for (const e of corpus.expected) {
    fam(e.family).expected++;
    if (found.has(e)) fam(e.family).found++;
  }
  for (const t of tp) {
    const k = familyOfRule.get(t.finding.RuleID) ?? '?';
    fam(k).reported++;
    fam(k).correct++;
  }
  for (const x of fp) fam(x.family).reported++;
  const wrongRule = tp.filter((t) => t.finding.RuleID !== t.expected.ruleId);
  return { tp, fp, misses, families, wrongRule };
}

function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const ratio = (a, b) => (b === 0 ? 1 : a / b);
const pct = (x) => x.toFixed(3);
const short = (s) => (s.length > 48 ? `${s.slice(0, 20)}…${s.slice(-8)} (${s.length} chars)` : s);

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const rules = await loadRules();
  const corpus = buildCorpus(rules, args.seed);
  const base = mkdtempSync(join(tmpdir(), 'keyscan-eval-'));
  const dir = join(base, 'corpus');
  for (const f of corpus.files) {
    mkdirSync(dirname(join(dir, f.file)), { recursive: true });
    writeFileSync(join(dir, f.file), f.text);
  }
  const findings = scanWithCli(dir);
  const r = score(corpus, findings, rules);
  const recall = ratio(r.tp.length, corpus.expected.length);
  const precision = ratio(r.tp.length, findings.length);
  const out = [];
  out.push(`keyscan detection quality (seed ${args.seed})`);
  out.push(`corpus: ${corpus.files.length} files, ${corpus.expected.length} labelled secrets from ${new Set(corpus.expected.map((e) => e.ruleId)).size}/${rules.length} rules, ${corpus.files.filter((f) => f.noise).length} noise files`);
  out.push(`recall    ${pct(recall)}  (${r.tp.length}/${corpus.expected.length})`);
  out.push(`precision ${pct(precision)}  (${r.tp.length}/${findings.length})`);
  out.push('', 'family            recall             precision');
  for (const [k, v] of [...r.families].sort()) {
    out.push(`${k.padEnd(18)}${pct(ratio(v.found, v.expected))} (${v.found}/${v.expected})`.padEnd(37) + `${pct(ratio(v.correct, v.reported))} (${v.correct}/${v.reported})`);
  }
  out.push('', `${'noise'.padEnd(38)} files  false positives`);
  const kinds = new Map();
  for (const f of corpus.files) if (f.noise) kinds.set(f.noise, { files: (kinds.get(f.noise)?.files ?? 0) + 1, fp: 0 });
  for (const x of r.fp) {
    const k = x.why.startsWith('noise: ') ? kinds.get(x.why.slice(7)) : undefined;
    if (k) k.fp++;
  }
  for (const [k, v] of kinds) out.push(`${k.padEnd(38).slice(0, 38)} ${String(v.files).padStart(3)}  ${v.fp}`);
  out.push('', `misses (${r.misses.length}):`);
  for (const m of r.misses) out.push(`  ${m.ruleId} [${m.context}] ${m.file}: ${short(m.secret)}`);
  out.push('', `false positives (${r.fp.length}):`);
  for (const x of r.fp) out.push(`  ${x.finding.RuleID} ${x.finding.File}:${x.finding.StartLine} ${short(x.finding.Secret)} (${x.why})`);
  out.push('', `found by another rule than labelled (${r.wrongRule.length}, counted as found):`);
  for (const t of r.wrongRule) out.push(`  ${t.expected.ruleId} → ${t.finding.RuleID} [${t.expected.context}] ${t.expected.file}`);
  console.log(out.join('\n'));
  if (args.json) {
    writeFileSync(args.json, JSON.stringify({ seed: args.seed, recall, precision, files: corpus.files.length, labelled: corpus.expected.length, findings: findings.length, families: Object.fromEntries(r.families), misses: r.misses.map((m) => ({ ruleId: m.ruleId, context: m.context, file: m.file })), falsePositives: r.fp.map((x) => ({ ruleId: x.finding.RuleID, file: x.finding.File, line: x.finding.StartLine, why: x.why })) }, null, 2) + '\n');
  }
  if (args.keep) console.log(`\ncorpus kept in ${dir}`);
  else rmSync(base, { recursive: true, force: true });
  if (args.check && (recall < TARGET || precision < TARGET)) process.exitCode = 1;
}

await main();
