import type { Severity } from '../hygiene/credential-files.js';
import { isRootLevelSource } from '../hygiene/coverage.js';
import { PROBLEM_RULES, type HygieneProblem, type ProblemRule } from '../hygiene/problem.js';
import type { HygieneReporter } from './hygiene-reporter.js';
import { INFORMATION_URI, SARIF_SCHEMA, toUri } from './sarif.js';

/**
 * SARIF 2.1.0, minimal but valid (docs.oasis-open.org/sarif/sarif/v2.1.0): one run, the six
 * hygiene rules, one result per problem located at the file to change.
 */

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { high: 'error', medium: 'warning', low: 'note' };

const DEFAULT_LEVEL: Record<ProblemRule, 'error' | 'warning' | 'note'> = {
  'env-not-ignored': 'warning',
  'template-ignored': 'note',
  'credential-file-tracked': 'error',
  'credential-file-ignored-too-late': 'error',
  'credential-file-in-history': 'error',
  'credential-file-exposed': 'warning',
};

const RULE_IDS = Object.keys(PROBLEM_RULES) as ProblemRule[];

/** The file a reader should open: .gitignore for coverage (where the fix goes), else the file itself. */
function locationOf(p: HygieneProblem): string {
  if (p.check !== 'coverage') return p.path;
  if (p.match && !isRootLevelSource(p.match.source)) return p.match.source;
  return '.gitignore';
}

export const hygieneSarifReport: HygieneReporter = ({ result, version }) => {
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'keyscan',
            version,
            informationUri: INFORMATION_URI,
            rules: RULE_IDS.map((id) => ({
              id,
              shortDescription: { text: PROBLEM_RULES[id].title },
              help: { text: PROBLEM_RULES[id].help },
              defaultConfiguration: { level: DEFAULT_LEVEL[id] },
              properties: { tags: ['security', 'hygiene', PROBLEM_RULES[id].check] },
            })),
          },
        },
        results: result.problems.map((p) => ({
          ruleId: p.rule,
          ruleIndex: RULE_IDS.indexOf(p.rule),
          level: LEVEL[p.severity],
          message: { text: `${p.path}: ${p.why.replace(/\.$/, '')}. Fix: ${p.fix}` },
          locations: [{ physicalLocation: { artifactLocation: { uri: toUri(locationOf(p)), uriBaseId: '%SRCROOT%' } } }],
          properties: { severity: p.severity, path: p.path, ...(p.kind ? { kind: p.kind } : {}), ...(p.addedIn ? { addedIn: p.addedIn.sha } : {}) },
        })),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
