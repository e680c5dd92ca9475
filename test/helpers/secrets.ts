import { SeededRandom, ALPHABETS } from './random.js';

/**
 * Realistic-looking secrets for end-to-end tests, built at test time so the repository
 * never holds one (it must scan clean under its own rules).
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function crc32(s: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < s.length; i++) {
    c ^= s.charCodeAt(i);
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

function base62(n: number, width: number): string {
  let out = '';
  for (let v = n; v > 0; v = Math.floor(v / 62)) out = BASE62[v % 62] + out;
  return out.padStart(width, '0');
}

/** A GitHub classic PAT with a valid CRC32 checksum. */
export function fakeGithubToken(seed: string | number = 'github'): string {
  const body = new SeededRandom(seed).pick(ALPHABETS.alnum!, 30);
  return `ghp_${body}${base62(crc32(body), 6)}`;
}

/** An AWS access key id (AKIA + 16 upper-case letters and digits). */
export function fakeAwsAccessKeyId(seed: string | number = 'aws-id'): string {
  return `AKIA${new SeededRandom(seed).pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
}

/** An AWS secret access key (40 base64 characters). */
export function fakeAwsSecretKey(seed: string | number = 'aws-secret'): string {
  return new SeededRandom(seed).pick(ALPHABETS.alnum! + '/+', 40);
}

/** A Stripe live secret key. */
export function fakeStripeKey(seed: string | number = 'stripe'): string {
  return `sk_${'live'}_${new SeededRandom(seed).pick(ALPHABETS.alnum!, 24)}`;
}

/** A random high-entropy value for generic `api_key = "..."` assignments. */
export function fakeGenericSecret(seed: string | number = 'generic', length = 32): string {
  return new SeededRandom(seed).pick(ALPHABETS.alnum!, length);
}
