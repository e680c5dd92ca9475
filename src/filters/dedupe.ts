import type { Finding } from '../detect/finding.js';

/**
 * One finding per secret and place. Two rules can match the same value (a provider rule
 * and the generic one): the more specific rule wins, never both. Specific = any rule
 * not tagged `generic`.
 */
export function dedupe(findings: Finding[]): Finding[] {
  const byPlace = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.commit}\0${f.file}\0${f.startLine}\0${f.secret}`;
    const prev = byPlace.get(key);
    if (!prev) byPlace.set(key, f);
    else if (isGeneric(prev) && !isGeneric(f)) byPlace.set(key, f);
  }
  // A generic finding whose secret contains, or is contained in, a specific finding's secret on the same line is the same leak.
  const specific = [...byPlace.values()].filter((f) => !isGeneric(f));
  const out: Finding[] = [];
  for (const f of byPlace.values()) {
    if (isGeneric(f) && specific.some((s) => sameLeak(f, s))) continue;
    out.push(f);
  }
  return out;
}

/**
 * A generic finding and a specific one are the same leak: same file and commit, lines
 * overlapping, one secret containing the other, or the generic one being the base64 the
 * specific one was decoded from (`token: Z2hwX…` in a Kubernetes Secret; issue 7, found
 * by `npm run eval`).
 */
export function sameLeak(generic: Finding, specific: Finding): boolean {
  return specific.file === generic.file && specific.commit === generic.commit
    && specific.startLine <= generic.endLine && generic.startLine <= specific.endLine
    && (specific.secret.includes(generic.secret) || generic.secret.includes(specific.secret)
      || (specific.decoded === 'base64' && decodeBase64(generic.secret).includes(specific.secret)));
}

function decodeBase64(s: string): string {
  return /^[A-Za-z0-9+/_-]{12,}={0,2}$/.test(s) ? Buffer.from(s, 'base64').toString('latin1') : '';
}

export function isGeneric(f: Finding): boolean {
  return f.tags.includes('generic');
}
