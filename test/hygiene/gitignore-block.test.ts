import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { BLOCK_BEGIN, BLOCK_END, anchoredPattern, detectEol, planGitignore } from '../../src/hygiene/gitignore-block.js';

const text = (b: Buffer) => b.toString('utf8');

describe('planGitignore', () => {
  it('creates the file with one marked block when there is none', () => {
    const plan = planGitignore(undefined, ['.env', '.env.*', '!.env.example']);
    expect(plan).toMatchObject({ changed: true, created: true, added: ['.env', '.env.*', '!.env.example'] });
    expect(text(plan.content)).toBe(`${BLOCK_BEGIN}\n.env\n.env.*\n!.env.example\n${BLOCK_END}\n`);
  });

  it('appends after existing content, byte for byte, separated by a blank line', () => {
    const before = 'node_modules/\n# build output\ndist/';
    const plan = planGitignore(Buffer.from(before), ['.env']);
    expect(text(plan.content).startsWith(`${before}\n\n${BLOCK_BEGIN}\n`)).toBe(true);
    expect(text(plan.content).endsWith(`${BLOCK_END}\n`)).toBe(true);
  });

  it('keeps CRLF line endings: every line of the file ends in CRLF afterwards', () => {
    const before = 'node_modules/\r\n.env\r\n';
    const plan = planGitignore(Buffer.from(before), ['.env.*', '!.env.example']);
    const out = text(plan.content);
    expect(out.startsWith(before)).toBe(true);
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(out).toContain(`\r\n${BLOCK_BEGIN}\r\n.env.*\r\n!.env.example\r\n${BLOCK_END}\r\n`);
    expect(detectEol(out)).toBe('\r\n');
  });

  it('is idempotent: the same patterns again change nothing', () => {
    const first = planGitignore(Buffer.from('a\n'), ['.env', '.env.*', '!.env.example']);
    const second = planGitignore(first.content, ['.env.*', '.env', '!.env.example']);
    expect(second.changed).toBe(false);
    expect(second.added).toEqual([]);
    expect(second.content.equals(first.content)).toBe(true);
  });

  it('grows the existing block in place, un-ignore patterns last, lines outside untouched', () => {
    const first = planGitignore(Buffer.from('top\n'), ['.env', '!.env.example']);
    const withTail = Buffer.concat([first.content, Buffer.from('# mine\nlogs/\n')]);
    const second = planGitignore(withTail, ['*.env']);
    expect(second.added).toEqual(['*.env']);
    expect(text(second.content)).toBe(`top\n\n${BLOCK_BEGIN}\n.env\n*.env\n!.env.example\n${BLOCK_END}\n# mine\nlogs/\n`);
  });

  it('preserves bytes that are not UTF-8 outside the block', () => {
    const before = Buffer.from([0x23, 0x20, 0xe9, 0xff, 0x0a]); // "# \xe9\xff\n": Latin-1, invalid UTF-8
    const plan = planGitignore(before, ['.env']);
    expect(plan.content.subarray(0, before.length).equals(before)).toBe(true);
  });

  it('refuses a block without its end line instead of guessing where it stops', () => {
    expect(() => planGitignore(Buffer.from(`${BLOCK_BEGIN}\n.env\nother\n`), ['.env.*'])).toThrow(UserError);
  });

  it('leaves a file without new patterns exactly as it was', () => {
    const before = Buffer.from('x\r\ny');
    const plan = planGitignore(before, []);
    expect(plan.changed).toBe(false);
    expect(plan.content.equals(before)).toBe(true);
  });
});

describe('anchoredPattern', () => {
  it('anchors at the root and escapes gitignore specials', () => {
    expect(anchoredPattern('config/id_rsa')).toBe('/config/id_rsa');
    expect(anchoredPattern('keys/[prod]*.pem')).toBe('/keys/\\[prod]\\*.pem');
    expect(anchoredPattern('#odd!.key')).toBe('/#odd!.key');
    expect(anchoredPattern('trailing.key  ')).toBe('/trailing.key\\ \\ ');
  });
});
