import { isatty } from 'node:tty';

/** The only door to the terminal: commands write through this, tests capture it. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** stderr is a terminal (spinners, progress, colour). */
  isTTY: boolean;
  /** stdin is a terminal (interactive prompts). */
  stdinTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIo(): Io {
  return {
    stdout: (t) => void (use(process.stdout) && process.stdout.write(t)),
    stderr: (t) => void (use(process.stderr) && process.stderr.write(t)),
    // isatty rather than process.stderr.isTTY and process.stdin.isTTY: those build the
    // streams (a socket for a pipe) on first use, 3 to 5 ms of every run, the pre-commit
    // hook's included, which reads nothing and writes no more than a line to stdout.
    isTTY: isatty(2),
    stdinTTY: isatty(0),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** The process streams written to through processIo(). */
const used = new Set<NodeJS.WriteStream>();
/** Those whose reader went away. */
const closed = new Set<NodeJS.WriteStream>();

/** Marks a stream as written to; false once its reader has gone (nothing more is written to it). */
function use(stream: NodeJS.WriteStream): boolean {
  if (!used.has(stream)) {
    used.add(stream);
    // The reader went away (`keyscan detect -r - | head`): what is left has nowhere to go.
    // Stop writing, as other command-line tools do, instead of dying on an unhandled
    // 'error' event with a stack trace. Any other error is as fatal as it was.
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      closed.add(stream);
    });
  }
  return !closed.has(stream);
}

/**
 * Resolves once everything written through processIo() has been handed to the system:
 * where stdout is asynchronous (a pipe on macOS, a terminal on Windows) process.exit()
 * would otherwise cut it short. Streams nothing was written to are left alone.
 */
export function flushOutput(): Promise<void> {
  const open = [...used].filter((stream) => !closed.has(stream) && !stream.destroyed);
  return Promise.all(open.map((stream) => new Promise<void>((resolve) => void stream.write('', () => resolve())))).then(() => undefined);
}

/** Colour is on for a terminal, unless NO_COLOR or --no-color says otherwise (no-color.org). */
export function useColor(io: Io, flag: boolean | undefined, stream: 'stdout' | 'stderr' = 'stdout'): boolean {
  if (flag === false) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return stream === 'stderr' ? io.isTTY : Boolean(process.stdout.isTTY) && io.isTTY;
}
