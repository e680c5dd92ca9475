import { credentialFileKind } from '../../src/hygiene/credential-files.js';
import { coverageProbes, coverageProblems } from '../../src/hygiene/coverage.js';
import { exposureProblem, historyProblem, trackedProblem } from '../../src/hygiene/credential-problems.js';
import type { FixSummary } from '../../src/hygiene/fix.js';
import { sortProblems, type HygieneResult, type ProbeResult } from '../../src/hygiene/problem.js';
import type { HygieneReportInput } from '../../src/report/hygiene-reporter.js';

/**
 * A fixed hygiene result built with the real (pure) problem builders: a root .gitignore with
 * `.env` only, a nested negation, a tracked key, a deleted key in history, an exposed .env.
 */
export function hygieneSample(): HygieneResult {
  const probes = coverageProbes(['web']);
  const results: ProbeResult[] = probes.map((p) => {
    const name = p.path.slice(p.path.lastIndexOf('/') + 1);
    if (p.path === 'web/.env.local') return { path: p.path, expect: p.expect, ignored: false, match: { source: 'web/.gitignore', line: 1, pattern: '!.env.local' } };
    if (name === '.env') return { path: p.path, expect: p.expect, ignored: true, match: { source: '.gitignore', line: 2, pattern: '.env' } };
    return { path: p.path, expect: p.expect, ignored: false };
  });
  const commit = { sha: '0123456789abcdef0123456789abcdef01234567', date: '2024-01-01T12:00:01Z', author: 'Test Author' };
  const problems = [
    ...coverageProblems(probes, results),
    trackedProblem('deploy/server.pem', credentialFileKind('deploy/server.pem')!, undefined, commit),
    trackedProblem('.env.production', credentialFileKind('.env.production')!, { source: '.gitignore', line: 3, pattern: '.env.*' }, commit),
    historyProblem('old/id_rsa', credentialFileKind('old/id_rsa')!, commit),
    exposureProblem('web/.env.local', credentialFileKind('web/.env.local')!, { source: 'web/.gitignore', line: 1, pattern: '!.env.local' }),
    exposureProblem('infra/terraform.tfstate', credentialFileKind('infra/terraform.tfstate')!, undefined),
  ];
  return {
    root: '/repo',
    problems: sortProblems(problems),
    probes: results,
    checks: ['coverage', 'tracked', 'history', 'exposure'],
    counts: { tracked: 42, untracked: 3, commits: 7 },
    notes: [],
  };
}

export function hygieneCleanSample(): HygieneResult {
  const probes = coverageProbes([]);
  return {
    root: '/repo',
    problems: [],
    probes: probes.map((p) => ({ path: p.path, expect: p.expect, ignored: p.expect === 'ignored', ...(p.expect === 'ignored' ? { match: { source: '.gitignore', line: 1, pattern: p.pattern } } : {}) })),
    checks: ['coverage', 'tracked', 'history', 'exposure'],
    counts: { tracked: 42, untracked: 3, commits: 7 },
    notes: [],
  };
}

export const FIX_SAMPLE: FixSummary = {
  gitignore: '/repo/.gitignore',
  created: false,
  added: ['.env.*', '*.env', '/deploy/server.pem', '!.env.example'],
  untrackCommands: ['git rm --cached -- deploy/server.pem'],
  untracked: [],
};

export function hygieneInput(result: HygieneResult, extra: Partial<HygieneReportInput> = {}): HygieneReportInput {
  return { result, version: '0.0.0-test', color: false, verbose: false, quiet: false, ...extra };
}
