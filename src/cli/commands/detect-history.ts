import { TargetError } from '../../errors.js';
import type { Config } from '../../config/rule.js';
import type { Io } from '../io.js';
import type { Args } from '../options.js';
import type { ReportTarget } from '../report-output.js';

/** History scan: replaced by the git source. */
export async function detectHistory(path: string, _config: Config, _target: ReportTarget, _args: Args, _io: Io): Promise<number> {
  throw new TargetError(`history scans are not available yet for ${path}`, 'use --no-git to scan the files on disk');
}
