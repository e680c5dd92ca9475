import { describe, expect, it } from 'vitest';
import { expectGolden } from './golden-file.js';
import { loadReporter, type ReportFormat, type ReportInput } from '../../src/report/reporter.js';
import { emptyInput, sampleInput } from './sample-input.js';

/**
 * Reporter golden files: fixed findings in, exact text out. After an intended change,
 * regenerate with `UPDATE_GOLDEN=1 npx vitest run test/report` and review the diff.
 */

const CASES: { name: string; format: ReportFormat; input: () => ReportInput }[] = [
  { name: 'findings.txt', format: 'text', input: () => sampleInput() },
  { name: 'findings.color.txt', format: 'text', input: () => sampleInput({ color: true }) },
  { name: 'findings.json', format: 'json', input: () => sampleInput() },
  { name: 'findings.sarif', format: 'sarif', input: () => sampleInput() },
  { name: 'findings.csv', format: 'csv', input: () => sampleInput() },
  { name: 'findings.junit.xml', format: 'junit', input: () => sampleInput() },
  { name: 'clean.txt', format: 'text', input: emptyInput },
  { name: 'clean.json', format: 'json', input: emptyInput },
  { name: 'clean.sarif', format: 'sarif', input: emptyInput },
  { name: 'clean.csv', format: 'csv', input: emptyInput },
  { name: 'clean.junit.xml', format: 'junit', input: emptyInput },
];

describe('reporter golden files (fixtures/reports)', () => {
  for (const c of CASES) {
    it(`${c.format} → ${c.name}`, async () => {
      const reporter = await loadReporter(c.format);
      const actual = reporter(c.input());
      expectGolden(c.name, actual);
    });
  }

  it('text fits an 80-column terminal (outside of file names and fingerprints)', async () => {
    const text = (await loadReporter('text'))(sampleInput());
    const wide = text.split('\n').filter((l) => l.length > 80 && !/fingerprint|^\S|— /.test(l));
    expect(wide).toEqual([]);
  });

  it('colour appears only when asked for', async () => {
    const text = await loadReporter('text');
    expect(text(sampleInput())).not.toContain('\u001b[');
    expect(text(sampleInput({ color: true }))).toContain('\u001b[31m');
  });
});
