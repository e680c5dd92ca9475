import { describe, expect, it } from 'vitest';
import { addBlock, BLOCK_BEGIN, BLOCK_END, blockRecords, isEmptyScript, isShellScript, removeBlock } from '../../src/hook/hook-block.js';

const block = { lines: ['keyscan protect --staged'], records: ['created-file'] };

describe('hook block editing', () => {
  it('appends to a husky-style script and keeps its lines', () => {
    const text = 'npx lint-staged\nnpm test\n';
    const out = addBlock(text, block, 'end');
    expect(out).toBe(`npx lint-staged\nnpm test\n${BLOCK_BEGIN}\n# keyscan-install: created-file\nkeyscan protect --staged\n${BLOCK_END}\n`);
    expect(blockRecords(out)).toEqual(['created-file']);
  });

  it('goes right after the shebang of a plain hook, so an exit further down cannot skip it', () => {
    const out = addBlock('#!/bin/bash\nmake lint\nexit 0\n', { lines: ['keyscan protect --staged'], records: [] }, 'after-shebang');
    expect(out.split('\n').slice(0, 4)).toEqual(['#!/bin/bash', BLOCK_BEGIN, 'keyscan protect --staged', BLOCK_END]);
  });

  it('is idempotent, updates its own lines in place, and keeps earlier records', () => {
    const once = addBlock('a\n', block, 'end');
    expect(addBlock(once, block, 'end')).toBe(once);
    const updated = addBlock(once, { lines: ['keyscan protect --staged --quiet'], records: [] }, 'end');
    expect(updated).toContain('--quiet');
    expect(updated.match(/>>> keyscan/g)).toHaveLength(1);
    expect(blockRecords(updated)).toEqual(['created-file']);
  });

  it('removes exactly its block, CRLF files included', () => {
    const original = 'one\r\ntwo\r\n';
    const added = addBlock(original, block, 'end');
    expect(added).toContain('\r\n# <<< keyscan\r\n');
    const removed = removeBlock(added);
    expect(removed).toEqual({ text: original, removed: true, records: ['created-file'] });
    expect(removeBlock(original).removed).toBe(false);
  });

  it('leaves an unterminated block alone', () => {
    const text = `${BLOCK_BEGIN}\nkeyscan protect --staged\n`;
    expect(removeBlock(text).removed).toBe(false);
  });

  it('tells shell scripts and empty scripts apart', () => {
    expect(isShellScript('#!/bin/sh\n')).toBe(true);
    expect(isShellScript('#!/usr/bin/env bash\n')).toBe(true);
    expect(isShellScript('npx lint-staged\n')).toBe(true);
    expect(isShellScript('#!/usr/bin/env python3\nprint(1)\n')).toBe(false);
    expect(isShellScript('#!/usr/bin/env node\n')).toBe(false);
    expect(isEmptyScript('#!/bin/sh\n\n# comment\n')).toBe(true);
    expect(isEmptyScript('#!/bin/sh\nmake\n')).toBe(false);
  });
});
