import type { Config } from '../../config/rule.js';
import type { CommitInfo } from '../../sources/fragment.js';
import { GitHistorySource } from '../../sources/git-history.js';
import { scan } from '../../scan.js';
import { keepFirstIntroduction } from '../../filters/first-introduction.js';
import type { Io } from '../io.js';
import type { Args } from '../options.js';
import { emitReport, type ReportTarget } from '../report-output.js';
import { startProgress } from '../progress.js';
import { splitLogOpts } from './log-opts.js';

/** `keyscan detect [path]` inside a repository: every commit reachable from any ref. */
export async function detectHistory(path: string, config: Config, target: ReportTarget, args: Args, io: Io): Promise<number> {
  const maxBytes = Number(args['max-target-megabytes']) * 1024 * 1024;
  const source = new GitHistorySource({ repoPath: path, logOpts: splitLogOpts(args['log-opts'] as string | undefined), maxBytes });
  // Only the commits that produced findings are remembered (for first-introduction ranking).
  const commits = new Map<string, CommitInfo>();
  const progress = await startProgress(args, io, 'scanning history');
  try {
    const result = await scan(source, config, { ignoreDirectives: args['ignore-directives'] === true }, {
      onFragment: progress.update,
      onFindings: (_findings, fragment) => {
        if (fragment.commit) commits.set(fragment.commit.sha, fragment.commit);
      },
    });
    progress.stop();
    result.findings = keepFirstIntroduction(result.findings, (sha) => commits.get(sha));
    result.suppressed = dedupeSuppressed(result.suppressed);
    return await emitReport(result, config, target, args, io, 'history scan');
  } finally {
    progress.stop();
  }
}

/** A suppressed secret counts once too, at its first commit. */
function dedupeSuppressed<T extends { finding: { commit: string; ruleId: string; file: string; secret: string } }>(list: T[]): T[] {
  const seen = new Set<string>();
  return list.filter((s) => {
    const key = `${s.finding.ruleId}\0${s.finding.file}\0${s.finding.secret}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
