import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI, run the way a user runs it. `npm test` builds before testing. */
export const BIN = fileURLToPath(new URL('../../bin/keyscan.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `keyscan <args>` in `cwd` with CI=true and no TTY. */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string>; input?: string; prefix?: string[] } = { cwd: process.cwd() }): CliResult {
  // `prefix`: a command that runs node, e.g. setpriv to drop privileges.
  const [cmd, ...pre] = options.prefix?.length ? [...options.prefix, process.execPath] : [process.execPath];
  const res = spawnSync(cmd!, [...pre, BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, CI: 'true', NO_COLOR: '1', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...options.env },
    input: options.input ?? '',
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (res.error) throw res.error;
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}
