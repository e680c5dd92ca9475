import type { Finding } from '../detect/finding.js';
import type { ScanStats } from '../sources/source.js';
import { bold, dim, red, yellow } from './ansi.js';

/**
 * What `keyscan protect` prints in a pre-commit hook. The committer did not run keyscan
 * themselves: the message has to say what happened and every way forward, and fit a
 * terminal. Pure: findings arrive already redacted (unless --no-redact).
 */

export interface ProtectSummary {
  /** Files and added lines scanned. */
  stats: ScanStats;
  /** Files in the staged diff, scanned or not (deletions, binaries, submodules…). */
  stagedFiles: number;
  color: boolean;
  /** Terminal width to fit; lines are cut, never wrapped. */
  width: number;
}

/** One line: what was scanned. Printed on every clean run so the hook never passes silently. */
export function protectScannedLine(summary: ProtectSummary): string {
  const { stats, stagedFiles } = summary;
  if (stagedFiles === 0) return 'keyscan: nothing staged to scan';
  const skipped: string[] = [];
  if (stats.skippedBinary) skipped.push(`${stats.skippedBinary} binary`);
  if (stats.skippedLarge) skipped.push(`${stats.skippedLarge} too large`);
  if (stats.skippedAllowlisted) skipped.push(`${stats.skippedAllowlisted} allowlisted`);
  const tail = skipped.length > 0 ? `; skipped ${skipped.join(', ')}` : '';
  return `keyscan: ${plural(stats.files, 'staged file')}, ${plural(stats.lines, 'added line')} scanned, no secrets found${tail}`;
}

/** The blocking message: each finding, then the ways forward, most to least advisable. */
export function protectBlockedText(findings: Finding[], summary: ProtectSummary): string {
  const { color, width, stats } = summary;
  const out: string[] = [];
  out.push(red(color, bold(color, `keyscan: commit blocked: ${plural(findings.length, 'secret')} in the staged changes`)));
  out.push(dim(color, `(${plural(stats.files, 'staged file')}, ${plural(stats.lines, 'added line')} scanned)`));
  out.push('');
  for (const f of findings) {
    const file = printablePath(f.file);
    const where = `  ${file}:${f.startLine}  ${f.ruleId}  `;
    const room = Math.max(16, width - where.length);
    out.push(`${bold(color, `  ${file}:${f.startLine}`)}  ${red(color, f.ruleId)}  ${around(oneLine(f.line).trim() || oneLine(f.match), oneLine(f.match), room)}`);
    out.push(dim(color, `      fingerprint ${printablePath(f.stableFingerprint)}`));
  }
  for (const w of stats.warnings) out.push(yellow(color, `  warning: ${w}`));
  const credentialFiles = [...new Set(findings.filter((f) => f.ruleId === 'credential-file').map((f) => f.file))];
  const secretFiles = [...new Set(findings.filter((f) => f.ruleId !== 'credential-file').map((f) => f.file))];
  const one = (list: string[], verb: string) => (list.length === 1 && printablePath(list[0]!) === list[0] ? `${verb} ${shellWord(list[0]!)}` : verb);
  out.push('');
  out.push('What now:');
  if (secretFiles.length > 0) {
    out.push(`  - Remove the secret, then restage: ${one(secretFiles, 'git add')}`);
    out.push('    (if it ever left this machine, rotate it as well)');
    out.push('  - A false positive? Put keyscan:allow in a comment on that line.');
  }
  if (credentialFiles.length > 0) {
    out.push(`  - Keep the credential file out of git: ${one(credentialFiles, 'git rm --cached')}`);
    out.push('    and add its name to .gitignore.');
  }
  out.push('  - Or add its fingerprint line, as printed above, to .keyscanignore.');
  out.push('  - Last resort (skips every pre-commit check): git commit --no-verify');
  return `${out.join('\n')}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function oneLine(s: string): string {
  return s.replace(/\r?\n/g, '⏎').replace(/\t/g, ' ').trim();
}

/** The line, cut to `room` characters around the (redacted) match so the match stays visible. */
function around(line: string, match: string, room: number): string {
  if (line.length <= room) return line;
  const at = Math.max(0, line.indexOf(match));
  const start = Math.max(0, Math.min(at - 8, line.length - room + 1));
  const head = start > 0 ? '…' : '';
  const body = line.slice(start, start + room - head.length - 1);
  return `${head}${body}${start + body.length < line.length ? '…' : ''}`;
}

/** A path on one line: control characters (a newline in a file name) shown escaped, as git does. */
function printablePath(p: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(p) ? JSON.stringify(p) : p;
}

/** Quote a path for a copy-paste shell command when it needs it. */
function shellWord(p: string): string {
  return /^[\w./@%+=:,-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}
