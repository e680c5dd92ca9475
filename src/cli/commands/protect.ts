import { setFlagsFromString } from 'node:v8';
import { UsageError } from '../../errors.js';
import { StagedSource } from '../../sources/staged.js';
import { useColor, type Io } from '../io.js';
import type { Args } from '../options.js';

/**
 * `keyscan protect [--staged] [files…]`: scan what the next commit will contain (the
 * index), block it on a secret. `--staged` is what it always does; the flag is accepted
 * so the command reads the same as gitleaks'. With files (pre-commit framework,
 * lint-staged), only those files' staged content.
 *
 * This is the pre-commit hook path, where start-up is the whole cost (issue 3): git is
 * started first, and the rest of the pipeline is imported while it runs; nothing else
 * is loaded that the path does not need (no yargs on the plain argv, see run.ts;
 * reporters only for --report-format/--report-path).
 */
export async function protectCommand(args: Args, io: Io): Promise<number> {
  const maxMb = Number(args['max-target-megabytes'] ?? 10);
  if (!Number.isFinite(maxMb) || maxMb <= 0) throw new UsageError('--max-target-megabytes must be a positive number');
  const exitCode = Number(args['exit-code'] ?? 1);
  if (!Number.isInteger(exitCode) || exitCode < 0 || exitCode > 255) throw new UsageError('--exit-code must be an integer from 0 to 255');
  const wantsReport = args['report-format'] !== undefined || args['report-path'] !== undefined;
  const target = wantsReport ? (await import('../report-output.js')).reportTarget(args, io) : undefined;
  // yargs puts names after `--` in `_`, the fast path in `files`.
  const paths = [...(Array.isArray(args.files) ? args.files : []), ...args._.slice(1)].map(String);
  const source = new StagedSource({ cwd: io.cwd, paths, maxBytes: maxMb * 1024 * 1024 });
  source.start();
  const [{ applyResultFilters }, { prepareScan }, { protectBlockedText, protectScannedLine }, { scan }] = await Promise.all([
    import('../../filters/index.js'),
    import('../scan-setup.js'),
    import('../../report/protect-text.js'),
    import('../../scan.js'),
  ]);
  // git diffs while the rules load. The repository root is where its own config and
  // ignore files live.
  const root = await source.locate();
  const { config, filterOptions } = prepareScan(args, io, root);
  preferShortRun();
  const result = await scan(source, config, filterOptions);
  // Credential files added by the commit go through the same ignore file and baseline.
  if (source.newFiles.length > 0) {
    const { newStagedFileFindings } = await import('../../detect/new-staged-files.js');
    result.findings.push(...applyResultFilters(newStagedFileFindings(source.newFiles), filterOptions, result.suppressed));
  }

  if (target) {
    const { emitReport } = await import('../report-output.js');
    return emitReport(result, config, target, args, io, 'staged changes');
  }
  const quiet = args.quiet === true;
  const color = useColor(io, args.color as boolean | undefined);
  const summary = { stats: result.stats, stagedFiles: source.stagedFiles, color, width: Math.min(120, process.stdout.columns || 80) };
  if (result.findings.length > 0) {
    const { redactFinding } = await import('../../report/redact.js');
    const findings = args.redact === false ? result.findings : result.findings.map(redactFinding);
    io.stdout(protectBlockedText(findings, summary));
    return exitCode;
  }
  if (!quiet) {
    for (const w of result.stats.warnings) io.stderr(`keyscan: warning: ${w}\n`);
    io.stdout(`${protectScannedLine(summary)}\n`);
  }
  return 0;
}


/**
 * V8 optimises a function once it has run a budget of bytecode, on a background thread,
 * and Node waits for that compilation to finish before the process may exit (the platform
 * drains its worker tasks when the event loop empties). On a 10-file commit the diff
 * parser became "hot" just before the end, and the exit then waited up to 40 ms for an
 * optimised version nobody would run (`--trace-opt`, strace). Fifteen times the default
 * budget (67,584) keeps a commit of that size in the baseline tiers; a large staged change
 * (15 MB) still gets optimised early enough to take the same time as before. `--no-opt`
 * also removed the wait but made that large change three times slower.
 *
 * Called once everything is loaded: changing a V8 flag changes the hash that Node's
 * built-in modules' code cache is checked against, and each built-in loaded afterwards
 * is compiled from source instead (callgrind: ~40 M instructions when set first thing).
 */
function preferShortRun(): void {
  // V8 12 (Node 22) dropped the flag (it tiers up by invocation counts) and prints
  // "Error: unrecognized flag" to stderr for it: only V8 11 (Node 20) gets it.
  if (Number(process.versions.v8.split('.')[0]) <= 11) setFlagsFromString('--interrupt-budget=1000000');
}
