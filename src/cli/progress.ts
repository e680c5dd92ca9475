import type { Fragment } from '../sources/fragment.js';
import type { ScanStats } from '../sources/source.js';
import type { Io } from './io.js';
import type { Args } from './options.js';
import { formatBytes } from '../report/text.js';

export interface Progress {
  update: (fragment: Fragment, stats: ScanStats) => void;
  stop: () => void;
}

const NONE: Progress = { update: () => {}, stop: () => {} };

/**
 * A spinner on stderr, only for a person at a terminal: never in CI, never with
 * --no-progress or --quiet. ora is loaded only then.
 */
export async function startProgress(args: Args, io: Io, label: string): Promise<Progress> {
  if (!io.isTTY || args.progress === false || args.quiet === true || io.env.CI === 'true' || io.env.CI === '1') return NONE;
  // A pseudo-terminal without a size (script(1), some CI shells) makes ora redraw endlessly.
  if (!process.stderr.columns) return NONE;
  const { default: ora } = await import('ora');
  const spinner = ora({ text: label, stream: process.stderr, discardStdin: false }).start();
  const started = Date.now();
  let last = 0;
  let stopped = false;
  return {
    update: (_fragment, stats) => {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const secs = (now - started) / 1000;
      const rate = secs > 0 ? stats.bytes / secs : 0;
      spinner.text = `${label}: ${commitsText(stats)}${stats.files} files, ${formatBytes(stats.bytes)} (${formatBytes(rate)}/s, ${secs.toFixed(0)}s)`;
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      spinner.stop();
    },
  };
}

/** "1200/6413 commits, " once the total is known, "1200 commits, " before; nothing outside history scans. */
function commitsText(stats: ScanStats): string {
  if (!stats.commits) return '';
  return stats.commitsTotal ? `${stats.commits}/${stats.commitsTotal} commits, ` : `${stats.commits} commits, `;
}
