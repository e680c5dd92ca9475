import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Allowlist, Config, Rule } from './rule.js';
import { rememberPattern, writtenPattern } from './translate-regex.js';

/**
 * The default rules, compiled at build time into `dist/default-rules.json`. The
 * pre-commit hook runs on every commit and start-up is most of its cost (issue 3):
 * importing the TOML parser and parsing every rule file took longer than scanning a
 * small change, JSON.parse takes a few milliseconds. The file records a digest of
 * the rule files it was built from; when they differ (rules edited without a rebuild)
 * it is ignored and the TOML is read as before, so it can never serve stale rules.
 */

export const PRECOMPILED_FILE = new URL('../default-rules.json', import.meta.url);
const FORMAT = 2;

interface Precompiled {
  format: number;
  digest: string;
  /** rulesStamp() at build time: when it still holds, the digest need not be recomputed. */
  stamp?: string;
  config: unknown;
}

/** A RegExp in the JSON; `written` only when the RE2 text differs from the JavaScript source. */
interface SerializedRegExp {
  $regexp: string;
  flags: string;
  written?: string;
}

/**
 * CRC-32 over the names and contents of the rule files, in name order. It tells an
 * edited rule file from the one the JSON was built from; it guards against a missed
 * rebuild, not an attacker (who could edit the JSON as well). zlib rather than
 * crypto's SHA-256: node:crypto loads some thirty internal modules (~7 ms) that a
 * clean pre-commit run otherwise has no use for.
 */
export function rulesDigest(dir: string): string {
  const { crc32 } = process.getBuiltinModule('node:zlib');
  let crc = 0;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.toml')).sort()) {
    crc = crc32(`${f}\0`, crc);
    crc = crc32(readFileSync(join(dir, f)), crc);
    crc = crc32('\0', crc);
  }
  return `crc32:${(crc >>> 0).toString(16).padStart(8, '0')}`;
}

/**
 * Names, sizes and modification times of the rule files: a check costing one stat per
 * file, where the digest reads them all (and loads zlib). Times do not survive `npm
 * pack` (npm stamps every file with one date), so a mismatch is not staleness: it only
 * means the digest decides.
 */
export function rulesStamp(dir: string): string {
  return readdirSync(dir).filter((n) => n.endsWith('.toml')).sort()
    .map((f) => {
      const st = statSync(join(dir, f));
      return `${f}:${st.size}:${Math.trunc(st.mtimeMs)}`;
    }).join('/');
}

/** JSON with RegExps kept as `{"$regexp": source, "flags": flags, "written": RE2 text}`; undefined when the config holds something JSON cannot carry. */
export function serializeConfig(config: Config, digest: string, stamp?: string): string | undefined {
  let unsupported = false;
  const json = JSON.stringify({ format: FORMAT, digest, ...(stamp ? { stamp } : {}), config } satisfies Precompiled, function (this: unknown, key: string, value: unknown) {
    const raw = (this as Record<string, unknown>)[key];
    // The RE2 text as written too, where it differs: messages (--explain) quote it.
    if (raw instanceof RegExp) {
      const written = writtenPattern(raw);
      return { $regexp: raw.source, flags: raw.flags, ...(written !== raw.source ? { written } : {}) } satisfies SerializedRegExp;
    }
    if (raw instanceof Map || raw instanceof Set || typeof raw === 'function' || typeof raw === 'bigint') unsupported = true;
    return value;
  });
  // ASCII only (a few descriptions hold `…`): V8 keeps the file as a one-byte string and
  // parses it as one; a single wider character made the whole 170 KB a two-byte string.
  return unsupported ? undefined : escapeNonAscii(json);
}

/**
 * Every non-ASCII character as a `\uXXXX` escape, for text that is valid JSON or
 * JavaScript wherever such a character can occur (strings, comments). V8 holds a text
 * with a single wider character as a two-byte string and parses it as one.
 */
export function escapeNonAscii(text: string): string {
  return text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function deserializeConfig(json: string): { digest: string; stamp?: string; config: Config } | undefined {
  const parsed = JSON.parse(json) as Precompiled;
  if (parsed.format !== FORMAT) return undefined;
  return { digest: parsed.digest, stamp: parsed.stamp, config: reviveRegExps(parsed.config as Serialized<Config>) };
}

/** A type as it comes out of the JSON: RegExps still in their serialized form. */
type Serialized<T> = T extends RegExp ? SerializedRegExp : T extends (infer U)[] ? Serialized<U>[] : T extends object ? { [K in keyof T]: Serialized<T[K]> } : T;

/**
 * Turn the serialized RegExps back into RegExps, where Config keeps them. A JSON.parse
 * reviver did this for any value, but it is called back for every value in the file
 * and took longer than the parse itself. A RegExp field added to Config and not
 * handled here fails the build's round-trip check (precompile.ts): nothing is written
 * and keyscan reads the TOML, so it is never half-revived.
 */
function reviveRegExps(config: Serialized<Config>): Config {
  const revive = (s: SerializedRegExp): RegExp => {
    const re = new RegExp(s.$regexp, s.flags);
    return s.written !== undefined && s.written !== s.$regexp ? rememberPattern(re, s.written) : re;
  };
  const allowlist = (a: Serialized<Allowlist>): Allowlist => ({ ...a, regexes: a.regexes.map(revive), paths: a.paths.map(revive) });
  return {
    ...config,
    rules: config.rules.map((r) => ({
      ...r,
      regex: revive(r.regex),
      ...(r.path ? { path: revive(r.path) } : {}),
      allowlists: r.allowlists.map(allowlist),
    }) as Rule),
    allowlists: config.allowlists.map(allowlist),
  } as Config;
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
  if (!loaded) return undefined;
  if (loaded.stamp === undefined || loaded.stamp !== rulesStamp(rulesDir)) {
    if (loaded.digest !== rulesDigest(rulesDir)) return undefined;
  }
  return loaded.config;
}
