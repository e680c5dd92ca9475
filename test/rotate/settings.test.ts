import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { isLoopbackHost, loadRotationSettings } from '../../src/rotate/settings.js';
import { tempDir } from '../helpers/repo.js';

const FULL = {
  KEYSCAN_ROTATION_URL: 'https://rotation.example.internal/emergency',
  KEYSCAN_ROTATION_API_KEY: 'api-key-for-tests',
  KEYSCAN_ROTATION_HMAC_SECRET: 'signing-secret-for-tests',
  KEYSCAN_ROTATION_KEY_ID: 'k1',
};

describe('rotation settings', () => {
  const dirs: (() => void)[] = [];
  afterEach(() => dirs.splice(0).forEach((c) => c()));

  function home(config?: string, files: Record<string, { text: string; mode: number }> = {}): string {
    const t = tempDir();
    dirs.push(t.cleanup);
    mkdirSync(join(t.dir, 'keyscan'));
    if (config !== undefined) writeFileSync(join(t.dir, 'keyscan', 'config.toml'), config);
    for (const [name, f] of Object.entries(files)) {
      writeFileSync(join(t.dir, 'keyscan', name), f.text);
      chmodSync(join(t.dir, 'keyscan', name), f.mode);
    }
    return t.dir;
  }

  it('reads everything from the environment, with defaults for the rest', () => {
    const s = loadRotationSettings({ ...FULL, XDG_CONFIG_HOME: home() });
    expect(s).toMatchObject({ apiKey: FULL.KEYSCAN_ROTATION_API_KEY, hmacSecret: FULL.KEYSCAN_ROTATION_HMAC_SECRET, keyId: 'k1', maxRetries: 4, timeoutMs: 10_000 });
    expect(s.url.toString()).toBe(FULL.KEYSCAN_ROTATION_URL);
  });

  it('names the missing environment variable', () => {
    const configHome = home();
    for (const name of Object.keys(FULL)) {
      const env: Record<string, string> = { ...FULL, XDG_CONFIG_HOME: configHome };
      delete env[name];
      expect(() => loadRotationSettings(env)).toThrow(new RegExp(`set ${name}`));
    }
  });

  it('reads url, keyId, limits and credential files (mode 0600) from the user config', () => {
    const configHome = home('[rotation]\nurl = "https://r.example.internal/x"\nkeyId = "k9"\napiKeyFile = "api-key"\nhmacSecretFile = "hmac"\nmaxRetries = 2\ntimeoutSeconds = 0.5\n', {
      'api-key': { text: 'from-file\n', mode: 0o600 },
      hmac: { text: 'hmac-from-file', mode: 0o400 },
    });
    const s = loadRotationSettings({ XDG_CONFIG_HOME: configHome });
    expect(s).toMatchObject({ apiKey: 'from-file', hmacSecret: 'hmac-from-file', keyId: 'k9', maxRetries: 2, timeoutMs: 500 });
  });

  it('refuses a credential file others can read, and a credential written in the config itself', () => {
    const loose = home('[rotation]\napiKeyFile = "api-key"\n', { 'api-key': { text: 'x', mode: 0o644 } });
    expect(() => loadRotationSettings({ ...FULL, KEYSCAN_ROTATION_API_KEY: '', XDG_CONFIG_HOME: loose })).toThrow(/can be read or written by others/);
    const inline = home('[rotation]\napiKey = "inline"\n');
    expect(() => loadRotationSettings({ ...FULL, XDG_CONFIG_HOME: inline })).toThrow(/apiKey is not allowed in a config file/);
  });

  it('requires https except for loopback, refusing before any connection', () => {
    const configHome = home();
    expect(() => loadRotationSettings({ ...FULL, KEYSCAN_ROTATION_URL: 'http://rotation.example.internal/x', XDG_CONFIG_HOME: configHome })).toThrow(UserError);
    expect(() => loadRotationSettings({ ...FULL, KEYSCAN_ROTATION_URL: 'http://10.0.0.5/x', XDG_CONFIG_HOME: configHome })).toThrow(/plain http:\/\/ is refused/);
    expect(loadRotationSettings({ ...FULL, KEYSCAN_ROTATION_URL: 'http://127.0.0.1:8787/x', XDG_CONFIG_HOME: configHome }).url.port).toBe('8787');
    expect(['localhost', '127.0.0.1', '127.1.2.3', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['127.0.0.1.example.com', 'localhost.example.com', '10.0.0.1'].some(isLoopbackHost)).toBe(false);
  });
});
