import { describe, expect, it } from 'vitest';
import { explainText } from '../../src/cli/report-output.js';
import type { Finding } from '../../src/detect/finding.js';
import type { Suppressed } from '../../src/filters/index.js';

function suppressed(over: Partial<Finding>, by: Suppressed['by'] = 'allowlist', reason = 'regex on the secret'): Suppressed {
  const finding: Finding = {
    ruleId: 'generic-api-key', description: '', startLine: 3, endLine: 3, startColumn: 5, endColumn: 20,
    match: '', secret: '', file: 'config/app.env', symlinkFile: '', commit: '', entropy: 4,
    author: '', email: '', date: '', message: '', tags: [], fingerprint: '', stableFingerprint: 'ks1:x', line: '',
    ...over,
  };
  return { finding, by, reason };
}

describe('--explain', () => {
  it('lists suppressed matches in the same order whatever order the scan found them in', () => {
    // The same file and line in three commits, two columns and two rules: a history scan's
    // readers hand these over in any order.
    const list = [
      suppressed({ commit: 'c'.repeat(40) }),
      suppressed({ commit: 'a'.repeat(40) }),
      suppressed({ commit: 'b'.repeat(40), startColumn: 2 }),
      suppressed({ commit: 'b'.repeat(40), ruleId: 'aws-access-key-id' }),
      suppressed({ commit: 'b'.repeat(40) }, 'directive', 'keyscan:allow on line 3'),
      suppressed({ commit: 'a'.repeat(40) }, 'allowlist', 'a stopword'),
    ];
    const text = explainText(list);
    for (let k = 1; k < list.length; k++) {
      const rotated = [...list.slice(k), ...list.slice(0, k)];
      expect(explainText(rotated)).toBe(text);
      expect(explainText(rotated.reverse())).toBe(text);
    }
    expect(text.split('\n').slice(1, -1).map((l) => l.trim().split(/\s+/).slice(0, 4).join(' '))).toEqual([
      'directive generic-api-key at config/app.env:3',
      'allowlist generic-api-key at config/app.env:3',
      'allowlist aws-access-key-id at config/app.env:3',
      'allowlist generic-api-key at config/app.env:3',
      'allowlist generic-api-key at config/app.env:3',
      'allowlist generic-api-key at config/app.env:3',
    ]);
    // Column, then rule, then commit, then reason.
    expect(text.split('\n').slice(2, -1).map((l) => l.match(/@ (\w{12})/)![1]![0] + (l.includes('stopword') ? ' stopword' : ''))).toEqual([
      'b', 'b', 'a stopword', 'a', 'c',
    ]);
  });
});
