import type { Finding } from '../detect/finding.js';

/**
 * `.keyscanignore` / `.gitleaksignore`: one fingerprint a line, `#` starts a comment line.
 * Accepted forms:
 * - keyscan's stable fingerprint `ks1:<rule>:<hash16>:<path>` (src/detect/fingerprint.ts):
 *   the secret in that file, on any line, in any commit;
 * - gitleaks' `commit:file:rule:line`: that finding in that commit only;
 * - gitleaks' `file:rule:line`: that line, in the work tree and in every commit, as
 *   gitleaks does (its detect.go checks the commit-less "global" fingerprint first).
 */

/** The entries of one ignore file. */
export interface IgnoreList {
  /** Where the entries came from, for --explain ("from .keyscanignore line 3"). */
  file: string;
  /** Fingerprint → 1-based line in the file. */
  entries: Map<string, number>;
}

const STABLE = /^ks1:[a-z0-9][a-z0-9._-]*:[0-9a-f]{16}:.+$/i;
/** gitleaks: ends in `:<rule>:<line>`, with a path before it. */
const GITLEAKS = /^.+:[a-z0-9][a-z0-9._-]*:\d+$/i;

/** Is this a fingerprint an ignore file can hold? */
export function isFingerprint(s: string): boolean {
  return STABLE.test(s) || GITLEAKS.test(s);
}

/** Parse an ignore file's text. Lines that are no fingerprint are returned as problems (line numbers). */
export function parseIgnoreFile(text: string, file: string): { list: IgnoreList; invalidLines: number[] } {
  const entries = new Map<string, number>();
  const invalidLines: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (!isFingerprint(line)) {
      invalidLines.push(i + 1);
      return;
    }
    if (!entries.has(line)) entries.set(line, i + 1);
  });
  return { list: { file, entries }, invalidLines };
}

/** Why an ignore list covers `f`, or undefined. */
export function ignoreReason(f: Finding, lists: readonly IgnoreList[]): string | undefined {
  const global = `${f.file}:${f.ruleId}:${f.startLine}`;
  for (const list of lists) {
    for (const key of [f.stableFingerprint, f.fingerprint, global]) {
      const at = list.entries.get(key);
      if (at !== undefined) return `${key} in ${list.file} line ${at}`;
    }
  }
  return undefined;
}

/**
 * Append fingerprints to an ignore file's text, skipping those already there. Returns the
 * new text and what was added; the text is unchanged when nothing is new (idempotent).
 */
export function appendFingerprints(text: string, fingerprints: readonly string[]): { text: string; added: string[] } {
  const present = new Set(text.split(/\r?\n/).map((l) => l.trim()));
  const added: string[] = [];
  for (const fp of fingerprints) {
    if (present.has(fp)) continue;
    present.add(fp);
    added.push(fp);
  }
  if (added.length === 0) return { text, added };
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  return { text: `${text}${sep}${added.join('\n')}\n`, added };
}
