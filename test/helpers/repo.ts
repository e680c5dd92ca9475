import { afterEach } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temporary directory, removed by `cleanup()`. */
export function tempDir(prefix = 'keyscan-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Write a map of relative path → content under `dir`, creating folders. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(dir, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

/** Environment for git in tests: no user config, no system config, fixed identity. */
export function gitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Test Author',
    GIT_COMMITTER_EMAIL: 'author@example.com',
    GIT_TERMINAL_PROMPT: '0',
    ...extra,
  };
}

/** Run git in `cwd` (with `input` on stdin, e.g. for fast-import); throws with git's stderr on failure. Returns stdout. */
export function git(cwd: string, args: string[], env: Record<string, string> = {}, input?: string): string {
  const res = spawnSync('git', args, { cwd, env: gitEnv(env), encoding: 'utf8', input });
  if (res.status !== 0) throw new Error(`git ${args.join(' ')} failed (${res.status}): ${res.stderr}`);
  return res.stdout;
}

/** A real repository in a temp dir, with helpers for commits at fixed dates. */
export class TestRepo {
  readonly dir: string;
  readonly cleanup: () => void;
  private tick = 0;

  constructor(options: { bare?: boolean; initialBranch?: string } = {}) {
    const t = tempDir('keyscan-repo-');
    this.dir = t.dir;
    this.cleanup = t.cleanup;
    git(this.dir, ['init', '-q', `--initial-branch=${options.initialBranch ?? 'main'}`]);
  }

  git(args: string[], env: Record<string, string> = {}): string {
    return git(this.dir, args, env);
  }

  write(files: Record<string, string | Buffer>): this {
    writeFiles(this.dir, files);
    return this;
  }

  /** Stage everything and commit with a deterministic date; returns the new commit's sha. */
  commit(message: string, options: { author?: string; email?: string; allowEmpty?: boolean } = {}): string {
    this.tick++;
    const date = new Date(Date.UTC(2024, 0, 1, 12, 0, this.tick)).toISOString();
    const env: Record<string, string> = { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
    if (options.author) { env.GIT_AUTHOR_NAME = options.author; env.GIT_COMMITTER_NAME = options.author; }
    if (options.email) { env.GIT_AUTHOR_EMAIL = options.email; env.GIT_COMMITTER_EMAIL = options.email; }
    this.git(['add', '-A']);
    this.git(['commit', '-q', '--no-verify', ...(options.allowEmpty ? ['--allow-empty'] : []), '-m', message], env);
    return this.git(['rev-parse', 'HEAD']).trim();
  }
}

/**
 * Temporary repositories and directories for one test file, removed after each test.
 * Call once at module level: `const { repo, track } = cleanupAfterEach();`.
 */
export function cleanupAfterEach(): { repo: () => TestRepo; track: <T extends { cleanup: () => void }>(t: T) => T } {
  const pending: { cleanup: () => void }[] = [];
  afterEach(() => {
    while (pending.length > 0) pending.pop()!.cleanup();
  });
  const track = <T extends { cleanup: () => void }>(t: T): T => {
    pending.push(t);
    return t;
  };
  return { repo: () => track(new TestRepo()), track };
}
