import { installHook, uninstallHook, type HookReport } from '../../hook/installer.js';
import type { Io } from '../io.js';
import type { Args } from '../options.js';

/** `keyscan install [--hook-runner husky|git]`: run `keyscan protect --staged` before every commit. */
export async function installCommand(args: Args, io: Io): Promise<number> {
  const report = installHook(io.cwd, args['hook-runner'] as string | undefined);
  print(report, args, io);
  return 0;
}

/** `keyscan uninstall`: remove exactly what install added. */
export async function uninstallCommand(args: Args, io: Io): Promise<number> {
  const reports = uninstallHook(io.cwd, args['hook-runner'] as string | undefined);
  if (reports.length === 0) {
    if (args.quiet !== true) io.stdout('keyscan: no keyscan hook found: nothing to remove\n');
    return 0;
  }
  for (const r of reports) print(r, args, io);
  return 0;
}

function print(report: HookReport, args: Args, io: Io): void {
  if (args.quiet === true) return;
  for (const c of report.changes) io.stdout(`keyscan: ${c}\n`);
  for (const n of report.notes) io.stdout(`keyscan: ${n}\n`);
}
