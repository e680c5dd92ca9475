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

/**
 * Like runCli, but without blocking the event loop: needed when the test process itself
 * serves the CLI (a rotation receiver on 127.0.0.1 answering the CLI's requests).
 */
export async function runCliAsync(args: string[], options: { cwd: string; env?: Record<string, string>; input?: string }): Promise<CliResult> {
  const { spawn } = await import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: { ...process.env, CI: 'true', NO_COLOR: '1', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
