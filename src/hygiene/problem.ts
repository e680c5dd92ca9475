import type { Severity } from './credential-files.js';

/** The checks `keyscan hygiene` runs, in the order the report shows them. */
export const CHECKS = ['coverage', 'tracked', 'history', 'exposure'] as const;
export type Check = (typeof CHECKS)[number];

/** What each check looks at, as the checklist headings say it. */
export const CHECK_TITLES: Record<Check, string> = {
  coverage: 'Coverage: .env files ignored, templates not',
  tracked: 'Tracked credential files',
  history: 'Credential files in history',
  exposure: 'Exposure: credential files on disk, neither tracked nor ignored',
};

/** Kinds of problem. Ids are stable: SARIF rules, JSON consumers and docs use them. */
export const PROBLEM_RULES = {
  'env-not-ignored': { check: 'coverage', title: 'A .env variant is not ignored', help: 'Ignore every .env variant (.env, .env.*, *.env) in the root .gitignore; `keyscan hygiene --fix` adds the missing patterns.' },
  'template-ignored': { check: 'coverage', title: 'A .env template is ignored', help: 'Templates (.env.example, .env.sample, .env.template, .env.dist, .env.defaults) hold placeholders and are meant to be committed: un-ignore them with `!` patterns.' },
  'credential-file-tracked': { check: 'tracked', title: 'A credential file is tracked', help: 'Remove it from the index with `git rm --cached`, ignore it, and rotate the credentials it holds: they are in the history.' },
  'credential-file-ignored-too-late': { check: 'tracked', title: 'A credential file was ignored after it was committed', help: 'An ignore pattern matches it, but ignore rules do not apply to tracked files: `git rm --cached` it and rotate what it holds.' },
  'credential-file-in-history': { check: 'history', title: 'A deleted credential file is still in history', help: 'Anyone with a clone can read it: rotate the credentials it held; rewriting history (git filter-repo) only helps before others fetch.' },
  'credential-file-exposed': { check: 'exposure', title: 'A credential file on disk is not ignored', help: 'It is one `git add .` away from being committed: ignore it (`keyscan hygiene --fix`) or move it out of the work tree.' },
} as const satisfies Record<string, { check: Check; title: string; help: string }>;

export type ProblemRule = keyof typeof PROBLEM_RULES;

/** Where an ignore decision came from, as `git check-ignore -v` reports it. */
export interface IgnoreMatch {
  /** The file holding the pattern, relative to the repository root, or absolute (global excludes). */
  source: string;
  line: number;
  pattern: string;
}

/** The commit that added a file. */
export interface CommitRef {
  sha: string;
  date: string;
  author: string;
}

/** One problem: what, where, why it matters and how to fix it. */
export interface HygieneProblem {
  rule: ProblemRule;
  check: Check;
  severity: Severity;
  /** Repository-relative path, `/`-separated (for coverage: the probe path, e.g. `.env.production`). */
  path: string;
  /** Coverage: every probe path with the same cause, `path` first. */
  paths?: string[];
  /** Credential-file kind (`dotenv`, `private-key`…), when the path is one. */
  kind?: string;
  why: string;
  /** The exact fix, in words (commands in backticks). */
  fix: string;
  /** Shell commands that fix it, ready to paste. */
  commands?: string[];
  /** Patterns `--fix` adds to the root .gitignore for it (absent when --fix cannot help). */
  patterns?: string[];
  /** The ignore rule that matched (or, with `!`, un-ignored) the path. */
  match?: IgnoreMatch;
  /** The commit that added the file (history, tracked). */
  addedIn?: CommitRef;
}

/** One coverage probe and git's answer, kept so the checklist can show what passed. */
export interface ProbeResult {
  path: string;
  /** Must be ignored (a .env variant) or must not (a template). */
  expect: 'ignored' | 'not-ignored';
  ignored: boolean;
  match?: IgnoreMatch;
}

/** Everything one hygiene run found. */
export interface HygieneResult {
  /** Absolute path of the work tree's top level. */
  root: string;
  problems: HygieneProblem[];
  probes: ProbeResult[];
  /** Which checks ran (history can be skipped with --no-history). */
  checks: Check[];
  /** Counters: files looked at per check. */
  counts: { tracked: number; untracked: number; commits: number };
  /** Notes on completeness (shallow clone, no commits yet). */
  notes: string[];
}

/** Severity order for sorting: high first. */
export function severityRank(s: Severity): number {
  return s === 'high' ? 0 : s === 'medium' ? 1 : 2;
}

/** Problems in report order: by check, then severity, then path. */
export function sortProblems(problems: HygieneProblem[]): HygieneProblem[] {
  return [...problems].sort((a, b) =>
    CHECKS.indexOf(a.check) - CHECKS.indexOf(b.check)
    || severityRank(a.severity) - severityRank(b.severity)
    || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
    || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}
