import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RotationSettings } from './settings.js';
import { ENV } from './settings.js';
import { signedHeaders } from './sign.js';

/**
 * How one rotation call ended (docs: rotation-protocol.md, "Responses").
 * Success: `rotated`, `queued` (accepted for rotation), `already-rotated` (409).
 */
export type OutcomeKind = 'rotated' | 'queued' | 'unknown-key' | 'already-rotated' | 'rejected' | 'unauthorized' | 'pending';

export const SUCCESS: ReadonlySet<OutcomeKind> = new Set(['rotated', 'queued', 'already-rotated']);

export interface RotationOutcome {
  kind: OutcomeKind;
  /** Last HTTP status, or null when no answer came. */
  httpStatus: number | null;
  incidentId: string | null;
  /** One line for a person: what happened and, for a failure, what to check. */
  message: string;
  attempts: number;
}

/** One attempt, reported as it ends (for the audit log). */
export interface AttemptReport {
  attempt: number;
  httpStatus: number | null;
  incidentId: string | null;
  /** `retrying`, or the final outcome. */
  outcome: OutcomeKind | 'retrying';
  error?: string;
}

/** What to send: the exact body and its idempotency key. */
export interface RotationCall {
  body: string;
  idempotencyKey: string;
}

/** Injected for tests; the defaults are the real clock, randomness and timers. */
export interface ClientDeps {
  userAgent: string;
  now?: () => number;
  nonce?: () => string;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onAttempt?: (report: AttemptReport) => void;
}

interface HttpAnswer {
  status: number;
  retryAfter: string | undefined;
  text: string;
}

/** No answer: the attempt timed out or could not connect. */
class TransportError extends Error {}

const MAX_ANSWER_BYTES = 64 * 1024;

/** One POST; resolves with any HTTP answer, rejects with a TransportError when there is none. */
async function postOnce(url: URL, headers: Record<string, string>, body: string, timeoutMs: number): Promise<HttpAnswer> {
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const payload = Buffer.from(body, 'utf8');
  return new Promise<HttpAnswer>((resolve, reject) => {
    let settled = false;
    const fail = (message: string) => {
      if (settled) return;
      settled = true;
      reject(new TransportError(message));
    };
    // agent: false — one connection per attempt, closed after; nothing keeps the process alive.
    const req = request(url, { method: 'POST', headers: { ...headers, 'Content-Length': String(payload.length) }, agent: false }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= MAX_ANSWER_BYTES) chunks.push(c);
      });
      res.on('end', () => {
        clearTimeout(timer);
        if (settled) return;
        settled = true;
        const ra = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, retryAfter: Array.isArray(ra) ? ra[0] : ra, text: Buffer.concat(chunks).toString('utf8') });
      });
      res.on('error', (err) => fail(`connection error: ${err.message}`));
    });
    const timer = setTimeout(() => {
      fail(`no answer within ${timeoutMs / 1000}s`);
      req.destroy();
    }, timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      fail(`cannot reach ${url.host}: ${err.code ?? err.message}`);
    });
    req.end(payload);
  });
}

/** Retry-After is delta-seconds or an HTTP-date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** Exponential backoff with "equal jitter": half the delay fixed, half random, so clients retrying together spread out. */
export function backoffDelay(retry: number, settings: Pick<RotationSettings, 'backoffMs' | 'maxBackoffMs'>, random: () => number): number {
  const full = Math.min(settings.maxBackoffMs, settings.backoffMs * 2 ** retry);
  return full / 2 + random() * (full / 2);
}

/** The service's own words, made safe for one terminal line. */
function serviceSays(text: string): { code?: string; message?: string; incidentId?: string; status?: string } {
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const clean = (v: unknown) => (typeof v === 'string' ? v.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').slice(0, 200) : undefined);
    return { code: clean(j.error), message: clean(j.message), incidentId: clean(j.incidentId), status: clean(j.status) };
  } catch {
    return {};
  }
}

/** Which credential a 401/403 points at. The reference receiver says why in `error`. */
function credentialHint(status: number, code: string | undefined): string {
  if (status === 401 || code === 'invalid-api-key') return `check ${ENV.apiKey} (the API key was refused)`;
  switch (code) {
    case 'stale-timestamp':
      return 'check this machine\'s clock: the service allows ±5 minutes';
    case 'replayed-nonce':
      return 'the service saw this nonce before (a replayed request: is a proxy resending it?)';
    case 'invalid-signature':
      return `check ${ENV.hmacSecret} and ${ENV.keyId} (the signature did not verify)`;
    default:
      return `check ${ENV.hmacSecret} and ${ENV.keyId}, the API key's permissions (${ENV.apiKey}), and this machine's clock`;
  }
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Send one rotation call, retrying what the protocol says is transient: 429 after its
 * Retry-After (bounded), 5xx, timeouts and connection errors with exponential backoff
 * and jitter, at most `maxRetries` times. Every attempt is signed afresh (new timestamp
 * and nonce: the service rejects a reused nonce) under the same Idempotency-Key.
 */
export async function sendRotation(call: RotationCall, settings: RotationSettings, deps: ClientDeps): Promise<RotationOutcome> {
  const now = deps.now ?? Date.now;
  const nonce = deps.nonce ?? (() => randomBytes(16).toString('hex'));
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? defaultSleep;
  const report = (r: AttemptReport) => deps.onAttempt?.(r);
  let lastProblem = '';
  let lastStatus: number | null = null;
  for (let attempt = 1; ; attempt++) {
    const headers = signedHeaders(call.body, settings, { timestamp: Math.floor(now() / 1000), nonce: nonce() }, call.idempotencyKey, deps.userAgent);
    let answer: HttpAnswer | undefined;
    try {
      answer = await postOnce(settings.url, headers, call.body, settings.timeoutMs);
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      lastProblem = err.message;
      lastStatus = null;
    }
    const retriesLeft = attempt <= settings.maxRetries;
    let waitMs: number | undefined;
    if (answer) {
      const { status } = answer;
      lastStatus = status;
      const said = serviceSays(answer.text);
      const final = (kind: OutcomeKind, message: string, incidentId: string | null = said.incidentId ?? null): RotationOutcome => {
        report({ attempt, httpStatus: status, incidentId, outcome: kind, ...(SUCCESS.has(kind) ? {} : { error: message }) });
        return { kind, httpStatus: status, incidentId, message, attempts: attempt };
      };
      const why = said.code || said.message ? ` (${[said.code, said.message].filter(Boolean).join(': ')})` : '';
      if (status >= 200 && status < 300) {
        const kind: OutcomeKind = said.status === 'unknown-key' ? 'unknown-key' : said.status === 'rotated' ? 'rotated' : said.status === 'queued' || status === 202 ? 'queued' : 'rotated';
        const incident = said.incidentId ? `incident ${said.incidentId}` : 'no incident id';
        if (kind === 'unknown-key') return final(kind, `the service does not manage this key (${incident}): revoke and replace it by hand`);
        return final(kind, `${kind === 'queued' ? 'accepted for rotation' : 'rotated'} (${incident})`);
      }
      if (status === 409) return final('already-rotated', `already rotated${said.incidentId ? ` (incident ${said.incidentId})` : ''}`);
      if (status === 400 || status === 422) return final('rejected', `the service rejected the request: HTTP ${status}${why}`);
      if (status === 401 || status === 403) return final('unauthorized', `the service refused the call: HTTP ${status}${why}: ${credentialHint(status, said.code)}`);
      if (status === 429) {
        const ra = parseRetryAfter(answer.retryAfter, now());
        if (ra !== undefined && ra > settings.maxRetryAfterMs) {
          lastProblem = `throttled (HTTP 429): the service asked to wait ${Math.ceil(ra / 1000)}s, more than the ${settings.maxRetryAfterMs / 1000}s limit`;
          return pending(attempt, status);
        }
        waitMs = ra ?? backoffDelay(attempt - 1, settings, random);
        lastProblem = `throttled (HTTP 429)`;
      } else if (status >= 500) {
        lastProblem = `HTTP ${status}${why}`;
      } else {
        // 3xx (never followed: the credentials must not go to another address), 404, 405…
        return final('rejected', `unexpected answer HTTP ${status}${why}: check ${ENV.url}`);
      }
    }
    if (!retriesLeft) return pending(attempt, lastStatus);
    report({ attempt, httpStatus: lastStatus, incidentId: null, outcome: 'retrying', error: lastProblem });
    await sleep(waitMs ?? backoffDelay(attempt - 1, settings, random));
  }

  function pending(attempts: number, status: number | null): RotationOutcome {
    const message = `not rotated yet: ${lastProblem} after ${attempts} attempt${attempts === 1 ? '' : 's'}; the call is kept pending: run \`keyscan rotate --retry-pending\` later`;
    report({ attempt: attempts, httpStatus: status, incidentId: null, outcome: 'pending', error: lastProblem });
    return { kind: 'pending', httpStatus: status, incidentId: null, message, attempts };
  }
}
