import type { FixSummary } from '../hygiene/fix.js';
import type { HygieneResult } from '../hygiene/problem.js';

/** What every `keyscan hygiene` reporter gets. */
export interface HygieneReportInput {
  result: HygieneResult;
  /** keyscan's version, for tool metadata. */
  version: string;
  /** What --fix did before the result was taken (absent without --fix). */
  fix?: FixSummary;
  /** ANSI colour (text only). */
  color: boolean;
  /** List every probe and every passing check (text only). */
  verbose: boolean;
  /** Problems only: no passing lines, nothing at all when clean (text only). */
  quiet: boolean;
}

/** A hygiene reporter is a pure function from the result to the report's text. */
export type HygieneReporter = (input: HygieneReportInput) => string;

export const HYGIENE_REPORT_FORMATS = ['text', 'json', 'sarif'] as const;
export type HygieneReportFormat = (typeof HYGIENE_REPORT_FORMATS)[number];

/** Loads only the reporter asked for. */
export async function loadHygieneReporter(format: HygieneReportFormat): Promise<HygieneReporter> {
  switch (format) {
    case 'text': return (await import('./hygiene-text.js')).hygieneTextReport;
    case 'json': return (await import('./hygiene-json.js')).hygieneJsonReport;
    case 'sarif': return (await import('./hygiene-sarif.js')).hygieneSarifReport;
  }
}
