import type { Finding } from '../detect/finding.js';
import { secretSha256 } from '../detect/fingerprint.js';

/**
 * A baseline: findings that were known when it was made, so only new ones are reported.
 * keyscan's own baseline file names each secret by rule, path and a hash of its value,
 * with no line, commit or timestamp: it survives inserted lines, edited lines and new
 * commits, and an unchanged set of findings always writes the same bytes (no churn, no
 * merge conflicts). A new secret, or the same secret in another file, is not in it.
 *
 * Also accepted as a baseline: any keyscan JSON report (its `StableFingerprint` field,
 * redacted or not) and a gitleaks JSON report (unredacted: by rule, file and secret hash;
 * redacted: by gitleaks' `Fingerprint`, which holds the line, as gitleaks itself does).
 */

/** Format marker of keyscan's baseline file; bump when the entry format changes. */
export const BASELINE_FORMAT = 1;

export interface BaselineEntry {
  ruleId: string;
  file: string;
  /** First 16 hex digits of the secret's SHA-256: the same as in the stable fingerprint. */
  secretHash: string;
}

export interface Baseline {
  /** The file it was read from, for --explain. */
  source: string;
  /** `rule\0file\0hash` → how the entry is shown in --explain. */
  byKey: Map<string, string>;
  /** gitleaks fingerprints (`commit:file:rule:line`, `file:rule:line`) from redacted gitleaks reports. */
  byFingerprint: Map<string, string>;
  size: number;
}

export class BaselineFormatError extends Error {}

function key(ruleId: string, file: string, hash: string): string {
  return `${ruleId}\0${file}\0${hash.toLowerCase()}`;
}

export function secretHash(secret: string): string {
  return secretSha256(secret).slice(0, 16);
}

/** The baseline entry for a finding. */
export function baselineEntry(f: Finding): BaselineEntry {
  return { ruleId: f.ruleId, file: f.file, secretHash: secretHash(f.secret) };
}

/** Write a baseline: entries deduplicated and sorted, one a line, no timestamps. */
export function formatBaseline(findings: readonly Finding[]): string {
  const seen = new Map<string, BaselineEntry>();
  for (const f of findings) {
    const e = baselineEntry(f);
    seen.set(key(e.ruleId, e.file, e.secretHash), e);
  }
  const entries = [...seen.values()].sort((a, b) => cmp(a.file, b.file) || cmp(a.ruleId, b.ruleId) || cmp(a.secretHash, b.secretHash));
  const lines = entries.map((e) => `    ${JSON.stringify({ ruleId: e.ruleId, file: e.file, secretHash: e.secretHash })}`);
  return `{\n  "keyscanBaseline": ${BASELINE_FORMAT},\n  "findings": [${lines.length ? `\n${lines.join(',\n')}\n  ` : ''}]\n}\n`;
}

/** Plain code-unit order: the same everywhere, whatever the locale. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const STABLE = /^ks1:([a-z0-9][a-z0-9._-]*):([0-9a-f]{16}):(.+)$/i;

/** A secret gitleaks or keyscan masked: its hash cannot be computed from it. */
function isRedacted(secret: string): boolean {
  return secret === 'REDACTED' || secret.endsWith('...') || secret.includes('…');
}

/** Parse a baseline file, a keyscan JSON report or a gitleaks JSON report. */
export function parseBaseline(text: string, source: string): Baseline {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new BaselineFormatError(`not JSON (${(err as Error).message})`);
  }
  const baseline: Baseline = { source, byKey: new Map(), byFingerprint: new Map(), size: 0 };
  const add = (k: string, shown: string) => {
    if (!baseline.byKey.has(k)) baseline.size++;
    baseline.byKey.set(k, shown);
  };
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc) && 'keyscanBaseline' in doc) {
    const version = (doc as { keyscanBaseline: unknown }).keyscanBaseline;
    if (version !== BASELINE_FORMAT) throw new BaselineFormatError(`baseline format ${String(version)} is not supported (this keyscan reads format ${BASELINE_FORMAT})`);
    const list = (doc as { findings?: unknown }).findings;
    if (!Array.isArray(list)) throw new BaselineFormatError('"findings" must be an array');
    list.forEach((raw, i) => {
      const e = raw as Partial<BaselineEntry> | null;
      if (!e || typeof e.ruleId !== 'string' || typeof e.file !== 'string' || typeof e.secretHash !== 'string' || !/^[0-9a-f]{16}$/i.test(e.secretHash)) {
        throw new BaselineFormatError(`findings[${i}] needs "ruleId", "file" and a 16-hex-digit "secretHash"`);
      }
      add(key(e.ruleId, e.file, e.secretHash), `ks1:${e.ruleId}:${e.secretHash}:${e.file}`);
    });
    return baseline;
  }
  if (!Array.isArray(doc)) throw new BaselineFormatError('expected a keyscan baseline or a JSON report (an array of findings)');
  doc.forEach((raw, i) => {
    const r = raw as Record<string, unknown> | null;
    if (!r || typeof r !== 'object') throw new BaselineFormatError(`entry ${i} is not an object`);
    if (typeof r.StableFingerprint === 'string') {
      const m = STABLE.exec(r.StableFingerprint);
      if (!m) throw new BaselineFormatError(`entry ${i}: "StableFingerprint" is not a ks1: fingerprint`);
      add(key(m[1]!, m[3]!, m[2]!), r.StableFingerprint);
      return;
    }
    if (typeof r.RuleID !== 'string' || typeof r.File !== 'string') throw new BaselineFormatError(`entry ${i} has no "RuleID" and "File": not a gitleaks or keyscan report`);
    if (typeof r.Secret === 'string' && r.Secret !== '' && !isRedacted(r.Secret)) {
      const hash = secretHash(r.Secret);
      add(key(r.RuleID, r.File, hash), `ks1:${r.RuleID}:${hash}:${r.File}`);
      return;
    }
    const fp = typeof r.Fingerprint === 'string' && r.Fingerprint !== ''
      ? r.Fingerprint
      : `${typeof r.Commit === 'string' && r.Commit ? `${r.Commit}:` : ''}${r.File}:${r.RuleID}:${Number(r.StartLine)}`;
    if (!baseline.byFingerprint.has(fp)) baseline.size++;
    baseline.byFingerprint.set(fp, `gitleaks fingerprint ${fp}`);
  });
  return baseline;
}

/** Why the baseline covers `f`, or undefined. */
export function baselineReason(f: Finding, baseline: Baseline): string | undefined {
  const shown = baseline.byKey.get(key(f.ruleId, f.file, secretHash(f.secret))) ?? baseline.byFingerprint.get(f.fingerprint);
  return shown === undefined ? undefined : `${shown} in baseline ${baseline.source}`;
}
