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
import type { ScanSetup } from '../scan-setup.js';

/** `keyscan detect [path]` inside a repository: every commit reachable from any ref. */
export async function detectHistory(path: string, config: Config, target: ReportTarget, args: Args, io: Io, setup?: ScanSetup): Promise<number> {
  // --rotate: flags and rotation settings are checked before the scan.
  const rotation = args.rotate === true ? await (await import('./rotate.js')).prepareRotation(path, args, io) : undefined;
  const maxBytes = Number(args['max-target-megabytes']) * 1024 * 1024;
  const source = new GitHistorySource({ repoPath: path, logOpts: splitLogOpts(args['log-opts'] as string | undefined), maxBytes });
  // Only the commits that produced findings are remembered (for first-introduction ranking).
  const commits = new Map<string, CommitInfo>();
  const progress = await startProgress(args, io, 'scanning history');
  try {
    const result = await scan(source, config, setup?.filterOptions ?? { ignoreDirectives: args['ignore-directives'] === true }, {
      onFragment: progress.update,
      onFindings: (_findings, fragment) => {
        if (fragment.commit) commits.set(fragment.commit.sha, fragment.commit);
      },
    });
    progress.stop();
    result.findings = keepFirstIntroduction(result.findings, (sha) => commits.get(sha));
    const code = await emitReport(result, config, target, args, io, 'history scan', { suppressionSources: setup?.suppressionSources });
    return rotation ? await rotation.run(result.findings, code) : code;
  } finally {
    progress.stop();
  }
}
