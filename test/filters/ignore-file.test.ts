import { describe, expect, it } from 'vitest';
import { loadDefaultConfig } from '../../src/config/load.js';
import { scan } from '../../src/scan.js';
import { appendFingerprints, ignoreReason, isFingerprint, parseIgnoreFile } from '../../src/filters/ignore-file.js';
import type { Finding } from '../../src/detect/finding.js';
import { stableFingerprint, gitleaksFingerprint } from '../../src/detect/fingerprint.js';
import { fakeGithubToken } from '../helpers/secrets.js';
import { fileFragment, memorySource } from '../helpers/fragments.js';

const TOKEN = fakeGithubToken('ignore');
const COMMIT = { sha: 'a'.repeat(40), author: 'A', email: 'a@example.com', date: '2024-01-01T12:00:00Z', message: 'm' };

async function findings(text: string, filePath = 'conf/app.env', commit = false): Promise<Finding[]> {
  const fragment = fileFragment(filePath, text, commit ? { commit: COMMIT } : {});
  return (await scan(memorySource([fragment]), loadDefaultConfig())).findings;
}

describe('ignore files', () => {
  it('accepts stable and gitleaks fingerprints, comments and blank lines; flags the rest', () => {
    const text = [
      '# reviewed 2024-05-01',
      '',
      stableFingerprint('github-pat', TOKEN, 'conf/app.env'),
      'conf/app.env:github-pat:3',
      `${'b'.repeat(40)}:conf/a:b.env:github-pat:12`,
      'not a fingerprint',
    ].join('\n');
    const { list, invalidLines } = parseIgnoreFile(text, '.keyscanignore');
    expect(list.entries.size).toBe(3);
    expect(invalidLines).toEqual([6]);
    expect(isFingerprint('ks1:github-pat:0123456789abcdef:a/b:c.txt')).toBe(true);
    expect(isFingerprint('ks1:github-pat:xyz:a')).toBe(false);
  });

  it('a stable fingerprint ignores the secret on any line and in any commit', async () => {
    const { list } = parseIgnoreFile(`${stableFingerprint('github-pat', TOKEN, 'conf/app.env')}\n`, '.keyscanignore');
    for (const text of [`T=${TOKEN}\n`, `\n\n# moved\nT=${TOKEN}\n`]) {
      for (const commit of [false, true]) {
        const [f] = await findings(text, 'conf/app.env', commit);
        expect(ignoreReason(f!, [list])).toMatch(/^ks1:github-pat:[0-9a-f]{16}:conf\/app\.env in \.keyscanignore line 1$/);
      }
    }
    // The same secret in another file is another leak.
    const [elsewhere] = await findings(`T=${TOKEN}\n`, 'other.env');
    expect(ignoreReason(elsewhere!, [list])).toBeUndefined();
  });

  it('gitleaks fingerprints: file:rule:line everywhere, commit:file:rule:line in that commit only', async () => {
    const { list } = parseIgnoreFile(['conf/app.env:github-pat:2', `${COMMIT.sha}:conf/other.env:github-pat:1`].join('\n'), '.gitleaksignore');
    const [onLine2] = await findings(`\nT=${TOKEN}\n`, 'conf/app.env', true);
    expect(onLine2!.fingerprint).toBe(gitleaksFingerprint('conf/app.env', 'github-pat', 2, COMMIT.sha));
    expect(ignoreReason(onLine2!, [list])).toBe('conf/app.env:github-pat:2 in .gitleaksignore line 1');
    const [moved] = await findings(`\n\nT=${TOKEN}\n`, 'conf/app.env', true);
    expect(ignoreReason(moved!, [list])).toBeUndefined();
    const [inCommit] = await findings(`T=${TOKEN}\n`, 'conf/other.env', true);
    expect(ignoreReason(inCommit!, [list])).toBe(`${COMMIT.sha}:conf/other.env:github-pat:1 in .gitleaksignore line 2`);
    const [onDisk] = await findings(`T=${TOKEN}\n`, 'conf/other.env', false);
    expect(ignoreReason(onDisk!, [list])).toBeUndefined();
  });

  it('scan() suppresses ignored findings and says why', async () => {
    const { list } = parseIgnoreFile(`${stableFingerprint('github-pat', TOKEN, 'a.env')}\n`, '.keyscanignore');
    const result = await scan(memorySource([fileFragment('a.env', `A=${TOKEN}\nB=${fakeGithubToken('ignore-2')}\n`)]), loadDefaultConfig(), { ignoreLists: [list] });
    expect(result.findings.map((f) => f.startLine)).toEqual([2]);
    expect(result.suppressed.map((s) => s.by)).toEqual(['ignore-file']);
    expect(result.suppressedCounts).toMatchObject({ 'ignore-file': 1, directive: 0, baseline: 0 });
  });

  it('appending is idempotent and keeps existing text', () => {
    const first = appendFingerprints('# mine\nconf/a:github-pat:1', ['conf/a:github-pat:1', 'conf/b:github-pat:2', 'conf/b:github-pat:2']);
    expect(first.added).toEqual(['conf/b:github-pat:2']);
    expect(first.text).toBe('# mine\nconf/a:github-pat:1\nconf/b:github-pat:2\n');
    const again = appendFingerprints(first.text, ['conf/b:github-pat:2']);
    expect(again.added).toEqual([]);
    expect(again.text).toBe(first.text);
  });
});
