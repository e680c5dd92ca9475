import { SeededRandom, ALPHABETS } from '../helpers/random.js';
import { writeFiles } from '../helpers/repo.js';

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
