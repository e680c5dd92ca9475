import type * as Sarif from 'sarif';
import type { Finding } from '../detect/finding.js';
import type { Reporter, ReportInput } from './reporter.js';

/**
 * SARIF 2.1.0, the subset GitHub code scanning reads
 * (docs.github.com/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning),
 * valid against the OASIS schema (checked by test/report/sarif.test.ts).
 */
export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const INFORMATION_URI = 'https://www.npmjs.com/package/keyscan';

/**
 * GitHub shows alerts with a `security-severity` of 9.0 or more as "critical": a
 * credential in a repository is usable by anyone who can read it.
 */
const SECURITY_SEVERITY = '9.0';

const HELP_TEXT = [
  'A credential was found in the scanned files. Treat it as leaked:',
  '1. Revoke or rotate it with its provider (it may already have been copied).',
  '2. Remove it from the code and load it from the environment or a secret store instead.',
  '3. If it was committed, it stays in git history: rotating it is what makes it harmless.',
  'For a false positive, add "keyscan:allow" on the line, or the finding\'s fingerprint to .keyscanignore.',
].join('\n');

const HELP_MARKDOWN = [
  'A credential was found in the scanned files. Treat it as leaked:',
  '',
  '1. **Revoke or rotate it** with its provider (it may already have been copied).',
  '2. Remove it from the code and load it from the environment or a secret store instead.',
  '3. If it was committed, it stays in git history: rotating it is what makes it harmless.',
  '',
  'For a false positive, add `keyscan:allow` on the line, or the finding\'s fingerprint to `.keyscanignore`.',
].join('\n');

export const sarifReport: Reporter = (input) => `${JSON.stringify(toSarif(input), null, 2)}\n`;

export function toSarif(input: ReportInput): Sarif.Log {
  const { findings, stats } = input;
  const rules = input.rules.map(toRule);
  const index = new Map(input.rules.map((r, i) => [r.id, i]));
  // A finding's rule is always among the active rules; keep the report whole if not.
  for (const f of findings) {
    if (!index.has(f.ruleId)) {
      index.set(f.ruleId, rules.length);
      rules.push(toRule({ id: f.ruleId, description: f.description, tags: f.tags }));
    }
  }
  const notifications: Sarif.Notification[] = [
    ...stats.warnings.map((text): Sarif.Notification => ({ level: 'warning', message: { text } })),
    ...stats.notes.map((text): Sarif.Notification => ({ level: 'note', message: { text } })),
  ];
  const invocation: Sarif.Invocation = { executionSuccessful: true };
  if (notifications.length > 0) invocation.toolExecutionNotifications = notifications;
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'keyscan',
            version: input.version,
            semanticVersion: input.version,
            informationUri: INFORMATION_URI,
            rules,
          },
        },
        invocations: [invocation],
        // JavaScript strings count UTF-16 code units, and so do our columns.
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => toResult(f, index.get(f.ruleId)!)),
        properties: {
          scanKind: input.scanKind,
          // Recorded so that CI can see when a repository's config switched a rule off.
          configSources: input.configSources,
          disabledRules: input.disabledRules,
          ...(input.configOrigin !== undefined ? { configOrigin: input.configOrigin } : {}),
          ...(input.defaultRuleCount !== undefined ? { defaultRuleCount: input.defaultRuleCount } : {}),
          ...(input.suppressionSources?.length ? { suppressionSources: input.suppressionSources } : {}),
          ...(input.suppressedCounts ? { suppressedBy: input.suppressedCounts } : {}),
          partial: stats.unreadable > 0,
          stats: {
            files: stats.files,
            bytes: stats.bytes,
            commits: stats.commits,
            skippedBinary: stats.skippedBinary,
            skippedLarge: stats.skippedLarge,
            skippedAllowlisted: stats.skippedAllowlisted,
            skippedSymlinks: stats.skippedSymlinks,
            unreadable: stats.unreadable,
            suppressed: input.suppressed.length,
          },
        },
      },
    ],
  };
}

function toRule(r: ReportInput['rules'][number]): Sarif.ReportingDescriptor {
  return {
    id: r.id,
    name: ruleName(r.id),
    shortDescription: { text: r.description },
    fullDescription: { text: `${r.description}: a credential of this kind was found in the code.` },
    help: { text: HELP_TEXT, markdown: HELP_MARKDOWN },
    defaultConfiguration: { level: 'error' },
    properties: {
      // "security" makes GitHub file it as a security alert and read security-severity.
      tags: [...new Set(['security', 'secret', ...r.tags])],
      'security-severity': SECURITY_SEVERITY,
      'problem.severity': 'error',
    },
  };
}

/** `github-pat` → `GithubPat`: SARIF wants a name that is an identifier, distinct from the id. */
function ruleName(id: string): string {
  return id.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function toResult(f: Finding, ruleIndex: number): Sarif.Result {
  const where = f.commit ? `${f.file} at commit ${f.commit}` : f.file;
  const region: Sarif.Region = {
    startLine: f.startLine,
    startColumn: f.startColumn,
    endLine: f.endLine,
    // Finding columns are inclusive (as in gitleaks); SARIF's endColumn is the one after the region.
    endColumn: f.endColumn + 1,
  };
  // Findings arrive redacted unless --no-redact: the snippet shows what the other formats show.
  if (f.match !== '') region.snippet = { text: f.match };
  const partialFingerprints: Record<string, string> = {
    // Survives line moves and later commits: GitHub keeps one alert for one leaked secret in one file.
    'keyscan/stable/v1': f.stableFingerprint,
  };
  if (f.commit) {
    // The same secret committed again elsewhere in history is a separate event worth its own alert.
    partialFingerprints['keyscan/commit/v1'] = `${f.commit}:${f.stableFingerprint}`;
    // gitleaks puts the commit here; tools that read gitleaks' SARIF find it in the same place.
    partialFingerprints.commitSha = f.commit;
  }
  const result: Sarif.Result = {
    ruleId: f.ruleId,
    ruleIndex,
    level: 'error',
    message: { text: `${f.description} (${f.ruleId}) found in ${where}, line ${f.startLine}.` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(f.file), uriBaseId: '%SRCROOT%' },
          region,
        },
      },
    ],
    partialFingerprints,
  };
  // gitleaks' fingerprint holds the line number, so it is no identity across runs: a property, not a fingerprint.
  const properties: Record<string, unknown> = { tags: f.tags, entropy: Math.round(f.entropy * 1e6) / 1e6, gitleaksFingerprint: f.fingerprint };
  if (f.symlinkFile) properties.symlinkFile = f.symlinkFile;
  if (f.commit) Object.assign(properties, { commit: f.commit, author: f.author, email: f.email, date: f.date, commitMessage: f.message });
  if (f.decoded !== undefined) properties.decoded = true;
  result.properties = properties;
  return result;
}

/**
 * A relative path as a URI reference (SARIF §3.10.2): each segment percent-encoded, so a
 * space, `#`, `?` or `%` in a file name cannot change what the URI points at.
 */
export function toUri(path: string): string {
  return path.split('/').map((s) => encodeURIComponent(s)).join('/');
}
