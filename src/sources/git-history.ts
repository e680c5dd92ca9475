import { gitLines, gitQuery, repoRoot, unquoteGitPath } from './git.js';
import type { CommitInfo, Fragment } from './fragment.js';
import type { ScanStats, Source } from './source.js';

export interface GitHistoryOptions {
  /** Any directory inside the repository. */
  repoPath: string;
  /** Extra `git log` arguments selecting commits (e.g. "origin/main..HEAD"); default: every ref. */
  logOpts?: string[];
}

const COMMIT_MARK = '\u001eKEYSCAN-COMMIT\u001f';

/**
 * Every commit's added lines, from `git log -p`. Merge commits are shown as combined
 * diffs (--cc), whose lines added against every parent are exactly a conflict
 * resolution's own content: scanned and attributed to the merge.
 */
export class GitHistorySource implements Source {
  readonly root: string;
  constructor(private readonly options: GitHistoryOptions) {
    this.root = repoRoot(options.repoPath);
  }

  async *fragments(stats: ScanStats): AsyncIterable<Fragment> {
    if (gitQuery(this.root, ['rev-parse', '--verify', '-q', 'HEAD']).status !== 0 && !hasAnyRef(this.root)) {
      stats.notes.push('the repository has no commits yet: nothing to scan');
      return;
    }
    if (gitQuery(this.root, ['rev-parse', '--is-shallow-repository']).stdout.trim() === 'true') {
      stats.notes.push('shallow clone: history before the shallow boundary was not scanned (fetch with --unshallow for a complete scan)');
    }
    const args = [
      '-c', 'core.quotePath=true', 'log', '-p', '-U0', '--cc', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames',
      `--format=${COMMIT_MARK}%H%x1f%an%x1f%ae%x1f%aI%x1f%s`,
      ...(this.options.logOpts && this.options.logOpts.length > 0 ? this.options.logOpts : ['--all']),
    ];
    let commit: CommitInfo | undefined;
    let file: string | undefined;
    let parents = 1;
    let hunk: { start: number; lines: string[]; added: Set<number>; next: number } | undefined;
    const flush = function* (): Iterable<Fragment> {
      if (hunk && file && hunk.lines.length > 0) {
        yield { raw: hunk.lines.join('\n'), filePath: file, startLine: hunk.start, commit, addedLines: hunk.added };
      }
      hunk = undefined;
    };
    for await (const line of gitLines(this.root, args)) {
      if (line.startsWith(COMMIT_MARK)) {
        yield* flush();
        const [sha = '', author = '', email = '', date = '', message = ''] = line.slice(COMMIT_MARK.length).split('\u001f');
        commit = { sha, author, email, date, message };
        file = undefined;
        stats.commits++;
        continue;
      }
      if (line.startsWith('diff --git ') || line.startsWith('diff --cc ') || line.startsWith('diff --combined ')) {
        yield* flush();
        file = undefined;
        parents = line.startsWith('diff --git ') ? 1 : 2;
        continue;
      }
      if (line.startsWith('+++ ')) {
        const target = line.slice(4);
        file = target === '/dev/null' ? undefined : unquoteGitPath(target).replace(/^b\//, '');
        if (file !== undefined) stats.files++;
        continue;
      }
      const hunkHead = /^(@{2,}) (?:-\S+ )+\+(\d+)(?:,(\d+))? @{2,}/.exec(line);
      if (hunkHead) {
        yield* flush();
        parents = hunkHead[1]!.length - 1;
        const start = Number(hunkHead[2]);
        hunk = { start, lines: [], added: new Set(), next: start };
        continue;
      }
      if (!hunk || !file) continue;
      const prefix = line.slice(0, parents);
      if (prefix.length < parents) continue;
      if (prefix.includes('-')) continue; // removed from a parent: not in the new file
      // Added against every parent: new content of this commit.
      if (/^\++$/.test(prefix)) {
        hunk.added.add(hunk.next);
        stats.lines++;
        stats.bytes += line.length - parents + 1;
      }
      hunk.lines.push(line.slice(parents));
      hunk.next++;
    }
    yield* flush();
  }
}

function hasAnyRef(root: string): boolean {
  return gitQuery(root, ['for-each-ref', '--count=1']).stdout.trim() !== '';
}
