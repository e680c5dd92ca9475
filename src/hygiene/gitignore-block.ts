import { UserError } from '../errors.js';

/**
 * The block `keyscan hygiene --fix` owns in the root .gitignore. Pure: bytes in, bytes out.
 * Everything outside the block is kept byte for byte (content, line endings, encoding);
 * the block uses the file's own line ending.
 */

export const BLOCK_BEGIN = '# >>> keyscan hygiene: credential files (kept by `keyscan hygiene --fix`; add your own rules outside this block) >>>';
export const BLOCK_END = '# <<< keyscan hygiene <<<';
const BEGIN_PREFIX = '# >>> keyscan hygiene';
const END_PREFIX = '# <<< keyscan hygiene';

/**
 * A pattern matching exactly `path` from the root: a leading `/` anchors it, and the
 * characters gitignore treats specially (`\ * ? [`, trailing spaces) are escaped
 * (git-scm.com/docs/gitignore#_pattern_format).
 */
export function anchoredPattern(path: string): string {
  const escaped = path.replace(/[\\*?[]/g, (c) => `\\${c}`).replace(/ +$/, (spaces) => spaces.replace(/ /g, '\\ '));
  return `/${escaped}`;
}

export interface GitignorePlan {
  /** The new file content (identical to the old one when nothing changed). */
  content: Buffer;
  /** Patterns added by this run, in block order. */
  added: string[];
  changed: boolean;
  /** The file did not exist. */
  created: boolean;
}

/** Bytes ↔ string one to one, so no byte outside the block can change. */
const asBytes = (b: Buffer) => b.toString('latin1');
const fromUtf8 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
const toUtf8 = (s: string) => Buffer.from(s, 'latin1').toString('utf8');

/**
 * Add `patterns` missing from the keyscan block, creating the block (at the end) or the file
 * as needed. Patterns already in the block stay; un-ignore (`!`) patterns go after the
 * others so they win. No new pattern: the content is returned untouched.
 */
export function planGitignore(existing: Buffer | undefined, patterns: string[], sourceName = '.gitignore'): GitignorePlan {
  const text = existing === undefined ? '' : asBytes(existing);
  const lines = splitLines(text);
  const begin = lines.findIndex((l) => stripEol(l).startsWith(BEGIN_PREFIX));
  const end = begin < 0 ? -1 : lines.findIndex((l, i) => i > begin && stripEol(l).startsWith(END_PREFIX));
  if (begin >= 0 && end < 0) {
    throw new UserError(`${sourceName}: the keyscan hygiene block starting on line ${begin + 1} has no end line`, `restore the line "${BLOCK_END}" or delete the block, then run --fix again`);
  }
  const current = begin < 0 ? [] : lines.slice(begin + 1, end).map(stripEol).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const have = new Set(current);
  const added: string[] = [];
  for (const p of patterns) {
    const bytes = fromUtf8(p);
    if (/[\r\n]/.test(p) || p.trim() === '' || have.has(bytes)) continue;
    have.add(bytes);
    added.push(bytes);
  }
  if (added.length === 0) {
    return { content: existing ?? Buffer.alloc(0), added: [], changed: false, created: false };
  }
  const all = [...current, ...added];
  const ordered = [...all.filter((p) => !p.startsWith('!')), ...all.filter((p) => p.startsWith('!'))];
  const eol = detectEol(text);
  const block = [BLOCK_BEGIN, ...ordered, BLOCK_END].map((l) => l + eol).join('');
  let out: string;
  if (begin >= 0) {
    out = lines.slice(0, begin).join('') + block + lines.slice(end + 1).join('');
  } else {
    let head = text;
    if (head !== '' && !head.endsWith('\n')) head += eol;
    if (head !== '' && !/(\r?\n){2}$/.test(head)) head += eol;
    out = head + block;
  }
  const orderedAdded = ordered.filter((p) => added.includes(p)).map(toUtf8);
  return { content: Buffer.from(out, 'latin1'), added: orderedAdded, changed: true, created: existing === undefined };
}

/** Lines with their endings attached, so joining them gives the text back exactly. */
function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
    out.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

function stripEol(line: string): string {
  return line.replace(/\r?\n$/, '').replace(/\r$/, '');
}

/** CRLF when most line endings are CRLF, otherwise LF. */
export function detectEol(text: string): '\n' | '\r\n' {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  return crlf > lf ? '\r\n' : '\n';
}
