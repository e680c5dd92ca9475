import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/detect/finding.js';
import type { CommitInfo } from '../../src/sources/fragment.js';
import { keepFirstIntroduction } from '../../src/filters/first-introduction.js';

function finding(commit: string, date: string, over: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'r', description: '', startLine: 1, endLine: 1, startColumn: 1, endColumn: 1, match: 'm', secret: 's', file: 'f',
    symlinkFile: '', commit, entropy: 0, author: '', email: '', date, message: '', tags: [], fingerprint: '', stableFingerprint: '', line: '',
    ...over,
  };
}

function commits(list: CommitInfo[]): (sha: string) => CommitInfo | undefined {
  const m = new Map(list.map((c) => [c.sha, c]));
  return (sha) => m.get(sha);
}

const info = (sha: string, authorTime: number, commitTime: number, order: number): CommitInfo => ({ sha, author: '', email: '', date: '', message: '', authorTime, commitTime, order });

describe('keepFirstIntroduction', () => {
  it('keeps the oldest author time, comparing instants, not strings across time zones', () => {
    // 10:00+02:00 is 08:00Z: older than 09:00Z although it sorts after it as text.
    const a = finding('a', '2024-01-01T10:00:00+02:00');
    const b = finding('b', '2024-01-01T09:00:00+00:00');
    expect(keepFirstIntroduction([b, a]).map((f) => f.commit)).toEqual(['a']);
  });

  it('breaks equal author times by commit time (a cherry-pick keeps its original author time), then by git order', () => {
    const lookup = commits([info('orig', 100, 100, 5), info('pick', 100, 200, 1), info('p', 300, 300, 9), info('c', 300, 300, 8)]);
    expect(keepFirstIntroduction([finding('pick', ''), finding('orig', '')], lookup).map((f) => f.commit)).toEqual(['orig']);
    // Same times: git lists children first, so the later-listed commit is the parent.
    expect(keepFirstIntroduction([finding('c', ''), finding('p', '')], lookup).map((f) => f.commit)).toEqual(['p']);
  });

  it('keeps one finding per rule, file and secret, ordered as git listed the commits', () => {
    const lookup = commits([info('new', 300, 300, 0), info('mid', 200, 200, 1), info('old', 100, 100, 2)]);
    const out = keepFirstIntroduction([
      finding('old', '', { file: 'x' }),
      finding('new', '', { file: 'x' }),
      finding('new', '', { file: 'y' }),
      finding('mid', '', { file: 'x', secret: 'other' }),
      finding('', '', { file: 'disk' }),
    ], lookup);
    expect(out.map((f) => `${f.commit}:${f.file}:${f.secret}`)).toEqual(['new:y:s', 'mid:x:other', 'old:x:s', ':disk:s']);
  });
});
