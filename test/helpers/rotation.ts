import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createReceiver, type Receiver } from '../../examples/rotation-receiver/server.js';
import { tempDir } from './repo.js';

/**
 * A reference receiver on 127.0.0.1 with credentials made at test time, plus the
 * environment that points keyscan at it: a private user config (fast retries so tests
 * never sleep long) and a private state directory.
 */
export interface RotationFixture {
  receiver: Receiver;
  url: string;
  apiKey: string;
  hmacSecret: string;
  keyId: string;
  /** `$XDG_CONFIG_HOME` for the CLI. */
  configHome: string;
  /** `KEYSCAN_STATE_DIR` for the CLI. */
  stateDir: string;
  /** Environment for runCli/runCliAsync. */
  env: Record<string, string>;
  /** Receiver log lines. */
  logs: string[];
  close: () => Promise<void>;
}

export async function startRotationFixture(options: { userConfig?: string; knownFingerprints?: string[] } = {}): Promise<RotationFixture> {
  const apiKey = randomBytes(16).toString('hex');
  const hmacSecret = randomBytes(32).toString('hex');
  const keyId = 'signing-2026';
  const logs: string[] = [];
  const receiver = createReceiver({
    apiKeys: [apiKey],
    signingSecrets: [{ id: keyId, secret: hmacSecret }, { id: 'signing-2025', secret: randomBytes(32).toString('hex') }],
    knownFingerprints: options.knownFingerprints,
    log: (line) => logs.push(line),
  });
  const url = await receiver.listen(0, '127.0.0.1');
  const t = tempDir('keyscan-rotation-');
  const configHome = join(t.dir, 'config');
  const stateDir = join(t.dir, 'state');
  mkdirSync(join(configHome, 'keyscan'), { recursive: true });
  writeFileSync(join(configHome, 'keyscan', 'config.toml'), options.userConfig ?? FAST_RETRIES);
  return {
    receiver, url, apiKey, hmacSecret, keyId, configHome, stateDir, logs,
    env: {
      KEYSCAN_ROTATION_URL: url,
      KEYSCAN_ROTATION_API_KEY: apiKey,
      KEYSCAN_ROTATION_HMAC_SECRET: hmacSecret,
      KEYSCAN_ROTATION_KEY_ID: keyId,
      XDG_CONFIG_HOME: configHome,
      KEYSCAN_STATE_DIR: stateDir,
      GITHUB_ACTOR: '',
    },
    close: async () => {
      await receiver.close();
      t.cleanup();
    },
  };
}

/** Retries in milliseconds, so a test with three retries takes a few tens of ms. */
export const FAST_RETRIES = '[rotation]\ntimeoutSeconds = 2\nmaxRetries = 3\nbackoffSeconds = 0.005\nmaxBackoffSeconds = 0.02\nmaxRetryAfterSeconds = 5\n';
