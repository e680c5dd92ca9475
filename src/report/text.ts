import type { Finding } from '../detect/finding.js';
import type { ScanStats } from '../sources/source.js';
import { isPartial } from '../sources/source.js';
import type { Reporter } from './reporter.js';
import type { SuppressedCounts } from '../filters/index.js';
import { bold, dim, green, red, yellow } from './ansi.js';

/** The report is read in a terminal: keep every line we control within 80 columns. */
const WIDTH = 80;
const INDENT = '      ';

/**
 * For a person: findings grouped by file (and commit), each with its position, rule and
 * redacted match, then warnings, one closing summary line and what to do next.
 */
export const textReport: Reporter = ({ findings, stats, suppressed, suppressedCounts, color, durationMs, scanKind }) => {
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = f.commit ? `${f.file}\0${f.commit}` : f.file;
    const list = byFile.get(key);
    if (list) list.push(f);
    else byFile.set(key, [f]);
  }
  for (const list of byFile.values()) {
    const first = list[0]!;
    out.push(bold(color, first.symlinkFile ? `${first.file} (via symlink ${first.symlinkFile})` : first.file));
    if (first.commit) {
      out.push(dim(color, `  commit ${first.commit.slice(0, 12)} by ${first.author} <${first.email}> on ${first.date}`));
    }
    for (const f of list) {
      const where = `${f.startLine}:${f.startColumn}`;
      out.push(`  ${where.padEnd(9)} ${red(color, f.ruleId)}  ${dim(color, clip(f.description, WIDTH - 14 - f.ruleId.length))}`);
      out.push(`${INDENT}${clip(oneLine(f.match), WIDTH - INDENT.length)}${f.decoded !== undefined ? dim(color, ' (decoded)') : ''}`);
      out.push(dim(color, `${INDENT}fingerprint ${f.stableFingerprint}`));
    }
    out.push('');
  }
  for (const w of stats.warnings) out.push(yellow(color, `warning: ${w}`));
  for (const n of stats.notes) out.push(yellow(color, `note: ${n}`));
  out.push(summaryLine(findings.length, stats, suppressedCounts ?? suppressed.length, durationMs, scanKind, color));
  if (findings.length > 0) {
    const next = 'Next: remove each secret and rotate it (it may already have been copied). For a false positive, add "keyscan:allow" on its line, or its fingerprint to .keyscanignore.';
    for (const line of wrap(next, WIDTH)) out.push(dim(color, line));
  } else if (isPartial(stats)) {
    out.push(dim(color, 'Next: fix the permissions of the files above (or run as a user who can read them) and scan again.'));
  }
  return `${out.join('\n')}\n`;
};

function oneLine(s: string): string {
  return s.replace(/\r?\n/g, '⏎');
}

/** Shorten to `max` characters, marking the cut. Matches are already redacted. */
function clip(s: string, max: number): string {
  if (max < 8) max = 8;
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Greedy word wrap. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

export function summaryLine(count: number, stats: ScanStats, suppressed: number | SuppressedCounts, durationMs: number, scanKind: string, color: boolean): string {
  const parts = [
    `${scanKind}: ${stats.commits > 0 ? `${stats.commits} commit${stats.commits === 1 ? '' : 's'}, ` : ''}${stats.files} file${stats.files === 1 ? '' : 's'}, ${formatBytes(stats.bytes)} scanned in ${(durationMs / 1000).toFixed(2)}s`,
  ];
  const skipped: string[] = [];
  if (stats.skippedBinary) skipped.push(`${stats.skippedBinary} binary`);
  if (stats.skippedLarge) skipped.push(`${stats.skippedLarge} too large`);
  if (stats.skippedAllowlisted) skipped.push(`${stats.skippedAllowlisted} allowlisted`);
  if (stats.skippedSymlinks) skipped.push(`${stats.skippedSymlinks} symlink${stats.skippedSymlinks === 1 ? '' : 's'} out of root`);
  if (skipped.length) parts.push(`skipped ${skipped.join(', ')}`);
  if (typeof suppressed === 'number') {
    if (suppressed) parts.push(`${suppressed} suppressed`);
  } else {
    // Which kind dropped how many: a jump in "baseline" or "allowlist" is visible in CI logs.
    const kinds = (Object.entries(suppressed) as [string, number][]).filter(([, n]) => n > 0);
    const total = kinds.reduce((sum, [, n]) => sum + n, 0);
    if (total) parts.push(`${total} suppressed (${kinds.map(([k, n]) => `${n} by ${k === 'ignore-file' ? 'ignore file' : k}`).join(', ')})`);
  }
  const head = count === 0 ? green(color, 'no leaks found') : red(color, `${count} leak${count === 1 ? '' : 's'} found`);
  const partial = isPartial(stats) ? `; ${yellow(color, `PARTIAL: ${stats.unreadable} file${stats.unreadable === 1 ? '' : 's'} could not be read`)}` : '';
  return `${head} — ${parts.join('; ')}${partial}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}
