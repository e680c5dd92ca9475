import { createHash, createHmac } from 'node:crypto';

/** The client's credentials for the rotation service (docs: rotation-protocol.md, "Request"). */
export interface SigningCredentials {
  /** Sent as X-API-Key. */
  apiKey: string;
  /** HMAC-SHA256 key for X-Keyscan-Signature; never sent. */
  hmacSecret: string;
  /** Which signing secret this is (X-Keyscan-Key-Id), so the service can rotate it with an overlap. */
  keyId: string;
}

/** `sha256=` + hex HMAC-SHA256 over `timestamp + "." + nonce + "." + rawBody`. */
export function computeSignature(hmacSecret: string, timestamp: string, nonce: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', hmacSecret).update(`${timestamp}.${nonce}.${rawBody}`, 'utf8').digest('hex')}`;
}

/**
 * Idempotency-Key for one leaked secret: derived from its fingerprint only (not from the
 * commit, file or time), so a retry, a second run, or the same key found in another
 * file never rotates it twice. Hashed with a label so it is not the fingerprint itself
 * (a log of idempotency keys is not a list of key hashes).
 */
export function idempotencyKey(secretFingerprint: string): string {
  return `keyscan-${createHash('sha256').update(`keyscan rotation v1\n${secretFingerprint}`, 'utf8').digest('hex').slice(0, 48)}`;
}

/** The per-attempt values: a fresh timestamp and nonce for every attempt (the service rejects a reused nonce). */
export interface AttemptStamp {
  /** Unix seconds. */
  timestamp: number;
  /** 128-bit random, hex. */
  nonce: string;
}

/** Every header of one attempt, in the protocol's order. */
export function signedHeaders(rawBody: string, credentials: SigningCredentials, stamp: AttemptStamp, idemKey: string, userAgent: string): Record<string, string> {
  const timestamp = String(stamp.timestamp);
  return {
    'Content-Type': 'application/json',
    'X-API-Key': credentials.apiKey,
    'X-Keyscan-Key-Id': credentials.keyId,
    'X-Keyscan-Timestamp': timestamp,
    'X-Keyscan-Nonce': stamp.nonce,
    'X-Keyscan-Signature': computeSignature(credentials.hmacSecret, timestamp, stamp.nonce, rawBody),
    'Idempotency-Key': idemKey,
    'User-Agent': userAgent,
  };
}

/** Headers safe to print (--dry-run, errors): the API key masked, everything else as sent. */
export function printableHeaders(headers: Record<string, string>): Record<string, string> {
  const out = { ...headers };
  if (out['X-API-Key'] !== undefined) out['X-API-Key'] = '<redacted>';
  return out;
}
