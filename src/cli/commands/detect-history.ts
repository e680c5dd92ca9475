import type { Config } from '../../config/rule.js';
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
  const source = new GitHistorySource({ repoPath: path, logOpts: splitLogOpts(args['log-opts'] as string | undefined) });
  const progress = await startProgress(args, io, 'scanning history');
  try {
    const result = await scan(source, config, setup?.filterOptions ?? { ignoreDirectives: args['ignore-directives'] === true }, { onFragment: progress.update });
    progress.stop();
    result.findings = keepFirstIntroduction(result.findings);
    const code = await emitReport(result, config, target, args, io, 'history scan', { suppressionSources: setup?.suppressionSources });
    return rotation ? await rotation.run(result.findings, code) : code;
  } finally {
    progress.stop();
  }
}
