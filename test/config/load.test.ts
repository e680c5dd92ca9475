import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readConfigFile, readRulesDir, loadDefaultConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { tempDir } from '../helpers/repo.js';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('config loading', () => {
  it('lists every problem of every rule, each prefixed with file and rule id', () => {
    const t = tempDir();
    try {
      writeFileSync(join(t.dir, 'a.toml'), `
[[rules]]
id = "bad-regex"
regex = '''([a-z'''
keywords = ["x"]

[[rules]]
id = "bad-group"
regex = '''abc'''
secretGroup = 2
keywords = ["abc"]

[[rules]]
id = "typo"
regex = '''abc'''
keyword = ["abc"]
`);
      writeFileSync(join(t.dir, 'b.toml'), `
[[rules]]
id = "bad-group"
regex = '''x(y)'''
keywords = ["x"]
[[rules]]
description = "no id"
regex = '''(?U)abc'''
`);
      const problems = problemsOf(() => readRulesDir(t.dir));
      expect(problems).toEqual(expect.arrayContaining([
        expect.stringMatching(/^a\.toml: bad-regex: "regex" is not a valid regex/),
        expect.stringMatching(/^a\.toml: bad-group: "secretGroup" is 2 but the regex has 0 capture groups/),
        expect.stringMatching(/^a\.toml: typo: unknown field "keyword"/),
        expect.stringMatching(/^b\.toml: rules\[1\]: missing "id"/),
        expect.stringMatching(/^b\.toml: rules\[1\]: "regex" uses the ungreedy flag/),
      ]));
      expect(problems.length).toBeGreaterThanOrEqual(5);
    } finally {
      t.cleanup();
    }
  });

  it('reports a TOML syntax error with the file name', () => {
    const t = tempDir();
    try {
      const file = join(t.dir, 'broken.toml');
      writeFileSync(file, '[[rules]\nid = "x"\n');
      const problems = problemsOf(() => readConfigFile(file));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/broken\.toml: invalid TOML/);
    } finally {
      t.cleanup();
    }
  });

  it('loads the default rules without problems', () => {
    const config = loadDefaultConfig();
    expect(config.rules.length).toBeGreaterThan(0);
    expect(new Set(config.rules.map((r) => r.id)).size).toBe(config.rules.length);
  });
});
