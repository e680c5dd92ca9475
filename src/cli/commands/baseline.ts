import { dirname, resolve } from 'node:path';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { UsageError } from '../../errors.js';
import { Detector } from '../../detect/detector.js';
import { FileSource } from '../../sources/files.js';
import { scan } from '../../scan.js';
import { formatBaseline } from '../../filters/baseline.js';
import { writeFileAtomic } from '../../report/write.js';
import type { Io } from '../io.js';
import type { Args } from '../options.js';
import { startProgress } from '../progress.js';
import { prepareScan } from '../scan-setup.js';
import { configText, explainText } from '../report-output.js';

/**
 * `keyscan baseline [path]`: record today's findings so later scans with
 * --baseline-path report only new ones. Scans the files on disk: a baseline holds no line
 * and no commit (src/filters/baseline.ts), so the work tree is what it describes.
 * Directives and ignore files still apply; an existing baseline does not (it is replaced).
 */
export async function baselineCommand(args: Args, io: Io): Promise<number> {
  const path = resolve(io.cwd, String(args.path ?? '.'));
  const maxMb = Number(args['max-target-megabytes']);
  if (!Number.isFinite(maxMb) || maxMb <= 0) throw new UsageError('--max-target-megabytes must be a positive number');
  const output = String(args.output ?? '.keyscan-baseline.json');
  const outPath = output === '-' ? undefined : resolve(io.cwd, output);
  if (outPath && existsSync(outPath) && statSync(outPath).isDirectory()) throw new UsageError(`--output: ${output} is a directory`, 'name a file');
  if (outPath && !existsSync(dirname(outPath))) throw new UsageError(`--output: directory does not exist: ${dirname(output)}`, 'create it or choose another path');
  const setup = prepareScan({ ...args, 'baseline-path': undefined }, io, path);
  const detector = new Detector(setup.config);
  const source = new FileSource({ root: path, maxBytes: maxMb * 1024 * 1024, skipPath: (p) => detector.isPathAllowed(p) });
  const progress = await startProgress(args, io, 'scanning files for the baseline');
  let result;
  try {
    result = await scan(source, setup.config, setup.filterOptions, { onFragment: progress.update });
  } finally {
    progress.stop();
  }
  const text = formatBaseline(result.findings);
  if (!outPath) {
    io.stdout(text);
  } else {
    const before = existsSync(outPath) ? readFileSync(outPath, 'utf8') : undefined;
    // Unchanged findings write the same bytes; skip the write so the file's mtime stays too.
    if (before !== text) writeFileAtomic(outPath, text);
  }
  if (args.quiet !== true) {
    const entries = text.split('\n').filter((l) => l.startsWith('    {')).length;
    io.stderr(`baseline: ${entries} finding${entries === 1 ? '' : 's'} recorded${outPath ? ` in ${output}` : ''}; use it with --baseline-path ${output === '-' ? 'FILE' : output}\n`);
    if (args.explain === true) io.stderr(explainText(result.suppressed));
    if (args.verbose === true) io.stderr(configText(setup.config, setup.suppressionSources));
  }
  return 0;
}
