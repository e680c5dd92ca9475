import { resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { Detector } from '../../detect/detector.js';
import { FileSource } from '../../sources/files.js';
import { scan } from '../../scan.js';
import type { Io } from '../io.js';
import type { Args } from '../options.js';
import { emitReport, reportTarget } from '../report-output.js';
import { startProgress } from '../progress.js';
import { prepareScan } from '../scan-setup.js';

/** `keyscan detect [path]`: git history by default, the files on disk with --no-git. */
export async function detectCommand(args: Args, io: Io): Promise<number> {
  const path = resolve(io.cwd, String(args.path ?? '.'));
  const maxMb = Number(args['max-target-megabytes']);
  if (!Number.isFinite(maxMb) || maxMb <= 0) throw new UsageError('--max-target-megabytes must be a positive number');
  const exitCode = Number(args['exit-code']);
  if (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255) throw new UsageError('--exit-code must be an integer from 0 to 255');
  const target = reportTarget(args, io);
  const setup = prepareScan(args, io, path);
  const { config } = setup;
  const detector = new Detector(config);

  if (args.git === false) {
    if (args.rotate === true) throw new UsageError('--rotate needs the history scan: files on disk have no commit to rotate', 'drop --no-git');
    const source = new FileSource({ root: path, maxBytes: maxMb * 1024 * 1024, skipPath: (p) => detector.isPathAllowed(p) });
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
  const { detectHistory } = await import('./detect-history.js');
  return detectHistory(path, config, target, args, io, setup);
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
