// Reference receiver for keyscan's emergency rotation calls (docs: rotation-protocol.md).
// Dependency-free Node (>= 20). Copy it into your own rotation service, or run it as is
// to see what keyscan sends:  node examples/rotation-receiver/server.js
//
// It implements the protocol's receiver checklist, in this order:
//   1. X-API-Key is one of the known keys                           → else 401
//   2. X-Keyscan-Timestamp within ±skew (5 minutes) of our clock     → else 403
//   3. X-Keyscan-Signature matches under the current or the previous
//      signing secret, compared in constant time                    → else 403
//   4. X-Keyscan-Nonce not seen inside the skew window               → else 403
//      (recorded only after the signature verified, so forged calls cannot burn nonces)
//   5. Idempotency-Key not seen before                               → else 409
//   6. body is JSON with the protocol's fields                       → else 400 / 422
// Then it "revokes": it logs what a real service would revoke, and answers 200.
import { createServer } from 'node:http';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const MAX_BODY_BYTES = 64 * 1024;

/**
 * HMAC-SHA256 over `timestamp + "." + nonce + "." + rawBody`, as `sha256=<hex>`.
 * @param {string} secret @param {string} timestamp @param {string} nonce @param {Buffer|string} rawBody
 */
export function computeSignature(secret, timestamp, nonce, rawBody) {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.${nonce}.`, 'utf8');
  mac.update(rawBody);
  return `sha256=${mac.digest('hex')}`;
}

/** Constant-time comparison of two signature strings (unequal lengths compare as different). */
function sameSignature(a, b) {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * True when `signature` matches `rawBody` under one of the signing secrets. When the
 * key id names one of them, only that one is tried; otherwise each.
 * @param {{id: string, secret: string}[]} signingSecrets
 */
export function verifySignature(signingSecrets, keyId, timestamp, nonce, rawBody, signature) {
  const named = signingSecrets.filter((s) => s.id === keyId);
  const candidates = named.length > 0 ? named : signingSecrets;
  let ok = false;
  // Check every candidate (no early exit) so the time taken does not say which matched.
  for (const s of candidates) ok = sameSignature(computeSignature(s.secret, timestamp, nonce, rawBody), String(signature ?? '')) || ok;
  return ok;
}

/**
 * @typedef {object} ReceiverOptions
 * @property {string[]} apiKeys accepted X-API-Key values
 * @property {{id: string, secret: string}[]} signingSecrets the current signing secret first, then the previous one
 * @property {number} [skewSeconds] accepted clock difference (default 300)
 * @property {string[]} [knownFingerprints] fingerprints this service manages; others get status "unknown-key" (default: every key is known)
 * @property {(line: string) => void} [log] where to log (default: console.log)
 * @property {() => number} [now] clock in milliseconds (tests)
 */

/**
 * A receiver: `listen()` it, point keyscan at its URL. `inject()` queues canned answers
 * (failures) served before the checklist runs, for testing clients.
 * @param {ReceiverOptions} options
 */
export function createReceiver(options) {
  const skew = (options.skewSeconds ?? 300) * 1000;
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line) => console.log(line));
  const apiKeys = (options.apiKeys ?? []).map((k) => Buffer.from(k, 'utf8'));
  /** nonce → time seen (ms) */
  const nonces = new Map();
  /** Idempotency-Key → incident id */
  const incidents = new Map();
  /** @type {{status: number, retryAfter?: string, delayMs?: number, body?: string}[]} */
  const injected = [];
  /** Every request received, raw (for tests: what exactly went over the wire). */
  const requests = [];
  /** Every key revoked. */
  const revoked = [];

  const answer = (res, status, body, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
    return status;
  };

  const knownApiKey = (value) => {
    const given = Buffer.from(String(value ?? ''), 'utf8');
    let ok = false;
    for (const k of apiKeys) ok = (k.length === given.length && timingSafeEqual(k, given)) || ok;
    return ok;
  };

  const handle = (req, res, raw) => {
    const h = req.headers;
    if (req.method !== 'POST') return answer(res, 405, { error: 'method-not-allowed' });
    if (!knownApiKey(h['x-api-key'])) return answer(res, 401, { error: 'invalid-api-key', message: 'unknown X-API-Key' });
    const timestamp = String(h['x-keyscan-timestamp'] ?? '');
    const nonce = String(h['x-keyscan-nonce'] ?? '');
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now() - Number(timestamp) * 1000) > skew) {
      return answer(res, 403, { error: 'stale-timestamp', message: `X-Keyscan-Timestamp is more than ${skew / 1000}s from the receiver's clock` });
    }
    if (!/^[0-9a-f]{32}$/.test(nonce)) return answer(res, 403, { error: 'invalid-nonce', message: 'X-Keyscan-Nonce must be 128 bits of hex' });
    if (!verifySignature(options.signingSecrets, String(h['x-keyscan-key-id'] ?? ''), timestamp, nonce, raw, h['x-keyscan-signature'])) {
      return answer(res, 403, { error: 'invalid-signature', message: 'X-Keyscan-Signature does not match under the current or previous signing secret' });
    }
    for (const [n, at] of nonces) if (now() - at > 2 * skew) nonces.delete(n);
    if (nonces.has(nonce)) return answer(res, 403, { error: 'replayed-nonce', message: 'X-Keyscan-Nonce was already used' });
    nonces.set(nonce, now());

    const idempotencyKey = String(h['idempotency-key'] ?? '');
    if (idempotencyKey === '') return answer(res, 400, { error: 'missing-idempotency-key' });
    const previous = incidents.get(idempotencyKey);
    if (previous) return answer(res, 409, { error: 'already-rotated', incidentId: previous });

    let body;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return answer(res, 400, { error: 'invalid-json' });
    }
    const secret = body?.secret;
    if (typeof body?.reason !== 'string' || typeof body?.triggeredBy !== 'string' || typeof secret?.ruleId !== 'string'
      || !/^sha256:[0-9a-f]{64}$/.test(String(secret?.fingerprint)) || typeof body?.location?.commit !== 'string') {
      return answer(res, 422, { error: 'invalid-payload', message: 'missing reason, triggeredBy, secret.ruleId, secret.fingerprint or location.commit' });
    }
    const incidentId = `inc-${randomUUID()}`;
    incidents.set(idempotencyKey, incidentId);
    const known = options.knownFingerprints === undefined || options.knownFingerprints.includes(secret.fingerprint);
    if (known) {
      // A real service revokes the key now (no grace period), issues the new one to its
      // consumers, records the incident and alerts the owners.
      revoked.push({ incidentId, fingerprint: secret.fingerprint, ruleId: secret.ruleId, body });
      log(`REVOKE ${secret.ruleId} ${secret.preview ?? ''} ${secret.fingerprint} (${body.reason}; triggered by ${body.triggeredBy}) incident ${incidentId}`);
    } else {
      log(`UNKNOWN KEY ${secret.ruleId} ${secret.fingerprint}: not managed here, incident ${incidentId}`);
    }
    return answer(res, 200, { incidentId, status: known ? 'rotated' : 'unknown-key' });
  };

  const server = createServer((req, res) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const record = { method: req.method, url: req.url, headers: { ...req.headers }, body: raw.toString('utf8'), status: 0 };
      requests.push(record);
      const canned = injected.shift();
      if (canned) {
        const reply = () => {
          record.status = answer(res, canned.status, canned.body !== undefined ? JSON.parse(canned.body) : { error: 'injected' },
            canned.retryAfter !== undefined ? { 'retry-after': canned.retryAfter } : {});
        };
        if (canned.delayMs) setTimeout(reply, canned.delayMs);
        else reply();
        return;
      }
      if (size > MAX_BODY_BYTES) {
        record.status = answer(res, 413, { error: 'body-too-large' });
        return;
      }
      record.status = handle(req, res, raw);
      log(`${req.method} ${req.url} → ${record.status}`);
    });
  });

  return {
    server,
    requests,
    revoked,
    /**
     * Queue canned answers served before the checklist, e.g. inject({status: 503}, 2) or
     * inject({status: 429, retryAfter: '1'}). `delayMs` delays the answer (timeouts).
     */
    inject(response, times = 1) {
      for (let i = 0; i < times; i++) injected.push({ ...response });
    },
    /** Start listening; resolves with the URL to give keyscan. */
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const addr = server.address();
          const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
          resolve(`http://${shown}:${addr.port}/rotate`);
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      });
    },
  };
}

/** RECEIVER_SIGNING_SECRETS="id1=secret1,id2=secret2": current first, then previous. */
function parseSecrets(value) {
  return String(value ?? '').split(',').filter(Boolean).map((pair) => {
    const eq = pair.indexOf('=');
    return { id: pair.slice(0, eq), secret: pair.slice(eq + 1) };
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const apiKeys = String(process.env.RECEIVER_API_KEYS ?? '').split(',').filter(Boolean);
  const signingSecrets = parseSecrets(process.env.RECEIVER_SIGNING_SECRETS);
  if (apiKeys.length === 0 || signingSecrets.length === 0 || signingSecrets.some((s) => !s.id || !s.secret)) {
    console.error('set RECEIVER_API_KEYS (comma-separated) and RECEIVER_SIGNING_SECRETS ("keyid=secret[,previousid=previoussecret]")');
    process.exit(2);
  }
  const receiver = createReceiver({
    apiKeys,
    signingSecrets,
    skewSeconds: process.env.RECEIVER_SKEW_SECONDS ? Number(process.env.RECEIVER_SKEW_SECONDS) : undefined,
    knownFingerprints: process.env.RECEIVER_KNOWN_FINGERPRINTS ? process.env.RECEIVER_KNOWN_FINGERPRINTS.split(',') : undefined,
  });
  const fail = Number(process.env.RECEIVER_FAIL_503 ?? 0);
  if (fail > 0) receiver.inject({ status: 503 }, fail);
  const url = await receiver.listen(Number(process.env.RECEIVER_PORT ?? 8787), process.env.RECEIVER_HOST ?? '127.0.0.1');
  console.log(`rotation receiver listening on ${url}`);
}
