/**
 * Rules use gitleaks' Go (RE2) regex syntax, so gitleaks configs load unchanged. This
 * turns an RE2 pattern into a JavaScript one. RE2 has no backreferences or lookaround,
 * so the translation is mostly syntax; the exceptions are inline flags, which JavaScript
 * (before V8 12.5) only has for the whole pattern: a scoped `(?i:…)` is expanded by
 * case-folding its literals and classes.
 */

export interface TranslatedRegex {
  source: string;
  flags: string;
}

/** The pattern uses an RE2 construct JavaScript cannot express. The message names it. */
export class RegexTranslationError extends Error {}

/** The pattern is not a valid regex at all. */
export class RegexSyntaxError extends Error {}

const POSIX_CLASSES: Record<string, string> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  ascii: '\\x00-\\x7F',
  blank: ' \\t',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: ' \\t\\n\\r\\f\\v',
  upper: 'A-Z',
  word: '\\w',
  xdigit: '0-9A-Fa-f',
};

/** Translate an RE2 pattern. Throws RegexTranslationError naming the construct it cannot express. */
export function translateRegex(pattern: string): TranslatedRegex {
  let src = pattern;
  const flags = new Set<string>();
  // Leading global flag groups: (?i), (?s), (?is), (?m) …, possibly several.
  for (;;) {
    const m = /^\(\?([imsU]+)\)/.exec(src);
    if (!m) break;
    for (const f of m[1] ?? '') {
      if (f === 'U') throw new RegexTranslationError('the ungreedy flag (?U)');
      flags.add(f);
    }
    src = src.slice(m[0].length);
  }
  const out = rewrite(src, flags.has('i'));
  return { source: out, flags: [...flags].sort().join('') };
}

/** Walks the pattern once, rewriting what differs between RE2 and JavaScript. */
function rewrite(src: string, globalIgnoreCase: boolean): string {
  let out = '';
  // A stack of case-insensitive scopes opened by (?i: … ) or (?i) mid-pattern.
  const scopes: boolean[] = [];
  let fold = false;
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) throw new RegexSyntaxError('a trailing backslash');
      if (n === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const lit = src.slice(i + 2, end < 0 ? src.length : end);
        out += [...lit].map((ch) => foldChar(escapeLiteral(ch), ch, fold && !globalIgnoreCase)).join('');
        i = end < 0 ? src.length : end + 2;
        continue;
      }
      if (n === 'A') { out += '^'; i += 2; continue; }
      if (n === 'z') { out += '(?![\\s\\S])'; i += 2; continue; }
      if (n === 'C') throw new RegexTranslationError('\\C (any byte)');
      if (n === 'p' || n === 'P') throw new RegexTranslationError(`Unicode class \\${n}{…}`);
      // \x{hh}: Go's braced hex escape.
      if (n === 'x' && src[i + 2] === '{') {
        const end = src.indexOf('}', i + 3);
        if (end < 0) throw new RegexSyntaxError('an unterminated \\x{…} escape');
        out += `\\u${src.slice(i + 3, end).padStart(4, '0')}`;
        i = end + 1;
        continue;
      }
      out += `\\${n}`;
      i += 2;
      continue;
    }
    if (c === '[') {
      const { text, next } = readClass(src, i, fold && !globalIgnoreCase);
      out += text;
      i = next;
      continue;
    }
    if (c === '(') {
      if (src.startsWith('(?P<', i)) { out += '(?<'; i += 4; scopes.push(fold); continue; }
      const flagGroup = /^\(\?([a-zA-Z-]+)(:|\))/.exec(src.slice(i));
      if (flagGroup) {
        const [whole, f = '', kind] = flagGroup;
        const on = f.split('-')[0] ?? '';
        const off = f.split('-')[1] ?? '';
        for (const ch of on + off) {
          if (ch === 'U') throw new RegexTranslationError('the ungreedy flag (?U)');
          if (ch === 'm') throw new RegexTranslationError('a scoped or mid-pattern (?m) flag');
          if (ch === 's') throw new RegexTranslationError('a scoped or mid-pattern (?s) flag');
          if (ch !== 'i') throw new RegexTranslationError(`the flag group (?${f}${kind})`);
        }
        const newFold: boolean = on.includes('i') ? true : off.includes('i') ? false : fold;
        if (kind === ':') {
          scopes.push(fold);
          fold = newFold;
          out += '(?:';
        } else {
          // (?i) mid-pattern: applies to the end of the enclosing group.
          fold = newFold;
        }
        i += whole.length;
        continue;
      }
      scopes.push(fold);
      out += c;
      i += 1;
      continue;
    }
    if (c === ')') {
      fold = scopes.pop() ?? false;
      out += c;
      i += 1;
      continue;
    }
    out += fold && !globalIgnoreCase ? foldChar(c, c, true) : c;
    i += 1;
  }
  return out;
}

function escapeLiteral(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

/** `a` → `[aA]` when folding; anything else unchanged. */
function foldChar(text: string, ch: string, fold: boolean): string {
  if (!fold) return text;
  const lo = ch.toLowerCase();
  const up = ch.toUpperCase();
  return lo !== up && ch.length === 1 ? `[${lo}${up}]` : text;
}

/** Reads a character class starting at `start`, translating POSIX classes and folding case. */
function readClass(src: string, start: number, fold: boolean): { text: string; next: number } {
  let i = start + 1;
  let body = '';
  if (src[i] === '^') { body += '^'; i += 1; }
  // A `]` right after `[` or `[^` is a literal in RE2.
  if (src[i] === ']') { body += '\\]'; i += 1; }
  const letters = new Set<string>();
  while (i < src.length && src[i] !== ']') {
    const c = src[i]!;
    if (c === '[' && src[i + 1] === ':') {
      const end = src.indexOf(':]', i + 2);
      if (end < 0) throw new RegexSyntaxError('an unterminated POSIX class');
      let name = src.slice(i + 2, end);
      const negated = name.startsWith('^');
      if (negated) throw new RegexTranslationError(`the negated POSIX class [[:${name}:]]`);
      const cls = POSIX_CLASSES[name];
      if (!cls) throw new RegexTranslationError(`the unknown POSIX class [[:${name}:]]`);
      body += cls;
      i = end + 2;
      continue;
    }
    if (c === '\\') {
      const n = src[i + 1];
      if (n === 'p' || n === 'P') throw new RegexTranslationError(`Unicode class \\${n}{…}`);
      if (n === 'Q') throw new RegexTranslationError('\\Q…\\E inside a character class');
      body += `\\${n ?? ''}`;
      i += 2;
      continue;
    }
    if (c === '[') { body += '\\['; i += 1; continue; }
    if (fold && /[a-zA-Z]/.test(c)) {
      // A range a-z folds to a-zA-Z; a single letter to both cases.
      if (src[i + 1] === '-' && src[i + 2] && src[i + 2] !== ']' && /[a-zA-Z]/.test(src[i + 2]!)) {
        const to = src[i + 2]!;
        body += `${c}-${to}`;
        letters.add(`${c.toLowerCase() === c ? c.toUpperCase() : c.toLowerCase()}-${to.toLowerCase() === to ? to.toUpperCase() : to.toLowerCase()}`);
        i += 3;
        continue;
      }
      body += c;
      letters.add(c.toLowerCase() === c ? c.toUpperCase() : c.toLowerCase());
      i += 1;
      continue;
    }
    body += c;
    i += 1;
  }
  if (i >= src.length) throw new RegexSyntaxError('an unterminated character class');
  return { text: `[${body}${[...letters].join('')}]`, next: i + 1 };
}
