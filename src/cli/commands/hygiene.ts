import { resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { TargetError, UsageError } from '../../errors.js';
import { applyFix, type FixSummary } from '../../hygiene/fix.js';
import { workTreeRoot } from '../../hygiene/git.js';
import { inspectRepository } from '../../hygiene/inspect.js';
import type { HygieneResult } from '../../hygiene/problem.js';
import { HYGIENE_REPORT_FORMATS, loadHygieneReporter, type HygieneReportFormat } from '../../report/hygiene-reporter.js';
import { writeFileAtomic } from '../../report/write.js';
import type { Io } from '../io.js';
import { useColor } from '../io.js';
import type { Args } from '../options.js';
import { reportTarget } from '../report-output.js';
import { version } from '../version.js';

/**
 * `keyscan hygiene [path]`: are .env and other credential files kept out of git? With
 * --fix, repair the root .gitignore first and report the re-check.
 */
export async function hygieneCommand(args: Args, io: Io): Promise<number> {
  const exitCode = Number(args['exit-code']);
  if (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255) throw new UsageError('--exit-code must be an integer from 0 to 255');
  const target = reportTarget(args, io);
  if (!(HYGIENE_REPORT_FORMATS as readonly string[]).includes(target.format)) {
    throw new UsageError(`--report-format: hygiene reports come as ${HYGIENE_REPORT_FORMATS.join(', ')}, not ${target.format}`, 'choose one of those');
  }
  const format = target.format as HygieneReportFormat;
  const path = resolve(io.cwd, String(args.path ?? '.'));
  if (!existsSync(path)) throw new TargetError(`path not found: ${String(args.path ?? '.')}`, 'pass a directory inside a git work tree');
  if (!statSync(path).isDirectory()) throw new TargetError(`not a directory: ${String(args.path)}`, 'pass a directory inside a git work tree');
  const root = workTreeRoot(path);
  const untrack = args.untrack === true;
  const fixing = args.fix === true || untrack;
  const options = { history: args.history !== false };

  let result: HygieneResult = await inspectRepository(root, options);
  let fix: FixSummary | undefined;
  if (fixing) {
    fix = applyFix(root, result.problems, untrack);
    result = await inspectRepository(root, options);
  }

  const quiet = args.quiet === true;
  const reporter = await loadHygieneReporter(format);
  const text = reporter({
    result,
    version: version(),
    fix,
    color: target.path === undefined && useColor(io, args.color as boolean | undefined),
    verbose: args.verbose === true,
    quiet,
  });
  if (target.path) writeFileAtomic(target.path, text);
  else if (text !== '') io.stdout(text);
  // With a machine-readable report, a person still gets one line on stderr.
  if (!quiet && (target.path || format !== 'text')) {
    const n = result.problems.length;
    io.stderr(`keyscan hygiene: ${n === 0 ? 'clean' : `${n} problem${n === 1 ? '' : 's'}`}${fix ? `; --fix added ${fix.added.length} pattern${fix.added.length === 1 ? '' : 's'}${fix.untracked.length ? `, untracked ${fix.untracked.length} file${fix.untracked.length === 1 ? '' : 's'}` : ''}` : ''}\n`);
    if (target.path) io.stderr(`report written to ${target.path}\n`);
  }
  return result.problems.length > 0 ? exitCode : 0;
}
