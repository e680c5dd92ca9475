import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/repo.js';
import { fakeGithubToken } from '../helpers/secrets.js';

describe('keyscan detect --no-git (smoke)', () => {
  const t = tempDir();
  afterAll(t.cleanup);

  it('finds a generated GitHub token and exits 1', () => {
    const token = fakeGithubToken('smoke');
    writeFiles(t.dir, { 'config/app.env': `GITHUB_TOKEN=${token}\n` });
    const res = runCli(['detect', '--no-git', '.', '-f', 'json'], { cwd: t.dir });
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as { RuleID: string; File: string; StartLine: number; Secret: string }[];
    expect(report).toHaveLength(1);
    expect(report[0]).toMatchObject({ RuleID: 'github-pat', File: 'config/app.env', StartLine: 1 });
    expect(report[0]!.Secret).not.toContain(token.slice(4));
  });

  it('prints a version and rejects an unknown flag with exit 2', () => {
    expect(runCli(['--version'], { cwd: t.dir }).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const bad = runCli(['detect', '--no-such-flag'], { cwd: t.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('no-such-flag');
  });
});
