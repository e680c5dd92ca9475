import { lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TargetError, describeSystemError } from '../errors.js';
import { writeFileAtomic } from '../report/write.js';
import { withTemplateExceptions } from './coverage.js';
import { planGitignore } from './gitignore-block.js';
import { untrack } from './git.js';
import type { HygieneProblem } from './problem.js';

/** What `--fix` did, for the report. */
export interface FixSummary {
  /** Absolute path of the root .gitignore. */
  gitignore: string;
  created: boolean;
  /** Patterns added to the keyscan block (empty: the file was left untouched). */
  added: string[];
  /** `git rm --cached` commands for tracked credential files (run with --untrack). */
  untrackCommands: string[];
  /** Paths removed from the index by --untrack. */
  untracked: string[];
}

/** Problems whose file is tracked: `git rm --cached` is their fix. */
export function trackedPaths(problems: HygieneProblem[]): string[] {
  return problems.filter((p) => p.check === 'tracked').map((p) => p.path);
}

/**
 * The one writer of `keyscan hygiene`: adds the missing patterns to the keyscan block of
 * the root .gitignore (creating block or file), atomically, and, with `untrackFiles`, removes
 * tracked credential files from the index. Touches nothing else: no other file, no work-tree
 * file, no line of .gitignore outside the block.
 */
export function applyFix(root: string, problems: HygieneProblem[], untrackFiles: boolean): FixSummary {
  const path = join(root, '.gitignore');
  const existing = readGitignore(path);
  const plan = planGitignore(existing, withTemplateExceptions(problems.flatMap((p) => p.patterns ?? [])));
  if (plan.changed) writeFileAtomic(path, plan.content);
  const tracked = trackedPaths(problems);
  const summary: FixSummary = {
    gitignore: path,
    created: plan.created,
    added: plan.added,
    untrackCommands: problems.filter((p) => p.check === 'tracked').flatMap((p) => p.commands ?? []),
    untracked: [],
  };
  if (untrackFiles && tracked.length > 0) {
    untrack(root, tracked);
    summary.untracked = tracked;
  }
  return summary;
}

/** The root .gitignore's bytes, or undefined when absent. A symlink or unreadable file stops the fix. */
function readGitignore(path: string): Buffer | undefined {
  let st;
  try {
    st = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new TargetError(`cannot read .gitignore: ${describeSystemError(err)}`, 'fix its permissions, then run --fix again');
  }
  // Git does not follow an in-tree .gitignore symlink (git 2.32 release notes); writing
  // through it would edit a file outside the repository, replacing it would edit the link.
  if (st.isSymbolicLink()) throw new TargetError(`${path} is a symbolic link, which git does not read and --fix will not replace`, 'make it a regular file, then run --fix again');
  if (!st.isFile()) throw new TargetError(`${path} is not a regular file`, 'remove or rename it, then run --fix again');
  try {
    return readFileSync(path);
  } catch (err) {
    throw new TargetError(`cannot read .gitignore: ${describeSystemError(err)}`, 'fix its permissions, then run --fix again');
  }
}
