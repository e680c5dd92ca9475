/**
 * Checksums some providers embed in their tokens. Verifying one turns a shape that merely
 * looks right into a token that almost certainly is real, which cuts false positives.
 */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(s: string): number {
  let c = 0xffffffff;
  for (let i = 0; i < s.length; i++) c = CRC_TABLE[(c ^ s.charCodeAt(i)) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(n: number, width: number): string {
  let out = '';
  let v = n;
  while (v > 0) {
    out = BASE62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out.padStart(width, '0');
}

/**
 * GitHub's token format (github.blog, "Behind GitHub's new authentication token formats",
 * 2021): prefix `gh?_`, 30 random base62 characters, then a CRC32 of those 30 characters
 * (the prefix excluded) as 6 base62 digits, alphabet 0-9A-Za-z. npm adopted the same
 * scheme for `npm_` tokens (github.blog, "Announcing npm's new access token format",
 * 2021). Returns false for a token of that shape whose checksum is wrong.
 */
export function verifyGithubChecksum(token: string): boolean {
  const m = /^(?:gh[pousr]|github_pat|npm)_([0-9A-Za-z_]+)$/.exec(token);
  if (!m) return false;
  const body = m[1]!;
  if (token.startsWith('github_pat_')) return true; // fine-grained tokens carry no public checksum scheme
  if (body.length !== 36 || body.includes('_')) return false;
  return base62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}
