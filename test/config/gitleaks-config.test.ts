import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadConfig, loadDefaultConfig } from '../../src/config/load.js';
import { scan } from '../../src/scan.js';
import { ConfigError } from '../../src/errors.js';
import { tempDir, writeFiles } from '../helpers/repo.js';
import { fakeGithubToken } from '../helpers/secrets.js';
import { SeededRandom, ALPHABETS } from '../helpers/random.js';
import { fileFragment, memorySource } from '../helpers/fragments.js';

/**
 * A hand-written config in gitleaks' format: [extend], a rule using RE2-only syntax,
 * rule and global allowlists with condition = "AND", regexTarget and targetRules, and a
 * rule that only adds an allowlist to a default rule (gitleaks merges the two).
 */
const GITLEAKS_STYLE = String.raw`
title = "team config"

[extend]
useDefault = true

[[rules]]
id = "demo-service-key"
description = "Demo service key"
regex = '''(?i)demo[_-]?key\s*[:=]\s*["']?(dsk_[[:alnum:]]{24})(?:["'\s]|\z)'''
secretGroup = 1
keywords = ["dsk_"]
tags = ["demo"]

[[rules.allowlists]]
description = "documented examples"
condition = "AND"
regexTarget = "line"
regexes = ['''(?i:example)''']
paths = ['''^docs/''']

[[rules]]
id = "github-pat"
[[rules.allowlists]]
description = "test fixtures"
regexTarget = "line"
regexes = ['''\QFIXTURE:\E''']

[[allowlists]]
description = "demo test keys"
targetRules = ["demo-service-key"]
stopwords = ["dsk_testtest"]
`;

const rng = new SeededRandom('gitleaks-config');
const demoKey = (prefix = '') => `dsk_${prefix}${rng.pick(ALPHABETS.alnum!, 24 - prefix.length)}`;

describe('a gitleaks-style repository config', () => {
  const t = tempDir();
  afterAll(t.cleanup);
  writeFiles(t.dir, { 'gitleaks.toml': GITLEAKS_STYLE });
  const config = loadConfig(join(t.dir, 'gitleaks.toml'));

  it('loads: defaults kept, own rule added, the partial github-pat rule merged with the default one', () => {
    expect(config.rules.map((r) => r.id)).toContain('demo-service-key');
    const gh = config.rules.find((r) => r.id === 'github-pat')!;
    const base = loadDefaultConfig().rules.find((r) => r.id === 'github-pat')!;
    expect(gh.regex.source).toBe(base.regex.source);
    expect(gh.allowlists).toHaveLength(base.allowlists.length + 1);
    expect(config.disabledRules).toEqual([]);
  });

  it('produces the expected findings; the allowlists drop exactly what they should', async () => {
    const k = { app: demoKey(), docsExample: demoKey(), docsPlain: demoKey(), srcExample: demoKey(), test: demoKey('testtest'), upper: demoKey() };
    const fixture = fakeGithubToken('cfg-fixture');
    const real = fakeGithubToken('cfg-real');
    const fragments = [
      fileFragment('src/app.py', `DEMO_KEY = "${k.app}"\nDemo-Key: ${k.upper}`),
      fileFragment('docs/guide.md', `Example: demo_key=${k.docsExample}\nthen demo_key=${k.docsPlain}\n`),
      fileFragment('src/example.py', `# example\ndemokey = '${k.srcExample}' # example\n`),
      fileFragment('src/test.py', `demo_key = "${k.test}"\n`),
      fileFragment('test/data.txt', `FIXTURE: ${fixture}\nfixture: ${real}\n`),
    ];
    const result = await scan(memorySource(fragments), config, { explainAllowlisted: true });
    expect(result.findings.map((f) => `${f.ruleId} ${f.file}:${f.startLine}`)).toEqual([
      'demo-service-key src/app.py:1',
      'demo-service-key src/app.py:2',
      'demo-service-key docs/guide.md:2',
      'demo-service-key src/example.py:2',
      'github-pat test/data.txt:2',
    ]);
    expect(result.findings[0]!.secret).toBe(k.app);
    expect(result.suppressed.map((s) => `${s.finding.file}:${s.finding.startLine} ${s.reason}`)).toEqual([
      `docs/guide.md:1 allowlist 1 of rule demo-service-key ("documented examples"): path '^docs/' and regex '(?i:example)' on the line (condition AND)`,
      // Numbered after the default global allowlists (rules/allowlist.toml), which the config extends.
      `src/test.py:1 global allowlist ${loadDefaultConfig().allowlists.length + 1} (targetRules demo-service-key) ("demo test keys"): stopword "dsk_testtest"`,
      String.raw`test/data.txt:1 allowlist 1 of rule github-pat ("test fixtures"): regex '\QFIXTURE:\E' on the line`,
    ]);
    expect(result.suppressedCounts.allowlist).toBe(3);
  });

  it('counts without --explain exactly the allowlisted matches --explain lists, listing none', async () => {
    // Dropped by a stopword (the secret alone decides: counted before a finding is built),
    // by a line regex (decided on the finding), and in diffs: a stopword match on a context
    // line is no match of the diff at all, on an added line it counts.
    const fixture = fakeGithubToken('count-fixture');
    const fragments = [
      fileFragment('src/test.py', `demo_key = "${demoKey('testtest')}"\n`),
      fileFragment('test/data.txt', `FIXTURE: ${fixture}\n`),
      fileFragment('c.py', `demo_key = "${demoKey('testtest')}"\nx = 1\n`, { addedLines: new Set([2]) }),
      fileFragment('d.py', `x = 1\ndemo_key = "${demoKey('testtest')}"\n`, { addedLines: new Set([2]) }),
      fileFragment('e.py', `demo_key = "${demoKey()}"\n`),
    ];
    const explained = await scan(memorySource(fragments), config, { explainAllowlisted: true });
    expect(explained.suppressed.map((s) => `${s.finding.file}:${s.finding.startLine}`)).toEqual(['src/test.py:1', 'test/data.txt:1', 'd.py:2']);
    const counted = await scan(memorySource(fragments), config);
    expect(counted.suppressed).toEqual([]);
    expect(counted.suppressedCounts.allowlist).toBe(3);
    expect(counted.findings).toEqual(explained.findings);
    expect(counted.findings.map((f) => f.file)).toEqual(['e.py']);
  });

  it('[extend] path and disabledRules; unknown ids and a regex-less new rule are errors', () => {
    writeFiles(t.dir, {
      'child.toml': `[extend]\npath = "gitleaks.toml"\ndisabledRules = ["github-pat"]\n`,
      'bad.toml': `[extend]\nuseDefault = true\ndisabledRules = ["no-such-rule"]\n[[rules]]\nid = "lonely"\nkeywords = ["x"]\n`,
      'replace.toml': `[[rules]]\nid = "only-mine"\nregex = '''mine_[0-9]{8}'''\n`,
    });
    const child = loadConfig(join(t.dir, 'child.toml'));
    expect(child.rules.map((r) => r.id)).toContain('demo-service-key');
    expect(child.rules.map((r) => r.id)).not.toContain('github-pat');
    expect(child.disabledRules).toEqual(['github-pat']);
    expect(() => loadConfig(join(t.dir, 'bad.toml'))).toThrow(ConfigError);
    try {
      loadConfig(join(t.dir, 'bad.toml'));
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        `${join(t.dir, 'bad.toml')}: [extend] disabledRules names unknown rule "no-such-rule"`,
        `${join(t.dir, 'bad.toml')}: lonely: needs a "regex" (or at least a "path"): no extended rule has this id`,
      ]);
    }
    // A config without [extend] replaces the defaults: every default rule counts as disabled.
    const replaced = loadConfig(join(t.dir, 'replace.toml'));
    expect(replaced.rules.map((r) => r.id)).toEqual(['only-mine']);
    expect(replaced.disabledRules).toEqual(loadDefaultConfig().rules.map((r) => r.id));
  });

  it('a default rule given a new regex by [extend] is analysed again: its matches need not start at a keyword', async () => {
    // The built modules: their default rules come precompiled, with the anchoring worked out at build time.
    const built = (await import(new URL('../../dist/config/load.js', import.meta.url).href)) as typeof import('../../src/config/load.js');
    const { Detector } = (await import(new URL('../../dist/detect/detector.js', import.meta.url).href)) as typeof import('../../src/detect/detector.js');
    expect(built.loadDefaultConfig().rules.find((r) => r.id === 'github-pat')!.anchored).toBe(true);
    writeFiles(t.dir, {
      'prefixed.toml': String.raw`
[extend]
useDefault = true

[[rules]]
id = "github-pat"
regex = '''\b[a-z]{2,8}=(ghp_[0-9a-zA-Z]{36})\b'''
secretGroup = 1
`,
    });
    const config = built.loadConfig(join(t.dir, 'prefixed.toml'));
    const rule = config.rules.find((r) => r.id === 'github-pat')!;
    expect(rule.anchored).toBeUndefined();
    const token = fakeGithubToken('prefixed');
    const found = new Detector(config).detect({ raw: `auth=${token}\n`, filePath: 'a.env', startLine: 1 }).filter((f) => f.ruleId === 'github-pat');
    expect(found.map((f) => f.secret)).toEqual([token]);
  });

  it('behaves like gitleaks where its own samples need it: first non-empty group as the secret, key on the line above', async () => {
    writeFiles(t.dir, {
      'compat.toml': String.raw`
[[rules]]
id = "lob-like"
regex = '''(?i)[\w.-]{0,50}?(?:lob)(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'"\s=]{0,5}((?:live|test)_[a-f0-9]{35})(?:[\x60'"\s;]|\\[nr]|$)'''
keywords = ["test_", "live_"]
`,
    });
    const compat = loadConfig(join(t.dir, 'compat.toml'));
    const value = `test_${rng.pick(ALPHABETS.hex!, 35)}`;
    const result = await scan(memorySource([fileFragment('a.xml', `<lobToken>\n    ${value}\n</lobToken>\n`)]), compat);
    expect(result.findings.map((f) => [f.startLine, f.secret])).toEqual([[1, value]]);
  });
});
