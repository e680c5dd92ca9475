/**
 * Is a rule's regex "anchored at its keywords": does every match begin exactly where one of
 * the rule's keywords occurs? Then the regex need not scan windows around keyword hits: it
 * is tried once, sticky, at each hit (a failed try usually costs a few characters). On
 * keyword-dense code (`token`, `secret`, `password` every few lines) this is the difference
 * between running the generic rule's case-insensitive alternation over most of the text and
 * running it at a handful of positions per line.
 *
 * Proof obligation, checked here on the pattern itself: enumerate the strings every match
 * must start with (the regex's leading literals, classes and alternations, lower-cased, as
 * the keyword search folds case), and require each to begin with a keyword. Anything this
 * small reader does not understand ends the enumeration early, which only makes the
 * answer "no" more often, never a wrong "yes".
 */

/** More prefixes than this and the enumeration stops (the answer is then based on what it has). */
const MAX_PREFIXES = 512;
/** A character class is enumerated only when it has at most this many (lower-cased) members. */
const MAX_CLASS = 12;

interface Prefixes {
  /** Lower-cased strings; every match of the part read so far starts with one of them. */
  set: string[];
  /** False when reading stopped inside the part: nothing may be appended after it. */
  complete: boolean;
}

/** True when every match of `regex` starts at an occurrence of one of `keywords` (ASCII case-insensitively). */
export function isKeywordAnchored(regex: RegExp, keywords: readonly string[]): boolean {
  if (keywords.length === 0) return false;
  let prefixes: Prefixes;
  try {
    prefixes = new PrefixReader(regex.source).alternation();
  } catch {
    return false;
  }
  const lower = keywords.map((k) => k.toLowerCase());
  return prefixes.set.length > 0 && prefixes.set.every((p) => lower.some((k) => k.length > 0 && p.startsWith(k)));
}

class PrefixReader {
  private pos = 0;

  constructor(private readonly src: string) {}

  /** `a|b|c` up to a `)` or the end. */
  alternation(): Prefixes {
    const set = new Set<string>();
    let complete = true;
    for (;;) {
      const seq = this.sequence();
      for (const s of seq.set) set.add(s);
      complete &&= seq.complete;
      if (this.src[this.pos] !== '|') break;
      this.pos++;
    }
    if (set.size > MAX_PREFIXES) throw new Error('too many prefixes');
    return { set: [...set], complete };
  }

  /** Atoms one after another; stops at `|`, `)` or the end, or at the first atom it cannot enumerate. */
  private sequence(): Prefixes {
    let set = [''];
    let stopped = false;
    while (this.pos < this.src.length && this.src[this.pos] !== '|' && this.src[this.pos] !== ')') {
      if (stopped) {
        this.skipAtom();
        continue;
      }
      const atom = this.quantified();
      if (atom === undefined || set.length * atom.set.length > MAX_PREFIXES) {
        stopped = true;
        continue;
      }
      const next: string[] = [];
      for (const s of set) for (const a of atom.set) next.push(s + a);
      set = [...new Set(next)];
      if (!atom.complete) stopped = true;
    }
    return { set, complete: !stopped };
  }

  /** One atom and its quantifier; undefined when the atom cannot be enumerated. */
  private quantified(): Prefixes | undefined {
    const atom = this.atom();
    const q = this.quantifier();
    if (atom === undefined) return undefined;
    if (q === undefined) return atom;
    const withEmpty = (p: Prefixes, complete: boolean): Prefixes => ({ set: [...new Set(['', ...p.set])], complete });
    if (q.min === 0 && q.max === 1) return withEmpty(atom, atom.complete);
    if (q.min === 0) return withEmpty(atom, false);
    // At least one: the atom, then we cannot say what follows.
    return { set: atom.set, complete: atom.complete && q.min === 1 && q.max === 1 };
  }

  private quantifier(): { min: number; max: number } | undefined {
    const c = this.src[this.pos];
    let q: { min: number; max: number } | undefined;
    if (c === '?') q = { min: 0, max: 1 };
    else if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '{') {
      const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.src.slice(this.pos));
      if (!m) return undefined;
      this.pos += m[0].length - 1;
      q = { min: Number(m[1]), max: m[2] ? (m[3] ? Number(m[3]) : Infinity) : Number(m[1]) };
    }
    if (q === undefined) return undefined;
    this.pos++;
    if (this.src[this.pos] === '?') this.pos++; // lazy: same strings
    return q;
  }

  /** One atom: a group, a class, an escape or a literal. Zero-width assertions give the empty string. */
  private atom(): Prefixes | undefined {
    const src = this.src;
    const c = src[this.pos]!;
    if (c === '(') {
      const look = /^\(\?(?:<?[=!])/.exec(src.slice(this.pos, this.pos + 4));
      if (look) {
        // Lookaround: zero width, so it adds nothing to what the match starts with.
        this.pos += look[0].length;
        this.alternation();
        this.expect(')');
        return { set: [''], complete: true };
      }
      const open = /^\((?:\?:|\?<[A-Za-z_$][\w$]*>)?/.exec(src.slice(this.pos))!;
      this.pos += open[0].length;
      const inner = this.alternation();
      this.expect(')');
      return inner;
    }
    if (c === '[') return this.characterClass();
    if (c === '^' || c === '$') {
      this.pos++;
      return { set: [''], complete: true };
    }
    if (c === '.') {
      this.pos++;
      return undefined;
    }
    if (c === '\\') return this.escape();
    this.pos++;
    return { set: [c.toLowerCase()], complete: true };
  }

  private escape(): Prefixes | undefined {
    const src = this.src;
    const e = src[this.pos + 1];
    if (e === undefined) throw new Error('trailing backslash');
    if (e === 'b' || e === 'B') {
      this.pos += 2;
      return { set: [''], complete: true };
    }
    const ch = this.escapedChar();
    return ch === undefined ? undefined : { set: [ch.toLowerCase()], complete: true };
  }

  /** The character an escape stands for, or undefined for classes (\d, \w…) and anything unusual. Advances past it. */
  private escapedChar(): string | undefined {
    const src = this.src;
    const e = src[this.pos + 1]!;
    const hex = /^\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4}))/.exec(src.slice(this.pos, this.pos + 6));
    if (hex) {
      this.pos += hex[0].length;
      return String.fromCharCode(parseInt(hex[1] ?? hex[2]!, 16));
    }
    this.pos += 2;
    const controls: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f', v: '\v', '0': '\0' };
    if (e in controls) return controls[e];
    if (/[A-Za-z0-9]/.test(e)) return undefined; // \d \w \s \p{…} \1 …
    return e;
  }

  /** `[...]`: its members, lower-cased, when there are few; undefined otherwise (negated, large, or unusual). */
  private characterClass(): Prefixes | undefined {
    const src = this.src;
    this.pos++;
    const negated = src[this.pos] === '^';
    if (negated) this.pos++;
    const members = new Set<string>();
    let ok = !negated;
    // JavaScript's `[]` is an empty class (never matches), not a literal `]`.
    while (this.pos < src.length && src[this.pos] !== ']') {
      const from = this.classChar();
      if (from === undefined) {
        ok = false;
        continue;
      }
      if (src[this.pos] === '-' && src[this.pos + 1] !== ']' && this.pos + 1 < src.length) {
        this.pos++;
        const to = this.classChar();
        if (to === undefined || to.charCodeAt(0) - from.charCodeAt(0) > MAX_CLASS * 3) {
          ok = false;
          continue;
        }
        for (let code = from.charCodeAt(0); code <= to.charCodeAt(0); code++) members.add(String.fromCharCode(code).toLowerCase());
      } else {
        members.add(from.toLowerCase());
      }
    }
    this.expect(']');
    if (!ok || members.size === 0 || members.size > MAX_CLASS) return undefined;
    return { set: [...members], complete: true };
  }

  private classChar(): string | undefined {
    const c = this.src[this.pos]!;
    if (c !== '\\') {
      this.pos++;
      return c;
    }
    return this.escapedChar();
  }

  /** Moves past one atom and its quantifier without enumerating it. */
  private skipAtom(): void {
    const c = this.src[this.pos]!;
    if (c === '(') {
      const open = /^\((?:\?:|\?<?[=!]|\?<[A-Za-z_$][\w$]*>)?/.exec(this.src.slice(this.pos))!;
      this.pos += open[0].length;
      this.alternation();
      this.expect(')');
    } else if (c === '[') {
      this.characterClass();
    } else if (c === '\\') {
      if (this.src[this.pos + 1] === 'b' || this.src[this.pos + 1] === 'B') this.pos += 2;
      else this.escapedChar();
    } else {
      this.pos++;
    }
    this.quantifier();
  }

  private expect(ch: string): void {
    if (this.src[this.pos] !== ch) throw new Error(`expected ${ch}`);
    this.pos++;
  }
}
