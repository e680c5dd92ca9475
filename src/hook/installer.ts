import { chmodSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, mkdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../report/write.js';
import { gitOutput, gitQuery, repoRoot } from '../sources/git.js';
import { addBlock, blockRecords, isEmptyScript, isShellScript, removeBlock, type HookBlock } from './hook-block.js';
import { hasDependency, readPackageJson, section, writePackageJson } from './package-json.js';

/**
 * Wiring `keyscan protect --staged` into `git commit`. Through husky in an npm project
 * (the hook is then versioned with the project and every clone gets it on `npm install`),
 * else a plain hook where git looks for hooks. Idempotent, never overwrites a hook it
 * did not write, and `uninstall` undoes exactly what `install` recorded it did.
 */

export type HookRunner = 'husky' | 'git';

/** What was done, one line each, for the command to print. */
export interface HookReport {
  runner: HookRunner;
  /** The hook script, relative to the repository root. */
  hookFile: string;
  changes: string[];
  notes: string[];
}

/** The husky range added to devDependencies: husky 9 is the version whose hooks are plain scripts. */
export const HUSKY_RANGE = '^9.1.7';
export const HUSKY_COMMAND = 'npx --no-install keyscan protect --staged';
const CHAINED_SUFFIX = '.keyscan-chained';

/** The plain hook's body: `keyscan` from PATH, failing closed when it is missing. */
function gitHookLines(chained?: string): string[] {
  const lines = [
    'if command -v keyscan >/dev/null 2>&1; then',
    '  keyscan protect --staged || exit $?',
    'else',
    '  echo "keyscan: not found on PATH, so this commit was not scanned for secrets." >&2',
    '  echo "keyscan: install it (npm install --global keyscan) or remove this hook (keyscan uninstall); to commit anyway: git commit --no-verify" >&2',
    '  exit 1',
    'fi',
  ];
  if (chained) lines.push(`exec "$(dirname -- "$0")/${chained}" "$@"`);
  return lines;
}

/** husky when the repository root holds a package.json (an npm project), else a plain git hook. */
export function chooseRunner(root: string, forced?: string): HookRunner {
  if (forced === 'husky' || forced === 'git') return forced;
  return existsSync(join(root, 'package.json')) ? 'husky' : 'git';
}

export function installHook(cwd: string, forced?: string): HookReport {
  const root = repoRoot(cwd);
  const runner = chooseRunner(root, forced);
  return runner === 'husky' ? installHusky(root) : installGit(root);
}

/** Where git looks for hooks: `.git/hooks`, or `core.hooksPath` when set. */
export function gitHooksDir(root: string): string {
  return resolve(root, gitOutput(root, ['rev-parse', '--git-path', 'hooks']).replace(/\n$/, ''));
}

function installGit(root: string): HookReport {
  const dir = gitHooksDir(root);
  const file = join(dir, 'pre-commit');
  const report: HookReport = { runner: 'git', hookFile: relative(root, file) || file, changes: [], notes: [] };
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    writeHook(file, addBlock('#!/bin/sh\n', { lines: gitHookLines(), records: ['created-file'] }, 'end'), 0o755);
    report.changes.push(`created ${report.hookFile}: runs \`keyscan protect --staged\` (keyscan from PATH) before every commit`);
    return report;
  }
  const text = readFileSync(file, 'utf8');
  const records = blockRecords(text);
  const chained = records?.find((r) => r.startsWith('chained:'))?.slice('chained:'.length);
  if (records || isShellScript(text)) {
    const next = addBlock(text, { lines: gitHookLines(chained), records: [] }, 'after-shebang');
    if (next === text) {
      report.notes.push(`already installed in ${report.hookFile}: nothing changed`);
      return report;
    }
    writeHook(file, next, statSync(file).mode);
    report.changes.push(records ? `updated the keyscan lines in ${report.hookFile}` : `added keyscan to the existing ${report.hookFile} (its own commands run after)`);
    return report;
  }
  // Not a shell script (python, node…): lines cannot be added to it. Move it aside and
  // run it from a small shell hook after keyscan.
  const aside = `pre-commit${CHAINED_SUFFIX}`;
  if (existsSync(join(dir, aside))) throw new UserError(`${join(dir, aside)} already exists`, 'move it away, then run keyscan install again');
  renameSync(file, join(dir, aside));
  writeHook(file, addBlock('#!/bin/sh\n', { lines: gitHookLines(aside), records: ['created-file', `chained:${aside}`] }, 'end'), 0o755);
  report.changes.push(`moved the existing hook to ${relative(root, join(dir, aside))}; ${report.hookFile} now runs keyscan, then it`);
  return report;
}

function installHusky(root: string): HookReport {
  const pkgFile = join(root, 'package.json');
  if (!existsSync(pkgFile)) throw new UserError(`--hook-runner husky needs a package.json at the repository root (${root})`, 'run npm init first, or use --hook-runner git');
  const file = join(root, '.husky', 'pre-commit');
  const report: HookReport = { runner: 'husky', hookFile: '.husky/pre-commit', changes: [], notes: [] };
  const records: string[] = [];
  const pkg = readPackageJson(pkgFile);
  if (!hasDependency(pkg, 'husky')) {
    if (section(pkg, 'devDependencies', false) === undefined) records.push('package.json:devDependencies{}');
    section(pkg, 'devDependencies', true)!.husky = HUSKY_RANGE;
    records.push('package.json:devDependencies.husky');
    report.changes.push(`added husky ${HUSKY_RANGE} to devDependencies in package.json`);
  }
  const scripts = section(pkg, 'scripts', false);
  const prepare = scripts?.prepare;
  if (prepare === undefined) {
    if (scripts === undefined) records.push('package.json:scripts{}');
    section(pkg, 'scripts', true)!.prepare = 'husky';
    records.push('package.json:scripts.prepare');
    report.changes.push('added the "prepare": "husky" script to package.json (npm install then turns the hook on)');
  } else if (!/\bhusky\b/.test(prepare)) {
    scripts!.prepare = `${prepare} && husky`;
    records.push('package.json:scripts.prepare+husky');
    report.changes.push('appended "&& husky" to the prepare script in package.json');
  }
  const existed = existsSync(file);
  const text = existed ? readFileSync(file, 'utf8') : '';
  if (!existed) records.push('created-file');
  const next = addBlock(text, { lines: [HUSKY_COMMAND], records }, 'end');
  if (next !== text) {
    mkdirSync(join(root, '.husky'), { recursive: true });
    writeHook(file, next, existed ? statSync(file).mode : 0o755);
    report.changes.unshift(existed ? `added \`${HUSKY_COMMAND}\` to .husky/pre-commit (kept its other lines)` : `created .husky/pre-commit: \`${HUSKY_COMMAND}\``);
  }
  if (records.some((r) => r.startsWith('package.json:'))) writePackageJson(pkg);
  if (report.changes.length === 0) report.notes.push('already installed in .husky/pre-commit: nothing changed');

  if (gitQuery(root, ['config', 'core.hooksPath']).stdout.trim() !== '.husky/_') {
    const bin = join(root, 'node_modules', 'husky', 'bin.js');
    if (existsSync(bin)) {
      // What `npm install` would do through the prepare script: point core.hooksPath at .husky/_.
      const res = spawnSync(process.execPath, [bin], { cwd: root, encoding: 'utf8' });
      if (res.status === 0) report.changes.push('ran husky: git now runs .husky/ hooks');
      else report.notes.push(`husky could not turn the hook on (${(res.stdout + res.stderr).trim() || `exit ${res.status}`}); run npx husky`);
    } else {
      report.notes.push('run npm install: it installs husky, whose prepare script turns the hook on');
    }
  }
  if (!hasDependency(pkg, 'keyscan') && pkg.data.name !== 'keyscan') {
    report.notes.push('keyscan is not in package.json: add it (npm install --save-dev keyscan) so `npx --no-install keyscan` finds it');
  }
  return report;
}

/** Remove what install added, wherever it is (husky, the git hooks directory, or only the one forced). */
export function uninstallHook(cwd: string, forced?: string): HookReport[] {
  const root = repoRoot(cwd);
  const reports: HookReport[] = [];
  if (forced !== 'git') {
    const r = uninstallHusky(root);
    if (r) reports.push(r);
  }
  if (forced !== 'husky') {
    const r = uninstallGit(root);
    if (r) reports.push(r);
  }
  return reports;
}

function uninstallGit(root: string): HookReport | undefined {
  const dir = gitHooksDir(root);
  const file = join(dir, 'pre-commit');
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const { text: rest, removed, records } = removeBlock(text);
  if (!removed) return undefined;
  const report: HookReport = { runner: 'git', hookFile: relative(root, file) || file, changes: [], notes: [] };
  const chained = records.find((r) => r.startsWith('chained:'))?.slice('chained:'.length);
  if (chained && existsSync(join(dir, chained))) {
    renameSync(join(dir, chained), file);
    report.changes.push(`restored the original ${report.hookFile} (was ${relative(root, join(dir, chained))})`);
  } else if (records.includes('created-file') && isEmptyScript(rest)) {
    rmSync(file);
    report.changes.push(`removed ${report.hookFile} (keyscan had created it)`);
  } else {
    writeHook(file, rest, statSync(file).mode);
    report.changes.push(`removed the keyscan lines from ${report.hookFile} (kept its other lines)`);
  }
  return report;
}

function uninstallHusky(root: string): HookReport | undefined {
  const file = join(root, '.husky', 'pre-commit');
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  const { text: rest, removed, records } = removeBlock(text);
  if (!removed) return undefined;
  const report: HookReport = { runner: 'husky', hookFile: '.husky/pre-commit', changes: [], notes: [] };
  const deleteFile = records.includes('created-file') && isEmptyScript(rest);
  if (deleteFile) {
    rmSync(file);
    report.changes.push('removed .husky/pre-commit (keyscan had created it)');
  } else {
    writeHook(file, rest, statSync(file).mode);
    report.changes.push('removed the keyscan lines from .husky/pre-commit (kept its other lines)');
  }
  const pkgRecords = records.filter((r) => r.startsWith('package.json:'));
  const pkgFile = join(root, 'package.json');
  if (pkgRecords.length === 0 || !existsSync(pkgFile)) return report;
  // husky stays if any hook still uses it.
  const users = huskyHooksLeft(root);
  if (users.length > 0) {
    report.notes.push(`kept husky in package.json: ${users.join(', ')} still use it`);
    return report;
  }
  const pkg = readPackageJson(pkgFile);
  const dev = section(pkg, 'devDependencies', false);
  if (pkgRecords.includes('package.json:devDependencies.husky') && dev?.husky !== undefined) {
    delete dev.husky;
    if (pkgRecords.includes('package.json:devDependencies{}') && Object.keys(dev).length === 0) delete pkg.data.devDependencies;
    report.changes.push('removed husky from devDependencies in package.json');
  }
  const scripts = section(pkg, 'scripts', false);
  if (scripts && pkgRecords.includes('package.json:scripts.prepare') && scripts.prepare === 'husky') {
    delete scripts.prepare;
    if (pkgRecords.includes('package.json:scripts{}') && Object.keys(scripts).length === 0) delete pkg.data.scripts;
    report.changes.push('removed the "prepare": "husky" script from package.json');
  } else if (scripts?.prepare && pkgRecords.includes('package.json:scripts.prepare+husky') && scripts.prepare.endsWith(' && husky')) {
    scripts.prepare = scripts.prepare.slice(0, -' && husky'.length);
    report.changes.push('removed "&& husky" from the prepare script in package.json');
  }
  writePackageJson(pkg);
  if (gitQuery(root, ['config', 'core.hooksPath']).stdout.trim() === '.husky/_') {
    gitQuery(root, ['config', '--unset', 'core.hooksPath']);
    rmSync(join(root, '.husky', '_'), { recursive: true, force: true });
    report.changes.push('unset core.hooksPath (git uses .git/hooks again)');
  }
  if (existsSync(join(root, '.husky')) && readdirSync(join(root, '.husky')).length === 0) rmSync(join(root, '.husky'), { recursive: true });
  return report;
}

/** Hook scripts left in .husky/ (husky's own `_` folder aside). */
function huskyHooksLeft(root: string): string[] {
  const dir = join(root, '.husky');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => `.husky/${e.name}`);
}

/** Atomic write, then the mode (writeFileAtomic creates 0644; a hook must stay executable). */
function writeHook(file: string, text: string, mode: number): void {
  writeFileAtomic(file, text);
  chmodSync(file, mode & 0o7777);
}
