import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ConfigError, UsageError } from '../errors.js';
import { parseIgnoreFile, type IgnoreList } from '../filters/ignore-file.js';
import { BaselineFormatError, parseBaseline, type Baseline } from '../filters/baseline.js';

/** Where the config of a scan came from. */
export interface ConfigChoice {
  /** Absolute path; undefined = keyscan's default rules. */
  path?: string;
  /** Why this file: shown by --verbose and recorded in report metadata. */
  origin: '--config' | 'KEYSCAN_CONFIG' | '.keyscan.toml' | 'GITLEAKS_CONFIG' | '.gitleaks.toml' | 'default rules';
}

/** Repository config file names, looked for at the scanned root. */
export const KEYSCAN_CONFIG_FILE = '.keyscan.toml';
export const GITLEAKS_CONFIG_FILE = '.gitleaks.toml';
/** Ignore files read at the scanned root, in this order. */
export const IGNORE_FILES = ['.keyscanignore', '.gitleaksignore'] as const;

/** The directory a scan of `target` treats as its root: the target, or a file's directory. */
export function scanRoot(target: string): string {
  try {
    return statSync(target).isDirectory() ? target : dirname(target);
  } catch {
    return target;
  }
}

/**
 * Which config a scan uses: `--config`, else `KEYSCAN_CONFIG`, else `.keyscan.toml` at the
 * scanned root, else (migrating from gitleaks) `GITLEAKS_CONFIG`, else `.gitleaks.toml`
 * at the root, else the defaults. gitleaks looks in the same places for its own files.
 */
export function chooseConfig(root: string, flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): ConfigChoice {
  if (flag !== undefined && flag !== '') return { path: existing(resolve(cwd, flag), '--config'), origin: '--config' };
  if (env.KEYSCAN_CONFIG) return { path: existing(resolve(cwd, env.KEYSCAN_CONFIG), 'KEYSCAN_CONFIG'), origin: 'KEYSCAN_CONFIG' };
  const own = join(root, KEYSCAN_CONFIG_FILE);
  if (existsSync(own)) return { path: own, origin: '.keyscan.toml' };
  if (env.GITLEAKS_CONFIG) return { path: existing(resolve(cwd, env.GITLEAKS_CONFIG), 'GITLEAKS_CONFIG'), origin: 'GITLEAKS_CONFIG' };
  const theirs = join(root, GITLEAKS_CONFIG_FILE);
  if (existsSync(theirs)) return { path: theirs, origin: '.gitleaks.toml' };
  return { origin: 'default rules' };
}

function existing(path: string, what: string): string {
  if (!existsSync(path)) throw new UsageError(`${what}: config file not found: ${path}`, 'check the path');
  return path;
}

/**
 * The ignore files of a scan: `.keyscanignore` and `.gitleaksignore` at the root, plus an
 * explicit `--ignore-path` (which must exist). A line that is no fingerprint is a config
 * error naming the file and line: a typo must not silently un-ignore, or ignore, a secret.
 */
export function readIgnoreLists(root: string, explicit: string | undefined, cwd: string): IgnoreList[] {
  const files: { abs: string; shown: string }[] = IGNORE_FILES
    .map((name) => ({ abs: join(root, name), shown: relative(cwd, join(root, name)) || name }))
    .filter((f) => existsSync(f.abs));
  if (explicit !== undefined) {
    const abs = resolve(cwd, explicit);
    if (!existsSync(abs) || statSync(abs).isDirectory()) throw new UsageError(`--ignore-path: no such file: ${explicit}`, 'pass an existing ignore file');
    if (!files.some((f) => f.abs === abs)) files.push({ abs, shown: explicit });
  }
  const problems: string[] = [];
  const lists: IgnoreList[] = [];
  for (const f of files) {
    const { list, invalidLines } = parseIgnoreFile(readFileSync(f.abs, 'utf8'), f.shown);
    for (const line of invalidLines) problems.push(`${f.shown}:${line}: not a fingerprint (expected ks1:<rule>:<hash>:<path>, <file>:<rule>:<line> or <commit>:<file>:<rule>:<line>)`);
    lists.push(list);
  }
  if (problems.length > 0) throw new ConfigError(problems, 'fix or remove those lines');
  return lists;
}

/** Read `--baseline-path FILE`: a keyscan baseline, keyscan JSON report or gitleaks JSON report. */
export function readBaseline(path: string, cwd: string): Baseline {
  const abs = resolve(cwd, path);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`--baseline-path: cannot read ${path} (${code === 'ENOENT' ? 'no such file' : code ?? String(err)})`, 'create one with `keyscan baseline`');
  }
  try {
    return parseBaseline(text, path);
  } catch (err) {
    if (err instanceof BaselineFormatError) throw new UsageError(`--baseline-path: ${path}: ${err.message}`, 'pass a file written by `keyscan baseline`, or a keyscan or gitleaks JSON report');
    throw err;
  }
}
