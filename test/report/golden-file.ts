import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const DIR = fileURLToPath(new URL('../../fixtures/reports/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/**
 * Compare a report with its golden file in `fixtures/reports/`. `UPDATE_GOLDEN=1` rewrites
 * it (review the diff); a missing one is written locally but fails in CI.
 */
export function expectGolden(name: string, actual: string): void {
  const path = `${DIR}${name}`;
  if (UPDATE || !existsSync(path)) {
    if (!UPDATE && process.env.CI) throw new Error(`missing golden file ${name}: run UPDATE_GOLDEN=1 npx vitest run test/report`);
    mkdirSync(DIR, { recursive: true });
    writeFileSync(path, actual);
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
