import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { reportFixture } from './e2e-config.js';

/** Secrets are masked in every format and every output unless --no-redact; colour rules. Built CLI. */

const FORMATS = ['text', 'json', 'sarif', 'csv', 'junit'] as const;

const fixture = reportFixture();
const { dir: TREE, outDir: OUT, config: CONFIG, ghToken, expectNoSecret } = fixture;
afterAll(fixture.cleanup);

describe('redaction', () => {
  for (const format of FORMATS) {
    it(`${format}: secrets are redacted on stdout, stderr and in the report file by default`, () => {
      const res = runCli(['detect', '--no-git', '.', '-f', format], { cwd: TREE });
      expect(res.code).toBe(1);
      expectNoSecret(res);
      expect(res.stdout).toContain('ghp_…');
      const path = join(OUT, `report-${format}.out`);
      const toFile = runCli(['detect', '--no-git', '.', '--config', CONFIG, '-f', format, '--report-path', path, '--verbose'], { cwd: TREE });
      expect(toFile.code).toBe(1);
      const written = readFileSync(path, 'utf8');
      expect(written).toContain('deploy/.env');
      expectNoSecret(toFile, written);
      expect(toFile.stdout).toBe('');
      expect(toFile.stderr).toContain(`report written to ${path}`);
    });

    it(`${format}: --no-redact shows them`, () => {
      const res = runCli(['detect', '--no-git', '.', '-f', format, '--no-redact'], { cwd: TREE });
      expect(res.code).toBe(1);
      expect(res.stdout).toContain(ghToken);
    });
  }
});

describe('colour', () => {
  it('only when forced or on a terminal; --no-color and NO_COLOR turn it off', () => {
    const args = ['detect', '--no-git', '.', '--config', CONFIG];
    expect(runCli(args, { cwd: TREE, env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout).toContain('\u001b[');
    expect(runCli([...args, '--no-color'], { cwd: TREE, env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout).not.toContain('\u001b[');
    expect(runCli(args, { cwd: TREE, env: { NO_COLOR: '1', FORCE_COLOR: '1' } }).stdout).not.toContain('\u001b[');
    // Not a terminal, nothing forced: plain text for a file or a pipe.
    expect(runCli(args, { cwd: TREE, env: { NO_COLOR: '' } }).stdout).not.toContain('\u001b[');
  });
});

