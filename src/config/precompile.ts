import { rmSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { DEFAULT_RULES_DIR, readRulesDir } from './load.js';
import { deserializeConfig, PRECOMPILED_FILE, rulesDigest, rulesStamp, serializeConfig } from './precompiled.js';
import type { Config } from './rule.js';
import { writeFileAtomic } from '../report/write.js';
import { isKeywordAnchored } from '../detect/anchor.js';

/**
 * Write dist/default-rules.json from the TOML rules (validated as at run time). When the
 * compiled form would not round-trip exactly, write nothing: keyscan then reads the TOML.
 */
export function writePrecompiledDefaults(): string {
  // Same display root as loadDefaultConfig, so each rule's `source` is identical.
  const files = readRulesDir(DEFAULT_RULES_DIR, join(DEFAULT_RULES_DIR, '..'));
  const config: Config = {
    // The anchoring analysis at build time: 20-30 ms that each scanning thread (and a
    // pre-commit hook, for the rules its change touches) no longer spends on start-up.
    rules: files.flatMap((f) => f.rules).map((r) => ({ ...r, anchored: isKeywordAnchored(r.regex, r.keywords) })),
    allowlists: files.flatMap((f) => f.allowlists),
    sources: ['(keyscan default rules)'],
    disabledRules: [],
  };
  const out = fileURLToPath(PRECOMPILED_FILE);
  const digest = rulesDigest(DEFAULT_RULES_DIR);
  const json = serializeConfig(config, digest, rulesStamp(DEFAULT_RULES_DIR));
  const back = json === undefined ? undefined : deserializeConfig(json);
  if (!json || !back || !isDeepStrictEqual(JSON.parse(JSON.stringify(back.config, regexpAsText)), JSON.parse(JSON.stringify(config, regexpAsText)))) {
    rmSync(out, { force: true });
    return 'precompile-rules: the rules do not round-trip through JSON; keyscan will read the TOML at run time';
  }
  writeFileAtomic(out, json);
  return `precompile-rules: ${config.rules.length} rules -> ${out}`;
}

function regexpAsText(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  return raw instanceof RegExp ? `/${raw.source}/${raw.flags}` : value;
}
