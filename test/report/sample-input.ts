import type { Finding } from '../../src/detect/finding.js';
import type { ReportInput } from '../../src/report/reporter.js';
import { emptyStats } from '../../src/sources/source.js';

/**
 * Fixed, already-redacted findings for the reporter golden files. The values only look
 * like the redacted output of real findings: no rule matches them, and the "hashes" are
 * visibly fake, so the golden files scan clean.
 */
function finding(overrides: Partial<Finding>): Finding {
  return {
    ruleId: 'github-pat',
    description: 'GitHub personal access token (classic)',
    startLine: 3,
    endLine: 3,
    startColumn: 14,
    endColumn: 53,
    match: 'GITHUB_TOKEN=ghp_…',
    secret: 'ghp_…',
    file: 'config/app.env',
    symlinkFile: '',
    commit: '',
    entropy: 5.1234567891,
    author: '',
    email: '',
    date: '',
    message: '',
    tags: ['github', 'token'],
    fingerprint: 'config/app.env:github-pat:3',
    stableFingerprint: 'ks1:github-pat:aaaabbbbccccdddd:config/app.env',
    line: 'GITHUB_TOKEN=ghp_…',
    ...overrides,
  };
}

export const SAMPLE_FINDINGS: Finding[] = [
  finding({}),
  finding({
    startLine: 12, endLine: 12, startColumn: 5, endColumn: 44,
    match: '"token": "ghp_…", "note": "a, b"',
    line: '    "token": "ghp_…", "note": "a, b"',
    file: 'src/dir with space/settings #1.json',
    fingerprint: 'src/dir with space/settings #1.json:github-pat:12',
    stableFingerprint: 'ks1:github-pat:eeeeffff00001111:src/dir with space/settings #1.json',
  }),
  finding({
    ruleId: 'example-private-key',
    description: 'Example private key block <test> & "quotes"',
    startLine: 1, endLine: 4, startColumn: 1, endColumn: 22,
    match: 'KEY BLOCK START\n…\nKEY BLOCK END',
    secret: '…',
    file: 'deploy/id_example',
    symlinkFile: 'deploy/current-key',
    commit: '0123456789abcdef0123456789abcdef01234567',
    author: 'Ada O\'Hara',
    email: 'ada@example.com',
    date: '2024-01-01T12:00:01Z',
    message: 'Add deploy key\tfor "staging" <tmp>',
    tags: ['key', 'example'],
    entropy: 4,
    fingerprint: '0123456789abcdef0123456789abcdef01234567:deploy/id_example:example-private-key:1',
    stableFingerprint: 'ks1:example-private-key:2222333344445555:deploy/id_example',
    line: 'KEY BLOCK START',
  }),
];

export function sampleInput(overrides: Partial<ReportInput> = {}): ReportInput {
  const stats = emptyStats();
  Object.assign(stats, {
    files: 42, bytes: 123_456, lines: 3_210, skippedBinary: 2, skippedLarge: 1,
    skippedAllowlisted: 5, skippedSymlinks: 1, unreadable: 1,
    warnings: ['cannot read secrets/locked.env: EACCES'],
  });
  return {
    findings: SAMPLE_FINDINGS,
    stats,
    suppressed: [{ finding: finding({ startLine: 7, endLine: 7 }), by: 'directive', reason: 'keyscan:allow on line 7' }],
    version: '0.1.0',
    configSources: ['(keyscan default rules)', '.keyscan.toml'],
    disabledRules: ['generic-api-key'],
    rules: [
      { id: 'github-pat', description: 'GitHub personal access token (classic)', tags: ['github', 'token'] },
      { id: 'example-private-key', description: 'Example private key block <test> & "quotes"', tags: ['key', 'example'] },
    ],
    durationMs: 1234,
    scanKind: 'directory scan',
    color: false,
    ...overrides,
  };
}

/** A clean scan: nothing found, nothing skipped. */
export function emptyInput(): ReportInput {
  const stats = emptyStats();
  Object.assign(stats, { files: 3, bytes: 2048, lines: 60 });
  return sampleInput({ findings: [], suppressed: [], stats, disabledRules: [], configSources: ['(keyscan default rules)'] });
}
