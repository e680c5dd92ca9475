/**
 * Every error keyscan raises on purpose lives here. The CLI maps them to exit codes:
 * a UserError (bad flag, bad config, missing path, not a repository) is printed as one
 * line and exits 2; anything else is a bug and is shown with its stack.
 */

/** A mistake the user can fix: printed as one line, exit code 2, never a stack trace. */
export class UserError extends Error {
  override readonly name: string = 'UserError';
  /** What to do about it, printed after the message. */
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.hint = hint;
  }
}

/** A flag or argument is missing, unknown or malformed. */
export class UsageError extends UserError {
  override readonly name = 'UsageError';
}

/**
 * A rules or config file is broken. Carries every problem found, each already prefixed
 * with the file and rule id, so that one run shows all of them at once.
 */
export class ConfigError extends UserError {
  override readonly name = 'ConfigError';
  readonly problems: string[];
  constructor(problems: string[], hint?: string) {
    super(
      problems.length === 1
        ? (problems[0] ?? 'invalid configuration')
        : `${problems.length} problems in the configuration:\n  ${problems.join('\n  ')}`,
      hint,
    );
    this.problems = problems;
  }
}

/** The scan target is not what the command needs (e.g. not a git repository). */
export class TargetError extends UserError {
  override readonly name = 'TargetError';
}

/** A git command failed in a way the user can act on. */
export class GitError extends UserError {
  override readonly name = 'GitError';
}

/** Formats any thrown value as a message for Node errors whose code says they are the user's (ENOENT on a given path, EACCES). */
export function describeSystemError(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err) {
    const e = err as NodeJS.ErrnoException;
    const where = e.path ? ` ${e.path}` : '';
    switch (e.code) {
      case 'ENOENT':
        return `no such file or directory:${where}`;
      case 'EACCES':
      case 'EPERM':
        return `permission denied:${where}`;
      case 'EISDIR':
        return `is a directory:${where}`;
      case 'ENOTDIR':
        return `not a directory:${where}`;
      default:
        return `${e.code}:${where} ${e.message}`;
    }
  }
  return err instanceof Error ? err.message : String(err);
}
