import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

/** Variables that move the repository or the work tree away from where `.git` says. */
const LOCATION_ENV = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_COMMON_DIR'];

/**
 * The work tree whose top is `dir`, read from the file system without starting git; or
 * undefined whenever that is not certain, and git must be asked (`rev-parse`). Starting
 * git costs Node a fork on its main thread, and the pre-commit hook is the place where
 * that shows (issue 3). Git runs hooks from the top of the work tree (githooks(5)), so
 * this recognises exactly that case, in the plain layout git itself would find first
 * (setup.c checks `dir/.git` before looking anywhere else): `dir/.git` a repository
 * directory, or a gitfile (`gitdir: …`) pointing at one; nothing in the repository's
 * config that moves the work tree (core.worktree, which submodules set; core.bare;
 * per-worktree config); no GIT_DIR or GIT_WORK_TREE in the environment (git sets GIT_DIR
 * for the hooks of a linked worktree: those ask git).
 */
export function plainWorkTree(dir: string, env: NodeJS.ProcessEnv = process.env): { top: string; gitDir: string } | undefined {
  if (LOCATION_ENV.some((name) => env[name] !== undefined && env[name] !== '')) return undefined;
  try {
    return readWorkTree(dir);
  } catch {
    return undefined; // unreadable, or a gitfile pointing through a file (ENOTDIR): git will say
  }
}

function readWorkTree(dir: string): { top: string; gitDir: string } | undefined {
  const dotGit = join(dir, '.git');
  const st = statSync(dotGit, { throwIfNoEntry: false });
  let gitDir = dotGit;
  if (st?.isFile()) {
    const m = /^gitdir: *(.+?)\r?$/m.exec(readTextOrEmpty(dotGit));
    if (!m) return undefined;
    gitDir = resolve(dir, m[1]!);
  } else if (!st?.isDirectory()) {
    return undefined;
  }
  // A repository has a HEAD (setup.c's is_git_directory also wants objects/ and refs/,
  // which a linked worktree's gitdir keeps in its common dir: HEAD is the part both have).
  if (!statSync(join(gitDir, 'HEAD'), { throwIfNoEntry: false })?.isFile()) return undefined;
  // `git init` writes `bare = false`; anything else there is git's to read.
  if (/^\s*(worktree\s*=|bare\s*=\s*true|worktreeConfig\s*=\s*true)/im.test(readTextOrEmpty(join(gitDir, 'config')))) return undefined;
  return { top: resolve(dir), gitDir };
}

function readTextOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
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
