import type { CredentialFile, Severity } from './credential-files.js';
import { isRootLevelSource, describeMatch } from './coverage.js';
import { anchoredPattern } from './gitignore-block.js';
import type { CommitRef, HygieneProblem, IgnoreMatch } from './problem.js';

/**
 * Problems for credential files that exist: in the index (tracked), only in history, or on
 * disk unignored (exposure). Pure: the facts come from git, gathered by `inspect.ts`.
 */

/** A POSIX shell word for `path`, quoted only when it needs to be. */
export function shellQuote(path: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

export function untrackCommand(path: string): string {
  return `git rm --cached -- ${shellQuote(path)}`;
}

function shortSha(sha: string): string {
  return sha.slice(0, 12);
}

function describeCommit(c: CommitRef): string {
  return `${shortSha(c.sha)} (${c.date.slice(0, 10)}, ${c.author})`;
}

/**
 * The root .gitignore line that keeps this file out: for a .env file the general pattern
 * that also covers its siblings; otherwise the file's own anchored path.
 */
export function ignorePatternFor(path: string, kind: CredentialFile): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (kind.kind === 'dotenv') {
    if (name === '.env') return '.env';
    if (name.startsWith('.env.')) return '.env.*';
    if (name.endsWith('.env')) return '*.env';
  }
  return anchoredPattern(path);
}

/** A tracked credential file. `match` is set when an ignore rule covers it: ignored too late. */
export function trackedProblem(path: string, kind: CredentialFile, match: IgnoreMatch | undefined, addedIn: CommitRef | undefined): HygieneProblem {
  const inHistory = addedIn ? ` It is in history since ${describeCommit(addedIn)}: rotate what it holds.` : ' It is staged but not committed yet.';
  const tooLate = match !== undefined && !match.pattern.startsWith('!');
  const ignoreNote = tooLate
    ? ''
    : match
      ? `; ${describeMatch(match)} un-ignores it, delete that line`
      : `, and ignore it (\`keyscan hygiene --fix\` adds \`${ignorePatternFor(path, kind)}\` to .gitignore)`;
  return {
    rule: tooLate ? 'credential-file-ignored-too-late' : 'credential-file-tracked',
    check: 'tracked',
    severity: kind.severity,
    path,
    kind: kind.kind,
    why: tooLate
      ? `${kind.why}. ${describeMatch(match)} ignores it, but it was committed first, and ignore rules do not apply to tracked files.${inHistory}`
      : `${kind.why}; it is tracked, so every push and clone carries it.${inHistory}`,
    fix: `\`${untrackCommand(path)}\` (index only, the file stays on disk; \`keyscan hygiene --untrack\` runs it), then commit${ignoreNote}`,
    commands: [untrackCommand(path)],
    patterns: tooLate || (match && !isRootLevelSource(match.source)) ? undefined : [ignorePatternFor(path, kind)],
    match,
    addedIn,
  };
}

/** A credential file committed once and no longer tracked: still readable in history. */
export function historyProblem(path: string, kind: CredentialFile, addedIn: CommitRef): HygieneProblem {
  return {
    rule: 'credential-file-in-history',
    check: 'history',
    severity: kind.severity,
    path,
    kind: kind.kind,
    why: `${kind.why}. Added in ${describeCommit(addedIn)} and deleted since, it is still readable by anyone with a clone: \`git show ${shortSha(addedIn.sha)}:${shellQuote(path)}\``,
    fix: `rotate every credential it held; then, if the history is not yet shared, remove it with \`git filter-repo --invert-paths --path ${shellQuote(path)}\``,
    commands: [`git filter-repo --invert-paths --path ${shellQuote(path)}`],
    addedIn,
  };
}

/** Exposure is one step short of a leak: one level below the file's own severity. */
function exposureSeverity(s: Severity): Severity {
  return s === 'high' ? 'medium' : 'low';
}

/** An untracked credential file on disk that no ignore rule covers. `match` is a negation, when one un-ignores it. */
export function exposureProblem(path: string, kind: CredentialFile, match: IgnoreMatch | undefined): HygieneProblem {
  const fixable = match === undefined || isRootLevelSource(match.source);
  const pattern = ignorePatternFor(path, kind);
  return {
    rule: 'credential-file-exposed',
    check: 'exposure',
    severity: exposureSeverity(kind.severity),
    path,
    kind: kind.kind,
    why: `${kind.why}; it is neither tracked nor ignored${match ? ` (${describeMatch(match)} un-ignores it)` : ''}, so the next \`git add .\` commits it`,
    fix: fixable
      ? `add \`${pattern}\` to the root .gitignore (\`keyscan hygiene --fix\` does it), or move the file out of the work tree`
      : `delete line ${match!.line} (\`${match!.pattern}\`) from ${match!.source}, or move the file out of the work tree`,
    patterns: fixable ? [pattern] : undefined,
    match,
  };
}

/**
 * What the pre-commit hook says when it refuses a staged credential file (issue 4): what
 * the file is, why it must not be committed, and the two commands that fix it.
 */
export function stagedCredentialFileMessage(path: string, kind: CredentialFile): string {
  return `${path} is a credential file (${kind.kind}): ${kind.why}. Unstage it with \`${untrackCommand(path)}\` (the file stays on disk) and ignore it: add \`${ignorePatternFor(path, kind)}\` to .gitignore, or run \`keyscan hygiene --fix\`.`;
}
