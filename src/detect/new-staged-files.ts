import type { Finding } from './finding.js';
import type { NewStagedFile } from '../sources/staged.js';
import { credentialFileKind } from '../hygiene/credential-files.js';
import { gitleaksFingerprint, stableFingerprint } from './fingerprint.js';

/** Rule id of a finding for a credential file added by the commit. */
export const CREDENTIAL_FILE_RULE = 'credential-file';

/**
 * A commit that adds a `.env`, a private key, a key store… is blocked by the file's name
 * (and, for a few kinds, its content), even when no rule matches a line of it: such a
 * file is a secret as a whole (issue 3 × hygiene; kinds from src/hygiene/credential-files.ts).
 * Only files the commit creates: one already tracked is `keyscan hygiene`'s report.
 * The stable fingerprint (no secret: hash of the empty string) lets `.keyscanignore`
 * accept a deliberate one.
 */
export function newStagedFileFindings(files: readonly NewStagedFile[]): Finding[] {
  const findings: Finding[] = [];
  for (const f of files) {
    const kind = credentialFileKind(f.path, f.content);
    if (!kind) continue;
    const match = `new ${kind.kind} file: ${kind.why}`;
    findings.push({
      ruleId: CREDENTIAL_FILE_RULE,
      description: `Credential file added (${kind.kind}, ${kind.severity})`,
      startLine: 1, endLine: 1, startColumn: 1, endColumn: 1,
      match, secret: '', file: f.path, symlinkFile: '', commit: '', entropy: 0,
      author: '', email: '', date: '', message: '',
      tags: ['credential-file', kind.kind, kind.severity],
      fingerprint: gitleaksFingerprint(f.path, CREDENTIAL_FILE_RULE, 1),
      stableFingerprint: stableFingerprint(CREDENTIAL_FILE_RULE, '', f.path),
      line: match,
    });
  }
  return findings;
}
