import { shannonEntropy } from './entropy.js';

/**
 * "Does this value look like a random secret?" for rules with no format of their own
 * (the generic detector, issue 7: "must look random: not a word, not a path, not a URL
 * without credentials, not an identifier, not sequential like a1b2c3d4…, not
 * dev-key-12345"). Pure and cheap: a handful of linear passes over a short string.
 *
 * Entropy alone cannot do this: `getApiKeyForUserAccount` has more bits per character
 * than many real keys, and a 16-character random hex string has fewer than a long
 * English identifier. So the entropy bar depends on the value's alphabet and length
 * (what a random string of that shape would score), and structure checks catch the
 * high-entropy values that are still made of words.
 */

/** Why a value was judged not random (or `random`), for tests and `--verbose` output. */
export type RandomnessReason =
  | 'random'
  | 'too-short'
  | 'whitespace'
  | 'placeholder'
  | 'url'
  | 'path'
  | 'uuid'
  | 'hash'
  | 'numeric'
  | 'sequential'
  | 'repeated'
  | 'words'
  | 'encoded-text'
  | 'low-entropy';

export interface RandomnessVerdict {
  random: boolean;
  reason: RandomnessReason;
  /** Shannon entropy of the value, bits per character. */
  entropy: number;
  /** The entropy a random value of this alphabet and length must reach. */
  threshold: number;
}

/** Shortest value judged random: below this, even random strings are usually ids or codes. */
const MIN_LENGTH = 12;
/** Hex carries 4 bits a character: 16 characters (64 bits) is the least a key is made of. */
const MIN_HEX_LENGTH = 16;
/** Longer values are checked on a prefix: a secret's shape shows in its first 256 characters. */
const MAX_CHECKED = 256;

/** Values people type when they mean "put the real key here" (lower-cased substrings). */
const PLACEHOLDER_MARKERS = [
  'example', 'sample', 'dummy', 'placeholder', 'changeme', 'change_me', 'change-me', 'replace',
  'redacted', 'insert', 'your', 'xxxx', '****', '••••', '....', 'lorem', 'foobar', 'fake', 'mock',
  'notreal', 'not_real', 'not-real',
];

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm', '1234567890', '!@#$%^&*()'];
/** Any of `words`, as one regex: a single pass instead of one `includes` per word. */
function anyOf(words: readonly string[]): RegExp {
  return new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
}
const PLACEHOLDER = anyOf(PLACEHOLDER_MARKERS);
/** Every run of six keys along a row: what isSequential looks for. */
const KEYBOARD_RUNS = anyOf(KEYBOARD_ROWS.flatMap((row) => Array.from({ length: Math.max(0, row.length - 5) }, (_, i) => row.slice(i, i + 6))));

/** True when `value` looks like a randomly generated secret. */
export function looksRandom(value: string): boolean {
  return randomnessVerdict(value).random;
}

/** The full verdict: whether `value` looks random, and the first reason it does not. */
export function randomnessVerdict(value: string): RandomnessVerdict {
  const v = value.length > MAX_CHECKED ? value.slice(0, MAX_CHECKED) : value;
  const entropy = shannonEntropy(v);
  const verdict = (reason: RandomnessReason, threshold = 0): RandomnessVerdict => ({ random: reason === 'random', reason, entropy, threshold });

  if (/\s/.test(v)) return verdict('whitespace');
  const lower = v.toLowerCase();
  if (PLACEHOLDER.test(lower) || /^<[^>]*>$|^\$\{|^\{\{|^%[A-Za-z_]+%$/.test(v)) return verdict('placeholder');

  // URLs: a URL without credentials is an address, not a secret; with `user:pass@`
  // only the password can be one (issue 7: "not a URL without credentials").
  const url = /^[a-z][a-z0-9+.-]{1,15}:\/\/(?:([^/?#@:]*):([^/?#@]*)@)?/i.exec(v);
  if (url) return url[2] ? randomnessVerdict(decodePercent(url[2])) : verdict('url');
  if (/^(?:data|blob|mailto|urn|file|javascript):/i.test(v)) return verdict('url');

  if (v.length < MIN_LENGTH) return verdict('too-short');
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)) return verdict('uuid');
  // Content hashes say what they are: SRI `sha512-…`, OCI `sha256:…`, `md5=…`.
  if (/^(?:sha(?:1|224|256|384|512)|md5|blake2b?|xxh(?:32|64|3)?|crc32)[-:=]/i.test(v)) return verdict('hash');
  // Numbers, dates, versions (1.2.3-beta.4, v20.19.0+build.7).
  if (/^[\d.,:+-]+$/.test(v) || /^v?\d+(?:\.\d+)+(?:[-+][\w.-]+)?$/i.test(v)) return verdict('numeric');
  if (isPath(v)) return verdict('path');

  const alphabet = alphabetOf(v);
  if (alphabet === 16 && v.length < MIN_HEX_LENGTH) return verdict('too-short');
  const threshold = entropyThreshold(alphabet, v.length);
  if (entropy < threshold) return verdict('low-entropy', threshold);
  if (isRepeated(v)) return verdict('repeated', threshold);
  if (isSequential(v)) return verdict('sequential', threshold);
  if (isMadeOfWords(v)) return verdict('words', threshold);
  if (isEncodedText(v)) return verdict('encoded-text', threshold);
  return verdict('random', threshold);
}

/**
 * The alphabet a random value of this shape was most likely drawn from: hex (16),
 * lower- or upper-case with digits (36), letters and digits (62), base64 (64), or
 * printable ASCII (94) when it uses other symbols.
 */
function alphabetOf(v: string): number {
  if (/^[0-9a-f]+$/.test(v) || /^[0-9A-F]+$/.test(v)) return 16;
  const hasLower = /[a-z]/.test(v);
  const hasUpper = /[A-Z]/.test(v);
  // Dots join the parts of many key formats (id.secret, JWT segments): still base64-ish.
  if (/[^A-Za-z0-9+/=_.-]/.test(v)) return 94;
  if (/[+/=_.-]/.test(v)) return 64;
  if (hasLower && hasUpper) return 62;
  return 36;
}

const thresholds = new Map<number, number>();

/**
 * The entropy bar for a value of alphabet size `k` and length `n`: the expected Shannon
 * entropy of a uniformly random string of that shape, less a margin. Random strings
 * shorter than their alphabet repeat few characters, so the expectation is far below
 * log2(k): 16 random hex characters average about 3.5 bits, 64 of them about 3.9. Exact
 * expectation of the plug-in estimator, E[H] = log2 n − (k/n)·Σ_c P(c)·c·log2 c with
 * c ~ Binomial(n, 1/k), computed once per shape.
 */
export function entropyThreshold(k: number, n: number): number {
  const len = Math.min(n, MAX_CHECKED);
  const key = k * 1000 + len;
  const cached = thresholds.get(key);
  if (cached !== undefined) return cached;
  const p = 1 / k;
  let sum = 0;
  // Binomial pmf by recurrence, in log space for stability.
  let logPmf = len * Math.log1p(-p); // c = 0
  for (let c = 1; c <= len; c++) {
    logPmf += Math.log((len - c + 1) / c) + Math.log(p) - Math.log1p(-p);
    sum += Math.exp(logPmf) * c * Math.log2(c);
  }
  const expected = Math.log2(len) - (k / len) * sum;
  // The margin covers the spread of random strings (about 3 standard deviations for
  // short values, where the spread is widest) and real keys drawn from a slightly
  // smaller alphabet than the one inferred (a 62-character key that happens to be
  // mostly lower-case).
  const threshold = expected - (0.35 + 2.4 / Math.sqrt(len));
  thresholds.set(key, threshold);
  return threshold;
}

/** Paths: leading `/`, `./`, `~/`, a drive letter, or slash-separated parts that are all words. */
function isPath(v: string): boolean {
  if (/^(?:\.{1,2}[\\/]|~[\\/]|[A-Za-z]:\\|\\\\)/.test(v)) return true;
  if (!/[\\/]/.test(v)) return false;
  const parts = v.split(/[\\/]+/).filter(Boolean);
  if (parts.length < 2) return v.startsWith('/') && isWordy(parts[0] ?? '');
  // base64 has slashes too; a path's parts are names (words, versions, file names).
  return parts.every((part) => isWordy(part) || /^[\w.-]{1,3}$/.test(part) || /^[\w-]+\.[A-Za-z0-9]{1,5}$/.test(part) && isWordy(part.replace(/\.[A-Za-z0-9]+$/, '')));
}

/** The same unit repeated: `abcabcabc`, `ab12ab12ab12`, `aaaaaaaaaaaa`. */
function isRepeated(v: string): boolean {
  const n = v.length;
  for (let period = 1; period <= n / 2; period++) {
    let same = 0;
    for (let i = period; i < n; i++) if (v.charCodeAt(i) === v.charCodeAt(i - period)) same++;
    if (same >= (n - period) * 0.9) return true;
  }
  return false;
}

/**
 * Sequences people type as fillers: `0123456789`, `abcdef123456`, `a1b2c3d4e5f6`,
 * `qwertyuiop`. The letters and the digits are each checked as their own run, so
 * interleaved sequences are caught too.
 */
function isSequential(v: string): boolean {
  const lower = v.toLowerCase();
  if (KEYBOARD_RUNS.test(lower)) return true;
  // The letters and the digits each as a run of their own, in one pass: how many of each,
  // and how many steps between neighbours of a kind go by one, stay, or wrap 9→0.
  let letters = 0;
  let letterSteps = 0;
  let lastLetter = -1;
  let digits = 0;
  let digitSteps = 0;
  let lastDigit = -1;
  // A long ascending run inside an otherwise random value (e.g. …abcdefgh…) is typed.
  let run = 1;
  let longRun = false;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    if (i > 0) {
      run = c - lower.charCodeAt(i - 1) === 1 ? run + 1 : 1;
      if (run >= 8) longRun = true;
    }
    if (c >= 97 && c <= 122) {
      if (lastLetter >= 0 && isStep(c - lastLetter)) letterSteps++;
      lastLetter = c;
      letters++;
    } else if (c >= 48 && c <= 57) {
      if (lastDigit >= 0 && isStep(c - lastDigit)) digitSteps++;
      lastDigit = c;
      digits++;
    }
  }
  const covered = stepwise(letters, letterSteps) + stepwise(digits, digitSteps);
  if (covered >= (letters + digits) * 0.9) return true;
  return longRun;
}

/** 9→0 wraps in digit runs like 7890123. */
function isStep(d: number): boolean {
  return d === 1 || d === -1 || d === 0 || d === -9;
}

/** How much of a run of `length` characters a typed sequence covers: all of it, or none. */
function stepwise(length: number, steps: number): number {
  if (length < 3) return length;
  return steps >= (length - 1) * 0.8 ? length : 0;
}

/**
 * Identifiers, phrases and placeholders made of words: `getApiKeyForUser`,
 * `my_secret_value_v2`, `dev-key-12345`, `ThisIsNotARealKey`. The value is split at
 * separators, then at case changes and letter/digit boundaries; when word-like pieces
 * cover most of it, it was typed by a person. Short pieces count only when a separator
 * delimits them (`my_api_key`): random strings are full of two-letter fragments.
 *
 * Written as loops over character codes: this is the costliest step of the check, run
 * on every distinct candidate of the generic rule (tens of thousands in a large scan),
 * and the version built of split/map/filter and a regex per piece took 3 µs a value and
 * was optimised by V8 four times over a scan (350 ms of compiling).
 */
function isMadeOfWords(v: string): boolean {
  const { pieces, tokenEnds } = splitIntoPieces(v);
  const count = pieces.length;
  const tokens = tokenEnds.length;
  // Per piece: 1, a word of three letters or more with a lower-case letter; 0, not; -1, not asked here.
  const wordyPiece: number[] = [];
  // Identifiers written in camel case name algorithms and versions (PBKDF2WithHmacSHA512,
  // ecdsaP256Sha256Key): once two real words show it is one, acronyms and short numbers count.
  let letters = 0;
  let wordLetters = 0;
  let real = 0;
  let realLong = false;
  for (let k = 0; k < count; k++) {
    const p = pieces[k]!;
    wordyPiece.push(-1);
    if (isDigitCode(p.charCodeAt(0))) continue;
    letters += p.length;
    if (p.length < 3 || isUpperCode(p.charCodeAt(p.length - 1))) continue;
    // A piece is `[A-Z]?[a-z]+` or `[A-Z]+`: ending lower-case, it has one and is not an acronym.
    const lower = p.toLowerCase();
    const wordy = isPronounceable(lower);
    wordyPiece[k] = wordy ? 1 : 0;
    if (!wordy) continue;
    wordLetters += p.length;
    if (p.length >= 4 && hasConsonant(lower) && hasVowel(lower) && oddClusters(lower) === 0) {
      real++;
      if (p.length >= 6) realLong = true;
    }
  }
  const camelName = (real >= 2 || realLong) && CAMEL_OR_SEPARATED.test(v) && wordLetters >= 0.5 * letters;
  let total = 0;
  let covered = 0;
  let digitPieces = 0;
  let unwordy = 0;
  const whole = tokens > 1;
  for (let ti = 0; ti < tokens; ti++) {
    const first = ti === 0 ? 0 : tokenEnds[ti - 1]!;
    const end = tokenEnds[ti]!;
    const alone = whole && end - first === 1;
    for (let k = first; k < end; k++) {
      const p = pieces[k]!;
      total += p.length;
      if (isDigitCode(p.charCodeAt(0))) {
        // A version, a year or a counter (v2, 2024, -12345) ends a name; digits inside a value do not.
        const atEnd = k === end - 1 && (ti === tokens - 1 || alone);
        if (++digitPieces <= (camelName ? 4 : 2) && (alone || atEnd || camelName) && (p.length <= 4 || isSequential(p))) covered += p.length;
        continue;
      }
      const upper = isUpperCode(p.charCodeAt(p.length - 1));
      if (camelName && upper && p.length <= 5) covered += p.length;
      else if (p.length < 3 ? alone && p.length === 2 && hasVowel(p.toLowerCase()) : pieceIsWordy(p, wordyPiece[k]!, upper, alone)) covered += p.length;
      else if (p.length > 2) unwordy++;
    }
  }
  if (total === 0) return true;
  if (unwordy > 1) return false;
  return covered >= total * 0.8;
}

const CAMEL_OR_SEPARATED = /[a-z][A-Z]|[A-Za-z0-9][_.-][A-Za-z0-9]/;

/** isWordy(p, alone) for a piece of three letters or more; `known` is the first pass's answer for a piece ending lower-case. */
function pieceIsWordy(p: string, known: number, upper: boolean, alone: boolean): boolean {
  if (!upper) return known === 1;
  // Acronyms (API, URL, AWS) stand alone or lead a camel-case word.
  if (p.length <= 4 && alone) return true;
  return isPronounceable(p.toLowerCase());
}

/**
 * Splits `v` into tokens (runs of ASCII letters and digits) and each token into pieces at
 * case changes and letter/digit boundaries: `getAPIKey2` → `get`, `API`, `Key`, `2`. The
 * same pieces as splitting at
 * /(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])/,
 * without a regex with lookbehinds run per token. So a piece is digits, `[A-Z]?[a-z]+` or
 * `[A-Z]+`. `tokenEnds` holds the index after each token's last piece.
 */
function splitIntoPieces(v: string): { pieces: string[]; tokenEnds: number[] } {
  const pieces: string[] = [];
  const tokenEnds: number[] = [];
  const n = v.length;
  let i = 0;
  while (i < n) {
    while (i < n && kindOf(v.charCodeAt(i)) === OTHER) i++;
    if (i >= n) break;
    let start = i;
    let prev = kindOf(v.charCodeAt(i));
    for (i++; i < n; i++) {
      const cur = kindOf(v.charCodeAt(i));
      if (cur === OTHER) break;
      const letterPrev = prev === LOWER || prev === UPPER;
      const letterCur = cur === LOWER || cur === UPPER;
      const cut = (prev === LOWER && cur === UPPER)
        || (prev === UPPER && cur === UPPER && i + 1 < n && kindOf(v.charCodeAt(i + 1)) === LOWER)
        || (letterPrev && cur === DIGIT)
        || (prev === DIGIT && letterCur);
      if (cut) {
        pieces.push(v.slice(start, i));
        start = i;
      }
      prev = cur;
    }
    pieces.push(v.slice(start, i));
    tokenEnds.push(pieces.length);
  }
  return { pieces, tokenEnds };
}

function kindOf(c: number): number {
  if (c >= 97 && c <= 122) return LOWER;
  if (c >= 65 && c <= 90) return UPPER;
  if (c >= 48 && c <= 57) return DIGIT;
  return OTHER;
}
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;
const OTHER = 0;

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isUpperCode(c: number): boolean {
  return c >= 65 && c <= 90;
}

/** A piece that reads as a word: letters, one casing, pronounceable. */
function isWordy(p: string, alone = false): boolean {
  if (p.length < 2 || !/^(?:[A-Z]?[a-z]+|[A-Z]+)$/.test(p)) return false;
  // Acronyms (API, URL, AWS) stand alone or lead a camel-case word.
  if (/^[A-Z]+$/.test(p) && p.length <= 4 && alone) return true;
  return isPronounceable(p.toLowerCase());
}

/**
 * Consonant pairs that occur inside English words and identifiers. Random letters pair
 * consonants freely (qk, zj, xw); words mostly pair these.
 */
const WORD_CLUSTERS = new Set((
  'bl br by ch ck cl cr ct dg dl dn dr ds dy fl fr ft fy gg gh gl gn gr gs gy hm hn hr ht hy ' +
  'kl kn ks ky lb ld lf lk ll lm ln lp ls lt lv ly mb mm mn mp ms my nc nd ng nk nl nn ns nt nv ny ' +
  'ph pl pp pr ps pt py rb rc rd rf rg rk rl rm rn rp rr rs rt rv ry sc sh sk sl sm sn sp ss st sw sy ' +
  'th tl tr ts tt tw ty wh wl wn wr ws xt zz bb cc dd ff pp dm dv gm lc lg lr nf nj nq nr nx pn ' +
  'rh rw sq tc tz wk xc xp'
).split(' '));

/** `w`: lower-case letters. */
function isPronounceable(w: string): boolean {
  const n = w.length;
  // One pass: vowels, the longest run of consonants, a letter three times in a row.
  let vowels = 0;
  let run = 0;
  let longestRun = 0;
  let triple = false;
  for (let i = 0; i < n; i++) {
    const c = w.charCodeAt(i);
    if (isVowelCode(c)) {
      vowels++;
      run = 0;
    } else if (++run > longestRun) longestRun = run;
    if (i >= 2 && c === w.charCodeAt(i - 1) && c === w.charCodeAt(i - 2)) triple = true;
  }
  // Short pieces (api, json, http) need only a vowel: coverage decides, not the piece.
  if (n <= 4) return vowels > 0 && (n < 3 || longestRun < 3);
  if (vowels / n < 0.25) return false;
  if (longestRun >= 5 || triple) return false;
  return oddClusters(w) <= Math.max(1, Math.floor(n / 6));
}

/** Lower-case letters: any not in [aeiouy]? */
function hasConsonant(w: string): boolean {
  for (let i = 0; i < w.length; i++) if (!isVowelCode(w.charCodeAt(i))) return true;
  return false;
}

/** Lower-cased text: any of [aeiouy]? */
function hasVowel(w: string): boolean {
  for (let i = 0; i < w.length; i++) if (isVowelCode(w.charCodeAt(i))) return true;
  return false;
}

/** WORD_CLUSTERS as numbers (first code × 65536 + second), so the check allocates nothing. */
const WORD_CLUSTER_CODES = new Set([...WORD_CLUSTERS].map((p) => p.charCodeAt(0) * 65536 + p.charCodeAt(1)));

/** True for the characters [aeiouy] matches. */
function isVowelCode(c: number): boolean {
  return c === 97 || c === 101 || c === 105 || c === 111 || c === 117 || c === 121;
}

/** Consonant pairs that English words rarely have (see WORD_CLUSTERS). */
function oddClusters(w: string): number {
  let odd = 0;
  for (let i = 1; i < w.length; i++) {
    const a = w.charCodeAt(i - 1);
    const b = w.charCodeAt(i);
    // Any consonant before a plural or third-person s (jobs, tabs) is a word ending.
    if (!isVowelCode(a) && !isVowelCode(b) && !WORD_CLUSTER_CODES.has(a * 65536 + b) && !(b === 115 && i === w.length - 1)) odd++;
  }
  return odd;
}

/** Base64 of plain text (`dXNlcm5hbWU6cGFzc3dvcmQ=`): the text is what to judge, and the decoder already does. */
function isEncodedText(v: string): boolean {
  if (v.length < 16 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(v)) return false;
  const text = Buffer.from(v.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
  if (!/^[\x20-\x7e]+$/.test(text) || text.length < 8) return false;
  // JSON (a JWT header), XML or prose: structure, not key material.
  if (/^[{[<]/.test(text)) return true;
  return /\s/.test(text) ? /^[A-Za-z ,.'!?-]+$/.test(text) : isMadeOfWords(text) && !/[^A-Za-z0-9_.:-]/.test(text);
}

function decodePercent(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
