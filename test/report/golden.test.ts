import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadReporter, type ReportFormat, type ReportInput } from '../../src/report/reporter.js';
import { emptyInput, sampleInput } from './sample-input.js';

/**
 * Reporter golden files: fixed findings in, exact text out. After an intended change,
 * regenerate with `UPDATE_GOLDEN=1 npx vitest run test/report` and review the diff.
 */
const DIR = fileURLToPath(new URL('../../fixtures/reports/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

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
      const path = `${DIR}${c.name}`;
      if (UPDATE || !existsSync(path)) {
        if (!UPDATE && process.env.CI) throw new Error(`missing golden file ${c.name}: run UPDATE_GOLDEN=1 npx vitest run test/report`);
        mkdirSync(DIR, { recursive: true });
        writeFileSync(path, actual);
      }
      expect(actual).toBe(readFileSync(path, 'utf8'));
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
