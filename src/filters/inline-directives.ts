import type { Finding } from '../detect/finding.js';
import type { Fragment } from '../sources/fragment.js';

/** `keyscan:allow` (optionally followed by rule ids) on the finding's line. */
const ALLOW = /\b(?:keyscan|gitleaks):allow\b([ \t]+[a-z0-9][a-z0-9._-]*(?:[ \t]*,[ \t]*[a-z0-9][a-z0-9._-]*)*)?/i;

/**
 * Returns why a finding is allowed by an inline directive, or undefined. Kept to the
 * line's own text so it works for every comment syntax.
 */
export function inlineDirectiveFor(f: Finding, _fragment: Fragment): string | undefined {
  const m = ALLOW.exec(f.line);
  if (!m) return undefined;
  const ids = m[1]?.split(/[\s,]+/).filter(Boolean) ?? [];
  if (ids.length > 0 && !ids.includes(f.ruleId)) return undefined;
  return `${m[0].trim()} on line ${f.startLine}`;
}
