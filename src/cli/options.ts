import type { Options } from 'yargs';
import { REPORT_FORMATS } from '../report/reporter.js';

/**
 * Every flag, declared once. Commands pick the ones they use by name, so a flag means
 * the same thing and has the same default everywhere.
 */
export const OPTIONS = {
  config: { alias: 'c', type: 'string', requiresArg: true, describe: 'config file (TOML): own rules and allowlists; [extend] useDefault = true keeps the defaults (default: KEYSCAN_CONFIG, else .keyscan.toml or .gitleaks.toml in the scanned directory)' },
  verbose: { alias: 'v', type: 'boolean', default: false, describe: 'say more: config used, per-file details' },
  quiet: { alias: 'q', type: 'boolean', default: false, describe: 'print nothing but findings and errors' },
  color: { type: 'boolean', describe: 'colour output (--no-color or NO_COLOR turns it off)' },
  progress: { type: 'boolean', default: true, describe: 'spinner/progress on stderr when it is a terminal (--no-progress turns it off)' },
  'report-format': { alias: 'f', type: 'string', choices: REPORT_FORMATS, describe: 'report format (default: text, or from --report-path\'s extension)' },
  'report-path': { alias: 'r', type: 'string', requiresArg: true, describe: 'write the report to FILE (atomically); "-" = stdout' },
  redact: { type: 'boolean', default: true, describe: 'mask secrets in every output (--no-redact shows them)' },
  'exit-code': { type: 'number', default: 1, describe: 'exit code when leaks are found' },
  'max-target-megabytes': { type: 'number', default: 10, describe: 'skip files larger than this' },
  git: { type: 'boolean', default: true, describe: 'scan git history (--no-git scans the files on disk instead)' },
  'log-opts': { type: 'string', requiresArg: true, describe: 'git log options selecting the commits, e.g. "origin/main..HEAD"' },
  staged: { type: 'boolean', default: false, describe: 'scan what is staged for the next commit' },
  'hook-runner': { type: 'string', choices: ['husky', 'git'], describe: 'how the pre-commit hook is installed (default: husky in an npm project, else a plain git hook)' },
  'ignore-directives': { type: 'boolean', default: false, describe: 'ignore every inline directive (keyscan:allow, gitleaks:allow…): for audits' },
  'foreign-directives': { type: 'boolean', default: true, describe: 'honour gitleaks:allow, betterleaks:allow, pragma: allowlist secret and secretlint-disable directives (--no-foreign-directives turns them off)' },
  'baseline-path': { alias: 'b', type: 'string', describe: 'report only findings not in this baseline (from `keyscan baseline`, or a keyscan or gitleaks JSON report)' },
  'ignore-path': { alias: 'i', type: 'string', describe: 'ignore file to read (detect) or append to (ignore); .keyscanignore and .gitleaksignore in the scanned directory are always read' },
  explain: { type: 'boolean', default: false, describe: 'list each suppressed finding and the exact reason (directive, ignore entry, baseline entry, allowlist)' },
  output: { alias: 'o', type: 'string', default: '.keyscan-baseline.json', describe: 'baseline file to write ("-" = stdout)' },
  threads: { type: 'number', describe: 'threads for --no-git directory scans, git readers for history scans (default: one per CPU core, up to 4; 1 = no worker threads, one git reader)' },
  rotate: { type: 'boolean', default: false, describe: 'after the scan, confirm committed findings and ask the rotation service to revoke them (as `keyscan rotate`)' },
  yes: { type: 'boolean', default: false, describe: 'rotation: confirm without a prompt what --finding, --rule or --all name (CI)' },
  finding: { type: 'string', array: true, describe: 'rotation: a finding to rotate, by fingerprint (stable, gitleaks or sha256:); repeatable' },
  rule: { type: 'string', array: true, describe: 'rotation: rotate every committed finding of this rule id; repeatable' },
  all: { type: 'boolean', default: false, describe: 'rotation: rotate every committed finding' },
  'dry-run': { type: 'boolean', default: false, describe: 'rotation: print the signed requests (API key masked) instead of sending them' },
  'retry-pending': { type: 'boolean', default: false, describe: 'rotation: resend the calls a previous run left pending, then stop' },
  fix: { type: 'boolean', default: false, describe: 'hygiene: add the missing patterns to the root .gitignore (one marked block), then re-check' },
  untrack: { type: 'boolean', default: false, describe: 'hygiene: --fix, and also `git rm --cached` tracked credential files (index only; the files stay on disk)' },
  history: { type: 'boolean', default: true, describe: 'hygiene: check every ref\'s history for deleted credential files (--no-history skips it)' },
  test: { type: 'boolean', default: false, describe: 'run every rule\'s own samples (positives must be found, negatives not); exit 1 on a failure' },
} as const satisfies Record<string, Options>;

export type OptionName = keyof typeof OPTIONS;

export function pick<K extends OptionName>(...names: K[]): Pick<typeof OPTIONS, K> {
  const out = {} as Pick<typeof OPTIONS, K>;
  for (const n of names) out[n] = OPTIONS[n];
  return out;
}

/** Options shared by every command that scans and reports. */
export const SCAN_OPTIONS = [
  'config', 'verbose', 'quiet', 'color', 'progress', 'report-format', 'report-path', 'redact',
  'exit-code', 'max-target-megabytes', 'ignore-directives',
  'foreign-directives', 'baseline-path', 'ignore-path', 'explain',
] as const satisfies readonly OptionName[];

/** Options of the rotation flow (`keyscan rotate`, `detect --rotate`). */
export const ROTATE_OPTIONS = ['yes', 'finding', 'rule', 'all', 'dry-run'] as const satisfies readonly OptionName[];

/** Parsed arguments as commands see them. */
export interface Args {
  _: (string | number)[];
  [key: string]: unknown;
}
