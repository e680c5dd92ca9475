import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/detect/finding.js';
import { buildRotationBody, secretFingerprint, secretPreview, serializeBody, stripUrlCredentials } from '../../src/rotate/payload.js';
import { fakeGithubToken } from '../helpers/secrets.js';

function finding(secret: string, over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'github-pat', description: 'GitHub PAT', startLine: 12, endLine: 12, startColumn: 7, endColumn: 46,
    match: secret, secret, file: 'config/app.env', symlinkFile: '', commit: 'a'.repeat(40), entropy: 5,
    author: 'Test Author', email: 'author@example.com', date: '2024-01-01T12:00:01Z', message: 'add config',
    tags: [], fingerprint: 'x', stableFingerprint: 'y', line: `TOKEN=${secret}`, ...over,
  };
}

describe('rotation payload', () => {
  const token = fakeGithubToken('payload');

  it('fingerprints the secret as sha256:<hex of SHA-256 of the value>', () => {
    expect(secretFingerprint(token)).toBe(`sha256:${createHash('sha256').update(token).digest('hex')}`);
  });

  it('previews at most 4 characters at each end, nothing for short values', () => {
    expect(secretPreview(token)).toBe(`ghp_…${token.slice(-4)}`);
    expect(secretPreview('abcdefghijklmnopqrst')).toBe('ab…st');
    expect(secretPreview('short')).toBe('…');
  });

  it('strips credentials, query and fragment from remote URLs, keeps scp-style remotes', () => {
    expect(stripUrlCredentials(`https://x-access-token:${token}@github.com/org/repo.git`)).toBe('https://github.com/org/repo.git');
    expect(stripUrlCredentials(`https://${token}@github.com/org/repo.git`)).toBe('https://github.com/org/repo.git');
    expect(stripUrlCredentials('https://git.example.com/org/repo.git?access_token=abc#x')).toBe('https://git.example.com/org/repo.git');
    expect(stripUrlCredentials('git@github.com:org/repo.git')).toBe('git@github.com:org/repo.git');
    expect(stripUrlCredentials('ssh://git:pw@host:2222/repo')).toBe('ssh://host:2222/repo');
  });

  it('builds the protocol body with every field and never the secret', () => {
    const body = buildRotationBody(finding(token), {
      repository: `https://user:${token}@github.com/org/repo.git`, triggeredBy: 'dev@example.com', detectedAt: '2026-01-01T00:00:00.000Z', toolVersion: '1.2.3',
    });
    expect(body).toEqual({
      reason: `secret committed to https://github.com/org/repo.git in ${'a'.repeat(40)} at config/app.env:12`,
      triggeredBy: 'dev@example.com',
      secret: { ruleId: 'github-pat', fingerprint: secretFingerprint(token), preview: `ghp_…${token.slice(-4)}`, length: 40 },
      location: { repository: 'https://github.com/org/repo.git', commit: 'a'.repeat(40), file: 'config/app.env', line: 12, author: 'Test Author', date: '2024-01-01T12:00:01Z' },
      detectedAt: '2026-01-01T00:00:00.000Z',
      tool: { name: 'keyscan', version: '1.2.3' },
    });
    const raw = serializeBody(body, token);
    expect(raw).not.toContain(token);
    expect(raw).not.toContain(token.slice(4, 30));
  });

  it('refuses to serialize a body the secret slipped into', () => {
    const body = buildRotationBody(finding(token, { file: `leak-${token}.txt` }), {
      repository: '/repo', triggeredBy: 'x', detectedAt: 'now', toolVersion: '0',
    });
    expect(() => serializeBody(body, token)).toThrow(/contains the secret/);
  });
});
