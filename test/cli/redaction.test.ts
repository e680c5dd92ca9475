import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/repo.js';
import { fakeGithubToken } from '../helpers/secrets.js';
import { e2eToken, writeE2eConfig } from './e2e-config.js';

/** Secrets are masked in every format and every output unless --no-redact; colour rules. Built CLI. */

const FORMATS = ['text', 'json', 'sarif', 'csv', 'junit'] as const;

const t = tempDir();
const out = tempDir('keyscan-out-');
let CONFIG = '';
const ghToken = fakeGithubToken('reports-e2e');
const token = e2eToken('reports');
afterAll(() => { t.cleanup(); out.cleanup(); });
beforeAll(() => {
  CONFIG = writeE2eConfig(out.dir);
  writeFiles(t.dir, {
    'src/config.ts': `export const gh = '${ghToken}';\n`,
    'deploy/.env': `# deploy\nTOKEN=${token}\nNAME=app\n`,
    'README.md': '# nothing here\n',
  });
});

/** Neither the secret nor its distinctive body may appear anywhere. */
function expectNoSecret(res: CliResult, extra = ''): void {
  for (const s of [ghToken, ghToken.slice(4, 20), token, token.slice(4, 20)]) {
    expect(res.stdout).not.toContain(s);
    expect(res.stderr).not.toContain(s);
    expect(extra).not.toContain(s);
  }
}

describe('redaction', () => {
  for (const format of FORMATS) {
    it(`${format}: secrets are redacted on stdout, stderr and in the report file by default`, () => {
      const res = runCli(['detect', '--no-git', '.', '-f', format], { cwd: t.dir });
      expect(res.code).toBe(1);
      expectNoSecret(res);
      expect(res.stdout).toContain('ghp_…');
      const path = join(out.dir, `report-${format}.out`);
      const toFile = runCli(['detect', '--no-git', '.', '--config', CONFIG, '-f', format, '--report-path', path, '--verbose'], { cwd: t.dir });
      expect(toFile.code).toBe(1);
      const written = readFileSync(path, 'utf8');
      expect(written).toContain('deploy/.env');
      expectNoSecret(toFile, written);
      expect(toFile.stdout).toBe('');
      expect(toFile.stderr).toContain(`report written to ${path}`);
    });

    it(`${format}: --no-redact shows them`, () => {
      const res = runCli(['detect', '--no-git', '.', '-f', format, '--no-redact'], { cwd: t.dir });
      expect(res.code).toBe(1);
      expect(res.stdout).toContain(ghToken);
    });
  }
});

describe('colour', () => {
  it('only when forced or on a terminal; --no-color and NO_COLOR turn it off', () => {
    const args = ['detect', '--no-git', '.', '--config', CONFIG];
    expect(runCli(args, { cwd: t.dir, env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout).toContain('\u001b[');
    expect(runCli([...args, '--no-color'], { cwd: t.dir, env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout).not.toContain('\u001b[');
    expect(runCli(args, { cwd: t.dir, env: { NO_COLOR: '1', FORCE_COLOR: '1' } }).stdout).not.toContain('\u001b[');
    // Not a terminal, nothing forced: plain text for a file or a pipe.
    expect(runCli(args, { cwd: t.dir, env: { NO_COLOR: '' } }).stdout).not.toContain('\u001b[');
  });
});

