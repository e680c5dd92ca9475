import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { GitError, TargetError } from '../errors.js';

/**
 * Running git. Small queries run synchronously and return their whole output; anything
 * that grows with the repository is streamed line by line (simple-git buffers whole
 * outputs, which is fine for the former and wrong for the latter).
 */

/** Environment for every git call: never prompt, never page, stable output. */
export function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C' };
}

export interface GitResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Run a small git query; never throws for a non-zero exit (the caller decides). */
export function gitQuery(cwd: string, args: string[], input?: string | Buffer): GitResult {
  const res = spawnSync('git', args, {
    cwd,
    env: gitEnv(),
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  if (res.error) {
    const code = (res.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new GitError('git is not installed or not on PATH', 'install git, or use --no-git to scan files on disk');
    throw res.error;
  }
  return { status: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

/** Like gitQuery, but a non-zero exit is a GitError carrying git's own message. */
export function gitOutput(cwd: string, args: string[], input?: string | Buffer): string {
  const res = gitQuery(cwd, args, input);
  if (res.status !== 0) {
    const msg = res.stderr.trim().split('\n').pop() ?? '';
    throw new GitError(`git ${args[0]} failed: ${msg || `exit ${res.status}`}`);
  }
  return res.stdout;
}

/** The top of the work tree containing `dir`, or a TargetError pointing to --no-git. */
export function repoRoot(dir: string): string {
  const res = gitQuery(dir, ['rev-parse', '--show-toplevel']);
  if (res.status !== 0) {
    throw new TargetError(`not a git repository: ${dir}`, 'run it inside a repository, or use --no-git to scan the files on disk');
  }
  return res.stdout.replace(/\n$/, '');
}

/**
 * Undo git's C-style quoting of a path ("a\tb", "\303\251"): git quotes paths with
 * special or non-ASCII characters in diff headers.
 */
export function unquoteGitPath(p: string): string {
  if (!p.startsWith('"') || !p.endsWith('"')) return p;
  const body = p.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
      continue;
    }
    const n = body[++i]!;
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
      continue;
    }
    const map: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, '"': 34 };
    bytes.push(map[n] ?? n.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * Start a long-running git process whose output the caller streams itself (several
 * readers at once, stdin fed by the caller). A missing git becomes a GitError.
 */
export function spawnGit(cwd: string, args: string[], stdin: 'pipe' | 'ignore' = 'ignore', env: NodeJS.ProcessEnv = gitEnv()): ChildProcessByStdio<Writable | null, Readable, Readable> {
  const child = spawn('git', args, { cwd, env, stdio: [stdin, 'pipe', 'pipe'] });
  return child as ChildProcessByStdio<Writable | null, Readable, Readable>;
}

/** git's last stderr line, for an error message. */
export function lastLine(stderr: string): string {
  return stderr.trim().split('\n').pop() ?? '';
}
