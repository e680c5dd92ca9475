/**
 * Telling text from binary, and decoding it. Judged by content, like git does: a NUL
 * byte in the first 8000 bytes means binary, unless a UTF-16 byte-order mark says the
 * NULs are half of each character.
 */

const SNIFF_BYTES = 8000;

export type Encoding = 'utf8' | 'utf16le' | 'utf16be' | 'binary';

export function sniffEncoding(head: Uint8Array): Encoding {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  const n = Math.min(head.length, SNIFF_BYTES);
  for (let i = 0; i < n; i++) if (head[i] === 0) return 'binary';
  return 'utf8';
}

/** Decode a whole buffer of the given text encoding (BOM dropped). */
export function decodeText(buf: Buffer, encoding: Exclude<Encoding, 'binary'>): string {
  if (encoding === 'utf8') {
    return buf.toString('utf8', hasUtf8Bom(buf) ? 3 : 0);
  }
  const body = buf.subarray(2, buf.length - (buf.length % 2));
  if (encoding === 'utf16le') return body.toString('utf16le');
  const swapped = Buffer.from(body);
  swapped.swap16();
  return swapped.toString('utf16le');
}

export function hasUtf8Bom(buf: Uint8Array): boolean {
  return buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
}

/** Largest offset ≤ `at` that does not split a UTF-8 sequence. */
export function utf8Boundary(buf: Uint8Array, at: number): number {
  let i = Math.min(at, buf.length);
  // Continuation bytes are 10xxxxxx; back up to the byte that starts the character.
  while (i > 0 && i < buf.length && (buf[i]! & 0xc0) === 0x80) i--;
  return i;
}

/** Number of `\n` bytes in buf[0, end). */
export function countNewlines(buf: Uint8Array, end = buf.length): number {
  let n = 0;
  let at = Buffer.prototype.indexOf.call(buf, 10, 0);
  while (at >= 0 && at < end) {
    n++;
    at = Buffer.prototype.indexOf.call(buf, 10, at + 1);
  }
  return n;
}
