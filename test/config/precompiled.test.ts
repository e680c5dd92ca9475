import { afterAll, describe, expect, it } from 'vitest';
import { cpSync } from 'node:fs';
import { appendFileSync, readFileSync, readdirSync, utimesSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { DEFAULT_RULES_DIR, readRulesDir } from '../../src/config/load.js';
import { deserializeConfig, rulesDigest, serializeConfig } from '../../src/config/precompiled.js';
import type { Config } from '../../src/config/rule.js';
import { writtenPattern } from '../../src/config/translate-regex.js';
import { tempDir } from '../helpers/repo.js';
import { isKeywordAnchored } from '../../src/detect/anchor.js';

/** The build's per-rule anchoring answers, and the config without them. */
const withoutAnchored = (c: Config) => ({
  anchored: c.rules.map((r) => r.anchored),
  plain: { ...c, rules: c.rules.map(({ anchored: _, ...r }) => r) } as Config,
});

const asText = (c: Config) => JSON.parse(JSON.stringify(c, function (this: unknown, k: string, v: unknown) {
  const raw = (this as Record<string, unknown>)[k];
  return raw instanceof RegExp ? `/${raw.source}/${raw.flags}` : v;
})) as unknown;

describe('precompiled default rules', () => {
  const t = tempDir();
  afterAll(t.cleanup);

  it('round-trip exactly: every rule, regex and allowlist', () => {
    const files = readRulesDir(DEFAULT_RULES_DIR, join(DEFAULT_RULES_DIR, '..'));
    const config: Config = { rules: files.flatMap((f) => f.rules), allowlists: files.flatMap((f) => f.allowlists), sources: ['(keyscan default rules)'], disabledRules: [] };
    const back = deserializeConfig(serializeConfig(config, 'd')!)!;
    expect(back.digest).toBe('d');
    expect(asText(back.config)).toEqual(asText(config));
    expect(back.config.rules[0]!.regex).toBeInstanceOf(RegExp);
    // Messages quote each pattern as written in the TOML, precompiled or not.
    const written = (c: Config) => c.allowlists.flatMap((a) => [...a.regexes, ...a.paths]).map(writtenPattern);
    expect(written(back.config)).toEqual(written(config));
    // And the build wrote them for the rules as they are now (npm test builds first).
    const built = deserializeConfig(readFileSync(fileURLToPath(new URL('../../dist/default-rules.json', import.meta.url)), 'utf8'))!;
    expect(built.digest).toBe(rulesDigest(DEFAULT_RULES_DIR));
    // The same rules, plus the anchoring worked out at build time, which is the detector's own answer.
    const { anchored, plain } = withoutAnchored(built.config);
    expect(asText(plain)).toEqual(asText(config));
    expect(anchored).toEqual(config.rules.map((r) => isKeywordAnchored(r.regex, r.keywords)));
    // Most rules are anchored (the detector's fast path); some are not (windows): both answers occur.
    expect(anchored.filter(Boolean).length).toBeGreaterThan(config.rules.length / 2);
    expect(anchored).toContain(false);
  });

  it('are ignored once a rule file changes without a rebuild', async () => {
    const dir = join(t.dir, 'rules');
    cpSync(DEFAULT_RULES_DIR, dir, { recursive: true });
    const before = rulesDigest(dir);
    expect(before).toBe(rulesDigest(DEFAULT_RULES_DIR));
    const built = (await import(new URL('../../dist/config/precompiled.js', import.meta.url).href)) as typeof import('../../src/config/precompiled.js');
    expect(built.loadPrecompiledDefaults(dir)).toBeDefined();
    appendFileSync(join(dir, 'github.toml'), '\n# edited\n');
    expect(rulesDigest(dir)).not.toBe(before);
    expect(built.loadPrecompiledDefaults(dir)).toBeUndefined();
  });

  it('are used when only the times of the files changed (npm pack stamps one date on every file), and when nothing did', async () => {
    // The built module: it reads dist/default-rules.json next to it (npm test builds first).
    const { loadPrecompiledDefaults } = (await import(new URL('../../dist/config/precompiled.js', import.meta.url).href)) as typeof import('../../src/config/precompiled.js');
    const dir = join(t.dir, 'rules-touched');
    cpSync(DEFAULT_RULES_DIR, dir, { recursive: true, preserveTimestamps: true });
    // Same names, sizes and times: the stamp decides without reading the files.
    expect(loadPrecompiledDefaults(dir)).toBeDefined();
    const packed = new Date('1985-10-26T08:15:00Z');
    for (const f of readdirSync(dir)) utimesSync(join(dir, f), packed, packed);
    // Times differ from the build's: the digest of the contents decides, and they match.
    expect(loadPrecompiledDefaults(dir)).toBeDefined();
    appendFileSync(join(dir, 'slack.toml'), '#');
    expect(loadPrecompiledDefaults(dir)).toBeUndefined();
  });

  it('refuse what JSON cannot carry', () => {
    const config = { rules: [], allowlists: [], sources: [], disabledRules: [], extra: new Set([1]) } as unknown as Config;
    expect(serializeConfig(config, 'd')).toBeUndefined();
  });
});
