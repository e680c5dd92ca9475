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
    if (isGeneric(f) && specific.some((s) => s.file === f.file && s.commit === f.commit && s.startLine <= f.endLine && f.startLine <= s.endLine && (s.secret.includes(f.secret) || f.secret.includes(s.secret)))) continue;
    out.push(f);
  }
  return out;
}

function isGeneric(f: Finding): boolean {
  return f.tags.includes('generic');
}
