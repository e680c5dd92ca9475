import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/repo.js';
import { fakeGithubToken } from '../helpers/secrets.js';

describe('SARIF run metadata', () => {
  const t = tempDir();
  afterAll(t.cleanup);

  it('records the config used, the default rules it disabled and what was suppressed', () => {
    const token = fakeGithubToken('sarif-meta');
    writeFiles(t.dir, {
      '.keyscan.toml': '[extend]\nuseDefault = true\ndisabledRules = ["groq-api-key"]\n',
      'a.env': `TOKEN=${token}\nOTHER=${fakeGithubToken('sarif-meta-2')} # keyscan:allow\n`,
    });
    const res = runCli(['detect', '--no-git', '.', '-f', 'sarif'], { cwd: t.dir });
    expect(res.code).toBe(1);
    const props = JSON.parse(res.stdout).runs[0].properties as Record<string, unknown>;
    expect(props.disabledRules).toEqual(['groq-api-key']);
    expect(String(props.configSources)).toContain('.keyscan.toml');
    expect(props.suppressedBy).toMatchObject({ directive: 1 });
    expect(res.stdout).not.toContain(token);
  });
});
