/**
 * Seeded generator for the benchmark, the same mulberry32 as test/helpers/random.ts (which
 * is TypeScript; the benchmark is plain JS so it runs without a build step of its own).
 * Fake secrets are made at run time: the repository must never hold a live-format key.
 */

export class SeededRandom {
  constructor(seed) {
    let h = 2166136261;
    const s = String(seed);
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
    this.state = h || 1;
  }
  next() {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n) {
    return Math.floor(this.next() * n);
  }
  pick(alphabet, n) {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
  choice(list) {
    return list[this.int(list.length)];
  }
}

export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const BASE64 = ALNUM + '+/';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function crc32(s) {
  let c = 0xffffffff;
  for (let i = 0; i < s.length; i++) {
    c ^= s.charCodeAt(i);
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function base62(n, width) {
  let out = '';
  for (let v = n; v > 0; v = Math.floor(v / 62)) out = BASE62[v % 62] + out;
  return out.padStart(width, '0');
}

/**
 * Fake secrets of the most leaked kinds, keyed by the rule id expected to find them. The
 * prefixes are assembled from pieces so that this file itself matches no rule.
 */
export function plantedSecrets(rng) {
  const ghBody = rng.pick(ALNUM, 30);
  const pem = [
    `-----BEGIN ${'RSA PRIVATE'} KEY-----`,
    ...Array.from({ length: 12 }, () => rng.pick(BASE64, 64)),
    `-----END ${'RSA PRIVATE'} KEY-----`,
  ].join('\n');
  return [
    { rule: 'github-pat', file: 'config.js', secret: `${'gh'}p_${ghBody}${base62(crc32(ghBody), 6)}`, line: (s) => `  githubToken: "${s}",` },
    { rule: 'aws-access-key-id', file: 'env', secret: `${'AK'}IA${rng.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`, line: (s) => `AWS_ACCESS_KEY_ID=${s}` },
    { rule: 'stripe-secret-key', file: 'py', secret: `${'sk'}_${'live'}_${rng.pick(ALNUM, 24)}`, line: (s) => `STRIPE_KEY = "${s}"` },
    { rule: 'slack-bot-token', file: 'yaml', secret: `${'xo'}xb-${rng.pick('0123456789', 12)}-${rng.pick('0123456789', 13)}-${rng.pick(ALNUM, 24)}`, line: (s) => `  slack_token: ${s}` },
    { rule: 'generic-api-key', file: 'config.js', secret: rng.pick(ALNUM, 40), line: (s) => `const api_key = "${s}";` },
    { rule: 'private-key', file: 'pem', secret: pem, line: (s) => s },
  ];
}
