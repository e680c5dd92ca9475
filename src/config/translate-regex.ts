/**
 * Rules use gitleaks' Go (RE2) regex syntax, so gitleaks configs load unchanged. This
 * turns an RE2 pattern into a JavaScript one. RE2 has no backreferences or lookaround,
 * so the translation is mostly syntax. The exceptions are inline flags: JavaScript
 * (before V8 12.5, i.e. Node < 23) only has flags for the whole pattern, so scoped and
 * mid-pattern flags are expanded here:
 * - `i`: literals become `[aA]`, classes get their other-case ranges. A pattern that
 *   starts with `(?i)` uses the `i` flag, unless it also turns case-folding off somewhere
 *   (`(?-i:ATLASSIAN)` in gitleaks' atlassian rule), in which case everything is folded
 *   by hand so the `-i` scope stays exact.
 * - `s`: `.` becomes `[\s\S]` inside the scope, and `[^\n]` outside it, which is RE2's
 *   `.` exactly (JavaScript's `.` also refuses `\r`, `\u2028` and `\u2029`).
 * - `m`: `^` and `$` become `(?<![^\n])` and `(?![^\n])`.
 * Syntax: RE2 reference, https://github.com/google/re2/wiki/Syntax
 */

export interface TranslatedRegex {
  source: string;
  flags: string;
}

const WRITTEN = new WeakMap<RegExp, string>();

/** Remember the pattern a compiled regex was written as, so messages quote the user's own text. */
export function rememberPattern(re: RegExp, written: string): RegExp {
  WRITTEN.set(re, written);
  return re;
}

/** The pattern as written in the config (RE2 syntax), or the JavaScript source if unknown. */
export function writtenPattern(re: RegExp): string {
  return WRITTEN.get(re) ?? re.source;
}

/** The pattern uses an RE2 construct JavaScript cannot express. The message names it; the loader adds the rule id. */
export class RegexTranslationError extends Error {}

/** The pattern is not a valid regex at all. */
export class RegexSyntaxError extends Error {}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** RE2's Perl classes with their complements, for negated POSIX classes (`[[:^digit:]]`). */
const NEGATED_POSIX: Record<string, string> = { digit: '\\D', word: '\\W', space: '\\S' };

interface Mode {
  fold: boolean;
  dotAll: boolean;
  multiLine: boolean;
}

/** Translate an RE2 pattern. Throws RegexTranslationError naming the construct it cannot express. */
export function translateRegex(pattern: string): TranslatedRegex {
  let src = pattern;
  const leading = new Set<string>();
  // Leading global flag groups: (?i), (?s), (?is), (?m) …, possibly several.
  for (;;) {
    const m = /^\(\?([a-zA-Z]+)\)/.exec(src);
    if (!m) break;
    for (const f of m[1] ?? '') {
      if (f === 'U') throw new RegexTranslationError('the ungreedy flag (?U)');
      if (!'ism'.includes(f)) throw new RegexTranslationError(`the flag group (?${m[1]})`);
      leading.add(f);
    }
    src = src.slice(m[0].length);
  }
  // The JavaScript `i` flag is only exact when nothing turns folding off again.
  const useIFlag = leading.has('i') && !/\(\?[a-zA-Z]*-[a-zA-Z]*i/.test(src);
  const flags = new Set<string>();
  if (useIFlag) flags.add('i');
  const mode: Mode = { fold: leading.has('i') && !useIFlag, dotAll: leading.has('s'), multiLine: leading.has('m') };
  const out = rewrite(src, mode, useIFlag);
  return { source: out, flags: [...flags].sort().join('') };
}

/** Walks the pattern once, rewriting what differs between RE2 and JavaScript. */
function rewrite(src: string, initial: Mode, iFlag: boolean): string {
  let out = '';
  // Modes to restore when a group closes: (?i: … ) and mid-pattern (?i) end with their group.
  const stack: Mode[] = [];
  let mode: Mode = { ...initial };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) throw new RegexSyntaxError('a trailing backslash');
      if (n === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const lit = src.slice(i + 2, end < 0 ? src.length : end);
        out += [...lit].map((ch) => foldChar(escapeLiteral(ch), ch, mode.fold)).join('');
        i = end < 0 ? src.length : end + 2;
        continue;
      }
      if (n === 'E') { i += 2; continue; } // a stray \E is ignored by RE2
      // \A and \z: start and end of the text, whatever the m flag says.
      if (n === 'A') { out += '(?<![\\s\\S])'; i += 2; continue; }
      if (n === 'z') { out += '(?![\\s\\S])'; i += 2; continue; }
      if (n === 'Z') throw new RegexTranslationError('\\Z (RE2 has no \\Z; use \\z)');
      if (n === 'C') throw new RegexTranslationError('\\C (any byte)');
      if (n === 'p' || n === 'P') throw new RegexTranslationError(`the Unicode class \\${n}${src[i + 2] === '{' ? src.slice(i + 2, src.indexOf('}', i) + 1) : (src[i + 2] ?? '')}`);
      if (/[1-9]/.test(n)) throw new RegexTranslationError(`the backreference \\${n}`);
      // \x{hh}: Go's braced hex escape.
      if (n === 'x' && src[i + 2] === '{') {
        const end = src.indexOf('}', i + 3);
        if (end < 0) throw new RegexSyntaxError('an unterminated \\x{…} escape');
        const hex = src.slice(i + 3, end);
        if (!/^[0-9a-fA-F]{1,4}$/.test(hex)) throw new RegexTranslationError(`the escape \\x{${hex}} (beyond the Basic Multilingual Plane)`);
        out += `\\u${hex.padStart(4, '0')}`;
        i = end + 1;
        continue;
      }
      out += `\\${n}`;
      i += 2;
      continue;
    }
    if (c === '[') {
      const { text, next } = readClass(src, i, mode.fold);
      out += text;
      i = next;
      continue;
    }
    if (c === '(') {
      if (src.startsWith('(?P<', i)) { out += '(?<'; i += 4; stack.push({ ...mode }); continue; }
      if (src.startsWith('(?P=', i)) throw new RegexTranslationError('a named backreference (?P=…)');
      const flagGroup = /^\(\?([a-zA-Z]*(?:-[a-zA-Z]*)?)(:|\))/.exec(src.slice(i));
      if (flagGroup && flagGroup[1] !== '') {
        const [whole, f = '', kind] = flagGroup;
        const [on = '', off = ''] = f.split('-');
        for (const ch of on + off) {
          if (ch === 'U') throw new RegexTranslationError('the ungreedy flag (?U)');
          if (!'ism'.includes(ch)) throw new RegexTranslationError(`the flag group (?${f}${kind})`);
        }
        if (iFlag && off.includes('i')) throw new RegexTranslationError(`the flag group (?${f}${kind})`);
        const next: Mode = {
          fold: iFlag ? false : on.includes('i') ? true : off.includes('i') ? false : mode.fold,
          dotAll: on.includes('s') ? true : off.includes('s') ? false : mode.dotAll,
          multiLine: on.includes('m') ? true : off.includes('m') ? false : mode.multiLine,
        };
        if (kind === ':') {
          stack.push(mode);
          out += '(?:';
        }
        // (?i) mid-pattern: applies to the end of the enclosing group.
        mode = next;
        i += whole.length;
        continue;
      }
      // Lookaround is not RE2, but keyscan's own rules may use it: JavaScript runs it as is.
      stack.push({ ...mode });
      out += c;
      i += 1;
      continue;
    }
    if (c === ')') {
      mode = stack.pop() ?? { ...initial };
      out += c;
      i += 1;
      continue;
    }
    if (c === '.') { out += mode.dotAll ? '[\\s\\S]' : '[^\\n]'; i += 1; continue; }
    if (c === '^' && mode.multiLine) { out += '(?<![^\\n])'; i += 1; continue; }
    if (c === '$' && mode.multiLine) { out += '(?![^\\n])'; i += 1; continue; }
    out += foldChar(c, c, mode.fold);
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
  return lo !== up && ch.length === 1 && lo.length === 1 && up.length === 1 ? `[${lo}${up}]` : text;
}

/** The other case of a letter range, when both ends are letters of one case. */
function otherCaseRange(from: string, to: string): string | undefined {
  if (/[a-z]/.test(from) && /[a-z]/.test(to)) return `${from.toUpperCase()}-${to.toUpperCase()}`;
  if (/[A-Z]/.test(from) && /[A-Z]/.test(to)) return `${from.toLowerCase()}-${to.toLowerCase()}`;
  return undefined;
}

/** Reads a character class starting at `start`, translating POSIX classes and folding case. */
function readClass(src: string, start: number, fold: boolean): { text: string; next: number } {
  let i = start + 1;
  let body = '';
  if (src[i] === '^') { body += '^'; i += 1; }
  // A `]` right after `[` or `[^` is a literal in RE2.
  if (src[i] === ']') { body += '\\]'; i += 1; }
  const extra = new Set<string>();
  while (i < src.length && src[i] !== ']') {
    const c = src[i]!;
    if (c === '[' && src[i + 1] === ':') {
      const end = src.indexOf(':]', i + 2);
      if (end < 0) throw new RegexSyntaxError('an unterminated POSIX class');
      const name = src.slice(i + 2, end);
      const negated = name.startsWith('^');
      const bare = negated ? name.slice(1) : name;
      if (negated) {
        const perl = NEGATED_POSIX[bare];
        if (!perl) throw new RegexTranslationError(`the negated POSIX class [[:${name}:]]`);
        body += perl;
      } else {
        const cls = POSIX_CLASSES[bare];
        if (!cls) throw new RegexTranslationError(`the unknown POSIX class [[:${name}:]]`);
        body += cls;
        if (fold && (bare === 'lower' || bare === 'upper')) extra.add('A-Za-z');
      }
      i = end + 2;
      continue;
    }
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) throw new RegexSyntaxError('an unterminated character class');
      if (n === 'p' || n === 'P') throw new RegexTranslationError(`the Unicode class \\${n} in a character class`);
      if (n === 'Q') throw new RegexTranslationError('\\Q…\\E inside a character class');
      if (n === 'x' && src[i + 2] === '{') {
        const end = src.indexOf('}', i + 3);
        const hex = end < 0 ? '' : src.slice(i + 3, end);
        if (!/^[0-9a-fA-F]{1,4}$/.test(hex)) throw new RegexTranslationError(`the escape \\x{${hex}} in a character class`);
        body += `\\u${hex.padStart(4, '0')}`;
        i = end + 1;
        continue;
      }
      body += `\\${n}`;
      i += 2;
      continue;
    }
    if (c === '[') { body += '\\['; i += 1; continue; }
    if (fold && /[a-zA-Z]/.test(c)) {
      // A range a-z folds to a-zA-Z; a single letter to both cases.
      const to = src[i + 2];
      if (src[i + 1] === '-' && to !== undefined && to !== ']') {
        body += `${c}-${to}`;
        const other = otherCaseRange(c, to);
        if (other) extra.add(other);
        i += 3;
        continue;
      }
      body += c;
      extra.add(c.toLowerCase() === c ? c.toUpperCase() : c.toLowerCase());
      i += 1;
      continue;
    }
    body += c;
    i += 1;
  }
  if (i >= src.length) throw new RegexSyntaxError('an unterminated character class');
  return { text: `[${body}${[...extra].join('')}]`, next: i + 1 };
}
