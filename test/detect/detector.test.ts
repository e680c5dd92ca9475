import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load.js';
import type { Config } from '../../src/config/rule.js';
import { Detector } from '../../src/detect/detector.js';
import type { Fragment } from '../../src/sources/fragment.js';
import { SeededRandom } from '../helpers/random.js';

function configOf(toml: string): Config {
  const problems = { list: [] as string[], add(w: string, m: string) { this.list.push(`${w}: ${m}`); } };
  const cf = parseConfigText(toml, 'test.toml', problems as never);
  expect(problems.list).toEqual([]);
  return { rules: cf.rules, allowlists: cf.allowlists, sources: ['test.toml'], disabledRules: [] };
}

function fragment(raw: string, extra: Partial<Fragment> = {}): Fragment {
  return { raw, filePath: 'src/app.ts', startLine: 1, ...extra };
}

const rng = new SeededRandom('detector');
const token = () => `tok_${rng.pick('abcdefghijklmnopqrstuvwxyz0123456789', 24)}`;

const BASE = `
[[rules]]
id = "test-token"
description = "Test token"
regex = '''\\b(tok_[a-z0-9]{24})\\b'''
secretGroup = 1
keywords = ["tok_"]
tags = ["test"]
`;

describe('Detector', () => {
  it('reports line, columns, secret group and gitleaks fingerprint', () => {
    const t = token();
    const d = new Detector(configOf(BASE));
    const [f, ...rest] = d.detect(fragment(`line one\n  const k = "${t}";\n`, { startLine: 10 }));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: 'test-token', secret: t, startLine: 11, endLine: 11, startColumn: 14, endColumn: 14 + t.length - 1, file: 'src/app.ts' });
    expect(f!.fingerprint).toBe('src/app.ts:test-token:11');
    expect(f!.stableFingerprint).toMatch(/^ks1:test-token:[0-9a-f]{16}:src\/app\.ts$/);
    expect(f!.line).toBe(`  const k = "${t}";`);
  });

  it('runs a rule only where one of its keywords occurs', () => {
    const d = new Detector(configOf(`
[[rules]]
id = "needs-keyword"
regex = '''[A-Z]{10}'''
keywords = ["vendorkey"]
`));
    expect(d.detect(fragment('x = ABCDEFGHIJ\n'))).toEqual([]);
    expect(d.detect(fragment('VendorKey = ABCDEFGHIJ\n'))).toHaveLength(1);
  });

  it('applies the entropy threshold to the secret', () => {
    const d = new Detector(configOf(`${BASE.replace('tags = ["test"]', 'tags = ["test"]\nentropy = 3.5')}`));
    expect(d.detect(fragment('a = tok_aaaaaaaaaaaaaaaaaaaaaaaa'))).toEqual([]);
    expect(d.detect(fragment(`a = ${token()}`))).toHaveLength(1);
  });

  it('honours per-rule allowlists: OR, AND, regexTarget and stopwords', () => {
    const d = new Detector(configOf(`${BASE}
[[rules.allowlists]]
condition = "AND"
paths = ['''^test/''']
regexTarget = "line"
regexes = ['''fixture''']
[[rules.allowlists]]
stopwords = ["zzzz"]
`));
    const t = token();
    expect(d.detect(fragment(`k = "${t}" // fixture`, { filePath: 'test/a.ts' }))).toEqual([]);
    // AND: the path alone is not enough, nor the line alone.
    expect(d.detect(fragment(`k = "${t}"`, { filePath: 'test/a.ts' }))).toHaveLength(1);
    expect(d.detect(fragment(`k = "${t}" // fixture`, { filePath: 'src/a.ts' }))).toHaveLength(1);
    expect(d.detect(fragment('k = "tok_zzzzabcdefghijklmnopqrst"'))).toEqual([]);
  });

  it('honours global allowlists, targetRules, and path-only global allowlists', () => {
    const d = new Detector(configOf(`${BASE}
[[allowlists]]
paths = ['''(^|/)package-lock\\.json$''']
[[allowlists]]
regexes = ['''^tok_0''']
targetRules = ["other-rule"]
[[allowlists]]
regexes = ['''^tok_1''']
targetRules = ["test-token"]
`));
    expect(d.isPathAllowed('web/package-lock.json')).toBe(true);
    expect(d.detect(fragment(`k = ${token()}`, { filePath: 'web/package-lock.json' }))).toEqual([]);
    expect(d.detect(fragment('k = tok_0bcdefghijklmnopqrstuvwx'))).toHaveLength(1);
    expect(d.detect(fragment('k = tok_1bcdefghijklmnopqrstuvwx'))).toEqual([]);
  });

  it('finds a multi-line PEM block and reports it at its first line', () => {
    const d = new Detector(configOf(`
[[rules]]
id = "test-private-key"
regex = '''-----BEGIN[ A-Z]{0,20} PRIVATE KEY-----[\\s\\S]{20,8000}?-----END[ A-Z]{0,20} PRIVATE KEY-----'''
keywords = ["-----begin"]
`));
    const body = Array.from({ length: 30 }, () => rng.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 64)).join('\n');
    const text = `# key\nkey: |\n-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----\n`;
    const [f, ...rest] = d.detect(fragment(text));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ startLine: 3, endLine: 34, startColumn: 1 });
  });

  it('only reports findings touching added lines when addedLines is set', () => {
    const d = new Detector(configOf(BASE));
    const text = `a = ${token()}\nb = ${token()}\n`;
    const found = d.detect(fragment(text, { startLine: 5, addedLines: new Set([6]) }));
    expect(found.map((f) => f.startLine)).toEqual([6]);
  });

  it('drops matches starting in the part of the text owned by the next fragment', () => {
    const d = new Detector(configOf(BASE));
    const first = `a = ${token()}\n`;
    const text = `${first}b = ${token()}\n`;
    expect(d.detect(fragment(text, { ownEnd: first.length })).map((f) => f.startLine)).toEqual([1]);
  });

  it('verifies GitHub checksums when a rule asks for it', () => {
    const d = new Detector(configOf(`
[[rules]]
id = "gh"
regex = '''\\b(ghp_[0-9A-Za-z]{36})\\b'''
secretGroup = 1
keywords = ["ghp_"]
checksum = "github-crc32"
`));
    expect(d.detect(fragment(`t = ghp_${'A1b2C3d4E5'.repeat(3)}000000`))).toEqual([]);
  });

  it('stays linear on a huge single line dense with keywords', () => {
    const d = new Detector(configOf(`
[[rules]]
id = "greedy"
regex = '''[\\w.-]{0,50}key[\\w.-]{0,50}\\s*=\\s*"([a-z0-9]{20,40})"'''
secretGroup = 1
keywords = ["key"]
`));
    // 100k characters of what the rule accepts, as the rule test does for every shipped rule.
    // Completing at all is the assertion (a quadratic scan would time out); plus no false finding.
    const line = 'key'.repeat(34_000);
    expect(d.detect(fragment(line))).toEqual([]);
    const t = rng.pick('abcdefghijklmnopqrstuvwxyz0123456789', 30);
    const withSecret = `${'x'.repeat(500_000)} api_key = "${t}" ${'y'.repeat(500_000)}`;
    expect(d.detect(fragment(withSecret)).map((f) => f.secret)).toEqual([t]);
  });
});
