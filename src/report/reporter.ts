import type { Finding } from '../detect/finding.js';
import type { ScanStats } from '../sources/source.js';
import type { Suppressed, SuppressedCounts } from '../filters/index.js';

/** What every reporter gets. Findings arrive already redacted unless --no-redact. */
export interface ReportInput {
  findings: Finding[];
  stats: ScanStats;
  suppressed: Suppressed[];
  /** keyscan's version, for tool metadata. */
  version: string;
  /** The config files used, and default rules disabled: recorded so CI can see a rule switched off. */
  configSources: string[];
  disabledRules: string[];
  /** All rules that were active (SARIF lists them). */
  rules: { id: string; description: string; tags: string[] }[];
  /** Scan duration in milliseconds. */
  durationMs: number;
  /** What was scanned: "directory", "git history", "staged changes". */
  scanKind: string;
  /** Whether to use ANSI colour (text only). */
  color: boolean;
  /**
   * How many findings each suppression dropped: directive, ignore-file, baseline, allowlist.
   * `suppressed` lists allowlisted matches only with --explain; these counts always hold them.
   * Reporters with run metadata (SARIF run properties) should record it.
   */
  suppressedCounts?: SuppressedCounts;
  /** Ignore files and baseline that were read, e.g. "ignore file .keyscanignore (3 entries)". */
  suppressionSources?: string[];
  /** Why that config: "--config", "KEYSCAN_CONFIG", ".keyscan.toml", ".gitleaks.toml", "default rules". */
  configOrigin?: string;
  /** How many rules keyscan ships (with `disabledRules`: "2 of 40 default rules disabled"). */
  defaultRuleCount?: number;
}

/** A reporter is a pure function from results to the report's text. */
export type Reporter = (input: ReportInput) => string;

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'csv', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Loads only the reporter asked for. */
export async function loadReporter(format: ReportFormat): Promise<Reporter> {
  switch (format) {
    case 'text': return (await import('./text.js')).textReport;
    case 'json': return (await import('./json.js')).jsonReport;
    case 'sarif': return (await import('./sarif.js')).sarifReport;
    case 'csv': return (await import('./csv.js')).csvReport;
    case 'junit': return (await import('./junit.js')).junitReport;
  }
}
