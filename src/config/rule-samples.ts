import type { Rule } from './rule.js';
import { base62, crc32 } from '../detect/checksum.js';

/**
 * The sample machinery behind the table-driven rule test and `keyscan rules --test`:
 * positive templates are expanded by a seeded generator (so no live-format key is ever
 * stored, and a failure reproduces) and wrapped in the file syntaxes secrets leak in.
 */

/** A seeded generator (mulberry32): the same seed always makes the same sample. */
export class SeededRandom {
  private state: number;
  constructor(seed: string | number) {
    let h = typeof seed === 'number' ? seed >>> 0 : 2166136261;
    if (typeof seed === 'string') {
      for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
    }
    this.state = h || 1;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
}

/** Alphabets a template placeholder `{name:count}` can draw from. */
export const ALPHABETS: Record<string, string> = {
  alnum: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  alpha: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  digits: '0123456789',
  hex: '0123456789abcdef',
  HEX: '0123456789ABCDEF',
  upperdigits: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  lowerdigits: 'abcdefghijklmnopqrstuvwxyz0123456789',
  base32: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567',
  // Bech32 (BIP 173), upper-case: age secret keys.
  bech32: 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L',
  base64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
};

/**
 * Expand a sample template: literal text with `{alphabet:count}` placeholders, e.g.
 * `ghp_{alnum:36}` or `AKIA{base32:16}`. `{crc:N}` is N random base62 characters
 * followed by their CRC32 as 6 base62 digits: the checksum GitHub and npm tokens
 * carry (github.blog, "Behind GitHub's new authentication token formats", 2021).
 * `{{` and `}}` are literal braces.
 */
export function expandTemplate(template: string, rng: SeededRandom): string {
  return template.replace(/\{\{|\}\}|\{([a-zA-Z0-9]+):(\d+)\}/g, (whole, name: string | undefined, count: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    if (name === 'crc') {
      const body = rng.pick(ALPHABETS.alnum!, Number(count));
      return body + base62(crc32(body), 6);
    }
    const alphabet = ALPHABETS[name!];
    if (!alphabet) throw new Error(`unknown alphabet "${name}" in template ${template}`);
    return rng.pick(alphabet, Number(count));
  });
}

/** A file syntax a sample value is written in, and the file it pretends to be. */
export interface SampleSyntax {
  name: string;
  filePath: string;
  wrap(name: string, value: string): string;
}

/**
 * The syntaxes every wrapped sample is tried in (issue 2, "Tests"). The value is assigned
 * to `samples.name` exactly as written, so a rule keyed on `DD_API_KEY` is tested with
 * that name; other spellings (camelCase, dotted) belong in «…» positives.
 */
export const SYNTAXES: readonly SampleSyntax[] = [
  { name: 'env', filePath: 'config/.env', wrap: (n, v) => `# service settings\n${n}=${v}\n` },
  { name: 'json', filePath: 'config/settings.json', wrap: (n, v) => `{\n  "service": {\n    "${n}": "${v}",\n    "retries": 3\n  }\n}\n` },
  { name: 'yaml', filePath: 'config/settings.yaml', wrap: (n, v) => `service:\n  ${n}: ${v}\n  retries: 3\n` },
  { name: 'python', filePath: 'app/settings.py', wrap: (n, v) => `import os\n\n${n} = "${v}"\n` },
  { name: 'js', filePath: 'src/config.js', wrap: (n, v) => `const ${n} = '${v}';\nmodule.exports = { ${n} };\n` },
  { name: 'ts', filePath: 'src/config.ts', wrap: (n, v) => `export const config = {\n  ${n}: \`${v}\`,\n};\n` },
  { name: 'shell', filePath: 'scripts/deploy.sh', wrap: (n, v) => `#!/bin/sh\nexport ${n}="${v}"\n` },
  { name: 'xml', filePath: 'config/app.xml', wrap: (n, v) => `<config>\n  <${n}>${v}</${n}>\n</config>\n` },
  { name: 'properties', filePath: 'config/app.properties', wrap: (n, v) => `# service\n${n}=${v}\n` },
];

/** Raw samples (whole lines, PEM blocks, `wrap = false`) are scanned as this file. */
export const RAW_FILE = 'sample.txt';

/** One concrete text a rule is tested against. */
export interface SampleCase {
  ruleId: string;
  kind: 'positive' | 'negative';
  /** 1-based position in the rule's positives or negatives. */
  index: number;
  /** The template or literal as written in the rule file. */
  sample: string;
  /** `raw` or a syntax name. */
  syntax: string;
  filePath: string;
  text: string;
  /** Positives: the secret the rule must capture. */
  expected?: string;
}

const GUILLEMETS = /«([\s\S]*?)»/;

/**
 * Every case a rule's samples expand to. Positive #i is seeded with `<rule id>#<i>`, so
 * each one is the same secret in every syntax and on every run.
 */
export function sampleCases(rule: Rule): SampleCase[] {
  const s = rule.samples;
  if (!s) return [];
  const name = s.name ?? 'value';
  const wrap = s.wrap !== false;
  const out: SampleCase[] = [];
  const place = (filePath: string) => (s.path ? s.path : filePath);
  s.positives.forEach((template, i) => {
    const base = { ruleId: rule.id, kind: 'positive' as const, index: i + 1, sample: template };
    const expanded = expandTemplate(template, new SeededRandom(`${rule.id}#${i + 1}`));
    const marked = GUILLEMETS.exec(expanded);
    if (marked) {
      // A whole line (or block): the guillemets say which part is the secret.
      out.push({ ...base, syntax: 'raw', filePath: place(RAW_FILE), text: `${expanded.replace(GUILLEMETS, '$1')}\n`, expected: marked[1]! });
    } else if (!wrap) {
      out.push({ ...base, syntax: 'raw', filePath: place(RAW_FILE), text: `${expanded}\n`, expected: expanded });
    } else {
      for (const syn of SYNTAXES) {
        out.push({ ...base, syntax: syn.name, filePath: place(syn.filePath), text: syn.wrap(name, expanded), expected: expanded });
      }
    }
  });
  s.negatives.forEach((literal, i) => {
    const base = { ruleId: rule.id, kind: 'negative' as const, index: i + 1, sample: literal };
    out.push({ ...base, syntax: 'raw', filePath: place(RAW_FILE), text: `${literal}\n` });
    if (wrap && !literal.includes('\n')) {
      for (const syn of SYNTAXES) out.push({ ...base, syntax: syn.name, filePath: place(syn.filePath), text: syn.wrap(name, literal) });
    }
  });
  return out;
}

/**
 * Problems with a rule's samples themselves, before any is run (ESLint's RuleTester
 * rejects bad cases the same way): missing samples, duplicates, a positive without any
 * of the rule's keywords (the prefilter would never let the regex see it).
 */
export function sampleProblems(rule: Rule): string[] {
  const s = rule.samples;
  const problems: string[] = [];
  if (!s) return ['has no [rules.samples]'];
  if (s.positives.length === 0) problems.push('has no positive samples');
  if (s.negatives.length === 0) problems.push('has no negative samples');
  const seen = new Set<string>();
  for (const x of [...s.positives, ...s.negatives]) {
    if (seen.has(x)) problems.push(`duplicate sample: ${x}`);
    seen.add(x);
  }
  if (rule.keywords.length > 0) {
    const has = (text: string) => rule.keywords.some((k) => text.toLowerCase().includes(k));
    s.positives.forEach((template, i) => {
      const text = expandTemplate(template, new SeededRandom(`${rule.id}#${i + 1}`));
      // A wrapped value is assigned to `samples.name`: every syntax must keep a keyword.
      const texts = GUILLEMETS.test(template) || s.wrap === false ? [text] : SYNTAXES.map((syn) => syn.wrap(s.name ?? 'value', text));
      if (!texts.every(has)) {
        problems.push(`positive #${i + 1} contains none of the keywords (${rule.keywords.join(', ')}): ${template}`);
      }
    });
  }
  return problems;
}
