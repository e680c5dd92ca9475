import type { Config } from '../../config/rule.js';
import type { ScanStats } from '../../sources/source.js';
import type { CommitInfo } from '../../sources/fragment.js';
import { GitHistorySource } from '../../sources/git-history.js';
import { scan, type ScanResult } from '../../scan.js';
import type { FilterOptions } from '../../filters/index.js';
import { keepFirstIntroduction } from '../../filters/first-introduction.js';
import type { Io } from '../io.js';
import type { Args } from '../options.js';
import { emitReport, type ReportTarget } from '../report-output.js';
import { startProgress } from '../progress.js';
import { splitLogOpts } from './log-opts.js';
import { threadsArg } from './detect.js';
import type { ScanSetup } from '../scan-setup.js';

/** A history source whose git processes were started ahead of the scan, and the counters it fills. */
export interface StartedHistory {
  source: GitHistorySource;
  stats: ScanStats;
}

/**
 * Every commit reachable from any ref (or the --log-opts selection), each secret kept
 * once, at the commit that introduced it. Shared by `detect` and `rotate`, so both see
 * exactly the same findings.
 */
export async function scanHistory(path: string, config: Config, filterOptions: FilterOptions, args: Args, io: Io, started?: StartedHistory): Promise<ScanResult> {
  const maxBytes = Number(args['max-target-megabytes'] ?? 10) * 1024 * 1024;
  const source = started?.source ?? new GitHistorySource({ repoPath: path, logOpts: splitLogOpts(args['log-opts'] as string | undefined), maxBytes, readers: threadsArg(args) });
  // Only the commits that produced findings are remembered (for first-introduction ranking).
  const commits = new Map<string, CommitInfo>();
  const progress = await startProgress(args, io, 'scanning history');
  try {
    const result = await scan(source, config, filterOptions, {
      onFragment: progress.update,
      onFindings: (_findings, fragment) => {
        if (fragment.commit) commits.set(fragment.commit.sha, fragment.commit);
      },
    }, started?.stats);
    result.findings = keepFirstIntroduction(result.findings, (sha) => commits.get(sha));
    return result;
  } finally {
    progress.stop();
  }
}

/** `keyscan detect [path]` inside a repository. */
export async function detectHistory(path: string, config: Config, target: ReportTarget, args: Args, io: Io, setup?: ScanSetup, started?: StartedHistory): Promise<number> {
  // --rotate: flags and rotation settings are checked before the scan.
  const rotation = args.rotate === true ? await (await import('./rotate.js')).prepareRotation(path, args, io) : undefined;
  const result = await scanHistory(path, config, setup?.filterOptions ?? { ignoreDirectives: args['ignore-directives'] === true }, args, io, started);
  const code = await emitReport(result, config, target, args, io, 'history scan', { suppressionSources: setup?.suppressionSources });
  return rotation ? await rotation.run(result.findings, code) : code;
}
