import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceiver, verifySignature, type Receiver } from '../../examples/rotation-receiver/server.js';
import { sendRotation, type AttemptReport, type ClientDeps } from '../../src/rotate/client.js';
import { idempotencyKey } from '../../src/rotate/sign.js';
import { secretFingerprint } from '../../src/rotate/payload.js';
import type { RotationSettings } from '../../src/rotate/settings.js';
import { fakeGithubToken } from '../helpers/secrets.js';

const apiKey = randomBytes(16).toString('hex');
const current = { id: 'k-current', secret: randomBytes(32).toString('hex') };
const previous = { id: 'k-previous', secret: randomBytes(32).toString('hex') };

/** A body as keyscan builds it, for a fresh secret each call (so no 409 between tests). */
let n = 0;
function call(): { body: string; idempotencyKey: string } {
  const fp = secretFingerprint(fakeGithubToken(`client-${n++}`));
  const body = JSON.stringify({ reason: 'secret committed to r in c at f:1', triggeredBy: 't', secret: { ruleId: 'github-pat', fingerprint: fp, preview: 'ghp_…', length: 40 }, location: { repository: 'r', commit: 'c', file: 'f', line: 1, author: 'a', date: 'd' }, detectedAt: 'd', tool: { name: 'keyscan', version: '0' } });
  return { body, idempotencyKey: idempotencyKey(fp) };
}

describe('rotation client against the reference receiver', () => {
  let receiver: Receiver;
  let settings: RotationSettings;
  const slept: number[] = [];
  const attempts: AttemptReport[] = [];
  const deps = (over: Partial<ClientDeps> = {}): ClientDeps => ({
    userAgent: 'keyscan/test',
    sleep: async (ms) => { slept.push(ms); },
    onAttempt: (a) => attempts.push(a),
    ...over,
  });

  beforeAll(async () => {
    receiver = createReceiver({ apiKeys: [apiKey], signingSecrets: [current, previous], log: () => {} });
    const url = new URL(await receiver.listen());
    settings = { url, apiKey, hmacSecret: current.secret, keyId: current.id, timeoutMs: 2000, maxRetries: 3, backoffMs: 10, maxBackoffMs: 40, maxRetryAfterMs: 5000 };
  });
  afterAll(async () => receiver.close());

  it('a good request is accepted, and its signature verifies on the wire', async () => {
    const c = call();
    const out = await sendRotation(c, settings, deps());
    expect(out).toMatchObject({ kind: 'rotated', httpStatus: 200, attempts: 1 });
    expect(out.incidentId).toMatch(/^inc-/);
    const req = receiver.requests.at(-1)!;
    expect(req.body).toBe(c.body);
    expect(req.headers['idempotency-key']).toBe(c.idempotencyKey);
    expect(req.headers['user-agent']).toBe('keyscan/test');
    expect(verifySignature([current], current.id, String(req.headers['x-keyscan-timestamp']), String(req.headers['x-keyscan-nonce']), req.body, req.headers['x-keyscan-signature'])).toBe(true);
  });

  it('accepts a signature under the previous signing secret (overlap while the service rotates it)', async () => {
    const out = await sendRotation(call(), { ...settings, hmacSecret: previous.secret, keyId: previous.id }, deps());
    expect(out.kind).toBe('rotated');
  });

  it('a second call for the same secret gets 409 and counts as already rotated', async () => {
    const c = call();
    expect((await sendRotation(c, settings, deps())).kind).toBe('rotated');
    const again = await sendRotation(c, settings, deps());
    expect(again).toMatchObject({ kind: 'already-rotated', httpStatus: 409 });
  });

  it('a replayed nonce is refused, without retry, saying so', async () => {
    const nonce = randomBytes(16).toString('hex');
    expect((await sendRotation(call(), settings, deps({ nonce: () => nonce }))).kind).toBe('rotated');
    const before = receiver.requests.length;
    const out = await sendRotation(call(), settings, deps({ nonce: () => nonce }));
    expect(out).toMatchObject({ kind: 'unauthorized', httpStatus: 403, attempts: 1 });
    expect(out.message).toMatch(/replayed-nonce/);
    expect(receiver.requests.length - before).toBe(1);
  });

  it('the receiver refuses a captured request replayed byte for byte, and a tampered body', async () => {
    const c = call();
    expect((await sendRotation(c, settings, deps())).kind).toBe('rotated');
    const captured = receiver.requests.at(-1)!;
    const headers = Object.fromEntries(Object.entries(captured.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
    const replay = await fetch(settings.url, { method: 'POST', headers, body: captured.body });
    expect(replay.status).toBe(403);
    expect(await replay.json()).toMatchObject({ error: 'replayed-nonce' });
    const tampered = await fetch(settings.url, { method: 'POST', headers: { ...headers, 'x-keyscan-nonce': randomBytes(16).toString('hex') }, body: captured.body.replace('"line":1', '"line":2') });
    expect(tampered.status).toBe(403);
    expect(await tampered.json()).toMatchObject({ error: 'invalid-signature' });
  });

  it('a stale timestamp is refused and points at the clock', async () => {
    const out = await sendRotation(call(), settings, deps({ now: () => Date.now() - 10 * 60 * 1000 }));
    expect(out).toMatchObject({ kind: 'unauthorized', httpStatus: 403 });
    expect(out.message).toMatch(/stale-timestamp.*clock/);
  });

  it('a wrong API key is refused and names KEYSCAN_ROTATION_API_KEY', async () => {
    const out = await sendRotation(call(), { ...settings, apiKey: 'wrong' }, deps());
    expect(out).toMatchObject({ kind: 'unauthorized', httpStatus: 401, attempts: 1 });
    expect(out.message).toMatch(/check KEYSCAN_ROTATION_API_KEY/);
  });

  it('a wrong signing secret is refused and names KEYSCAN_ROTATION_HMAC_SECRET', async () => {
    const out = await sendRotation(call(), { ...settings, hmacSecret: 'not-the-secret' }, deps());
    expect(out).toMatchObject({ kind: 'unauthorized', httpStatus: 403, attempts: 1 });
    expect(out.message).toMatch(/invalid-signature.*check KEYSCAN_ROTATION_HMAC_SECRET and KEYSCAN_ROTATION_KEY_ID/);
  });

  it('503 twice, then 200: succeeds after retries with growing, jittered backoff', async () => {
    receiver.inject({ status: 503 }, 2);
    slept.length = 0;
    attempts.length = 0;
    const out = await sendRotation(call(), settings, deps({ random: () => 1 }));
    expect(out).toMatchObject({ kind: 'rotated', attempts: 3 });
    expect(slept).toEqual([10, 20]);
    expect(attempts.map((a) => [a.httpStatus, a.outcome])).toEqual([[503, 'retrying'], [503, 'retrying'], [200, 'rotated']]);
    // Every attempt is signed afresh: three different nonces.
    expect(new Set(receiver.requests.slice(-3).map((r) => r.headers['x-keyscan-nonce'])).size).toBe(3);
  });

  it('429 waits for Retry-After, then retries', async () => {
    receiver.inject({ status: 429, retryAfter: '2' });
    slept.length = 0;
    const out = await sendRotation(call(), settings, deps());
    expect(out.kind).toBe('rotated');
    expect(slept).toEqual([2000]);
  });

  it('a Retry-After beyond the cap leaves the call pending instead of waiting', async () => {
    receiver.inject({ status: 429, retryAfter: '3600' });
    slept.length = 0;
    const out = await sendRotation(call(), settings, deps());
    expect(out).toMatchObject({ kind: 'pending', httpStatus: 429 });
    expect(out.message).toMatch(/3600s.*--retry-pending/);
    expect(slept).toEqual([]);
  });

  it('keeps failing 5xx: gives up after the retry limit and leaves the call pending', async () => {
    receiver.inject({ status: 502 }, 4);
    const out = await sendRotation(call(), settings, deps());
    expect(out).toMatchObject({ kind: 'pending', httpStatus: 502, attempts: 4 });
  });

  it('timeouts and refused connections are retried, then pending', async () => {
    receiver.inject({ status: 200, delayMs: 1500 }, 2);
    const timedOut = await sendRotation(call(), { ...settings, timeoutMs: 100, maxRetries: 1 }, deps());
    expect(timedOut).toMatchObject({ kind: 'pending', httpStatus: null, attempts: 2 });
    expect(timedOut.message).toMatch(/no answer within 0.1s/);

    // A port nobody listens on: take one, then close it.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const refused = await sendRotation(call(), { ...settings, url: new URL(`http://127.0.0.1:${port}/rotate`), maxRetries: 2 }, deps());
    expect(refused).toMatchObject({ kind: 'pending', httpStatus: null, attempts: 3 });
    expect(refused.message).toMatch(/ECONNREFUSED/);
  });

  it('400/422 are errors without retry; unknown-key is reported as such', async () => {
    receiver.inject({ status: 422, body: '{"error":"invalid-payload"}' });
    expect(await sendRotation(call(), settings, deps())).toMatchObject({ kind: 'rejected', httpStatus: 422, attempts: 1 });
    const picky = createReceiver({ apiKeys: [apiKey], signingSecrets: [current], knownFingerprints: [], log: () => {} });
    const url = new URL(await picky.listen());
    try {
      const out = await sendRotation(call(), { ...settings, url }, deps());
      expect(out.kind).toBe('unknown-key');
      expect(out.message).toMatch(/by hand/);
    } finally {
      await picky.close();
    }
  });
});
