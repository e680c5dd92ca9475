import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import type { Io } from '../io.js';
import type { Args } from '../options.js';
import type { StartedHistory } from './detect-history.js';
import type { Detector } from '../../detect/detector.js';
import type { FileSource } from '../../sources/files.js';

/**
 * `keyscan detect [path]`: git history by default, the files on disk with --no-git.
 *
 * A history scan starts git first and imports the rest of the pipeline while git lists
 * and diffs the first commits, as the pre-commit hook does (issue 3): loading the rules,
 * the detector and the reporters took a tenth of a second during which git had not been
 * asked anything yet. So this module imports nothing heavy itself.
 */
export async function detectCommand(args: Args, io: Io): Promise<number> {
  const path = resolve(io.cwd, String(args.path ?? '.'));
  const maxMb = Number(args['max-target-megabytes']);
  if (!Number.isFinite(maxMb) || maxMb <= 0) throw new UsageError('--max-target-megabytes must be a positive number');
  const exitCode = Number(args['exit-code']);
  if (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255) throw new UsageError('--exit-code must be an integer from 0 to 255');
  if (args.git === false) return detectFiles(path, maxMb, args, io);

  const early = await startHistory(path, args);
  try {
    const [{ reportTarget }, { prepareScan }, { detectHistory }] = await Promise.all([
      import('../report-output.js'),
      import('../scan-setup.js'),
      import('./detect-history.js'),
    ]);
    // The same checks in the same order as before git was started early: a bad report
    // path or config is reported ahead of a path that is not a repository.
    const target = reportTarget(args, io);
    const setup = prepareScan(args, io, path);
    if (!early.started) throw early.error;
    return await detectHistory(path, setup.config, target, args, io, setup, early.started);
  } finally {
    // After a complete scan this does nothing; after an error it kills git.
    early.started?.source.stop();
  }
}

/**
 * The history source, constructed and started; or the error constructing it threw (not
 * a repository…), kept to be thrown after the checks that came first.
 */
async function startHistory(path: string, args: Args): Promise<{ started: StartedHistory; error?: undefined } | { started?: undefined; error: unknown }> {
  const [{ GitHistorySource }, { splitLogOpts }, { emptyStats }] = await Promise.all([
    import('../../sources/git-history.js'),
    import('./log-opts.js'),
    import('../../sources/source.js'),
  ]);
  const maxBytes = Number(args['max-target-megabytes'] ?? 10) * 1024 * 1024;
  const readers = threadsArg(args);
  const logOpts = splitLogOpts(args['log-opts'] as string | undefined);
  let source;
  try {
    source = new GitHistorySource({ repoPath: path, logOpts, maxBytes, readers });
  } catch (error) {
    return { error };
  }
  const stats = emptyStats();
  source.start(stats);
  return { started: { source, stats } };
}

async function detectFiles(path: string, maxMb: number, args: Args, io: Io): Promise<number> {
  // git lists the files while the rest of the pipeline loads, as a history scan starts
  // git first: the source needs the detector only once it reads.
  const { FileSource } = await import('../../sources/files.js');
  let detector: Detector | undefined;
  let source: FileSource | undefined;
  let sourceError: unknown;
  try {
    source = new FileSource({ root: path, maxBytes: maxMb * 1024 * 1024, skipPath: (p) => detector!.isPathAllowed(p) });
    source.startListing();
  } catch (error) {
    sourceError = error;
  }
  const [{ Detector }, { scan }, { emitReport, reportTarget }, { startProgress }, { prepareScan }] = await Promise.all([
    import('../../detect/detector.js'),
    import('../../scan.js'),
    import('../report-output.js'),
    import('../progress.js'),
    import('../scan-setup.js'),
  ]);
  // The same checks in the same order as before the listing was started early: a bad
  // report path or config is reported ahead of a path that does not exist.
  const target = reportTarget(args, io);
  const setup = prepareScan(args, io, path);
  const { config } = setup;
  detector = new Detector(config);
  if (args.rotate === true) throw new UsageError('--rotate needs the history scan: files on disk have no commit to rotate', 'drop --no-git');
  if (!source) throw sourceError;
  const progress = await startProgress(args, io, 'scanning files');
  try {
    const threads = await directoryThreads(args);
    // Worker threads only for directory scans, loaded only here (never on the protect path).
    const result = threads > 1
      ? await (await import('../../scan-parallel.js')).scanFilesParallel(source, config, setup.filterOptions, { onFragment: progress.update }, { threads })
      : await scan(source, config, setup.filterOptions, { onFragment: progress.update });
    progress.stop();
    return await emitReport(result, config, target, args, io, 'directory scan', { suppressionSources: setup.suppressionSources });
  } finally {
    progress.stop();
  }
}

/** --threads, or one per core (up to 4) when not given. */
async function directoryThreads(args: Args): Promise<number> {
  return threadsArg(args) ?? (await import('../../scan-parallel.js')).defaultThreads();
}

/** --threads when given (directory scans: threads; history scans: git readers). */
export function threadsArg(args: Args): number | undefined {
  if (args.threads === undefined) return undefined;
  const n = Number(args.threads);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError('--threads must be an integer from 1 to 64');
  return n;
}
