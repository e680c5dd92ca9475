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
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    stdinTTY: Boolean(process.stdin.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Colour is on for a terminal, unless NO_COLOR or --no-color says otherwise (no-color.org). */
export function useColor(io: Io, flag: boolean | undefined, stream: 'stdout' | 'stderr' = 'stdout'): boolean {
  if (flag === false) return false;
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true;
  return stream === 'stderr' ? io.isTTY : Boolean(process.stdout.isTTY) && io.isTTY;
}
