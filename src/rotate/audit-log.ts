import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * keyscan's state directory: `KEYSCAN_STATE_DIR`, else `$XDG_STATE_HOME/keyscan`, else
 * `~/.local/state/keyscan` (XDG Base Directory spec). Outside any working tree by
 * default, so the audit log and pending calls can never be committed by accident.
 */
export function stateDir(env: NodeJS.ProcessEnv): string {
  if (env.KEYSCAN_STATE_DIR) return env.KEYSCAN_STATE_DIR;
  const base = env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'keyscan');
}

export function ensureStateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** One attempt at a rotation call, as written to the audit log. Never holds the secret. */
export interface AuditRecord {
  time: string;
  /** `sha256:<hex>` of the secret. */
  fingerprint: string;
  ruleId: string;
  location: { repository: string; commit: string; file: string; line: number };
  /** Who confirmed the rotation. */
  triggeredBy: string;
  idempotencyKey: string;
  /** 1 for the first attempt of this run. */
  attempt: number;
  /** HTTP status, or null when no answer came (timeout, connection error). */
  httpStatus: number | null;
  incidentId: string | null;
  /** `rotated`, `queued`, `unknown-key`, `already-rotated`, `rejected`, `unauthorized`, `retrying`, `pending`. */
  outcome: string;
  /** Short reason for anything but success. */
  error?: string;
}

export const AUDIT_FILE = 'rotation-audit.jsonl';

/**
 * Append one record as one JSON line. One `write()` of the whole line to a file opened
 * with O_APPEND: POSIX makes each such write land at the end as a unit, so concurrent
 * runs never interleave within a line (lines are small, far below any short-write size).
 */
export function appendAudit(dir: string, record: AuditRecord): void {
  ensureStateDir(dir);
  const line = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
  const fd = openSync(join(dir, AUDIT_FILE), 'a', 0o600);
  try {
    const written = writeSync(fd, line);
    if (written !== line.length) throw new Error(`short write to the audit log (${written} of ${line.length} bytes)`);
  } finally {
    closeSync(fd);
  }
}
