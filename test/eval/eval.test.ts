import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/repo.js';

const RUNNER = fileURLToPath(new URL('../../eval/run.js', import.meta.url));

/**
 * The evaluation set (issue 7, "Measured, not assumed") is a regression test too: a rule
 * change that costs recall or precision on it fails here, not only in BENCHMARKS.md.
 */
describe('npm run eval', () => {
  it('meets the 0.98 recall and precision target over every rule family', () => {
    const { dir, cleanup } = tempDir();
    const json = join(dir, 'eval.json');
    const res = spawnSync(process.execPath, [RUNNER, '--json', json], { encoding: 'utf8', timeout: 170_000 });
    expect(res.status, res.stderr).toBe(0);
    const result = JSON.parse(readFileSync(json, 'utf8')) as { recall: number; precision: number; labelled: number; families: Record<string, unknown> };
    expect(result.labelled).toBeGreaterThan(500);
    expect(Object.keys(result.families).length).toBeGreaterThanOrEqual(7);
    expect(result.recall, res.stdout).toBeGreaterThanOrEqual(0.98);
    expect(result.precision, res.stdout).toBeGreaterThanOrEqual(0.98);
    cleanup();
  }, 180_000);
});
