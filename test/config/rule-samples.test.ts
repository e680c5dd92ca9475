import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import { SYNTAXES, SeededRandom, expandTemplate, sampleCases, sampleProblems } from '../../src/config/rule-samples.js';
import { testRules } from '../../src/detect/rule-test.js';
import type { Rule } from '../../src/config/rule.js';

function rulesOf(toml: string): Rule[] {
  return parseConfigText(toml, 'test.toml').rules;
}

describe('expandTemplate', () => {
  it('is deterministic per seed and fills each placeholder from its alphabet', () => {
    const a = expandTemplate('AKIA{base32:16}-{hex:8}', new SeededRandom('s'));
    expect(a).toBe(expandTemplate('AKIA{base32:16}-{hex:8}', new SeededRandom('s')));
    expect(a).toMatch(/^AKIA[A-Z2-7]{16}-[0-9a-f]{8}$/);
    expect(expandTemplate('{{literal}}', new SeededRandom(1))).toBe('{literal}');
    expect(() => expandTemplate('{nope:3}', new SeededRandom(1))).toThrow(/unknown alphabet "nope"/);
  });
});

describe('sampleCases', () => {
  const [rule] = rulesOf(`
[[rules]]
id = "acme-token"
regex = '''\\b(acme_[a-z0-9]{32})\\b'''
secretGroup = 1
keywords = ["acme_"]
[rules.samples]
name = "acme_api_token"
positives = ["acme_{lowerdigits:32}", "curl -H 'Authorization: Bearer «acme_{lowerdigits:32}»'"]
negatives = ["acme_short", "two\\nlines"]
`) as [Rule];

  it('wraps plain positives in every syntax, with the same seeded secret, under samples.name', () => {
    const cases = sampleCases(rule).filter((c) => c.kind === 'positive' && c.index === 1);
    expect(cases.map((c) => c.syntax)).toEqual(SYNTAXES.map((s) => s.name));
    const secrets = new Set(cases.map((c) => c.expected));
    expect(secrets.size).toBe(1);
    for (const c of cases) expect(c.text).toContain(c.expected!);
    expect(cases.find((c) => c.syntax === 'env')!.text).toContain('acme_api_token=');
    expect(cases.find((c) => c.syntax === 'js')!.text).toContain('const acme_api_token = ');
    expect(cases.find((c) => c.syntax === 'json')!.text).toContain('"acme_api_token": ');
    expect(cases.find((c) => c.syntax === 'xml')!.text).toContain('<acme_api_token>');
  });

  it('uses a «…» positive as a whole raw line whose marked part is the expected secret', () => {
    const [c] = sampleCases(rule).filter((x) => x.kind === 'positive' && x.index === 2);
    expect(c!.syntax).toBe('raw');
    expect(c!.text).not.toMatch(/[«»]/);
    expect(c!.expected).toMatch(/^acme_[a-z0-9]{32}$/);
    expect(c!.text).toBe(`curl -H 'Authorization: Bearer ${c!.expected}'\n`);
  });

  it('tries negatives raw and wrapped, multi-line ones raw only', () => {
    const neg = sampleCases(rule).filter((c) => c.kind === 'negative');
    expect(neg.filter((c) => c.index === 1)).toHaveLength(1 + SYNTAXES.length);
    expect(neg.filter((c) => c.index === 2).map((c) => c.syntax)).toEqual(['raw']);
  });
});

describe('sampleProblems and testRules', () => {
  it('reject missing samples, duplicates and a positive without a keyword', () => {
    const rules = rulesOf(`
[[rules]]
id = "no-samples"
regex = '''x'''

[[rules]]
id = "bad-samples"
regex = '''\\b(acme_[a-z]{8})\\b'''
secretGroup = 1
keywords = ["acme_"]
[rules.samples]
positives = ["acme_{lower:8}", "{lower:8}"]
negatives = ["acme_{lower:8}"]
`);
    expect(sampleProblems(rules[0]!)).toEqual(['has no [rules.samples]']);
    const problems = sampleProblems(rules[1]!);
    expect(problems).toContain('duplicate sample: acme_{lower:8}');
    expect(problems.some((p) => p.startsWith('positive #2 contains none of the keywords (acme_)'))).toBe(true);
  });

  it('report a positive the regex misses and a negative it matches, and pass a good rule', () => {
    const rules = rulesOf(`
[[rules]]
id = "good"
regex = '''\\b(good_[0-9]{12})\\b'''
secretGroup = 1
keywords = ["good_"]
[rules.samples]
positives = ["good_{digits:12}"]
negatives = ["good_123"]

[[rules]]
id = "bad"
regex = '''\\b(bad_[0-9]{12})\\b'''
secretGroup = 1
keywords = ["bad_"]
[rules.samples]
wrap = false
positives = ["bad_{hex:12}", "x = «bad_{digits:12}»"]
negatives = ["bad_000000000000"]
`);
    const result = testRules({ rules, allowlists: [], sources: [], disabledRules: [] });
    expect(result.tested).toBe(2);
    expect(result.failures.every((f) => f.ruleId === 'bad' && f.source === 'test.toml')).toBe(true);
    expect(result.failures.map((f) => f.message.replace(/\(".*"\)/, '(…)'))).toEqual([
      'positive #1 (raw) not found: bad_{hex:12}',
      'negative #1 (raw) was reported (…): bad_000000000000',
    ]);
  });
});

describe('samples.path', () => {
  it('scans every sample as that file, for rules limited by path', () => {
    const rules = rulesOf(`
[[rules]]
id = "acme-npmrc"
path = '''(?:^|/)\\.npmrc$'''
regex = '''acme_token=([a-z0-9]{24})'''
secretGroup = 1
keywords = ["acme_token"]
[rules.samples]
path = ".npmrc"
wrap = false
positives = ["acme_token=«{lowerdigits:24}»"]
negatives = ["acme_token=short"]
`);
    expect(sampleCases(rules[0]!).map((c) => c.filePath)).toEqual(['.npmrc', '.npmrc']);
    expect(testRules({ rules, allowlists: [], sources: [], disabledRules: [] }).failures).toEqual([]);
    // Without samples.path the positive is scanned as sample.txt, which the rule's path excludes.
    const unplaced = rulesOf(`
[[rules]]
id = "acme-npmrc"
path = '''(?:^|/)\\.npmrc$'''
regex = '''acme_token=([a-z0-9]{24})'''
secretGroup = 1
[rules.samples]
wrap = false
positives = ["acme_token=«{lowerdigits:24}»"]
negatives = ["acme_token=short"]
`);
    expect(testRules({ rules: unplaced, allowlists: [], sources: [], disabledRules: [] }).failures.map((f) => f.message)).toEqual([
      'positive #1 (raw) not found: acme_token=«{lowerdigits:24}»',
    ]);
  });
});
