import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeSignature, idempotencyKey, printableHeaders, signedHeaders } from '../../src/rotate/sign.js';
import { verifySignature } from '../../examples/rotation-receiver/server.js';
import { secretFingerprint } from '../../src/rotate/payload.js';
import { fakeGithubToken } from '../helpers/secrets.js';

describe('request signing', () => {
  const creds = { apiKey: 'api-key-for-tests', hmacSecret: 'signing-secret-for-tests', keyId: 'k1' };
  const body = '{"reason":"é"}';

  it('signs timestamp.nonce.body with HMAC-SHA256 as sha256=<hex>', () => {
    const expected = createHmac('sha256', creds.hmacSecret).update(Buffer.from(`1700000000.00112233445566778899aabbccddeeff.${body}`, 'utf8')).digest('hex');
    expect(computeSignature(creds.hmacSecret, '1700000000', '00112233445566778899aabbccddeeff', body)).toBe(`sha256=${expected}`);
  });

  it('produces every protocol header, and the reference receiver verifies the signature', () => {
    const h = signedHeaders(body, creds, { timestamp: 1700000000, nonce: '00112233445566778899aabbccddeeff' }, 'idem', 'keyscan/0.1.0');
    expect(Object.keys(h)).toEqual(['Content-Type', 'X-API-Key', 'X-Keyscan-Key-Id', 'X-Keyscan-Timestamp', 'X-Keyscan-Nonce', 'X-Keyscan-Signature', 'Idempotency-Key', 'User-Agent']);
    expect(h).toMatchObject({ 'Content-Type': 'application/json', 'X-API-Key': creds.apiKey, 'X-Keyscan-Key-Id': 'k1', 'X-Keyscan-Timestamp': '1700000000', 'Idempotency-Key': 'idem', 'User-Agent': 'keyscan/0.1.0' });
    const secrets = [{ id: 'k0', secret: 'previous' }, { id: 'k1', secret: creds.hmacSecret }];
    expect(verifySignature(secrets, 'k1', '1700000000', '00112233445566778899aabbccddeeff', Buffer.from(body, 'utf8'), h['X-Keyscan-Signature'])).toBe(true);
    expect(verifySignature(secrets, 'k1', '1700000000', '00112233445566778899aabbccddeeff', Buffer.from(`${body} `, 'utf8'), h['X-Keyscan-Signature'])).toBe(false);
    expect(printableHeaders(h)['X-API-Key']).toBe('<redacted>');
  });

  it('derives a stable Idempotency-Key per secret, different per secret, not the fingerprint itself', () => {
    const a = secretFingerprint(fakeGithubToken('a'));
    const b = secretFingerprint(fakeGithubToken('b'));
    expect(idempotencyKey(a)).toBe(idempotencyKey(a));
    expect(idempotencyKey(a)).not.toBe(idempotencyKey(b));
    expect(idempotencyKey(a)).not.toContain(a.slice(7));
  });
});
