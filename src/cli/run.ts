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
 * The pre-commit hook runs `keyscan protect --staged` on every commit, and start-up is
 * then most of its cost: yargs alone takes longer to import than the scan of a small
 * change (issue 3). The plain hook argv — protect, --staged/--quiet/--no-color, file
 * names — is parsed here without it; anything else goes through yargs, which gives the
 * same arguments (test/cli/fast-path.test.ts).
 */
const FAST_FLAGS: Record<string, [string, unknown]> = {
  '--staged': ['staged', true],
  '--quiet': ['quiet', true],
  '-q': ['quiet', true],
  '--no-color': ['color', false],
};

export function fastPathArgs(argv: string[]): { command: (typeof COMMANDS)[number]; args: Args } | undefined {
  const command = COMMANDS.find((c) => c.name === 'protect');
  if (!command || argv[0] !== command.name) return undefined;
  const args: Args = { _: [command.name] };
  for (const [name, opt] of Object.entries(command.options)) if ('default' in opt) args[name] = opt.default;
  const files: string[] = [];
  let onlyFiles = false;
  for (const a of argv.slice(1)) {
    if (!onlyFiles && a === '--') onlyFiles = true;
    else if (!onlyFiles && a.startsWith('-')) {
      const flag = FAST_FLAGS[a];
      if (!flag) return undefined;
      args[flag[0]] = flag[1];
    } else files.push(a);
  }
  args.files = files;
  return { command, args };
}

async function parse(argv: string[]): Promise<{ args?: Args; output: string; error?: Error }> {
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
