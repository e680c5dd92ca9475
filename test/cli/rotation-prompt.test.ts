import { describe, expect, it } from 'vitest';
import { confirmEach, parseAnswer } from '../../src/cli/rotation-prompt.js';

/** Answers the prompt from a script, recording the questions. */
function scripted(answers: (string | null)[]) {
  const questions: string[] = [];
  return { questions, ask: async (q: string) => { questions.push(q); return answers.length > 0 ? answers.shift()! : null; } };
}

describe('rotation confirmation prompt', () => {
  const items = ['a', 'b', 'c', 'd'];
  const show = (s: string) => `finding ${s}\n`;

  it('yes takes one, no skips one, all takes the rest', async () => {
    const s = scripted(['y', 'n', 'all']);
    const shown: string[] = [];
    expect(await confirmEach(items, show, s.ask, (t) => shown.push(t))).toEqual(['a', 'c', 'd']);
    expect(s.questions).toHaveLength(3);
    expect(shown).toEqual(['finding a\n', 'finding b\n', 'finding c\n']);
  });

  it('quit stops and keeps what was confirmed; end of input is quit; empty is no', async () => {
    expect(await confirmEach(items, show, scripted(['yes', 'q']).ask, () => {})).toEqual(['a']);
    expect(await confirmEach(items, show, scripted(['', 'y', null]).ask, () => {})).toEqual(['b']);
  });

  it('asks again on an answer it does not understand', async () => {
    const s = scripted(['maybe', 'Y', 'n', 'n', 'n']);
    const shown: string[] = [];
    expect(await confirmEach(items, show, s.ask, (t) => shown.push(t))).toEqual(['a']);
    expect(shown).toContain('Please answer y, n, a or q.\n');
    expect(parseAnswer('A')).toBe('all');
    expect(parseAnswer('nope')).toBeUndefined();
  });
});
