import type { Finding } from '../detect/finding.js';
import type { Fragment } from '../sources/fragment.js';
import { FragmentDirectives } from './inline-directives.js';
import { ignoreReason, type IgnoreList } from './ignore-file.js';
import { baselineReason, type Baseline } from './baseline.js';
import { dedupe, isGeneric, sameLeak } from './dedupe.js';

export interface FilterOptions {
  /** Turn off every inline directive (audits). */
  ignoreDirectives?: boolean;
  /** Honour gitleaks/betterleaks/detect-secrets/secretlint directives (default true). */
  foreignDirectives?: boolean;
  /** `.keyscanignore`, `.gitleaksignore`…, already parsed. */
  ignoreLists?: readonly IgnoreList[];
  /** --baseline-path, already parsed. */
  baseline?: Baseline;
  /**
   * Keep every allowlisted match with its reason (--explain). Off, allowlisted matches
   * are only counted: the detector builds no reason text on the hot path.
   */
  explainAllowlisted?: boolean;
}

/** What dropped a finding. */
export type SuppressedBy = 'directive' | 'ignore-file' | 'baseline' | 'allowlist';

export const SUPPRESSED_KINDS: readonly SuppressedBy[] = ['directive', 'ignore-file', 'baseline', 'allowlist'];

/** A finding that was dropped, and what dropped it. */
export interface Suppressed {
  finding: Finding;
  by: SuppressedBy;
  /** Human-readable: which directive on which line, which entry of which file… */
  reason: string;
}

export type SuppressedCounts = Record<SuppressedBy, number>;

export function emptyCounts(): SuppressedCounts {
  return { directive: 0, 'ignore-file': 0, baseline: 0, allowlist: 0 };
}

/** Filters that need the fragment's text: inline directives. */
export function applyFragmentFilters(findings: Finding[], fragment: Fragment, options: FilterOptions, suppressed: Suppressed[]): Finding[] {
  if (options.ignoreDirectives) return findings;
  const directives = new FragmentDirectives(fragment, { foreign: options.foreignDirectives !== false });
  return findings.filter((f) => {
    const reason = directives.reasonFor(f);
    if (reason) suppressed.push({ finding: f, by: 'directive', reason });
    return !reason;
  });
}

/**
 * Filters over the whole result, in a fixed order: ignore files → baseline → dedupe.
 * Dedupe also looks at what was suppressed: a generic match of a secret whose specific
 * finding was suppressed is the same leak, suppressed for the same reason (otherwise
 * baselining a github-pat would resurface it as generic-api-key).
 */
export function applyResultFilters(findings: Finding[], options: FilterOptions, suppressed: Suppressed[]): Finding[] {
  let kept = findings;
  const lists = options.ignoreLists ?? [];
  if (lists.some((l) => l.entries.size > 0)) {
    kept = kept.filter((f) => {
      const reason = ignoreReason(f, lists);
      if (reason) suppressed.push({ finding: f, by: 'ignore-file', reason });
      return !reason;
    });
  }
  const baseline = options.baseline;
  if (baseline) {
    kept = kept.filter((f) => {
      const reason = baselineReason(f, baseline);
      if (reason) suppressed.push({ finding: f, by: 'baseline', reason });
      return !reason;
    });
  }
  kept = dedupe(kept);
  const specificSuppressed = suppressed.filter((s) => s.by !== 'allowlist' && !isGeneric(s.finding));
  if (specificSuppressed.length === 0) return kept;
  return kept.filter((f) => {
    if (!isGeneric(f)) return true;
    const twin = specificSuppressed.find((s) => sameLeak(f, s.finding));
    if (twin) suppressed.push({ finding: f, by: twin.by, reason: `same secret as the suppressed ${twin.finding.ruleId} finding: ${twin.reason}` });
    return !twin;
  });
}

/** Counts per kind; `allowlistedUncollected` adds allowlisted matches that were only counted. */
export function countSuppressed(suppressed: readonly Suppressed[], allowlistedUncollected = 0): SuppressedCounts {
  const counts = emptyCounts();
  for (const s of suppressed) counts[s.by]++;
  counts.allowlist += allowlistedUncollected;
  return counts;
}
