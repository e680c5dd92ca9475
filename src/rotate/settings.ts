import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve, dirname } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { ConfigError, UserError } from '../errors.js';
import type { SigningCredentials } from './sign.js';

/**
 * Where rotation calls go and how. Read from the environment and the user-level config
 * only, never from a config file inside the scanned repository: a hostile repository
 * must not be able to point the client, and its credentials, at a server of its choice
 * (docs: rotation-protocol.md, "Request").
 */
export interface RotationSettings extends SigningCredentials {
  url: URL;
  /** Per-attempt timeout. */
  timeoutMs: number;
  /** Retries after the first attempt, for 429, 5xx, timeouts and connection errors. */
  maxRetries: number;
  /** First backoff delay; doubled per retry, with jitter. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Longest Retry-After honoured; a longer one leaves the call pending. */
  maxRetryAfterMs: number;
  /** The user config file read, if any (for messages). */
  configFile?: string;
}

export const ENV = {
  url: 'KEYSCAN_ROTATION_URL',
  apiKey: 'KEYSCAN_ROTATION_API_KEY',
  hmacSecret: 'KEYSCAN_ROTATION_HMAC_SECRET',
  keyId: 'KEYSCAN_ROTATION_KEY_ID',
} as const;

const DEFAULTS = { timeoutSeconds: 10, maxRetries: 4, backoffSeconds: 1, maxBackoffSeconds: 30, maxRetryAfterSeconds: 120 };
const NUMBER_KEYS = Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[];
const KNOWN_KEYS = new Set(['url', 'keyId', 'apiKeyFile', 'hmacSecretFile', ...NUMBER_KEYS]);

/** `$XDG_CONFIG_HOME/keyscan/config.toml`, or `~/.config/keyscan/config.toml`. */
export function userConfigPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : join(env.HOME || homedir(), '.config');
  return join(base, 'keyscan', 'config.toml');
}

/** The `[rotation]` table of the user config, or {} when the file does not exist. */
function readUserRotationTable(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError([`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`]);
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError([`${file}: invalid TOML: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`], 'fix the file and run again');
  }
  const table = doc.rotation;
  if (table === undefined) return {};
  if (table === null || typeof table !== 'object' || Array.isArray(table)) throw new ConfigError([`${file}: [rotation] must be a table`]);
  return table as Record<string, unknown>;
}

/**
 * A credential file named in the user config: it must be a regular file only its owner
 * can read or write (mode 0600 or stricter), like ssh's private keys, since anyone who
 * reads it can call the rotation service as this user.
 */
function readCredentialFile(configFile: string, field: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new ConfigError([`${configFile}: [rotation] ${field} must be a file path`]);
  const path = resolve(dirname(configFile), value.startsWith('~/') ? join(homedir(), value.slice(2)) : value);
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    throw new UserError(`${configFile}: [rotation] ${field}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)})`, 'create the file or fix the path');
  }
  if (!st.isFile()) throw new UserError(`${configFile}: [rotation] ${field}: ${path} is not a file`);
  if ((st.mode & 0o077) !== 0) {
    throw new UserError(`${configFile}: [rotation] ${field}: ${path} can be read or written by others (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')})`, `run: chmod 600 ${path}`);
  }
  if (typeof process.getuid === 'function' && st.uid !== process.getuid()) {
    throw new UserError(`${configFile}: [rotation] ${field}: ${path} belongs to another user`, 'use a file you own, with mode 0600');
  }
  const text = readFileSync(path, 'utf8').trim();
  if (text === '') throw new UserError(`${configFile}: [rotation] ${field}: ${path} is empty`);
  return text;
}

/** http:// is allowed only for a loopback address (tests, a local receiver). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

/** Parse and check the rotation URL: absolute, https (or http to loopback), no embedded credentials. */
export function parseRotationUrl(value: string, from: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UserError(`${from} is not a valid URL`, 'use e.g. https://rotation.example.internal/emergency');
  }
  if (url.username !== '' || url.password !== '') throw new UserError(`${from} must not carry credentials in the URL`, `use ${ENV.apiKey} or apiKeyFile`);
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url;
  if (url.protocol === 'http:') {
    throw new UserError(`${from}: plain http:// is refused for ${url.hostname}: credentials and the leak report would travel unencrypted`, 'use https:// (http:// is allowed only for loopback addresses)');
  }
  throw new UserError(`${from}: unsupported protocol ${url.protocol}`, 'use https://');
}

/**
 * Load the settings: environment first, then the user config's `[rotation]` table.
 * A missing setting is a UserError naming the environment variable.
 */
export function loadRotationSettings(env: NodeJS.ProcessEnv): RotationSettings {
  const configFile = userConfigPath(env);
  const table = readUserRotationTable(configFile);
  const problems: string[] = [];
  for (const key of Object.keys(table)) {
    if (key === 'apiKey' || key === 'hmacSecret') {
      problems.push(`${configFile}: [rotation] ${key} is not allowed in a config file: set ${key === 'apiKey' ? ENV.apiKey : ENV.hmacSecret} or name a file with ${key}File (mode 0600)`);
    } else if (!KNOWN_KEYS.has(key)) {
      problems.push(`${configFile}: [rotation] unknown key "${key}" (known: ${[...KNOWN_KEYS].join(', ')})`);
    }
  }
  const numbers = {} as Record<keyof typeof DEFAULTS, number>;
  for (const key of NUMBER_KEYS) {
    const v = table[key];
    if (v === undefined) numbers[key] = DEFAULTS[key];
    else if ((typeof v !== 'number' && typeof v !== 'bigint') || !Number.isFinite(Number(v)) || Number(v) < 0) {
      problems.push(`${configFile}: [rotation] ${key} must be a number ≥ 0`);
      numbers[key] = DEFAULTS[key];
    } else numbers[key] = Number(v);
  }
  if (!Number.isInteger(numbers.maxRetries)) problems.push(`${configFile}: [rotation] maxRetries must be a whole number`);
  if (numbers.timeoutSeconds === 0) problems.push(`${configFile}: [rotation] timeoutSeconds must be more than 0`);
  for (const key of ['url', 'keyId'] as const) {
    if (table[key] !== undefined && typeof table[key] !== 'string') problems.push(`${configFile}: [rotation] ${key} must be a string`);
  }
  if (problems.length > 0) throw new ConfigError(problems, 'fix the file and run again');

  const pick = (envName: string, configValue: unknown): string | undefined => {
    const e = env[envName];
    if (e !== undefined && e !== '') return e;
    return typeof configValue === 'string' && configValue !== '' ? configValue : undefined;
  };
  const urlText = pick(ENV.url, table.url);
  if (urlText === undefined) throw new UserError(`rotation service URL not set: set ${ENV.url}`, `or url in [rotation] of ${configFile}`);
  const url = parseRotationUrl(urlText, env[ENV.url] ? ENV.url : `${configFile}: [rotation] url`);
  const apiKey = env[ENV.apiKey] || (table.apiKeyFile !== undefined ? readCredentialFile(configFile, 'apiKeyFile', table.apiKeyFile) : undefined);
  if (!apiKey) throw new UserError(`rotation API key not set: set ${ENV.apiKey}`, `or apiKeyFile in [rotation] of ${configFile}, a file with mode 0600`);
  const hmacSecret = env[ENV.hmacSecret] || (table.hmacSecretFile !== undefined ? readCredentialFile(configFile, 'hmacSecretFile', table.hmacSecretFile) : undefined);
  if (!hmacSecret) throw new UserError(`rotation signing secret not set: set ${ENV.hmacSecret}`, `or hmacSecretFile in [rotation] of ${configFile}, a file with mode 0600`);
  const keyId = pick(ENV.keyId, table.keyId);
  if (keyId === undefined) throw new UserError(`rotation signing key id not set: set ${ENV.keyId}`, `or keyId in [rotation] of ${configFile}`);
  return {
    url,
    apiKey,
    hmacSecret,
    keyId,
    timeoutMs: numbers.timeoutSeconds * 1000,
    maxRetries: numbers.maxRetries,
    backoffMs: numbers.backoffSeconds * 1000,
    maxBackoffMs: numbers.maxBackoffSeconds * 1000,
    maxRetryAfterMs: numbers.maxRetryAfterSeconds * 1000,
    configFile,
  };
}
