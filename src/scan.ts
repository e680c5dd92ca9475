import type { Config } from './config/rule.js';
import { Detector, describeAllowlistHit, type AllowlistedHandler } from './detect/detector.js';
import type { Finding } from './detect/finding.js';
import type { Fragment } from './sources/fragment.js';
import { emptyStats, type ScanStats, type Source } from './sources/source.js';
import { applyFragmentFilters, applyResultFilters, countSuppressed, type FilterOptions, type Suppressed, type SuppressedCounts } from './filters/index.js';

export interface ScanResult {
  findings: Finding[];
  /**
   * Findings that were found and then suppressed, with the reason: for --explain.
   * Allowlisted matches are listed only with `explainAllowlisted`; they are always counted.
   */
  suppressed: Suppressed[];
  /** How many findings each kind of suppression dropped. */
  suppressedCounts: SuppressedCounts;
  stats: ScanStats;
  durationMs: number;
}

export interface ScanHooks {
  /** Called after each fragment, for progress display. */
  onFragment?: (fragment: Fragment, stats: ScanStats) => void;
  /** Called with a fragment's findings (before any filter), e.g. to remember the commits they came from. */
  onFindings?: (findings: Finding[], fragment: Fragment) => void;
}

/**
 * Milliseconds since `started` (process.hrtime): the `performance` global would load
 * perf_hooks and eight more internal modules on the pre-commit path.
 */
export function elapsedMs(started: bigint): number {
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * The pipeline in one place: source → detect → per-fragment filters (inline directives,
 * which need the text) → whole-result filters (ignore file, baseline, dedupe).
 */
/** `stats`: the counters to fill, when the source was started before the scan and already writes to them. */
export async function scan(source: Source, config: Config, filterOptions: FilterOptions = {}, hooks: ScanHooks = {}, stats: ScanStats = emptyStats()): Promise<ScanResult> {
  const started = process.hrtime.bigint();
  const detector = new Detector(config, source.manyFragments ? { smallText: 0 } : {});
  const found: Finding[] = [];
  const suppressed: Suppressed[] = [];
  const allowlisted = { count: 0 };
  const onAllowlisted = allowlistHandler(filterOptions, suppressed, allowlisted);
  for await (const fragment of source.fragments(stats)) {
    const raw = detector.detect(fragment, onAllowlisted);
    if (raw.length > 0) hooks.onFindings?.(raw, fragment);
    if (raw.length > 0) found.push(...applyFragmentFilters(raw, fragment, filterOptions, suppressed));
    hooks.onFragment?.(fragment, stats);
  }
  const findings = applyResultFilters(found, filterOptions, suppressed);
  return { findings, suppressed, suppressedCounts: countSuppressed(suppressed, allowlisted.count), stats, durationMs: elapsedMs(started) };
}

/**
 * What to do with each match an allowlist drops: count it, or with --explain keep it with
 * its reason. Counting costs an increment (the detector need not even build the finding);
 * the reason text is built only for --explain.
 */
export function allowlistHandler(filterOptions: FilterOptions, suppressed: Suppressed[], allowlisted: { count: number }): AllowlistedHandler {
  return filterOptions.explainAllowlisted
    ? (finding, hit) => void suppressed.push({ finding, by: 'allowlist', reason: describeAllowlistHit(hit, finding) })
    : allowlisted;
}
