import { describe, expect, it } from 'vitest';
import { expectGolden } from './golden-file.js';
import { loadHygieneReporter, type HygieneReportFormat, type HygieneReportInput } from '../../src/report/hygiene-reporter.js';
import { wrap } from '../../src/report/hygiene-text.js';
import { FIX_SAMPLE, hygieneCleanSample, hygieneInput, hygieneSample } from './hygiene-sample.js';

/**
 * Hygiene reporter golden files. After an intended change, regenerate with
 * `UPDATE_GOLDEN=1 npx vitest run test/report` and review the diff.
 */

const CASES: { name: string; format: HygieneReportFormat; input: () => HygieneReportInput }[] = [
  { name: 'hygiene.txt', format: 'text', input: () => hygieneInput(hygieneSample()) },
  { name: 'hygiene.fix.txt', format: 'text', input: () => hygieneInput(hygieneSample(), { fix: FIX_SAMPLE }) },
  { name: 'hygiene.quiet.txt', format: 'text', input: () => hygieneInput(hygieneSample(), { quiet: true }) },
  { name: 'hygiene.json', format: 'json', input: () => hygieneInput(hygieneSample()) },
  { name: 'hygiene.sarif', format: 'sarif', input: () => hygieneInput(hygieneSample()) },
  { name: 'hygiene-clean.txt', format: 'text', input: () => hygieneInput(hygieneCleanSample()) },
  { name: 'hygiene-clean.verbose.txt', format: 'text', input: () => hygieneInput(hygieneCleanSample(), { verbose: true }) },
  { name: 'hygiene-clean.sarif', format: 'sarif', input: () => hygieneInput(hygieneCleanSample()) },
];

describe('hygiene reporter golden files (fixtures/reports)', () => {
  for (const c of CASES) {
    it(`${c.format} → ${c.name}`, async () => {
      const actual = (await loadHygieneReporter(c.format))(c.input());
      expectGolden(c.name, actual);
    });
  }

  it('text fits 80 columns, except lines that are one unbreakable command', async () => {
    const text = (await loadHygieneReporter('text'))(hygieneInput(hygieneSample(), { fix: FIX_SAMPLE }));
    const wide = text.split('\n').filter((l) => l.length > 80 && !/^\s+\S+$|^\s+`[^`]+`\S*$|^\S/.test(l));
    expect(wide).toEqual([]);
  });

  it('prints nothing in quiet mode when clean, and colour only when asked', async () => {
    const text = await loadHygieneReporter('text');
    expect(text(hygieneInput(hygieneCleanSample(), { quiet: true }))).toBe('');
    expect(text(hygieneInput(hygieneSample()))).not.toContain('\u001b[');
    expect(text(hygieneInput(hygieneSample(), { color: true }))).toContain('\u001b[31m');
  });

  it('wraps at spaces and never inside a backticked command', () => {
    expect(wrap('fix: run `git rm --cached -- some/long/path.pem` now', 20, '', '  ')).toEqual(['fix: run', '  `git rm --cached -- some/long/path.pem`', '  now']);
  });
});
