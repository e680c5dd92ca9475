import { newFragment, type Fragment } from '../sources/fragment.js';
import type { Finding } from './finding.js';

/**
 * Secrets hidden one encoding deep: base64 (Kubernetes Secret `data:` values,
 * `Authorization: Basic …`, values passed to a base64 decoder), percent-encoding in URLs,
 * and `\uXXXX` / `\xXX` escapes. Decoding every base64-looking run of every file would
 * double the cost of a scan (measured: a full-text base64 regex pass costs as much as
 * the keyword pass), so decoding only happens on lines near a trigger, found with
 * plain indexOf calls, which cost almost nothing.
 */

export type Encoding = 'base64' | 'percent' | 'escape';

/** Text decoded from one run of the original, and where that run is. */
interface DecodedRun {
  /** Offset of the encoded run in the fragment text. */
  start: number;
  end: number;
  text: string;
  encoding: Encoding;
}

/**
 * What makes the decoder look: the detector's keyword pass reports these (lower-cased,
 * like every keyword), so finding them costs nothing beyond that one pass.
 */
export const DECODE_TRIGGERS: readonly { needle: string; encoding: Encoding; scope: 'line' | 'fragment' | 'token' }[] = [
  { needle: 'basic ', encoding: 'base64', scope: 'line' },
  { needle: 'base64', encoding: 'base64', scope: 'line' },
  { needle: 'b64', encoding: 'base64', scope: 'line' },
  { needle: 'atob(', encoding: 'base64', scope: 'line' },
  // A Kubernetes Secret's data values are all base64: decode every value of the manifest.
  { needle: 'kind: secret', encoding: 'base64', scope: 'fragment' },
  { needle: '"kind": "secret"', encoding: 'base64', scope: 'fragment' },
  // Escapes are found directly: the token around each one is decoded.
  { needle: '%', encoding: 'percent', scope: 'token' },
  { needle: '\\u00', encoding: 'escape', scope: 'token' },
  { needle: '\\x', encoding: 'escape', scope: 'token' },
];

/** A trigger found in the text: index into DECODE_TRIGGERS and its offset. */
export interface TriggerHit {
  trigger: number;
  at: number;
}

const MAX_DECODE_SPAN = 256 * 1024;
const BASE64_RUN = /(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{12,8192}={0,2}(?![A-Za-z0-9+/_=-])/g;
const MAX_TRIGGERS = 2000;

/** Runs of encoded text near the triggers, decoded. Pure. */
export function decodedRuns(text: string, hits: readonly TriggerHit[]): DecodedRun[] {
  const base64Spans: [number, number][] = [];
  const out: DecodedRun[] = [];
  let lastTokenEnd = -1;
  // A trigger repeated all along a huge file: bounded work.
  // In text order: a token already decoded is not decoded again for a later escape in it.
  const ordered = [...hits].sort((a, b) => a.at - b.at);
  for (const { trigger, at } of ordered.slice(0, MAX_TRIGGERS)) {
    const t = DECODE_TRIGGERS[trigger]!;
    if (t.scope === 'fragment') {
      base64Spans.push([0, Math.min(text.length, MAX_DECODE_SPAN)]);
    } else if (t.scope === 'line') {
      // The line around the trigger, looked for no further than it is used (1 KB back,
      // 4 KB on): on a minified line, an unbounded search would cross the whole fragment
      // once per trigger. Searched in slices (which V8 does not copy) by the native
      // indexOf: as loops over charCodeAt they made this function hot enough for V8 to
      // compile it again and again.
      const from = Math.max(0, at - 1024);
      const before = text.slice(from, at).lastIndexOf('\n');
      const ls = before >= 0 ? from + before + 1 : from;
      const reach = Math.min(text.length, at + 4096);
      const after = text.slice(at, reach).indexOf('\n');
      const le = after >= 0 ? at + after : reach;
      base64Spans.push([ls, le]);
    } else if (at >= lastTokenEnd) {
      const run = t.encoding === 'percent'
        // Percent-encoding matters in URLs (a password with an @, a token in a query string).
        ? tokenAt(text, at, /^%[0-9A-Fa-f]{2}/, 512, 'percent', (tok) => (tok.includes('://') || tok.includes('=') ? decodePercent(tok) : undefined))
        // An escaped secret is a run of escapes; one `\u00e9` in a translated string is not.
        : tokenAt(text, at, /^(?:\\u00[0-7][0-9A-Fa-f]|\\x[0-7][0-9A-Fa-f]){4}/, 4096, 'escape', decodeEscapes);
      if (run) {
        out.push(run);
        lastTokenEnd = run.end;
      }
    }
  }
  for (const [s, e] of merge(base64Spans)) collectBase64(text.slice(s, e), s, out);
  return out;
}

/** The token (between quotes and white space) around an escape at `at`, decoded. */
function tokenAt(text: string, at: number, escape: RegExp, reach: number, encoding: Encoding, decode: (s: string) => string | undefined): DecodedRun | undefined {
  if (!escape.test(text.slice(at, at + 24))) return undefined;
  let s = at;
  while (s > 0 && at - s < reach && !isTokenEnd(text.charCodeAt(s - 1))) s--;
  let e = at;
  while (e < text.length && e - at < reach && !isTokenEnd(text.charCodeAt(e))) e++;
  const token = text.slice(s, e);
  const decoded = decode(token);
  return decoded !== undefined && decoded !== token ? { start: s, end: e, text: decoded, encoding } : undefined;
}

/** White space, quotes and angle brackets end a token. */
function isTokenEnd(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 34 || c === 39 || c === 96 || c === 60 || c === 62;
}

function merge(spans: [number, number][]): [number, number][] {
  spans.sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const sp of spans) {
    const last = out[out.length - 1];
    if (last && sp[0] <= last[1]) last[1] = Math.max(last[1], sp[1]);
    else out.push([sp[0], sp[1]]);
  }
  return out;
}

function collectBase64(region: string, offset: number, out: DecodedRun[]): void {
  BASE64_RUN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = BASE64_RUN.exec(region)) !== null) {
    const run = m[0];
    // Plain words and identifiers are not base64 worth decoding.
    if (!/[0-9+/=]/.test(run) && !/[A-Z].*[a-z]|[a-z].*[A-Z]/.test(run)) continue;
    const decoded = decodeBase64Text(run);
    if (decoded !== undefined && decoded.length >= 8) out.push({ start: offset + m.index, end: offset + m.index + run.length, text: decoded, encoding: 'base64' });
  }
}

/** 6-bit value of each base64 character, both alphabets (`+/` and `-_`); -1 for others. */
const BASE64_VALUES = (() => {
  const values = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) values[alphabet.charCodeAt(i)] = i;
  values[45] = 62; // -
  values[95] = 63; // _
  return values;
})();
/** Decoded bytes of one run (BASE64_RUN caps runs at 8192 characters). */
const base64Bytes = new Uint8Array(6144);
const utf8 = new TextDecoder('utf-8');

/**
 * A base64 run decoded as Buffer.from(run, 'base64').toString('utf8') would, or undefined
 * when the result is not printable text (see isPrintable): binary, which is what most
 * base64-looking runs in code decode to, is rejected on its bytes before any string is
 * made. Written out rather than calling Buffer.from, which V8 inlined here with the
 * buffer module's internals: compiled again each time V8 threw decodedRuns away (six times a scan per thread).
 */
export function decodeBase64Text(run: string): string | undefined {
  let bits = 0;
  let nbits = 0;
  let n = 0;
  let ascii = true;
  for (let i = 0; i < run.length; i++) {
    const c = run.charCodeAt(i);
    if (c === 61) break; // '=': padding ends the data
    const v = c < 128 ? BASE64_VALUES[c]! : -1;
    if (v < 0) continue; // as Buffer does: characters outside the alphabet are skipped
    bits = ((bits << 6) | v) & 0xffffff;
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      const byte = (bits >> nbits) & 0xff;
      // Control characters other than tab and line ends make it binary, whatever follows.
      if (byte < 32 ? byte !== 9 && byte !== 10 && byte !== 13 : byte === 127) return undefined;
      if (byte >= 128) ascii = false;
      base64Bytes[n++] = byte;
    }
  }
  const bytes = base64Bytes.subarray(0, n);
  const text = ascii ? String.fromCharCode.apply(null, bytes as unknown as number[]) : utf8.decode(bytes);
  return ascii || isPrintable(text) ? text : undefined;
}

function decodePercent(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

function decodeEscapes(s: string): string {
  return s.replace(/\\u([0-9A-Fa-f]{4})|\\x([0-9A-Fa-f]{2})/g, (_, u: string | undefined, x: string | undefined) => String.fromCharCode(parseInt(u ?? x ?? '0', 16)));
}

/** Decoded binary is noise: keep text only (tabs and newlines allowed, e.g. a PEM block). */
function isPrintable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd || c === 127) return false;
  }
  return true;
}

/**
 * Run `detect` on every decoded run and map what it finds back to the encoded text's
 * place in the fragment. A secret already found in the plain text is not reported twice.
 */
export function detectEncoded(fragment: Fragment, hits: readonly TriggerHit[], plain: Finding[], detect: (f: Fragment) => Finding[], lineOf: (offset: number) => { line: number; column: number; text: string }): Finding[] {
  const runs = decodedRuns(fragment.raw, hits);
  if (runs.length === 0) return [];
  // A percent-encoded secret found as is (sig=…%3D) is the same secret once decoded.
  const known = new Set(plain.flatMap((f) => [f.secret, decodePercent(f.secret) ?? f.secret]));
  const out: Finding[] = [];
  for (const run of runs) {
    if (fragment.ownEnd !== undefined && run.start >= fragment.ownEnd) continue;
    const where = lineOf(run.start);
    const end = lineOf(Math.max(run.start, run.end - 1));
    if (fragment.addedLines && !fragment.addedLines.has(where.line)) continue;
    const found = detect(newFragment({ raw: run.text, filePath: fragment.filePath, symlinkFile: fragment.symlinkFile, startLine: where.line, commit: fragment.commit }));
    // A provider rule and the generic one can find the same decoded secret: keep the
    // provider's, as the dedupe filter does for plain text (generic findings last).
    const ordered = [...found].sort((a, b) => Number(a.tags.includes('generic')) - Number(b.tags.includes('generic')));
    for (const f of ordered) {
      if (known.has(f.secret)) continue;
      known.add(f.secret);
      out.push({
        ...f,
        startLine: where.line,
        endLine: end.line,
        startColumn: where.column,
        endColumn: end.column,
        line: where.text,
        fingerprint: f.fingerprint.replace(/:\d+$/, `:${where.line}`),
        decoded: run.encoding,
      });
    }
  }
  return out;
}
