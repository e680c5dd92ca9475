/**
 * node:crypto, loaded on the first hash: importing it loads some thirty internal modules,
 * and a pre-commit hook on a clean commit hashes nothing (~30 M instructions of its start-up).
 */
let crypto: typeof import('node:crypto') | undefined;

/** SHA-256 of a secret value, hex. The identity of a secret anywhere outside the process. */
export function secretSha256(secret: string): string {
  crypto ??= process.getBuiltinModule('node:crypto');
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * keyscan's stable fingerprint: `ks1:<rule>:<first 16 hex of sha256(secret)>:<path>`.
 * Hash and rule first, path last, so it parses unambiguously even when the path holds
 * colons. No line and no commit: it survives line moves and later commits.
 */
export function stableFingerprint(ruleId: string, secret: string, file: string): string {
  return `ks1:${ruleId}:${secretSha256(secret).slice(0, 16)}:${file}`;
}

/** gitleaks' fingerprint: `file:rule:line`, or `commit:file:rule:line` for commit content. */
export function gitleaksFingerprint(file: string, ruleId: string, line: number, commit?: string): string {
  return commit ? `${commit}:${file}:${ruleId}:${line}` : `${file}:${ruleId}:${line}`;
}
