import { dirname, extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { describeSystemError, UsageError, UserError } from '../errors.js';
import type { Config } from '../config/rule.js';
import type { ScanResult } from '../scan.js';
import type { Suppressed } from '../filters/index.js';
import { loadReporter, REPORT_FORMATS, type ReportFormat } from '../report/reporter.js';
import { redactFinding } from '../report/redact.js';
import { summaryLine } from '../report/text.js';
import { writeFileAtomic } from '../report/write.js';
import type { Io } from './io.js';
import { useColor } from './io.js';
import type { Args } from './options.js';
import { version } from './version.js';

/** Where the report goes and in what format, checked before scanning so a typo costs nothing. */
export interface ReportTarget {
  format: ReportFormat;
  /** Absolute path, or undefined for stdout. */
  path?: string;
}

const EXTENSIONS: Record<string, ReportFormat> = { '.json': 'json', '.sarif': 'sarif', '.csv': 'csv', '.xml': 'junit', '.txt': 'text' };

export function reportTarget(args: Args, io: Io): ReportTarget {
  const rawPath = args['report-path'] as string | undefined;
  if (rawPath === '') throw new UsageError('--report-path needs a file name', 'name a file, or "-" for stdout');
  const path = rawPath === undefined || rawPath === '-' ? undefined : resolve(io.cwd, rawPath);
  let format = args['report-format'] as ReportFormat | undefined;
  if (format !== undefined && !REPORT_FORMATS.includes(format)) throw new UsageError(`--report-format: unknown format "${String(format)}"`, `use one of ${REPORT_FORMATS.join(', ')}`);
  format ??= path ? (EXTENSIONS[extname(path).toLowerCase()] ?? 'json') : 'text';
  if (path) {
    const dir = dirname(path);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--report-path: directory does not exist: ${dirname(rawPath!)}`, 'create it or choose another path');
    if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`--report-path: ${rawPath} is a directory`, 'name a file');
  }
  return { format, path };
}

/**
 * Write the report and the summary, and return the exit code. Secrets are redacted here,
 * at the boundary, unless --no-redact.
 */
export async function emitReport(result: ScanResult, config: Config, target: ReportTarget, args: Args, io: Io, scanKind: string, extra: { suppressionSources?: string[] } = {}): Promise<number> {
  const redact = args.redact !== false;
  const findings = redact ? result.findings.map(redactFinding) : result.findings;
  const suppressed = redact ? result.suppressed.map((s) => ({ ...s, finding: redactFinding(s.finding) })) : result.suppressed;
  const quiet = args.quiet === true;
  const reporter = await loadReporter(target.format);
  const text = reporter({
    findings,
    stats: result.stats,
    suppressed,
    version: version(),
    // Relative to where keyscan ran, so a report holds no machine-specific absolute path.
    configSources: config.sources.map((s) => displayPath(s, io.cwd)),
    disabledRules: config.disabledRules,
    rules: config.rules.map((r) => ({ id: r.id, description: r.description, tags: r.tags })),
    durationMs: result.durationMs,
    scanKind,
    color: target.path === undefined && useColor(io, args.color as boolean | undefined),
    suppressedCounts: result.suppressedCounts,
    suppressionSources: extra.suppressionSources ?? [],
    configOrigin: config.origin,
    defaultRuleCount: config.defaultRuleCount,
  });
  if (target.path) {
    try {
      writeFileAtomic(target.path, text);
    } catch (err) {
      // The directory was checked before the scan; it can still be read-only, full or gone by now.
      throw new UserError(`--report-path: cannot write ${String(args['report-path'])}: ${describeSystemError(err)}`, 'choose a writable location');
    }
  }
  if (!target.path && (target.format !== 'text' || !quiet || findings.length > 0)) {
    io.stdout(text);
  }
  // With a machine-readable report, a person still gets the one-line summary on stderr.
  if (!quiet && (target.path || target.format !== 'text')) {
    // The text report carries warnings and notes (shallow clone, empty repository); here they go with the summary.
    for (const w of result.stats.warnings) io.stderr(`warning: ${w}\n`);
    for (const n of result.stats.notes) io.stderr(`note: ${n}\n`);
    io.stderr(`${summaryLine(findings.length, result.stats, result.suppressedCounts ?? suppressed.length, result.durationMs, scanKind, useColor(io, args.color as boolean | undefined, 'stderr'))}\n`);
    if (target.path) io.stderr(`report written to ${target.path}\n`);
  }
  if (args.explain === true) io.stderr(explainText(suppressed));
  if (args.verbose === true && !quiet) io.stderr(configText(config, extra.suppressionSources ?? []));
  return findings.length > 0 ? Number(args['exit-code'] ?? 1) : 0;
}

/** A path under `cwd` as a relative `/` path; anything else unchanged. */
function displayPath(p: string, cwd: string): string {
  if (!isAbsolute(p)) return p;
  const rel = relative(cwd, p);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : p;
}

/**
 * --explain: every suppressed finding and the exact reason, on stderr so the report on
 * stdout stays machine-readable. Secrets are already redacted here.
 */
export function explainText(suppressed: readonly Suppressed[]): string {
  if (suppressed.length === 0) return 'explain: nothing was suppressed\n';
  const order: Record<string, number> = { directive: 0, 'ignore-file': 1, baseline: 2, allowlist: 3 };
  // A total order: a history scan's readers find suppressed matches in any order, and the
  // explanation must read the same from one run to the next.
  const sorted = [...suppressed].sort((a, b) => {
    const x = a.finding;
    const y = b.finding;
    return (order[a.by] ?? 9) - (order[b.by] ?? 9) || x.file.localeCompare(y.file) || x.startLine - y.startLine || x.startColumn - y.startColumn
      || x.ruleId.localeCompare(y.ruleId) || x.commit.localeCompare(y.commit) || a.reason.localeCompare(b.reason);
  });
  const lines = sorted.map((s) => {
    const f = s.finding;
    const where = `${f.file}:${f.startLine}${f.commit ? ` @ ${f.commit.slice(0, 12)}` : ''}`;
    return `  ${s.by.padEnd(11)} ${f.ruleId} at ${where} (${f.stableFingerprint}): ${s.reason}`;
  });
  return `explain: ${suppressed.length} suppressed finding${suppressed.length === 1 ? '' : 's'}\n${lines.join('\n')}\n`;
}

/** --verbose: the config actually used and what it switched off, so CI logs show a rule disabled by a pull request. */
export function configText(config: Config, suppressionSources: readonly string[]): string {
  const lines = [`config: ${config.origin ?? 'default rules'}: ${config.sources.join(' + ')}; ${config.rules.length} rules active`];
  if (config.defaultRuleCount !== undefined) {
    lines.push(`config: ${config.disabledRules.length} of ${config.defaultRuleCount} default rules disabled${config.disabledRules.length ? `: ${config.disabledRules.join(', ')}` : ''}`);
  }
  if (config.allowlists.length) lines.push(`config: ${config.allowlists.length} global allowlist${config.allowlists.length === 1 ? '' : 's'}`);
  for (const s of suppressionSources) lines.push(`suppression: ${s}`);
  return `${lines.join('\n')}\n`;
}
