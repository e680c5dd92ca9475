import { SEVERITIES } from '../hygiene/credential-files.js';
import type { HygieneReporter } from './hygiene-reporter.js';

/**
 * For CI: the whole result, problems first. Field names are stable; `problems[].rule` is
 * one of the ids in src/hygiene/problem.ts.
 */
export const hygieneJsonReport: HygieneReporter = ({ result, version, fix }) => {
  const summary: Record<string, number> = { problems: result.problems.length };
  for (const s of SEVERITIES) summary[s] = result.problems.filter((p) => p.severity === s).length;
  const report = {
    tool: 'keyscan',
    version,
    command: 'hygiene',
    root: result.root,
    clean: result.problems.length === 0,
    summary,
    problems: result.problems,
    checks: result.checks,
    counts: result.counts,
    probes: result.probes,
    notes: result.notes,
    ...(fix ? { fix } : {}),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
};
