import { describe, expect, it } from 'vitest';
import { fastPathArgs, parse } from '../../src/cli/run.js';
import { COMMANDS } from '../../src/cli/commands/index.js';

/**
 * The fast argv parser must give exactly what yargs gives, for every option of the
 * command (defaults included), or step aside (undefined) so yargs parses or rejects it.
 */
const TAKEN: string[][] = [
  ['detect'],
  ['detect', '.'],
  ['detect', 'some dir/with spaces'],
  ['detect', '--no-git', 'src'],
  ['detect', '--git', '-f', 'json', '-r', 'out.json'],
  ['detect', '--report-format=sarif', '--report-path=report.sarif', '--no-redact', '--exit-code', '3'],
  ['detect', '-r', '-', '-f', 'csv', '--verbose', '--no-progress', '--no-color'],
  ['detect', '--log-opts', 'origin/main..HEAD', '--threads', '2', '-q'],
  ['detect', '--max-target-megabytes', '5', '--ignore-directives', '--no-foreign-directives', '--explain'],
  ['detect', '-c', 'cfg.toml', '-b', 'base.json', '-i', '.ignore', 'repo'],
  ['detect', '--rotate', '--yes', '--all', '--dry-run'],
  ['protect', '--staged'],
  ['protect', '--staged', '-q', 'a b.txt', 'c.js'],
  ['protect', '--staged', '--redact', '--no-color'],
  ['protect', 'x.js', 'y.js'],
  ['hygiene', '--fix', '--no-history'],
  ['hygiene', 'sub'],
  ['baseline', '-o', 'b.json', '.'],
  ['install', '--hook-runner', 'git'],
  ['uninstall'],
  ['rules', '--test'],
  ['rotate', '--retry-pending'],
];

const LEFT_TO_YARGS: string[][] = [
  ['detect', '--help'],
  ['detect', '-h'],
  ['--version'],
  ['detect', '--bogus'],
  ['detect', '-f', 'xml'],
  ['detect', '--exit-code', 'x'],
  ['detect', '--report-path'],
  ['detect', '-vq'],
  ['detect', 'a', 'b'],
  ['detect', '-'],
  ['detect', '123'],
  ['detect', '--verbose', '--verbose'],
  ['detect', '--verbose=true'],
  ['detect', '--no-report-path', 'x'],
  ['rotate', '--finding', 'ks1:a', '--finding', 'ks1:b'],
  ['install', 'extra'],
  ['ignore', 'ks1:x'],
  ['nosuchcommand'],
];

describe('fast argv parsing', () => {
  for (const argv of TAKEN) {
    it(`parses ${argv.join(' ')} exactly as yargs does`, async () => {
      const fast = fastPathArgs(argv);
      expect(fast).toBeDefined();
      // run() hands yargs `-r -` as `--report-path=-` (a lone "-" is otherwise a positional to it).
      const slow = await parse(argv.flatMap((a, i, all) => (a === '-r' && all[i + 1] === '-' ? [] : a === '-' && all[i - 1] === '-r' ? ['--report-path=-'] : [a])));
      expect(slow.error).toBeUndefined();
      const yargsArgs = slow.args!;
      const command = COMMANDS.find((c) => c.name === argv[0])!;
      // Every option the command has, given or defaulted, and the positionals.
      for (const name of Object.keys(command.options)) expect([name, fast!.args[name]]).toEqual([name, yargsArgs[name]]);
      for (const key of ['path', 'files']) if (key in fast!.args) expect(fast!.args[key]).toEqual(yargsArgs[key]);
      expect(fast!.args._).toEqual(yargsArgs._.slice(0, 1));
    });
  }
  for (const argv of LEFT_TO_YARGS) {
    it(`leaves ${argv.join(' ')} to yargs`, () => {
      expect(fastPathArgs(argv)).toBeUndefined();
    });
  }
});
