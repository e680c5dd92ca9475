import type { Options } from 'yargs';
import type { Io } from '../io.js';
import { pick, ROTATE_OPTIONS, SCAN_OPTIONS, type Args } from '../options.js';

export type CommandHandler = (args: Args, io: Io) => Promise<number>;

export interface CommandSpec {
  name: string;
  usage: string;
  describe: string;
  options: Record<string, Options>;
  /** Imported only when this command runs, so `keyscan protect` never loads the history scanner. */
  load: () => Promise<CommandHandler>;
}

/** One entry per command. */
export const COMMANDS: CommandSpec[] = [
  {
    name: 'detect',
    usage: 'detect [path]',
    describe: 'scan a repository\'s whole git history (or, with --no-git, the files on disk)',
    options: pick(...SCAN_OPTIONS, 'git', 'log-opts', 'rotate', ...ROTATE_OPTIONS, 'threads'),
    load: async () => (await import('./detect.js')).detectCommand,
  },
  {
    name: 'baseline',
    usage: 'baseline [path]',
    describe: 'record the current findings (by rule, path and secret hash) so --baseline-path reports only new ones',
    options: pick('config', 'verbose', 'quiet', 'color', 'progress', 'max-target-megabytes', 'ignore-directives', 'foreign-directives', 'ignore-path', 'explain', 'output'),
    load: async () => (await import('./baseline.js')).baselineCommand,
  },
  {
    name: 'ignore',
    usage: 'ignore <fingerprints..>',
    describe: 'add finding fingerprints to .keyscanignore (idempotent)',
    options: pick('ignore-path', 'quiet'),
    load: async () => (await import('./ignore.js')).ignoreCommand,
  },
  {
    name: 'rotate',
    usage: 'rotate [path]',
    describe: 'scan the history, confirm committed keys, and ask your rotation service to revoke them',
    options: pick('config', 'verbose', 'quiet', 'color', 'progress', 'ignore-directives', 'log-opts', 'retry-pending', ...ROTATE_OPTIONS),
    load: async () => (await import('./rotate.js')).rotateCommand,
  },
  {
    name: 'hygiene',
    usage: 'hygiene [path]',
    describe: 'check that .env and other credential files stay out of git (.gitignore coverage, tracked, history, exposed); --fix repairs .gitignore',
    options: pick('verbose', 'quiet', 'color', 'report-format', 'report-path', 'exit-code', 'fix', 'untrack', 'history'),
    load: async () => (await import('./hygiene.js')).hygieneCommand,
  },
  {
    name: 'protect',
    usage: 'protect [files..]',
    describe: 'scan what is staged for the next commit (the pre-commit hook); with files, only their staged content',
    options: pick(...SCAN_OPTIONS, 'staged'),
    load: async () => (await import('./protect.js')).protectCommand,
  },
  {
    name: 'install',
    usage: 'install',
    describe: 'add keyscan to the repository\'s pre-commit hook (husky in an npm project, else a plain git hook)',
    options: pick('hook-runner', 'quiet'),
    load: async () => (await import('./install.js')).installCommand,
  },
  {
    name: 'uninstall',
    usage: 'uninstall',
    describe: 'remove exactly what `keyscan install` added',
    options: pick('hook-runner', 'quiet'),
    load: async () => (await import('./install.js')).uninstallCommand,
  },
  {
    name: 'rules',
    usage: 'rules',
    describe: 'list the rules in use (id, description, tags); --test runs every rule\'s samples',
    options: pick('config', 'quiet', 'test'),
    load: async () => (await import('./rules.js')).rulesCommand,
  },
];
