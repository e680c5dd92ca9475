import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../report/write.js';
import { ensureStateDir } from './audit-log.js';

/**
 * A rotation call that has not had a final answer yet. Written before the first attempt
 * and removed once the service answered for good, so a crash, a network outage or a
 * rejected credential leaves it here for `keyscan rotate --retry-pending`.
 *
 * Resending needs the exact body (the service deduplicates on the Idempotency-Key and
 * the body describes the same leak); the body is secret-free by construction, so it is
 * stored as is. Timestamp, nonce and signature are made fresh for each attempt, and
 * the credentials come from the settings at retry time: none of them is stored.
 */
export interface PendingCall {
  version: 1;
  idempotencyKey: string;
  /** `sha256:<hex>` of the secret. */
  fingerprint: string;
  ruleId: string;
  /** The stable finding fingerprint, for messages. */
  findingFingerprint: string;
  location: { repository: string; commit: string; file: string; line: number };
  triggeredBy: string;
  /** The exact request body. */
  body: string;
  createdAt: string;
  /** Why it is still pending. */
  lastError?: string;
}

const DIR = 'rotation-pending';

function fileFor(dir: string, idempotencyKey: string): string {
  return join(dir, DIR, `${idempotencyKey.replace(/[^A-Za-z0-9_-]/g, '_')}.json`);
}

export function savePending(stateDir: string, call: PendingCall): void {
  ensureStateDir(join(stateDir, DIR));
  writeFileAtomic(fileFor(stateDir, call.idempotencyKey), `${JSON.stringify(call, null, 2)}\n`);
}

export function removePending(stateDir: string, idempotencyKey: string): void {
  rmSync(fileFor(stateDir, idempotencyKey), { force: true });
}

/** Every pending call, oldest first. Unreadable entries are reported, not fatal. */
export function listPending(stateDir: string, warn: (message: string) => void = () => {}): PendingCall[] {
  let names: string[];
  try {
    names = readdirSync(join(stateDir, DIR)).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const calls: PendingCall[] = [];
  for (const name of names) {
    const path = join(stateDir, DIR, name);
    try {
      const call = JSON.parse(readFileSync(path, 'utf8')) as PendingCall;
      if (call.version !== 1 || typeof call.body !== 'string' || typeof call.idempotencyKey !== 'string') throw new Error('unknown format');
      calls.push(call);
    } catch (err) {
      warn(`skipping unreadable pending call ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return calls.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
