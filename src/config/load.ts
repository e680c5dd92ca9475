import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join, relative, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { translateRegex, RegexTranslationError, RegexSyntaxError, rememberPattern } from './translate-regex.js';
import type { Allowlist, Config, Rule, RuleSamples } from './rule.js';
import { loadPrecompiledDefaults } from './precompiled.js';

/**
 * The TOML parser is loaded on first use: the pre-commit hook reads the precompiled
 * default rules (precompiled.ts) and never needs it (issue 3, start-up).
 */
// node:module only when TOML is read: the precompiled defaults need neither it nor the parser.
let requireLazy: NodeRequire | undefined;
function parseToml(text: string): unknown {
  requireLazy ??= process.getBuiltinModule('node:module').createRequire(import.meta.url);
  return (requireLazy('smol-toml') as typeof import('smol-toml')).parse(text);
}

/** Where the rules shipped with keyscan live: `rules/` at the package root. */
export const DEFAULT_RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

const RULE_KEYS = new Set([
  'id', 'description', 'regex', 'secretGroup', 'entropy', 'keywords', 'path', 'tags',
  'allowlists', 'allowlist', 'samples', 'multiline', 'checksum', 'randomness',
]);
const ALLOWLIST_KEYS = new Set([
  'description', 'condition', 'regexTarget', 'regexes', 'paths', 'stopwords', 'commits', 'targetRules',
]);
const SAMPLE_KEYS = new Set(['positives', 'negatives', 'name', 'wrap', 'path']);
const TOP_KEYS = new Set(['title', 'minVersion', 'version', 'extend', 'rules', 'allowlists', 'allowlist', 'rotation']);
const RULE_ID = /^[a-z0-9][a-z0-9._-]*$/i;

/** A parsed but not yet merged config file. */
export interface ConfigFile {
  file: string;
  rules: Rule[];
  allowlists: Allowlist[];
  extend?: { useDefault: boolean; path?: string; disabledRules: string[] };
  /** Top-level tables other stages read (e.g. `rotation`, which a repository config may not set). */
  tables: Record<string, unknown>;
  /**
   * Fields each rule set explicitly. A rule with neither `regex` nor `path` is only valid
   * in a config that extends another holding that id: gitleaks merges the two, the
   * child's fields winning and lists appended (e.g. an extra allowlist for a default rule).
   */
  fieldsSet: Map<string, Set<string>>;
}

/**
 * Collects problems instead of throwing at the first one, so that a broken rules
 * directory is reported whole in one run.
 */
class Problems {
  readonly list: string[] = [];
  add(where: string, message: string): void {
    this.list.push(`${where}: ${message}`);
  }
  throwIfAny(hint?: string): void {
    if (this.list.length > 0) throw new ConfigError(this.list, hint);
  }
}

/** Parse and validate one TOML config or rules file. */
export function readConfigFile(file: string, displayName = file): ConfigFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError([
      `${displayName}: cannot read config file (${code === 'ENOENT' ? 'no such file' : code ?? String(err)})`,
    ], 'check the --config path');
  }
  const problems = new Problems();
  const parsed = parseConfigText(text, displayName, problems);
  problems.throwIfAny('fix the file and run again');
  return parsed;
}

/** Parse config text; problems are collected, the result holds whatever was valid. */
export function parseConfigText(text: string, file: string, problems = new Problems()): ConfigFile {
  const result: ConfigFile = { file, rules: [], allowlists: [], tables: {}, fieldsSet: new Map() };
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    problems.add(file, `invalid TOML: ${msg}`);
    return result;
  }
  for (const key of Object.keys(doc)) {
    if (!TOP_KEYS.has(key)) problems.add(file, `unknown top-level key "${key}"`);
  }
  for (const key of ['rotation']) if (key in doc) result.tables[key] = doc[key];

  if (doc.extend !== undefined) {
    const ext = asTable(doc.extend);
    if (!ext) problems.add(file, '[extend] must be a table');
    else {
      const disabled = ext.disabledRules ?? [];
      result.extend = {
        useDefault: ext.useDefault === true,
        path: typeof ext.path === 'string' ? ext.path : undefined,
        disabledRules: Array.isArray(disabled) ? disabled.map(String) : [],
      };
      if (!Array.isArray(disabled)) problems.add(file, '[extend] disabledRules must be an array of rule ids');
    }
  }

  const rawRules = doc.rules ?? [];
  if (!Array.isArray(rawRules)) problems.add(file, '"rules" must be an array of tables ([[rules]])');
  const seen = new Set<string>();
  for (const [index, raw] of (Array.isArray(rawRules) ? rawRules : []).entries()) {
    const rule = compileRule(raw, file, index, problems);
    if (!rule) continue;
    if (seen.has(rule.id)) problems.add(`${file}: ${rule.id}`, 'duplicate rule id');
    seen.add(rule.id);
    result.rules.push(rule);
    result.fieldsSet.set(rule.id, new Set(Object.keys(raw as object)));
  }

  const globals = [
    ...(doc.allowlist !== undefined ? [doc.allowlist] : []),
    ...(Array.isArray(doc.allowlists) ? doc.allowlists : doc.allowlists !== undefined ? [doc.allowlists] : []),
  ];
  for (const [index, raw] of globals.entries()) {
    const al = compileAllowlist(raw, `${file}: allowlists[${index}]`, problems, true);
    if (al) result.allowlists.push(al);
  }
  return result;
}

function compileRule(raw: unknown, file: string, index: number, problems: Problems): Rule | undefined {
  const table = asTable(raw);
  if (!table) {
    problems.add(`${file}: rules[${index}]`, 'must be a table');
    return undefined;
  }
  const id = typeof table.id === 'string' ? table.id : '';
  const where = `${file}: ${id || `rules[${index}]`}`;
  const before = problems.list.length;
  if (!id) problems.add(where, 'missing "id"');
  else if (!RULE_ID.test(id)) problems.add(where, `id "${id}" must be letters, digits, ".", "_" or "-"`);
  for (const key of Object.keys(table)) {
    if (!RULE_KEYS.has(key)) problems.add(where, `unknown field "${key}"`);
  }

  let regex: RegExp | undefined;
  let groups = 0;
  if (table.regex !== undefined) {
    if (typeof table.regex !== 'string' || table.regex === '') problems.add(where, '"regex" must be a non-empty string');
    else {
      regex = compileRegex(table.regex, where, problems, 'gd');
      if (regex) groups = countGroups(regex);
    }
  }
  const path = table.path === undefined ? undefined
    : typeof table.path === 'string' ? compileRegex(table.path, where, problems, '', '"path"')
    : (problems.add(where, '"path" must be a string'), undefined);

  const secretGroup = table.secretGroup ?? 0;
  if (typeof secretGroup !== 'number' && typeof secretGroup !== 'bigint') problems.add(where, '"secretGroup" must be an integer');
  else if (Number(secretGroup) < 0 || (regex && Number(secretGroup) > groups)) {
    problems.add(where, `"secretGroup" is ${secretGroup} but the regex has ${groups} capture group${groups === 1 ? '' : 's'}`);
  }
  const entropy = table.entropy ?? 0;
  if (typeof entropy !== 'number' && typeof entropy !== 'bigint') problems.add(where, '"entropy" must be a number');
  else if (Number(entropy) < 0 || Number(entropy) > 8) problems.add(where, '"entropy" must be between 0 and 8');

  const keywords = stringList(table.keywords, where, 'keywords', problems).map((k) => k.toLowerCase());
  if (keywords.some((k) => k === '')) problems.add(where, '"keywords" has an empty keyword');
  const tags = stringList(table.tags, where, 'tags', problems);

  const allowlists: Allowlist[] = [];
  const rawAls = [
    ...(table.allowlist !== undefined ? [table.allowlist] : []),
    ...(Array.isArray(table.allowlists) ? table.allowlists : table.allowlists !== undefined ? [table.allowlists] : []),
  ];
  for (const [i, al] of rawAls.entries()) {
    const compiled = compileAllowlist(al, `${where}: allowlists[${i}]`, problems, false);
    if (compiled) allowlists.push(compiled);
  }

  const samples = table.samples === undefined ? undefined : compileSamples(table.samples, where, problems);
  if (table.multiline !== undefined && typeof table.multiline !== 'boolean') problems.add(where, '"multiline" must be true or false');
  if (table.checksum !== undefined && table.checksum !== 'github-crc32') problems.add(where, '"checksum" must be "github-crc32"');
  if (table.randomness !== undefined && typeof table.randomness !== 'boolean') problems.add(where, '"randomness" must be true or false');

  if (problems.list.length > before) return undefined;
  const multiline = table.multiline === true || (regex !== undefined && /\\n|\[\\s\\S|\[\\S\\s|\(\?[a-z]*s[a-z-]*[:)]/.test(String(table.regex))) || (regex?.flags.includes('s') ?? false);
  return {
    id,
    description: typeof table.description === 'string' ? table.description : id,
    // A path-only rule reports the file itself: its regex matches once, at the start.
    regex: regex ?? /^/dg,
    pathOnly: regex === undefined,
    secretGroup: Number(secretGroup),
    entropy: Number(entropy),
    keywords,
    path,
    tags,
    allowlists,
    samples,
    multiline,
    randomness: table.randomness === true,
    checksum: table.checksum === 'github-crc32' ? 'github-crc32' : undefined,
    source: file,
  };
}

function compileAllowlist(raw: unknown, where: string, problems: Problems, global: boolean): Allowlist | undefined {
  const table = asTable(raw);
  if (!table) {
    problems.add(where, 'must be a table');
    return undefined;
  }
  for (const key of Object.keys(table)) {
    if (!ALLOWLIST_KEYS.has(key)) problems.add(where, `unknown field "${key}"`);
  }
  if (!global && table.targetRules !== undefined) problems.add(where, '"targetRules" only applies to global [[allowlists]]');
  const condition = String(table.condition ?? 'OR').toUpperCase();
  if (condition !== 'OR' && condition !== 'AND') problems.add(where, `"condition" must be "OR" or "AND", not "${condition}"`);
  const regexTarget = String(table.regexTarget ?? 'secret');
  if (!['secret', 'match', 'line'].includes(regexTarget)) problems.add(where, `"regexTarget" must be "secret", "match" or "line", not "${regexTarget}"`);
  const regexes = stringList(table.regexes, where, 'regexes', problems)
    .map((r) => compileRegex(r, where, problems, '', '"regexes"'))
    .filter((r): r is RegExp => r !== undefined);
  const paths = stringList(table.paths, where, 'paths', problems)
    .map((r) => compileRegex(r, where, problems, '', '"paths"'))
    .filter((r): r is RegExp => r !== undefined);
  return {
    description: typeof table.description === 'string' ? table.description : '',
    condition: condition === 'AND' ? 'AND' : 'OR',
    regexTarget: regexTarget as Allowlist['regexTarget'],
    regexes,
    paths,
    stopwords: stringList(table.stopwords, where, 'stopwords', problems).map((s) => s.toLowerCase()),
    commits: stringList(table.commits, where, 'commits', problems),
    targetRules: stringList(table.targetRules, where, 'targetRules', problems),
  };
}

function compileSamples(raw: unknown, where: string, problems: Problems): RuleSamples | undefined {
  const table = asTable(raw);
  if (!table) {
    problems.add(where, '"samples" must be a table');
    return undefined;
  }
  for (const key of Object.keys(table)) {
    if (!SAMPLE_KEYS.has(key)) problems.add(where, `unknown samples field "${key}"`);
  }
  return {
    positives: stringList(table.positives, where, 'samples.positives', problems),
    negatives: stringList(table.negatives, where, 'samples.negatives', problems),
    name: typeof table.name === 'string' ? table.name : undefined,
    wrap: table.wrap === false ? false : undefined,
    path: typeof table.path === 'string' ? table.path : undefined,
  };
}

/** Compile an RE2-syntax pattern into a JS RegExp, recording a problem on failure. */
export function compileRegex(pattern: string, where: string, problems: { add(w: string, m: string): void }, extraFlags: string, field = '"regex"'): RegExp | undefined {
  try {
    const { source, flags } = translateRegex(pattern);
    return rememberPattern(new RegExp(source, [...new Set(flags + extraFlags)].join('')), pattern);
  } catch (err) {
    const why = err instanceof RegexTranslationError
      ? `uses ${err.message}, which cannot be translated to JavaScript`
      : `is not a valid regex (${err instanceof RegexSyntaxError ? err.message : (err as Error).message.replace(/^Invalid regular expression: /, '')})`;
    problems.add(where, `${field} ${why}`);
    return undefined;
  }
}

function countGroups(regex: RegExp): number {
  // An empty alternative matches the empty string: its match array length is groups + 1.
  return (new RegExp(`${regex.source}|`, regex.flags.replace(/[gyd]/g, '')).exec('')?.length ?? 1) - 1;
}

function asTable(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function stringList(v: unknown, where: string, field: string, problems: Problems): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    problems.add(where, `"${field}" must be an array of strings`);
    return [];
  }
  return v as string[];
}

/**
 * Load every `*.toml` in a rules directory. All problems across all files are reported
 * together; rule ids must be unique across files.
 */
export function readRulesDir(dir: string, displayRoot = dir): ConfigFile[] {
  const problems = new Problems();
  const files = readdirSync(dir).filter((f) => f.endsWith('.toml')).sort();
  const parsed: ConfigFile[] = [];
  const owner = new Map<string, string>();
  for (const f of files) {
    const display = relative(displayRoot, join(dir, f)) || f;
    let text: string;
    try {
      text = readFileSync(join(dir, f), 'utf8');
    } catch (err) {
      problems.add(display, `cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      continue;
    }
    const cf = parseConfigText(text, display, problems);
    for (const id of incompleteRules(cf)) problems.add(`${display}: ${id}`, 'needs a "regex" (or at least a "path")');
    for (const r of cf.rules) {
      const prev = owner.get(r.id);
      if (prev && prev !== display) problems.add(`${display}: ${r.id}`, `duplicate rule id (also in ${prev})`);
      owner.set(r.id, display);
    }
    parsed.push(cf);
  }
  problems.throwIfAny('fix the rule files and run again');
  return parsed;
}

let defaultConfig: Config | undefined;

/** The rules and allowlists shipped with keyscan. Loaded once per process. */
export function loadDefaultConfig(): Config {
  defaultConfig ??= loadPrecompiledDefaults(DEFAULT_RULES_DIR);
  if (!defaultConfig) {
    const files = readRulesDir(DEFAULT_RULES_DIR, join(DEFAULT_RULES_DIR, '..'));
    defaultConfig = {
      rules: files.flatMap((f) => f.rules),
      allowlists: files.flatMap((f) => f.allowlists),
      sources: ['(keyscan default rules)'],
      disabledRules: [],
    };
  }
  return defaultConfig;
}

/** Rules that set neither `regex` nor `path`: only valid as additions to a rule they extend. */
function incompleteRules(cf: ConfigFile): string[] {
  return cf.rules.filter((r) => {
    const set = cf.fieldsSet.get(r.id);
    return set !== undefined && !set.has('regex') && !set.has('path');
  }).map((r) => r.id);
}

/**
 * gitleaks' merge of a rule with the one it extends (config/config.go, extend()): the
 * child's fields win where it sets them, keywords, tags and allowlists are appended.
 */
function mergeRule(child: Rule, base: Rule, set: ReadonlySet<string>): Rule {
  const has = (k: string) => set.has(k);
  return {
    ...base,
    description: has('description') ? child.description : base.description,
    regex: has('regex') ? child.regex : base.regex,
    pathOnly: has('regex') ? false : base.pathOnly,
    secretGroup: has('secretGroup') ? child.secretGroup : base.secretGroup,
    entropy: has('entropy') ? child.entropy : base.entropy,
    path: has('path') ? child.path : base.path,
    multiline: has('regex') || has('multiline') ? child.multiline : base.multiline,
    checksum: has('checksum') ? child.checksum : base.checksum,
    keywords: [...new Set([...child.keywords, ...base.keywords])],
    tags: [...new Set([...child.tags, ...base.tags])],
    allowlists: [...child.allowlists, ...base.allowlists],
    samples: child.samples ?? base.samples,
    source: `${child.source} (extending ${base.source})`,
    // A new regex needs its own analysis; added keywords keep a base regex anchored.
    anchored: has('regex') ? undefined : base.anchored,
  };
}

/** gitleaks allows two levels of `[extend] path` (maxExtendDepth); more is a loop or a mistake. */
const MAX_EXTEND_DEPTH = 2;

function loadConfigFile(configPath: string, depth: number): Config {
  const cf = readConfigFile(configPath);
  let base: Config | undefined;
  if (cf.extend?.path) {
    if (depth >= MAX_EXTEND_DEPTH) throw new ConfigError([`${configPath}: [extend] path: more than ${MAX_EXTEND_DEPTH} levels of extension`], 'extend a config that does not itself extend another one');
    base = loadConfigFile(resolve(dirname(configPath), cf.extend.path), depth + 1);
  } else if (cf.extend?.useDefault) {
    base = loadDefaultConfig();
  }
  if (!base) {
    const incomplete = incompleteRules(cf);
    if (incomplete.length > 0) throw new ConfigError(incomplete.map((id) => `${configPath}: ${id}: needs a "regex" (or at least a "path")`), 'a rule without a regex only makes sense in a config with [extend]');
    return { rules: cf.rules, allowlists: cf.allowlists, sources: [configPath], disabledRules: [] };
  }
  const disabled = new Set(cf.extend?.disabledRules ?? []);
  const own = new Map(cf.rules.map((r) => [r.id, r]));
  const baseIds = new Set(base.rules.map((r) => r.id));
  const problems: string[] = [];
  for (const id of disabled) if (!baseIds.has(id)) problems.push(`${configPath}: [extend] disabledRules names unknown rule "${id}"`);
  for (const id of incompleteRules(cf)) if (!baseIds.has(id)) problems.push(`${configPath}: ${id}: needs a "regex" (or at least a "path"): no extended rule has this id`);
  if (problems.length > 0) throw new ConfigError(problems, 'run `keyscan rules` to list rule ids');
  const rules = [
    ...base.rules.filter((r) => !disabled.has(r.id)).map((r) => {
      const child = own.get(r.id);
      return child ? mergeRule(child, r, cf.fieldsSet.get(r.id) ?? new Set()) : r;
    }),
    ...cf.rules.filter((r) => !baseIds.has(r.id)),
  ];
  return {
    rules,
    allowlists: [...base.allowlists, ...cf.allowlists],
    sources: [...base.sources, configPath],
    disabledRules: [...base.disabledRules, ...disabled],
  };
}

/**
 * The configuration for a scan: the defaults, or a user config file. A user config
 * replaces the defaults unless it says `[extend] useDefault = true` (or extends another
 * file with `[extend] path`), as in gitleaks. `disabledRules` lists every default rule the
 * result does not run, whether named in `disabledRules` or dropped by replacing the
 * defaults, so --verbose and report metadata show what a config switched off.
 */
export function loadConfig(configPath?: string): Config {
  if (!configPath) return loadDefaultConfig();
  const config = loadConfigFile(configPath, 0);
  const defaults = loadDefaultConfig();
  const active = new Set(config.rules.map((r) => r.id));
  return {
    ...config,
    disabledRules: defaults.rules.map((r) => r.id).filter((id) => !active.has(id)),
    defaultRuleCount: defaults.rules.length,
  };
}
