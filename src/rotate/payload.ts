import type { Finding } from '../detect/finding.js';
import { secretSha256 } from '../detect/fingerprint.js';

/**
 * The body of an emergency rotation call (docs: rotation-protocol.md, "Body"). Field
 * names are the contract. It identifies the leaked key by its SHA-256, never by value:
 * the service compares that fingerprint with those of the keys it manages.
 */
export interface RotationBody {
  reason: string;
  triggeredBy: string;
  secret: { ruleId: string; fingerprint: string; preview: string; length: number };
  location: { repository: string; commit: string; file: string; line: number; author: string; date: string };
  detectedAt: string;
  tool: { name: 'keyscan'; version: string };
}

/** What the body needs beyond the finding. */
export interface PayloadContext {
  /** Remote URL (credentials are stripped here) or the repository's path. */
  repository: string;
  triggeredBy: string;
  /** ISO 8601. */
  detectedAt: string;
  toolVersion: string;
}

/** `sha256:<hex>` of the secret value: the protocol's identity of a key. */
export function secretFingerprint(secret: string): string {
  return `sha256:${secretSha256(secret)}`;
}

/**
 * A preview a person can match against their key list (`ghp_…9f2a`): at most a tenth
 * of the secret at each end, never more than 4 characters each, nothing for short
 * secrets. A token's fixed prefix (`ghp_`) carries no entropy; the last 4 are what
 * providers themselves show (GitHub's token list, Stripe's dashboard).
 */
export function secretPreview(secret: string): string {
  const n = Math.min(4, Math.floor(secret.length / 10));
  if (n === 0) return '…';
  return `${secret.slice(0, n)}…${secret.slice(-n)}`;
}

/**
 * A remote URL without anything that authenticates: user info (`https://user:token@host`,
 * `https://<token>@host`), query and fragment (`?access_token=`). scp-style remotes
 * (`git@host:org/repo.git`) carry only a user name, which is kept.
 */
export function stripUrlCredentials(remote: string): string {
  const trimmed = remote.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    try {
      const url = new URL(trimmed);
      url.username = '';
      url.password = '';
      url.search = '';
      url.hash = '';
      return url.toString();
    } catch {
      // Not parseable as a URL: drop everything between "//" and the last "@" of the authority.
      return trimmed.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/]*@/i, '$1').replace(/[?#].*$/, '');
    }
  }
  return trimmed;
}

/** The protocol's body for one confirmed, committed finding. */
export function buildRotationBody(finding: Finding, ctx: PayloadContext): RotationBody {
  const repository = stripUrlCredentials(ctx.repository);
  return {
    reason: `secret committed to ${repository} in ${finding.commit} at ${finding.file}:${finding.startLine}`,
    triggeredBy: ctx.triggeredBy,
    secret: {
      ruleId: finding.ruleId,
      fingerprint: secretFingerprint(finding.secret),
      preview: secretPreview(finding.secret),
      length: finding.secret.length,
    },
    location: {
      repository,
      commit: finding.commit,
      file: finding.file,
      line: finding.startLine,
      author: finding.author,
      date: finding.date,
    },
    detectedAt: ctx.detectedAt,
    tool: { name: 'keyscan', version: ctx.toolVersion },
  };
}

/**
 * The exact bytes sent (the signature covers them). Refuses to serialize a body that
 * contains the secret anywhere, whatever field it slipped into (a file path, a remote URL).
 */
export function serializeBody(body: RotationBody, secret: string): string {
  const raw = JSON.stringify(body);
  if (secret.length > 0 && (raw.includes(secret) || raw.includes(JSON.stringify(secret).slice(1, -1)))) {
    throw new Error('refusing to build a rotation request that contains the secret value');
  }
  return raw;
}
