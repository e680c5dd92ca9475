import { dirname, extname, resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { UsageError } from '../errors.js';
import type { Config } from '../config/rule.js';
import type { ScanResult } from '../scan.js';
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
export async function emitReport(result: ScanResult, config: Config, target: ReportTarget, args: Args, io: Io, scanKind: string): Promise<number> {
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
    configSources: config.sources,
    disabledRules: config.disabledRules,
    rules: config.rules.map((r) => ({ id: r.id, description: r.description, tags: r.tags })),
    durationMs: result.durationMs,
    scanKind,
    color: target.path === undefined && useColor(io, args.color as boolean | undefined),
  });
  if (target.path) {
    writeFileAtomic(target.path, text);
  }
  if (!target.path && (target.format !== 'text' || !quiet || findings.length > 0)) {
    io.stdout(text);
  }
  // With a machine-readable report, a person still gets the one-line summary on stderr.
  if (!quiet && (target.path || target.format !== 'text')) {
    // The text report carries warnings and notes (shallow clone, empty repository); here they go with the summary.
    for (const w of result.stats.warnings) io.stderr(`warning: ${w}\n`);
    for (const n of result.stats.notes) io.stderr(`note: ${n}\n`);
    io.stderr(`${summaryLine(findings.length, result.stats, suppressed.length, result.durationMs, scanKind, useColor(io, args.color as boolean | undefined, 'stderr'))}\n`);
    if (target.path) io.stderr(`report written to ${target.path}\n`);
  }
  if (args.verbose === true && !quiet) {
    io.stderr(`config: ${config.sources.join(', ')}; ${config.rules.length} rules${config.disabledRules.length ? `, ${config.disabledRules.length} default rules disabled (${config.disabledRules.join(', ')})` : ''}\n`);
  }
  return findings.length > 0 ? Number(args['exit-code'] ?? 1) : 0;
}
