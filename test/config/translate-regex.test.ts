import { describe, expect, it } from 'vitest';
import { translateRegex, RegexTranslationError } from '../../src/config/translate-regex.js';

function re(pattern: string): RegExp {
  const { source, flags } = translateRegex(pattern);
  return new RegExp(source, flags);
}

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
