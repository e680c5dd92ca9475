import type { Finding } from '../detect/finding.js';
import type { Reporter } from './reporter.js';

/** gitleaks' CSV columns, in gitleaks' order (report/csv.go). */
const COLUMNS = [
  'RuleID', 'Commit', 'File', 'SymlinkFile', 'Secret', 'Match', 'StartLine', 'EndLine',
  'StartColumn', 'EndColumn', 'Author', 'Message', 'Date', 'Email', 'Fingerprint', 'Tags',
] as const;

function row(f: Finding): string[] {
  return [
    f.ruleId, f.commit, f.file, f.symlinkFile, f.secret, f.match,
    String(f.startLine), String(f.endLine), String(f.startColumn), String(f.endColumn),
    f.author, f.message, f.date, f.email, f.fingerprint, f.tags.join(' '),
  ];
}

/**
 * The CSV gitleaks writes. One difference: with no findings gitleaks writes an empty
 * file; we write the header, so that a spreadsheet or `csv` parser still sees the columns.
 */
export const csvReport: Reporter = ({ findings }) => {
  const lines = [COLUMNS.map(csvField).join(','), ...findings.map((f) => row(f).map(csvField).join(','))];
  return `${lines.join('\n')}\n`;
};

/**
 * Quote a field the way Go's encoding/csv does (RFC 4180): when it holds a comma, a
 * quote, a line break or starts with a space; quotes inside are doubled. A match can
 * hold all of these (a PEM block, a JSON line).
 */
export function csvField(s: string): string {
  if (s === '') return s;
  const needs = s === '\\.' || /[",\r\n]/.test(s) || /^\s/u.test(s);
  return needs ? `"${s.replace(/"/g, '""')}"` : s;
}
