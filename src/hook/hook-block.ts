/**
 * The lines `keyscan install` adds to a hook script, fenced by marker comments so that
 * a second install finds them (idempotent) and `keyscan uninstall` removes exactly them,
 * whatever else the script holds. Pure text in, text out.
 */

export const BLOCK_BEGIN = '# >>> keyscan: added by `keyscan install`; `keyscan uninstall` removes it';
export const BLOCK_END = '# <<< keyscan';
/** A line inside the block recording what else install did, so uninstall can undo it. */
const RECORD_PREFIX = '# keyscan-install: ';

export interface HookBlock {
  /** The commands, one per line. */
  lines: string[];
  /** What install did besides adding the lines (e.g. "created-file", "package.json:devDependencies.husky"). */
  records: string[];
}

export function renderBlock(block: HookBlock): string[] {
  return [BLOCK_BEGIN, ...block.records.map((r) => `${RECORD_PREFIX}${r}`), ...block.lines, BLOCK_END];
}

interface Located {
  start: number;
  end: number;
  records: string[];
}

function locate(lines: string[]): Located | undefined {
  const start = lines.findIndex((l) => l.trimEnd() === BLOCK_BEGIN);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && lines[end]!.trimEnd() !== BLOCK_END) end++;
  if (end >= lines.length) return undefined; // an unterminated block is not ours to edit
  const records = lines.slice(start + 1, end).filter((l) => l.startsWith(RECORD_PREFIX)).map((l) => l.slice(RECORD_PREFIX.length).trim());
  return { start, end, records };
}

function splitLines(text: string): { lines: string[]; eol: string } {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return { lines, eol };
}

function joinLines(lines: string[], eol: string): string {
  return lines.length === 0 ? '' : `${lines.join(eol)}${eol}`;
}

/** The records of the keyscan block in `text`, or undefined when there is none. */
export function blockRecords(text: string): string[] | undefined {
  return locate(splitLines(text).lines)?.records;
}

/**
 * Add (or update in place) the keyscan block. `where`: 'end' appends it (husky hooks are
 * lists of commands); 'after-shebang' puts it first, so an `exit 0` further down the
 * user's own script cannot skip it. Returns the text unchanged when the block is already there.
 */
export function addBlock(text: string, block: HookBlock, where: 'end' | 'after-shebang'): string {
  const { lines, eol } = splitLines(text);
  const found = locate(lines);
  if (found) {
    // Keep what an earlier install recorded: uninstall must still undo it.
    const records = [...new Set([...found.records, ...block.records])];
    lines.splice(found.start, found.end - found.start + 1, ...renderBlock({ lines: block.lines, records }));
    return joinLines(lines, eol);
  }
  const rendered = renderBlock(block);
  if (where === 'after-shebang' && lines[0]?.startsWith('#!')) lines.splice(1, 0, ...rendered);
  else if (where === 'after-shebang') lines.unshift(...rendered);
  else lines.push(...rendered);
  return joinLines(lines, eol);
}

/** Remove the keyscan block; `removed` is false when there was none. */
export function removeBlock(text: string): { text: string; removed: boolean; records: string[] } {
  const { lines, eol } = splitLines(text);
  const found = locate(lines);
  if (!found) return { text, removed: false, records: [] };
  lines.splice(found.start, found.end - found.start + 1);
  return { text: joinLines(lines, eol), removed: true, records: found.records };
}

/** True when a script holds nothing but a shebang, blank lines and comments. */
export function isEmptyScript(text: string): boolean {
  return splitLines(text).lines.every((l) => l.trim() === '' || l.trimStart().startsWith('#'));
}

/** Whether lines can be added to this hook: a POSIX-shell script (or no shebang, which git runs with sh). */
export function isShellScript(text: string): boolean {
  const first = splitLines(text).lines[0] ?? '';
  if (!first.startsWith('#!')) return true;
  return /^#!\s*(?:\/usr\/bin\/env\s+(?:-S\s+)?)?(?:\S*\/)?(?:sh|bash|dash|zsh|ksh)\b/.test(first);
}
