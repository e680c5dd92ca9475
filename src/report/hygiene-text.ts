import { relative } from 'node:path';
import { SEVERITIES } from '../hygiene/credential-files.js';
import { ANY_DIR, describeMatch } from '../hygiene/coverage.js';
import type { FixSummary } from '../hygiene/fix.js';
import { CHECK_TITLES, type HygieneProblem, type HygieneResult, type ProbeResult } from '../hygiene/problem.js';
import type { HygieneReporter } from './hygiene-reporter.js';
import { bold, dim, green, red, yellow } from './ansi.js';

/** A checklist for a person: each check with ✓ or ✗, each problem with why and the exact fix. */
export const hygieneTextReport: HygieneReporter = ({ result, fix, color, verbose, quiet }) => {
  const out: string[] = [];
  if (fix) out.push(...fixLines(fix, result.root, color), '');
  if (!quiet) out.push(bold(color, `keyscan hygiene: ${result.root}`), '');
  const ok = (s: string) => `  ${green(color, '✓')} ${s}`;
  for (const check of result.checks) {
    const problems = result.problems.filter((p) => p.check === check);
    if (quiet && problems.length === 0) continue;
    out.push(bold(color, CHECK_TITLES[check]));
    if (check === 'coverage' && !quiet) out.push(...probeLines(result.probes, problems, verbose, color));
    if (problems.length === 0) out.push(ok(passLine(check, result)));
    for (const p of problems) out.push(...problemLines(p, color));
    out.push('');
  }
  for (const n of result.notes) out.push(yellow(color, `note: ${n}`));
  if (quiet && result.problems.length === 0) return '';
  out.push(summary(result, color));
  return `${out.join('\n')}\n`;
};

function passLine(check: HygieneProblem['check'], result: HygieneResult): string {
  const n = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;
  switch (check) {
    case 'coverage': return 'every .env variant is ignored and every template is not';
    case 'tracked': return `no credential file among ${n(result.counts.tracked, 'tracked file')}`;
    case 'history': return `no deleted credential file in ${n(result.counts.commits, 'commit')} that added files`;
    case 'exposure': return `no credential file among ${n(result.counts.untracked, 'untracked, unignored file')}`;
  }
}

/** Passing probes: one line each with --verbose, otherwise one count. */
function probeLines(probes: ProbeResult[], problems: HygieneProblem[], verbose: boolean, color: boolean): string[] {
  const passing = probes.filter((p) => (p.expect === 'ignored') === p.ignored);
  if (!verbose) {
    return problems.length === 0 || passing.length === 0 ? [] : [`  ${green(color, '✓')} ${passing.length} of ${probes.length} probe paths as expected (--verbose lists them)`];
  }
  return passing.map((p) => {
    const path = p.path.startsWith(`${ANY_DIR}/`) ? `<dir>/${p.path.slice(ANY_DIR.length + 1)}` : p.path;
    const how = p.expect === 'ignored' ? `ignored by ${describeMatch(p.match!)}` : `not ignored (template)${p.match ? `, un-ignored by ${describeMatch(p.match)}` : ''}`;
    return `  ${green(color, '✓')} ${path.padEnd(28)} ${dim(color, how)}`;
  });
}

function severityLabel(p: HygieneProblem, color: boolean): string {
  const label = p.severity.toUpperCase();
  return p.severity === 'high' ? red(color, label) : p.severity === 'medium' ? yellow(color, label) : dim(color, label);
}

const HEADLINES: Record<HygieneProblem['rule'], string> = {
  'env-not-ignored': 'not ignored',
  'template-ignored': 'template is ignored',
  'credential-file-tracked': 'tracked',
  'credential-file-ignored-too-late': 'tracked, ignored too late',
  'credential-file-in-history': 'in history',
  'credential-file-exposed': 'on disk, not ignored',
};

function problemLines(p: HygieneProblem, color: boolean): string[] {
  const kind = p.kind ? dim(color, ` (${p.kind})`) : '';
  const more = p.paths && p.paths.length > 1 ? ` (+${p.paths.length - 1} more)` : '';
  return [
    `  ${red(color, '✗')} ${bold(color, p.path)}${more}  ${HEADLINES[p.rule]}${kind}  [${severityLabel(p, color)}]`,
    ...wrap(`why: ${p.why}`, WIDTH, '      ', '           '),
    ...wrap(`fix: ${p.fix}`, WIDTH, '      ', '           '),
  ];
}

/** Terminal width the checklist is written for. */
const WIDTH = 80;

/**
 * Word-wrap `text` to `width` columns. A `backticked` span (a command, a pattern) is never
 * broken, so it can be copied whole; a word longer than the line stays on its own line.
 */
export function wrap(text: string, width: number, first: string, rest: string): string[] {
  const words = text.match(/[^\s`]*`[^`]*`\S*|\S+/g) ?? [];
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest;
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

function summary(result: HygieneResult, color: boolean): string {
  const { problems } = result;
  if (problems.length === 0) return green(color, '✓ clean: no hygiene problems');
  const bySeverity = SEVERITIES.map((s) => [s, problems.filter((p) => p.severity === s).length] as const).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`);
  const fixable = problems.filter((p) => p.patterns !== undefined).length;
  const tracked = problems.filter((p) => p.check === 'tracked').length;
  const next: string[] = [];
  if (fixable > 0) next.push('`keyscan hygiene --fix` adds the missing .gitignore patterns');
  if (tracked > 0) next.push('`--untrack` also removes tracked credential files from the index');
  const head = red(color, `✗ ${problems.length} problem${problems.length === 1 ? '' : 's'} (${bySeverity.join(', ')})`);
  return next.length ? `${head}. Next: ${next.join('; ')}.` : `${head}.`;
}

/** What --fix did, first, so it is not lost above a long checklist. */
function fixLines(fix: FixSummary, root: string, color: boolean): string[] {
  const file = relative(root, fix.gitignore) || fix.gitignore;
  const lines: string[] = [];
  if (fix.added.length === 0) {
    lines.push(`${bold(color, 'fix:')} ${file} already has every pattern keyscan can add; nothing changed`);
  } else {
    lines.push(`${bold(color, 'fix:')} ${fix.created ? 'created' : 'updated'} ${file}: added ${fix.added.length} pattern${fix.added.length === 1 ? '' : 's'} to the keyscan block:`);
    for (const p of fix.added) lines.push(`  + ${p}`);
  }
  if (fix.untracked.length > 0) {
    lines.push(`${bold(color, 'fix:')} removed from the index (the files stay on disk; commit to finish):`);
    for (const p of fix.untracked) lines.push(`  - ${p}`);
  } else if (fix.untrackCommands.length > 0) {
    lines.push(`${bold(color, 'fix:')} tracked credential files stay tracked; untrack them (index only) with these commands, or run with --untrack:`);
    for (const c of fix.untrackCommands) lines.push(`  ${c}`);
  }
  lines.push(dim(color, 'Re-checked after the fix:'));
  return lines;
}
