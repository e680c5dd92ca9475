import type { Finding } from '../detect/finding.js';
import type { Fragment } from '../sources/fragment.js';
import { inlineDirectiveFor } from './inline-directives.js';
import { dedupe } from './dedupe.js';

export interface FilterOptions {
  /** Turn off every inline directive (audits). */
  ignoreDirectives?: boolean;
}

/** A finding that was dropped, and what dropped it. */
export interface Suppressed {
  finding: Finding;
  by: 'directive' | 'ignore-file' | 'baseline' | 'allowlist';
  /** Human-readable: which directive on which line, which entry… */
  reason: string;
}

/** Filters that need the fragment's text: inline directives. */
export function applyFragmentFilters(findings: Finding[], fragment: Fragment, options: FilterOptions, suppressed: Suppressed[]): Finding[] {
  if (options.ignoreDirectives) return findings;
  return findings.filter((f) => {
    const directive = inlineDirectiveFor(f, fragment);
    if (directive) suppressed.push({ finding: f, by: 'directive', reason: directive });
    return !directive;
  });
}

/** Filters over the whole result, in a fixed order. */
export function applyResultFilters(findings: Finding[], _options: FilterOptions, _suppressed: Suppressed[]): Finding[] {
  return dedupe(findings);
}
