import type { Finding } from '../detect/finding.js';
import type { Fragment } from '../sources/fragment.js';

/**
 * Inline directives: comments in the scanned text that allow a finding. They are found
 * by their text alone, so every comment syntax works (`#`, `//`, `/* *\/`, `<!-- -->`,
 * `--`, `;`, `%`…): the directive is a word, not a comment grammar.
 *
 * keyscan's own, each optionally limited to rule ids (`keyscan:allow github-pat, aws-access-key`)
 * and followed by a free reason after ` -- ` (as in ESLint):
 * - `keyscan:allow` (alias `keyscan:disable-line`): the line it is on;
 * - `keyscan:allow-next-line` (alias `keyscan:disable-next-line`): the next line, or the
 *   next statement when that line opens a multi-line string (formatters move trailing
 *   comments to the line above);
 * - `keyscan:disable` … `keyscan:enable`: every line between them.
 *
 * Foreign ones, honoured for migration unless --no-foreign-directives, never with rule ids
 * (theirs are not ours):
 * - gitleaks `gitleaks:allow` and betterleaks `betterleaks:allow`: the line;
 * - detect-secrets `pragma: allowlist secret` (line) and `pragma: allowlist nextline secret`;
 * - secretlint `secretlint-disable-line`, `secretlint-disable-next-line`, and
 *   `secretlint-disable` … `secretlint-enable` blocks.
 */

export interface DirectiveOptions {
  /** Honour gitleaks/betterleaks/detect-secrets/secretlint directives (default true). */
  foreign?: boolean;
}

type Scope = 'line' | 'next-line' | 'disable' | 'enable';

/** One directive found in a fragment. */
export interface Directive {
  /** 1-based line in the file. */
  line: number;
  scope: Scope;
  /** Empty: all rules. */
  ruleIds: string[];
  /** The directive as written, for --explain. */
  text: string;
  foreign: boolean;
}

// Longer alternatives first: `allow-next-line` must not be read as `allow`.
const DIRECTIVE = new RegExp(
  [
    String.raw`\bkeyscan:(allow-next-line|disable-next-line|disable-line|allow|disable|enable)\b((?:[ \t]*,?[ \t]*[a-z0-9][a-z0-9._-]*)*)`,
    String.raw`\b(gitleaks|betterleaks):allow\b`,
    String.raw`\bpragma:[ \t]*allowlist[ \t]+(nextline[ \t]+)?secret\b`,
    String.raw`\bsecretlint-(disable-next-line|disable-line|disable|enable)\b`,
  ].join('|'),
  'gi',
);

/** Cheap test before the full parse: most fragments with findings hold no directive. */
const MARKER = /keyscan:|gitleaks:allow|betterleaks:allow|pragma:[ \t]*allowlist|secretlint-(?:disable|enable)/i;

const RULE_ID_TOKEN = /^[a-z0-9][a-z0-9._-]*$/i;

/** Every directive in a text whose first line is file line `startLine`. */
export function parseDirectives(text: string, startLine: number, options: DirectiveOptions = {}): Directive[] {
  if (!MARKER.test(text)) return [];
  const foreignOn = options.foreign !== false;
  const out: Directive[] = [];
  let line = startLine;
  let counted = 0;
  DIRECTIVE.lastIndex = 0;
  for (let m = DIRECTIVE.exec(text); m !== null; m = DIRECTIVE.exec(text)) {
    // Line numbers: newlines are counted once, from the previous match on.
    for (let at = text.indexOf('\n', counted); at >= 0 && at < m.index; at = text.indexOf('\n', at + 1)) line++;
    counted = m.index;
    const [whole, ksKind, ksIds, , pragmaNext, slKind] = m;
    if (ksKind !== undefined) {
      const kind = ksKind.toLowerCase();
      const scope: Scope = kind === 'allow' || kind === 'disable-line' ? 'line'
        : kind === 'allow-next-line' || kind === 'disable-next-line' ? 'next-line'
        : kind === 'disable' ? 'disable' : 'enable';
      const ruleIds = parseRuleIds(ksIds ?? '');
      const written = ruleIds.length > 0 ? `keyscan:${kind} ${ruleIds.join(', ')}` : `keyscan:${kind}`;
      out.push({ line, scope, ruleIds, text: written, foreign: false });
      continue;
    }
    if (!foreignOn) continue;
    if (slKind !== undefined) {
      const kind = slKind.toLowerCase();
      const scope: Scope = kind === 'disable-line' ? 'line' : kind === 'disable-next-line' ? 'next-line' : kind === 'disable' ? 'disable' : 'enable';
      out.push({ line, scope, ruleIds: [], text: `secretlint-${kind}`, foreign: true });
    } else if (whole.toLowerCase().startsWith('pragma')) {
      out.push({ line, scope: pragmaNext ? 'next-line' : 'line', ruleIds: [], text: pragmaNext ? 'pragma: allowlist nextline secret' : 'pragma: allowlist secret', foreign: true });
    } else {
      out.push({ line, scope: 'line', ruleIds: [], text: whole.toLowerCase(), foreign: true });
    }
  }
  return out;
}

/** Rule ids after a directive: tokens shaped like ids, up to the first that is not (` -- reason`, `*\/`, `-->`). */
function parseRuleIds(raw: string): string[] {
  const ids: string[] = [];
  for (const token of raw.split(/[\s,]+/)) {
    if (token === '') continue;
    if (!RULE_ID_TOKEN.test(token)) break;
    ids.push(token.toLowerCase());
  }
  return ids;
}

function applies(d: Directive, ruleId: string): boolean {
  return d.ruleIds.length === 0 || d.ruleIds.includes(ruleId.toLowerCase());
}

/**
 * The directives of one fragment, parsed once and only when a finding needs them. A
 * directive is looked up in the fragment's own text: a block opened before the start of
 * a later piece of a very large file (fragments overlap by 64 KiB) is not seen there.
 */
export class FragmentDirectives {
  private parsed: Directive[] | undefined;
  private lines: string[] | undefined;

  constructor(private readonly fragment: Fragment, private readonly options: DirectiveOptions = {}) {}

  private directives(): Directive[] {
    this.parsed ??= parseDirectives(this.fragment.raw, this.fragment.startLine, this.options);
    return this.parsed;
  }

  private lineText(fileLine: number): string | undefined {
    this.lines ??= this.fragment.raw.split('\n');
    return this.lines[fileLine - this.fragment.startLine];
  }

  /** Why `f` is allowed by a directive in this fragment, or undefined. */
  reasonFor(f: Finding): string | undefined {
    const all = this.directives();
    if (all.length === 0) {
      // The fragment may not hold the finding's line (a diff hunk): the line itself still counts.
      return fromLineOnly(f, this.options);
    }
    // Same line: any line of the match (a PEM block's directive may sit on its first or last line).
    for (const d of all) {
      if (d.scope === 'line' && d.line >= f.startLine && d.line <= f.endLine && applies(d, f.ruleId)) {
        return `${d.text} on line ${d.line}`;
      }
    }
    for (const d of all) {
      if (d.scope !== 'next-line' || d.line >= f.startLine || !applies(d, f.ruleId)) continue;
      const [from, to] = this.nextLineSpan(d.line);
      if (f.startLine >= from && f.startLine <= to) return `${d.text} on line ${d.line}`;
    }
    // Blocks: the state after every directive before the finding (a `disable` on the finding's own line counts).
    let open: Directive | undefined;
    for (const d of all) {
      if (d.line > f.startLine || (d.line === f.startLine && d.scope === 'enable')) break;
      if (d.scope === 'disable' && applies(d, f.ruleId)) open = d;
      else if (d.scope === 'enable' && open && (d.ruleIds.length === 0 || d.ruleIds.includes(f.ruleId.toLowerCase())) && sameFamily(d, open)) open = undefined;
    }
    if (open) {
      const end = all.find((d) => d.scope === 'enable' && d.line >= f.startLine && sameFamily(d, open!) && (d.ruleIds.length === 0 || d.ruleIds.includes(f.ruleId.toLowerCase())));
      return `${open.text} on line ${open.line} (block ${end ? `until line ${end.line}` : 'to the end of the file'})`;
    }
    return fromLineOnly(f, this.options);
  }

  /**
   * The lines a next-line directive on `line` covers: the next non-blank line, extended to
   * the end of a multi-line string it opens (`"""`, `'''`, a backtick, a YAML `|`/`>`
   * block, or a trailing `\` continuation), so a secret in the string's body is covered.
   */
  private nextLineSpan(line: number): [number, number] {
    let from = line + 1;
    while (this.lineText(from) !== undefined && this.lineText(from)!.trim() === '') from++;
    const first = this.lineText(from);
    if (first === undefined) return [from, from];
    let to = from;
    for (const quote of ['"""', "'''", '`']) {
      if (count(first, quote) % 2 === 1) {
        for (let l = from + 1; this.lineText(l) !== undefined; l++) {
          if (this.lineText(l)!.includes(quote)) return [from, l];
        }
        return [from, from];
      }
    }
    if (/:\s*[|>][-+]?\d*\s*$/.test(first)) {
      // A YAML block scalar: every following line indented deeper than the key.
      const indent = first.length - first.trimStart().length;
      for (let l = from + 1; this.lineText(l) !== undefined; l++) {
        const t = this.lineText(l)!;
        if (t.trim() !== '' && t.length - t.trimStart().length <= indent) break;
        to = l;
      }
      return [from, to];
    }
    while (this.lineText(to)?.replace(/\r$/, '').endsWith('\\') && this.lineText(to + 1) !== undefined) to++;
    return [from, to];
  }
}

function sameFamily(a: Directive, b: Directive): boolean {
  return a.text.startsWith('keyscan:') === b.text.startsWith('keyscan:');
}

function count(s: string, needle: string): number {
  let n = 0;
  for (let at = s.indexOf(needle); at >= 0; at = s.indexOf(needle, at + needle.length)) n++;
  return n;
}

/** Same-line directives read from the finding's own line, when the fragment could not place it. */
function fromLineOnly(f: Finding, options: DirectiveOptions): string | undefined {
  if (!MARKER.test(f.line)) return undefined;
  const d = parseDirectives(f.line, f.startLine, options).find((x) => x.scope === 'line' && applies(x, f.ruleId));
  return d ? `${d.text} on line ${f.startLine}` : undefined;
}
