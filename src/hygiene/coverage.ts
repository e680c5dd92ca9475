import { ENV_TEMPLATE_SUFFIXES } from './credential-files.js';
import type { HygieneProblem, IgnoreMatch, ProbeResult } from './problem.js';

/**
 * The coverage check: hypothetical paths handed to `git check-ignore --no-index`, so git's
 * own rules (every .gitignore, .git/info/exclude, core.excludesFile, negations, precedence)
 * decide. Nothing here re-implements gitignore matching.
 */

/** A path git is asked about, and the pattern that makes it right when it is not. */
export interface Probe {
  path: string;
  expect: 'ignored' | 'not-ignored';
  /** Root .gitignore line that fixes this probe when nothing overrides it. */
  pattern: string;
}

/**
 * .env variants that must be ignored: the names dotenv, Vite, Next.js and create-react-app
 * load (`.env.[mode].local`), one arbitrary `.env.<anything>` and one `<name>.env`.
 */
const ENV_VARIANTS: { name: string; pattern: string }[] = [
  { name: '.env', pattern: '.env' },
  { name: '.env.local', pattern: '.env.*' },
  { name: '.env.development', pattern: '.env.*' },
  { name: '.env.production', pattern: '.env.*' },
  { name: '.env.test', pattern: '.env.*' },
  { name: '.env.development.local', pattern: '.env.*' },
  { name: '.env.production.local', pattern: '.env.*' },
  { name: '.env.staging', pattern: '.env.*' },
  { name: 'production.env', pattern: '*.env' },
];

/** Templates meant to be committed: must stay un-ignored. */
const TEMPLATE_VARIANTS = ENV_TEMPLATE_SUFFIXES.map((s) => ({ name: `.env.${s}`, pattern: `!.env.${s}` }));

/**
 * Patterns to add, with the template exceptions `.env.*` needs: it also matches
 * `.env.example` & co., so adding it without them would hide the templates. Adding
 * them in the same run keeps `--fix` idempotent (the re-check finds nothing more to add).
 */
export function withTemplateExceptions(patterns: string[]): string[] {
  return patterns.includes('.env.*') ? [...patterns, ...TEMPLATE_VARIANTS.map((v) => v.pattern)] : patterns;
}

/** Stands for "any directory": `<dir>/.env` must be ignored wherever it lives. */
export const ANY_DIR = 'any/dir';

/**
 * Probes for the root, for `<dir>/.env`, and for every directory holding its own .gitignore
 * (where a negation could un-ignore a variant for that subtree).
 */
export function coverageProbes(gitignoreDirs: Iterable<string>): Probe[] {
  const probes: Probe[] = [];
  const add = (dir: string) => {
    const prefix = dir === '' ? '' : `${dir}/`;
    for (const v of ENV_VARIANTS) probes.push({ path: prefix + v.name, expect: 'ignored', pattern: v.pattern });
    for (const v of TEMPLATE_VARIANTS) probes.push({ path: prefix + v.name, expect: 'not-ignored', pattern: v.pattern });
  };
  add('');
  probes.push({ path: `${ANY_DIR}/.env`, expect: 'ignored', pattern: '.env' });
  for (const dir of [...new Set(gitignoreDirs)].filter((d) => d !== '').sort()) add(dir);
  return probes;
}

/**
 * Whether a rule from `source` is outranked (or equalled, by a later line) by the root
 * .gitignore: true for the root .gitignore itself, `.git/info/exclude` and core.excludesFile;
 * false for a .gitignore in a subdirectory, which takes precedence there (git-scm.com/docs/gitignore).
 */
export function isRootLevelSource(source: string): boolean {
  const absolute = source.startsWith('/') || /^[A-Za-z]:[\\/]/.test(source);
  return absolute || !/\/\.gitignore$/.test(source);
}

export function describeMatch(m: IgnoreMatch): string {
  return `${m.source}:${m.line} \`${m.pattern}\``;
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? path.slice(0, slash) : '';
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Problems from probe results. A probe in a subdirectory is reported only when its answer
 * or the rule behind it differs from the root's (a nested .gitignore decides there).
 */
export function coverageProblems(probes: Probe[], results: ProbeResult[]): HygieneProblem[] {
  const byPath = new Map(results.map((r) => [r.path, r]));
  const problems: HygieneProblem[] = [];
  const failing: { probe: Probe; match: IgnoreMatch | undefined }[] = [];
  for (const probe of probes) {
    const r = byPath.get(probe.path);
    if (!r) continue;
    const ok = probe.expect === 'ignored' ? r.ignored : !r.ignored;
    if (ok) continue;
    const dir = dirOf(probe.path);
    if (dir !== '' && dir !== ANY_DIR) {
      // Same failure, same cause as at the root: the root problem says it and its fix covers both.
      const atRoot = byPath.get(nameOf(probe.path));
      if (atRoot && atRoot.ignored === r.ignored && sameRule(atRoot.match, r.match)) continue;
    }
    failing.push({ probe, match: r.match });
  }
  // One problem per cause: `.env.local`, `.env.test`… all missing `.env.*` are one fix.
  const groups = new Map<string, { probe: Probe; match: IgnoreMatch | undefined; paths: string[]; patterns: string[] }>();
  for (const f of failing) {
    // Templates hidden by the same rule are one problem too, whatever their names.
    const key = [f.probe.expect, f.probe.expect === 'ignored' ? f.probe.pattern : '', dirOf(f.probe.path), f.match ? `${f.match.source}:${f.match.line}` : ''].join('\0');
    const g = groups.get(key);
    if (g) {
      g.paths.push(f.probe.path);
      if (!g.patterns.includes(f.probe.pattern)) g.patterns.push(f.probe.pattern);
    } else {
      groups.set(key, { ...f, paths: [f.probe.path], patterns: [f.probe.pattern] });
    }
  }
  for (const g of groups.values()) {
    problems.push(g.probe.expect === 'ignored' ? envNotIgnored(g.probe, g.match, g.paths) : templateIgnored(g.paths, g.patterns, g.match));
  }
  return problems;
}

function sameRule(a: IgnoreMatch | undefined, b: IgnoreMatch | undefined): boolean {
  return a?.source === b?.source && a?.line === b?.line;
}

function listPaths(paths: string[]): string {
  return paths.length <= 4 ? paths.join(', ') : `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`;
}

function envNotIgnored(probe: Probe, match: IgnoreMatch | undefined, paths: string[]): HygieneProblem {
  const shown = paths.map((p) => (p.startsWith(`${ANY_DIR}/`) ? `<dir>/${nameOf(p)}` : p));
  const display = shown[0]!;
  const all = listPaths(shown);
  const severity = nameOf(probe.path) === '.env' ? 'high' : 'medium';
  const base = { rule: 'env-not-ignored' as const, check: 'coverage' as const, severity, path: display, ...(shown.length > 1 ? { paths: shown } : {}), kind: 'dotenv' } as const;
  if (!match) {
    return {
      ...base,
      why: `no ignore rule covers ${all}: a \`git add .\` would commit ${shown.length === 1 ? 'it' : 'them'}, and .env files hold real credentials`,
      fix: `add \`${probe.pattern}\` to the root .gitignore (\`keyscan hygiene --fix\` does it)`,
      patterns: [probe.pattern],
    };
  }
  const fixable = isRootLevelSource(match.source);
  return {
    ...base,
    why: `${describeMatch(match)} un-ignores ${all}, so a \`git add .\` would commit ${shown.length === 1 ? 'it' : 'them'}`,
    fix: fixable
      ? `delete that line, or run \`keyscan hygiene --fix\`, which adds \`${probe.pattern}\` after it in the root .gitignore`
      : `delete line ${match.line} (\`${match.pattern}\`) from ${match.source}: a root .gitignore cannot override it`,
    patterns: fixable ? [probe.pattern] : undefined,
    match,
  };
}

function templateIgnored(paths: string[], patterns: string[], match: IgnoreMatch | undefined): HygieneProblem {
  const fixable = match === undefined || isRootLevelSource(match.source);
  const by = match ? ` by ${describeMatch(match)}` : '';
  const names = listPaths(paths.map(nameOf));
  const many = paths.length > 1;
  return {
    rule: 'template-ignored',
    check: 'coverage',
    severity: 'low',
    path: paths[0]!,
    ...(many ? { paths } : {}),
    why: `${names} ${many ? 'are templates' : 'is a template'} meant to be committed (placeholder values only), but ignored${by}; without ${many ? 'them' : 'it'} people pass real .env files around`,
    fix: fixable
      ? `add ${patterns.map((p) => `\`${p}\``).join(', ')} to the root .gitignore after the patterns that ignore .env files (\`keyscan hygiene --fix\` does it)`
      : `add ${paths.map((p) => `\`!${nameOf(p)}\``).join(', ')} to ${match!.source} after line ${match!.line}, or narrow that pattern`,
    patterns: fixable ? patterns : undefined,
    match,
  };
}
