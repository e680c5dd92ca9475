import type { Options } from 'yargs';
import { UserError, ConfigError, UsageError } from '../errors.js';
import { processIo, type Io } from './io.js';
import { COMMANDS } from './commands/index.js';
import { version } from './version.js';
import { OPTIONS, type Args } from './options.js';

/**
 * Parse argv, run the command, return the exit code. Never calls process.exit: the bin
 * sets the exit code. User mistakes become one line and exit 2; bugs show their stack.
 */
export async function run(argv: string[], io: Io = processIo()): Promise<number> {
  const fast = fastPathArgs(argv);
  if (fast) {
    try {
      return await fast.command.load().then((handler) => handler(fast.args, io));
    } catch (err) {
      return reportError(err, io);
    }
  }
  let parsed: { args?: Args; output: string; error?: Error };
  argv = joinDashValues(argv);
  try {
    parsed = await parse(argv);
  } catch (err) {
    return reportError(err, io);
  }
  if (parsed.error) return reportError(new UserError(describeParseError(parsed.error.message, argv), 'run `keyscan --help` for usage'), io);
  if (!parsed.args) {
    // --help or --version: yargs produced the text.
    io.stdout(`${parsed.output}\n`);
    return 0;
  }
  const name = String(parsed.args._[0] ?? '');
  // yargs reads a lone `-` positional as `true`: name it rather than scan a path called "true".
  if (parsed.args.path === true) return reportError(new UsageError('a path of "-" (standard input) is not supported', 'name a file or directory'), io);
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stdout(`${parsed.output}\n`);
    return 0;
  }
  try {
    const handler = await command.load();
    return await handler(parsed.args, io);
  } catch (err) {
    return reportError(err, io);
  }
}

/**
 * yargs and its dependencies are some forty modules, and laying out its tables is most
 * of a command's start-up: on the pre-commit hook that was longer than the scan of a
 * small change, and every `detect` in CI paid it too (issue 3). Plain argv — a command,
 * its own long flags (`--name value`, `--name=value`, `--flag`, `--no-flag`), their
 * one-letter aliases, and its positional arguments — is parsed here from the same option
 * table. Anything else (help, version, an unknown or repeated flag, a missing or invalid
 * value, clustered short flags, numbers as positionals) returns undefined and goes
 * through yargs, which then gives the same arguments or the error message
 * (test/cli/fast-path.test.ts compares the two on many argv).
 */
export function fastPathArgs(argv: string[]): { command: (typeof COMMANDS)[number]; args: Args } | undefined {
  const command = COMMANDS.find((c) => c.name === argv[0]);
  if (!command) return undefined;
  // `detect [path]`, `protect [files..]`, or a bare `install`.
  const positional = /^\S+ \[(\w+)(\.\.)?\]$/.exec(command.usage);
  if (!positional && command.usage !== command.name) return undefined;
  const variadic = positional?.[2] !== undefined;
  const options = command.options as Record<string, Options>;
  const byAlias = new Map<string, string>();
  for (const [name, o] of Object.entries(options)) if (typeof o.alias === 'string') byAlias.set(o.alias, name);
  const args: Args = { _: [command.name] };
  for (const [name, o] of Object.entries(options)) if ('default' in o) args[name] = o.default;
  const given = new Set<string>();
  const rest: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      if (!variadic) return undefined;
      rest.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-')) {
      // yargs turns numeric-looking positionals into numbers: leave those to it.
      if (/^[-+]?(\d|\.\d)/.test(a) || a === '') return undefined;
      rest.push(a);
      continue;
    }
    let name: string | undefined;
    let value: string | undefined;
    let negated = false;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const key = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (eq >= 0) value = a.slice(eq + 1);
      if (Object.hasOwn(options, key)) name = key;
      else if (key.startsWith('no-') && Object.hasOwn(options, key.slice(3))) {
        name = key.slice(3);
        negated = true;
      }
    } else if (a.length === 2) {
      name = byAlias.get(a[1]!);
    }
    if (name === undefined || given.has(name)) return undefined;
    given.add(name);
    const o = options[name]!;
    if (o.array) return undefined;
    if (o.type === 'boolean') {
      if (value !== undefined) return undefined;
      args[name] = !negated;
      continue;
    }
    if (negated) return undefined;
    if (value === undefined) {
      const next = argv[i + 1];
      // A lone "-" is stdout for --report-path (joinDashValues); anything else starting with "-" is yargs' to judge.
      if (next === undefined || (next.startsWith('-') && !(next === '-' && name === 'report-path'))) return undefined;
      value = next;
      i++;
    }
    if (value === '') return undefined;
    if (o.type === 'number') {
      if (!/^\d+$/.test(value)) return undefined;
      args[name] = Number(value);
    } else {
      if (o.choices && !(o.choices as unknown[]).includes(value)) return undefined;
      args[name] = value;
    }
  }
  if (positional) {
    if (variadic) {
      if (rest.length > 0) args[positional[1]!] = rest;
    }
    else if (rest.length > 1) return undefined;
    else if (rest.length === 1) args[positional[1]!] = rest[0];
  } else if (rest.length > 0) {
    return undefined;
  }
  return { command, args };
}

/** Exported for the test that compares it with fastPathArgs. */
export async function parse(argv: string[]): Promise<{ args?: Args; output: string; error?: Error }> {
  const { default: yargs } = await import('yargs');
  let y = yargs()
    .scriptName('keyscan')
    .usage('$0 <command> [options]\n\nFind secrets before they leave the machine, and revoke the ones that did.')
    .version(version())
    .help()
    .alias('h', 'help')
    .alias('V', 'version')
    .strict()
    .recommendCommands()
    .demandCommand(1, 'name a command, e.g. `keyscan detect`')
    .exitProcess(false)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .epilogue('Exit codes: 0 clean, 1 leaks found (--exit-code), 2 usage, config or runtime error.');
  for (const c of COMMANDS) {
    y = y.command(c.usage, c.describe, (b) => b.options(c.options).strictOptions());
  }
  // After matching a command, yargs lays out that command's whole help text (string-width
  // on every line) and caches it for an error it might print later; ~50 ms of every run
  // (issue 3's history benchmark). Our errors are our own one-liners and --help builds its
  // text afresh, so the cache is never read: skip filling it. (yargs 17 internals, hence
  // the optional chaining: on another version this is a no-op, not a failure.)
  const usage = (y as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } })
    .getInternalMethods?.().getUsageInstance?.();
  if (usage?.cacheHelpMessage) usage.cacheHelpMessage = () => {};
  return new Promise((resolve) => {
    void y.parse(argv, {}, (error: Error | null | undefined, args: Args, output: string) => {
      const helpOrVersion = argv.some((a) => a === '--help' || a === '-h' || a === '--version' || a === '-V');
      if (error) resolve({ output, error });
      else if (helpOrVersion) resolve({ output });
      else resolve({ args, output });
    });
  });
}

function reportError(err: unknown, io: Io): number {
  // One problem is one line, like any user mistake; several are a heading and one line each.
  if (err instanceof ConfigError && err.problems.length > 1) {
    io.stderr(`keyscan: ${err.message}\n`);
    if (err.hint) io.stderr(`keyscan: ${err.hint}\n`);
    return 2;
  }
  if (err instanceof UserError) {
    io.stderr(`keyscan: ${err.message}${err.hint ? ` (${err.hint})` : ''}\n`);
    return 2;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  io.stderr(`keyscan: internal error: ${e.stack ?? e.message}\nThis is a bug in keyscan ${version()}: please report it with the command you ran.\n`);
  return 2;
}

/**
 * yargs names an unknown `--no-foo` as "foo" (it reads it as foo=false); name the flag
 * exactly as the user typed it.
 */
function describeParseError(message: string, argv: string[]): string {
  // yargs' choices error spans lines: "Invalid values:\n  Argument: x, Given: "y", Choices: ...".
  const invalid = [...message.matchAll(/Argument: ([\w-]+), Given: (.+?), Choices: (.+)/g)];
  if (invalid.length > 0) return invalid.map((i) => `--${i[1]}: ${i[2]} is not one of ${i[3]!.replace(/"/g, '')}`).join('; ');
  // A string flag given last, with nothing after it.
  const missing = /^Not enough arguments following: (.+)$/.exec(message);
  if (missing) {
    const n = missing[1]!;
    const long = Object.entries(OPTIONS).find(([k, o]) => k === n || ('alias' in o && o.alias === n))?.[0] ?? n;
    return `--${long} needs a value`;
  }
  const m = /^Unknown arguments?: (.+)$/.exec(message);
  if (!m) return message.replace(/\s*\n\s*/g, ' ');
  const kebab = (n: string) => n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  const words: string[] = [];
  for (const n of m[1]!.split(', ')) {
    if (argv.includes(n)) {
      words.push(argv[0] === n ? `unknown command: ${n}` : `unexpected argument: ${n}`);
      continue;
    }
    const typed = argv.find((a) => a.startsWith('-') && kebab(a.replace(/^--?(no-)?/, '').split('=')[0]!) === kebab(n));
    const flag = typed ? typed.split('=')[0]! : `--${kebab(n)}`;
    if (!words.includes(`unknown option: ${flag}`)) words.push(`unknown option: ${flag}`);
  }
  return words.join('; ');
}

/** String options whose value may be "-" (stdout): yargs would take a lone "-" for a positional. */
const DASH_VALUE_FLAGS = new Set(['--report-path', '-r']);

function joinDashValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (DASH_VALUE_FLAGS.has(a) && argv[i + 1] === '-') {
      out.push(`${a}=-`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}
