import { describe, expect, it } from 'vitest';
import { translateRegex, RegexTranslationError } from '../../src/config/translate-regex.js';
import { parseConfigText } from '../../src/config/load.js';

function re(pattern: string): RegExp {
  const { source, flags } = translateRegex(pattern);
  return new RegExp(source, flags);
}

describe('RE2 → JavaScript regex translation', () => {
  it('leading (?i) becomes the i flag', () => {
    expect(translateRegex('(?i)abc')).toEqual({ source: 'abc', flags: 'i' });
    expect(re('(?i)token').test('TOKEN')).toBe(true);
  });

  it('scoped (?i:…) folds only inside the scope', () => {
    const r = re('key=(?i:secret)X');
    expect(r.test('key=SeCrEtX')).toBe(true);
    expect(r.test('KEY=secretX')).toBe(false);
    expect(r.test('key=secretx')).toBe(false);
    expect(re('(?i:[a-c]+)z').test('ABCz')).toBe(true);
  });

  it('(?-i:…) inside a (?i) pattern stays case-sensitive (gitleaks atlassian rule)', () => {
    const r = re('(?i)api_(?-i:JIRA|[Jj]ira)_key');
    expect(r.test('API_JIRA_KEY')).toBe(true);
    expect(r.test('api_Jira_key')).toBe(true);
    expect(r.test('api_jIRA_key')).toBe(false);
  });

  it('mid-pattern (?i) applies to the end of its group', () => {
    const r = re('(ab(?i)cd)ef');
    expect(r.test('abCDef')).toBe(true);
    expect(r.test('abCDEF')).toBe(false);
    expect(r.test('ABcdef')).toBe(false);
  });

  it('(?s) and (?s:…) make . match newlines; plain . matches \\r but not \\n, like RE2', () => {
    expect(re('(?s)a.b').test('a\nb')).toBe(true);
    expect(re('a(?s:.)b.c').test('a\nbxc')).toBe(true);
    expect(re('a(?s:.)b.c').test('a\nb\nc')).toBe(false);
    expect(re('a.b').test('a\rb')).toBe(true);
    expect(re('a.b').test('a\nb')).toBe(false);
  });

  it('\\A and \\z anchor to the whole text, even under (?m)', () => {
    const z = re('(?m)key$');
    expect(z.test('key\nmore')).toBe(true);
    expect(re('(?m)key\\z').test('key\nmore')).toBe(false);
    expect(re('(?m)key\\z').test('more\nkey')).toBe(true);
    expect(re('(?m)\\Akey').test('x\nkey')).toBe(false);
    expect(re('(?m)^key').test('x\nkey')).toBe(true);
  });

  it('POSIX classes, negated ones that have a Perl form, and \\Q…\\E', () => {
    expect(re('^[[:alnum:]_]{3}$').test('a_9')).toBe(true);
    expect(re('^[[:xdigit:]]+$').test('09afAF')).toBe(true);
    expect(re('^[[:xdigit:]]+$').test('g')).toBe(false);
    expect(re('^[[:^digit:]]+$').test('abc')).toBe(true);
    expect(re('\\Qa.b*c\\E').test('a.b*c')).toBe(true);
    expect(re('\\Qa.b*c\\E').test('axbbc')).toBe(false);
    expect(re('(?i:\\Qab\\E)c').test('ABc')).toBe(true);
  });

  it('named groups (?P<name>…) and \\x{…} escapes', () => {
    const m = re('(?P<key>k\\x{41})').exec('kA');
    expect(m?.groups?.key).toBe('kA');
  });

  it('an untranslatable construct names itself', () => {
    expect(() => translateRegex('(?U)a+')).toThrow(RegexTranslationError);
    expect(() => translateRegex('\\pL+')).toThrow(/Unicode class \\pL/);
    expect(() => translateRegex('[[:^alpha:]]')).toThrow(/negated POSIX class \[\[:\^alpha:\]\]/);
    expect(() => translateRegex('[[:nope:]]')).toThrow(/unknown POSIX class/);
    expect(() => translateRegex('\\C')).toThrow(/any byte/);
  });

  it('the loader reports an untranslatable construct with the rule id and the field', () => {
    const problems: string[] = [];
    parseConfigText("[[rules]]\nid = 'bad-rule'\nregex = '''\\pL{8}'''\n", 'my.toml', { list: problems, add(w: string, m: string) { problems.push(`${w}: ${m}`); } } as never);
    expect(problems).toEqual(['my.toml: bad-rule: "regex" uses the Unicode class \\pL, which cannot be translated to JavaScript']);
  });
});

describe('translateRegex (RE2 → JavaScript)', () => {
  it('turns a leading (?i) into the i flag', () => {
    expect(translateRegex('(?i)abc')).toEqual({ source: 'abc', flags: 'i' });
  });
  it('expands a scoped (?i:…) by folding case inside it only', () => {
    const r = re('(?i:key)=[A-Z]+');
    expect(r.test('KeY=ABC')).toBe(true);
    expect(r.test('key=abc')).toBe(false);
  });
  it('translates POSIX classes, \\A, \\z and \\Q…\\E', () => {
    expect(re('^[[:alnum:]_]+$').test('ab_9')).toBe(true);
    expect(re('\\Aab\\z').test('ab')).toBe(true);
    expect(re('\\Aab\\z').test('ab\n')).toBe(false);
    expect(re('\\Qa.b*\\E').test('a.b*')).toBe(true);
    expect(re('\\Qa.b*\\E').test('axbb')).toBe(false);
  });
  it('names what it cannot translate', () => {
    expect(() => translateRegex('(?U)a+')).toThrow(RegexTranslationError);
    expect(() => translateRegex('\\pL')).toThrow(/Unicode class/);
  });
});
