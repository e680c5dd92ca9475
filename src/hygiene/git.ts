import { spawn, spawnSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { GitError, TargetError } from '../errors.js';
import type { CommitRef, IgnoreMatch } from './problem.js';

/**
 * The git queries `keyscan hygiene` needs. Small answers are read whole (spawnSync); lists
 * that grow with the repository (ls-files, log) are streamed NUL-separated token by token.
 */

/** Top level of the work tree holding `path`; TargetError when there is none. */
export function workTreeRoot(path: string): string {
  const res = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd: path, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (res.error) {
    const code = (res.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && spawnSync('git', ['--version']).error) throw new TargetError('git is not installed or not on PATH', 'install git: keyscan hygiene asks git how it ignores files');
    throw new TargetError(`path not found: ${path}`, 'pass a directory inside a git work tree');
  }
  if (res.status !== 0 || res.stdout.trim() === '') {
    // Say git's reason when it is not the plain one (e.g. "detected dubious ownership").
    const reason = firstLine(res.stderr);
    const own = reason !== '' && !/not a git repository|must be run in a work tree/.test(reason) ? ` (git: ${reason})` : '';
    throw new TargetError(`not a git work tree: ${path}${own}`, 'run keyscan hygiene inside a repository (a bare repository has no .gitignore to check)');
  }
  return res.stdout.trim();
}

/** Run a small git query and return stdout; GitError with git's own message on failure. */
function gitSync(root: string, args: string[], input?: Buffer | string, okStatuses: number[] = [0]): { stdout: Buffer; stderr: string } {
  const res = spawnSync('git', args, { cwd: root, input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
  if (res.error) throw new GitError(`git ${args[0]} failed: ${res.error.message}`);
  const stderr = res.stderr.toString('utf8');
  if (!okStatuses.includes(res.status ?? -1)) throw new GitError(`git ${args[0]} failed: ${firstLine(stderr) || `exit ${res.status}`}`);
  return { stdout: res.stdout, stderr };
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0]?.replace(/^(fatal|error): /, '') ?? '';
}

/**
 * Git prints `warning: unable to access '<file>': <reason>` and carries on when an ignore
 * file cannot be read; its rules then silently do not apply, so keyscan stops instead.
 */
function throwOnUnreadableIgnoreFile(root: string, stderr: string): void {
  const m = /unable to access '([^']+)': ([^\n]+)/.exec(stderr);
  if (!m) return;
  const file = m[1]!;
  let symlink = false;
  try {
    symlink = lstatSync(isAbsolute(file) ? file : join(root, file)).isSymbolicLink();
  } catch {
    // gone meanwhile: report git's reason
  }
  // Since git 2.32 an in-tree .gitignore that is a symlink is refused (opened with O_NOFOLLOW).
  if (symlink && !isAbsolute(file)) throw new TargetError(`${file} is a symbolic link, which git refuses to read`, 'replace it with a regular file');
  throw new TargetError(`cannot read ignore file ${file}: ${m[2]}`, 'fix its permissions or remove it, then run keyscan hygiene again');
}

/** git's answer for one path: whether it is ignored, and the rule that decided. */
export interface IgnoreVerdict {
  ignored: boolean;
  match?: IgnoreMatch;
}

/**
 * Ask git, in one call, how its ignore rules treat each path, as if none were tracked
 * (`--no-index`): every .gitignore, .git/info/exclude and core.excludesFile, with git's
 * precedence and negations. Paths are relative to `root` and need not exist.
 */
export function checkIgnore(root: string, paths: string[]): Map<string, IgnoreVerdict> {
  const out = new Map<string, IgnoreVerdict>();
  const asked = paths.filter((p) => p !== '' && !p.includes('\0'));
  if (asked.length === 0) return out;
  const input = Buffer.from(`${asked.join('\0')}\0`, 'utf8');
  // Exit 1 means "nothing ignored", not a failure.
  const { stdout, stderr } = gitSync(root, ['check-ignore', '--no-index', '--verbose', '--non-matching', '-z', '--stdin'], input, [0, 1]);
  throwOnUnreadableIgnoreFile(root, stderr);
  // -z -v -n: four NUL-terminated fields per path: source, line, pattern, path (source empty: no match).
  const fields = stdout.toString('utf8').split('\0');
  for (let i = 0; i + 3 < fields.length; i += 4) {
    const [source, line, pattern, path] = [fields[i]!, fields[i + 1]!, fields[i + 2]!, fields[i + 3]!];
    if (source === '') {
      out.set(path, { ignored: false });
    } else {
      out.set(path, { ignored: !pattern.startsWith('!'), match: { source, line: Number(line), pattern } });
    }
  }
  return out;
}

/** NUL-terminated tokens of a git command's stdout, as they arrive. */
export async function* gitTokens(root: string, args: string[]): AsyncGenerator<string> {
  const child = spawn('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 64 * 1024) stderr += d;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  // Observed below; this keeps an early spawn error from counting as unhandled meanwhile.
  exited.catch(() => undefined);
  let pending: Buffer[] = [];
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let start = 0;
      for (let nul = chunk.indexOf(0); nul >= 0; nul = chunk.indexOf(0, start)) {
        pending.push(chunk.subarray(start, nul));
        yield Buffer.concat(pending).toString('utf8');
        pending = [];
        start = nul + 1;
      }
      if (start < chunk.length) pending.push(chunk.subarray(start));
    }
  } finally {
    // A consumer that stops early must not leave git running.
    if (child.exitCode === null) child.kill();
  }
  const code = await exited;
  throwOnUnreadableIgnoreFile(root, stderr);
  if (code !== 0) throw new GitError(`git ${args[0]} failed: ${firstLine(stderr) || `exit ${code}`}`);
  if (pending.length > 0) yield Buffer.concat(pending).toString('utf8');
}

/** Paths in the index, streamed. */
export function trackedFiles(root: string): AsyncGenerator<string> {
  return gitTokens(root, ['ls-files', '-z', '--cached', '--deduplicate']);
}

/** Untracked paths that no ignore rule covers: what `git add .` would add. Streamed. */
export function untrackedFiles(root: string): AsyncGenerator<string> {
  return gitTokens(root, ['ls-files', '-z', '--others', '--exclude-standard']);
}

/**
 * JSON files holding a Google service-account key marker, found by git itself (no need to
 * read every JSON file): in the index (`cached`) or in the work tree, untracked included.
 */
export function grepServiceAccountJson(root: string, where: 'cached' | 'untracked'): string[] {
  const args = ['grep', '-l', '-z', '-I', '-E', '"type"[[:space:]]*:[[:space:]]*"service_account"', '--', '*.json'];
  args.splice(1, 0, where === 'cached' ? '--cached' : '--untracked');
  const { stdout } = gitSync(root, args, undefined, [0, 1]);
  return stdout.toString('utf8').split('\0').filter((p) => p !== '');
}

/**
 * Read blobs named by `specs` (`:path` for the index, or a blob id), skipping any larger
 * than `maxBytes`. Two calls in all: sizes first, then the small blobs' content.
 */
export function readBlobs(root: string, specs: string[], maxBytes: number): Map<string, string> {
  const out = new Map<string, string>();
  const asked = [...new Set(specs)].filter((s) => !s.includes('\n'));
  if (asked.length === 0) return out;
  const sizes = gitSync(root, ['cat-file', '--batch-check=%(objecttype) %(objectsize)'], `${asked.join('\n')}\n`).stdout.toString('utf8').split('\n');
  const small = asked.filter((_, i) => {
    const [type, size] = (sizes[i] ?? '').split(' ');
    return type === 'blob' && Number(size) <= maxBytes;
  });
  if (small.length === 0) return out;
  const buf = gitSync(root, ['cat-file', '--batch=%(objectsize)'], `${small.join('\n')}\n`).stdout;
  let at = 0;
  for (const spec of small) {
    const nl = buf.indexOf(10, at);
    if (nl < 0) break;
    const size = Number(buf.subarray(at, nl).toString('utf8'));
    const start = nl + 1;
    out.set(spec, buf.subarray(start, start + size).toString('utf8'));
    at = start + size + 1;
  }
  return out;
}

/** A file added by a commit: its path, its blob and the commit. */
export interface AddedFile {
  path: string;
  blob: string;
  commit: CommitRef;
}

/**
 * Every file addition in every ref's history, newest first, streamed (memory stays flat
 * however long the history is): the caller keeps only the paths it wants.
 */
export async function* addedFiles(root: string, onCommit?: () => void): AsyncGenerator<AddedFile> {
  // %x01 marks a commit header: sha, ISO date, author; then `--raw -z` entries: meta, path.
  // --cc: a merge lists the paths that differ from every parent, so a file that only a
  // merge added (an evil merge: in neither parent) is seen, and attributed to it; a file
  // a merge simply brought over from one side matches that parent and is not listed again.
  const args = ['log', '--all', '--cc', '--diff-filter=A', '--no-renames', '--raw', '--no-abbrev', '-z', '--format=%x01%H%x00%aI%x00%an'];
  let commit: CommitRef | undefined;
  let header: string[] | undefined;
  let blob: string | undefined;
  let counted = false;
  for await (const raw of gitTokens(root, args)) {
    const token = raw.startsWith('\n') ? raw.slice(1) : raw;
    if (token.startsWith('\x01')) {
      header = [token.slice(1)];
      blob = undefined;
      continue;
    }
    if (header) {
      header.push(token);
      if (header.length === 3) {
        commit = { sha: header[0]!, date: header[1]!, author: header[2]! };
        header = undefined;
        counted = false;
      }
      continue;
    }
    if (token.startsWith(':')) {
      // `:000000 100644 <old> <new> A`, or for a merge `::<modes…> <parents' blobs…> <new> AA`:
      // the new blob is the field before the status.
      const fields = token.split(' ');
      blob = fields[fields.length - 2];
      continue;
    }
    if (blob !== undefined && commit && token !== '') {
      // Counted on its first addition: with --cc, git prints every merge's header, added files or not.
      if (!counted) onCommit?.();
      counted = true;
      yield { path: token, blob, commit };
      blob = undefined;
    }
  }
}

/** Whether the repository is a shallow clone (history before the graft is missing). */
export function isShallow(root: string): boolean {
  return gitSync(root, ['rev-parse', '--is-shallow-repository']).stdout.toString('utf8').trim() === 'true';
}

/** Whether HEAD points to a commit (false in a fresh repository). */
export function hasCommits(root: string): boolean {
  return spawnSync('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd: root, stdio: 'ignore' }).status === 0;
}

/** `git rm --cached` (index only: the files stay on disk). */
export function untrack(root: string, paths: string[]): void {
  if (paths.length === 0) return;
  gitSync(root, ['rm', '--cached', '--quiet', '--pathspec-from-file=-', '--pathspec-file-nul'], Buffer.from(`${paths.map(literalPathspec).join('\0')}\0`, 'utf8'));
}

/** A pathspec that matches exactly this path (no glob characters interpreted). */
function literalPathspec(path: string): string {
  return `:(literal)${path}`;
}
