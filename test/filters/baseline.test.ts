import { describe, expect, it } from 'vitest';
import { loadDefaultConfig } from '../../src/config/load.js';
import { scan } from '../../src/scan.js';
import { baselineReason, formatBaseline, parseBaseline } from '../../src/filters/baseline.js';
import { toGitleaksRecord } from '../../src/report/json.js';
import { redactFinding } from '../../src/report/redact.js';
import type { Fragment } from '../../src/sources/fragment.js';
import { fakeGithubToken } from '../helpers/secrets.js';
import { fileFragment, memorySource } from '../helpers/fragments.js';

const A = fakeGithubToken('baseline-a');
const B = fakeGithubToken('baseline-b');
const NEW = fakeGithubToken('baseline-new');

function commit(n: number) {
  return { sha: String(n).repeat(40).slice(0, 40), author: 'Dev', email: 'dev@example.com', date: `2024-01-0${n}T12:00:00Z`, message: `commit ${n}` };
}

async function scanFragments(fragments: Fragment[], baselineText?: string) {
  const baseline = baselineText === undefined ? undefined : parseBaseline(baselineText, '.keyscan-baseline.json');
  return scan(memorySource(fragments), loadDefaultConfig(), { baseline });
}

describe('content-hash baseline', () => {
  const before = [
    fileFragment('config/app.env', `A=${A}\nB=${B}\n`),
    fileFragment('docs/setup.md', `token: ${A}\n`),
  ];

  it('is stable: no lines, no timestamps, sorted, identical bytes for the same findings in any order', async () => {
    const { findings } = await scanFragments(before);
    const text = formatBaseline(findings);
    expect(text).toBe(formatBaseline([...findings].reverse()));
    expect(text).not.toContain(A);
    const doc = JSON.parse(text) as { keyscanBaseline: number; findings: { file: string }[] };
    expect(doc.keyscanBaseline).toBe(1);
    // Only what identifies the secret: no line, commit or timestamp that would churn.
    for (const entry of doc.findings) expect(Object.keys(entry)).toEqual(['ruleId', 'file', 'secretHash']);
    expect(doc.findings.map((f) => f.file)).toEqual(['config/app.env', 'config/app.env', 'docs/setup.md']);
    expect(formatBaseline([])).toBe('{\n  "keyscanBaseline": 1,\n  "findings": []\n}\n');
  });

  it('survives inserted lines, renamed lines and new commits; reports a new secret and a known secret in a new file', async () => {
    const baseline = formatBaseline((await scanFragments(before)).findings);
    const after: Fragment[] = [
      // Lines inserted above, the variable renamed: the same secrets.
      fileFragment('config/app.env', `# header\n\nGITHUB_TOKEN=${B}\n\nOLD_TOKEN=${A}\nN=${NEW}\n`, { commit: commit(2) }),
      fileFragment('docs/setup.md', `intro\n\n    token: ${A}\n`, { commit: commit(3) }),
      // A known secret copied into a new file is a new leak.
      fileFragment('deploy/ci.yml', `GH: ${B}\n`, { commit: commit(3) }),
    ];
    const result = await scanFragments(after, baseline);
    expect(result.findings.map((f) => `${f.file}:${f.startLine}`)).toEqual(['config/app.env:6', 'deploy/ci.yml:1']);
    // The generic rule also sees GITHUB_TOKEN=…/token: …; its twins are suppressed with their github-pat finding.
    const specific = result.suppressed.filter((s) => !s.finding.tags.includes('generic'));
    expect(specific.map((s) => s.by)).toEqual(['baseline', 'baseline', 'baseline']);
    expect(result.suppressed.every((s) => s.by === 'baseline')).toBe(true);
    expect(specific[0]!.reason).toMatch(/^ks1:github-pat:[0-9a-f]{16}:config\/app\.env in baseline \.keyscan-baseline\.json$/);
    expect(result.suppressedCounts.baseline).toBe(result.suppressed.length);
  });

  it('accepts a keyscan JSON report, redacted or not, as a baseline', async () => {
    const { findings } = await scanFragments(before);
    for (const records of [findings.map(toGitleaksRecord), findings.map(redactFinding).map(toGitleaksRecord)]) {
      const baseline = parseBaseline(JSON.stringify(records), 'report.json');
      expect(baseline.size).toBe(3);
      const moved = (await scanFragments([fileFragment('config/app.env', `\n\nX=${A}\n`, { commit: commit(4) })])).findings[0]!;
      expect(baselineReason(moved, baseline)).toMatch(/in baseline report\.json$/);
    }
  });

  it('accepts a gitleaks JSON report: by secret hash when unredacted, by fingerprint when redacted', async () => {
    const gitleaksRecord = (secret: string, line: number, commitSha = '') => ({
      RuleID: 'github-pat', Description: 'GitHub Personal Access Token', StartLine: line, EndLine: line, StartColumn: 3, EndColumn: 42,
      Match: secret, Secret: secret, File: 'config/app.env', SymlinkFile: '', Commit: commitSha, Entropy: 5.1, Author: '', Email: '', Date: '',
      Message: '', Tags: [], Fingerprint: `${commitSha ? `${commitSha}:` : ''}config/app.env:github-pat:${line}`,
    });
    const plain = parseBaseline(JSON.stringify([gitleaksRecord(A, 1)]), 'gitleaks.json');
    const redacted = parseBaseline(JSON.stringify([gitleaksRecord('REDACTED', 1, commit(2).sha)]), 'gitleaks.json');
    const moved = (await scanFragments([fileFragment('config/app.env', `\nA=${A}\n`)])).findings[0]!;
    expect(baselineReason(moved, plain)).toBeDefined();
    expect(baselineReason(moved, redacted)).toBeUndefined();
    const sameCommitLine = (await scanFragments([fileFragment('config/app.env', `A=${A}\n`, { commit: commit(2) })])).findings[0]!;
    expect(baselineReason(sameCommitLine, redacted)).toBe(`gitleaks fingerprint ${commit(2).sha}:config/app.env:github-pat:1 in baseline gitleaks.json`);
  });

  it('rejects files that are no baseline, naming the problem', () => {
    expect(() => parseBaseline('{nope', 'b.json')).toThrow(/not JSON/);
    expect(() => parseBaseline('{"keyscanBaseline": 9, "findings": []}', 'b.json')).toThrow(/format 9/);
    expect(() => parseBaseline('[{"foo": 1}]', 'b.json')).toThrow(/RuleID/);
  });
});
