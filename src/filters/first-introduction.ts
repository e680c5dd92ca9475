import type { Finding } from '../detect/finding.js';

/**
 * A secret that stays in a file, is touched again, or is merged or cherry-picked onto
 * several branches shows up in several commits' diffs. Report it once, at the commit
 * that introduced it: the oldest author date (for equal dates, the one git listed
 * last, since git log lists newest first).
 */
export function keepFirstIntroduction(findings: Finding[]): Finding[] {
  const first = new Map<string, { f: Finding; index: number }>();
  findings.forEach((f, index) => {
    if (!f.commit) {
      first.set(`\0${index}`, { f, index });
      return;
    }
    const key = `${f.ruleId}\0${f.file}\0${f.secret}`;
    const prev = first.get(key);
    if (!prev || f.date < prev.f.date || (f.date === prev.f.date && index > prev.index)) first.set(key, { f, index });
  });
  return [...first.values()].sort((a, b) => a.index - b.index).map((e) => e.f);
}
