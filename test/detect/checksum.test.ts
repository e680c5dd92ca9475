import { describe, expect, it } from 'vitest';
import { base62, crc32, verifyGithubChecksum } from '../../src/detect/checksum.js';
import { SeededRandom, expandTemplate } from '../../src/config/rule-samples.js';
import { fakeGithubToken } from '../helpers/secrets.js';

describe('GitHub/npm token checksum', () => {
  it('computes the standard CRC-32 (IEEE 802.3) and base62 with 0-9A-Za-z', () => {
    // The CRC-32 check value for "123456789" (the catalogue value every implementation is tested with).
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(base62(0, 6)).toBe('000000');
    expect(base62(61, 2)).toBe('0z');
    expect(base62(62, 2)).toBe('10');
  });

  it('accepts tokens whose last 6 characters are the CRC32 of the 30 random ones', () => {
    expect(verifyGithubChecksum(fakeGithubToken('checksum'))).toBe(true);
    for (const prefix of ['ghp', 'gho', 'ghu', 'ghs', 'ghr', 'npm']) {
      const token = expandTemplate(`${prefix}_{crc:30}`, new SeededRandom(prefix));
      expect(verifyGithubChecksum(token), prefix).toBe(true);
    }
  });

  it('rejects a token of the right shape with a wrong checksum', () => {
    const token = fakeGithubToken('checksum');
    const last = token.at(-1)!;
    const tampered = token.slice(0, -1) + (last === 'A' ? 'B' : 'A');
    expect(verifyGithubChecksum(tampered)).toBe(false);
    // Changing a random character breaks it too: the checksum covers the body, not the prefix.
    expect(verifyGithubChecksum(`${token.slice(0, 4)}${token[4] === 'a' ? 'b' : 'a'}${token.slice(5)}`)).toBe(false);
    expect(verifyGithubChecksum(`gho_${token.slice(4)}`)).toBe(true);
    expect(verifyGithubChecksum('ghp_short')).toBe(false);
  });
});
