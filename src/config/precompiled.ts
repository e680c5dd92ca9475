import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './rule.js';
import { rememberPattern, writtenPattern } from './translate-regex.js';

/**
 * The default rules, compiled at build time into `dist/default-rules.json`. The
 * pre-commit hook runs on every commit and start-up is most of its cost (issue 3):
 * importing the TOML parser and parsing every rule file took longer than scanning a
 * small change, JSON.parse takes well under a millisecond. The file records a digest of
 * the rule files it was built from; when they differ (rules edited without a rebuild)
 * it is ignored and the TOML is read as before, so it can never serve stale rules.
 */

export const PRECOMPILED_FILE = new URL('../default-rules.json', import.meta.url);
const FORMAT = 1;

interface Precompiled {
  format: number;
  digest: string;
  config: unknown;
}

/** sha256 over the names and contents of the rule files, in name order. */
export function rulesDigest(dir: string): string {
  const hash = createHash('sha256');
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.toml')).sort()) {
    hash.update(`${f}\0`);
    hash.update(readFileSync(join(dir, f)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** JSON with RegExps kept as `{"$regexp": source, "flags": flags, "written": RE2 text}`; undefined when the config holds something JSON cannot carry. */
export function serializeConfig(config: Config, digest: string): string | undefined {
  let unsupported = false;
  const json = JSON.stringify({ format: FORMAT, digest, config } satisfies Precompiled, function (this: unknown, key: string, value: unknown) {
    const raw = (this as Record<string, unknown>)[key];
    // The RE2 text as written too: messages (--explain) quote it.
    if (raw instanceof RegExp) return { $regexp: raw.source, flags: raw.flags, written: writtenPattern(raw) };
    if (raw instanceof Map || raw instanceof Set || typeof raw === 'function' || typeof raw === 'bigint') unsupported = true;
    return value;
  });
  return unsupported ? undefined : json;
}

export function deserializeConfig(json: string): { digest: string; config: Config } | undefined {
  const parsed = JSON.parse(json, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && '$regexp' in value) {
      const v = value as { $regexp: string; flags: string; written?: string };
      const re = new RegExp(v.$regexp, v.flags);
      return v.written !== undefined && v.written !== v.$regexp ? rememberPattern(re, v.written) : re;
    }
    return value;
  }) as Precompiled;
  if (parsed.format !== FORMAT) return undefined;
  return { digest: parsed.digest, config: parsed.config as Config };
}

/** The precompiled defaults, or undefined when missing or built from other rule files. */
export function loadPrecompiledDefaults(rulesDir: string): Config | undefined {
  let text: string;
  try {
    text = readFileSync(PRECOMPILED_FILE, 'utf8');
  } catch {
    return undefined;
  }
  const loaded = deserializeConfig(text);
  if (!loaded || loaded.digest !== rulesDigest(rulesDir)) return undefined;
  return loaded.config;
}
