import type { Finding } from '../detect/finding.js';
import type { Reporter } from './reporter.js';

/**
 * gitleaks' JSON report, field for field and in gitleaks' order, so DefectDojo and other
 * gitleaks importers read it. keyscan's own fields come after gitleaks' ones.
 */
export function toGitleaksRecord(f: Finding): Record<string, unknown> {
  const record: Record<string, unknown> = {
    RuleID: f.ruleId,
    Description: f.description,
    StartLine: f.startLine,
    EndLine: f.endLine,
    StartColumn: f.startColumn,
    EndColumn: f.endColumn,
    Match: f.match,
    Secret: f.secret,
    File: f.file,
    SymlinkFile: f.symlinkFile,
    Commit: f.commit,
    Entropy: Math.round(f.entropy * 1e6) / 1e6,
    Author: f.author,
    Email: f.email,
    Date: f.date,
    Message: f.message,
    Tags: f.tags,
    Fingerprint: f.fingerprint,
    StableFingerprint: f.stableFingerprint,
  };
  if (f.decoded !== undefined) record.Decoded = f.decoded;
  return record;
}

export const jsonReport: Reporter = ({ findings }) => `${JSON.stringify(findings.map(toGitleaksRecord), null, 1)}\n`;
