import { SeededRandom, ALPHABETS } from '../helpers/random.js';
import { expect } from 'vitest';
import type { CliResult } from '../helpers/cli.js';
import { tempDir, writeFiles } from '../helpers/repo.js';
import { fakeGithubToken } from '../helpers/secrets.js';

/**
 * End-to-end tests define their own rule in a `--config` file, so that what they count
 * does not change as the default rule set grows.
 */
export const E2E_CONFIG = `
[[rules]]
id = "e2e-token"
description = "End-to-end test token"
regex = '''\\b(e2e_[A-Za-z0-9]{32})\\b'''
secretGroup = 1
keywords = ["e2e_"]
tags = ["test"]
`;

/** A value only the e2e rule matches. */
export function e2eToken(seed: string): string {
  return `e2e_${new SeededRandom(seed).pick(ALPHABETS.alnum!, 32)}`;
}

/** Writes the config outside the scanned tree and returns its path. */
export function writeE2eConfig(dir: string): string {
  writeFiles(dir, { 'e2e.toml': E2E_CONFIG });
  return `${dir}/e2e.toml`;
}

export interface GitleaksRecord {
  RuleID: string;
  File: string;
  SymlinkFile: string;
  StartLine: number;
  EndLine: number;
  StartColumn: number;
  EndColumn: number;
  Secret: string;
  Match: string;
  Fingerprint: string;
}

/**
 * The tree the report and redaction tests scan: a GitHub token (default rules) and an
 * e2e token (the `--config` rule), with the config written outside the tree.
 */
export interface ReportFixture {
  dir: string;
  /** Outside the tree: configs and reports go here. */
  outDir: string;
  config: string;
  ghToken: string;
  token: string;
  cleanup: () => void;
  /** Neither secret, nor its distinctive body, may appear in stdout, stderr or `extra`. */
  expectNoSecret: (res: CliResult, extra?: string) => void;
}

export function reportFixture(): ReportFixture {
  const t = tempDir();
  const out = tempDir('keyscan-out-');
  const config = writeE2eConfig(out.dir);
  const ghToken = fakeGithubToken('reports-e2e');
  const token = e2eToken('reports');
  writeFiles(t.dir, {
    'src/config.ts': `export const gh = '${ghToken}';\n`,
    'deploy/.env': `# deploy\nTOKEN=${token}\nNAME=app\n`,
    'README.md': '# nothing here\n',
  });
  return {
    dir: t.dir,
    outDir: out.dir,
    config,
    ghToken,
    token,
    cleanup: () => { t.cleanup(); out.cleanup(); },
    expectNoSecret: (res, extra = '') => {
      for (const s of [ghToken, ghToken.slice(4, 20), token, token.slice(4, 20)]) {
        expect(res.stdout).not.toContain(s);
        expect(res.stderr).not.toContain(s);
        expect(extra).not.toContain(s);
      }
    },
  };
}
