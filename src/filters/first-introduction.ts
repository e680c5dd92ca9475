import type { Finding } from '../detect/finding.js';
import type { CommitInfo } from '../sources/fragment.js';

/**
 * A secret that stays in a file and is touched again, or is merged or cherry-picked onto
 * several branches, shows up in several commits' diffs. Report it once per file, at the
 * commit that introduced it: the oldest author time; for equal author times (a
 * cherry-pick keeps its original's), the oldest commit time; then the commit git listed
 * last (git lists children before parents).
 *
 * `commitOf` gives the times and order of the commits findings came from (a finding
 * carries only the sha). Output: one finding per secret and file, ordered as git listed
 * the commits (newest first), then by file and line, whatever order they arrived in.
 */
export function keepFirstIntroduction(findings: Finding[], commitOf: (sha: string) => CommitInfo | undefined = () => undefined): Finding[] {
  const first = new Map<string, { f: Finding; rank: Rank }>();
  const rest: Finding[] = [];
  for (const [index, f] of findings.entries()) {
    if (!f.commit) {
      rest.push(f);
      continue;
    }
    const key = `${f.ruleId}\0${f.file}\0${f.secret}`;
    const rank = rankOf(f, commitOf(f.commit), index);
    const prev = first.get(key);
    if (!prev || older(rank, prev.rank)) first.set(key, { f, rank });
  }
  const kept = [...first.values()].sort((a, b) => a.rank.order - b.rank.order || a.f.file.localeCompare(b.f.file) || a.f.startLine - b.f.startLine || a.f.startColumn - b.f.startColumn || a.f.ruleId.localeCompare(b.f.ruleId));
  return [...kept.map((e) => e.f), ...rest];
}

interface Rank {
  authorTime: number;
  commitTime: number;
  /** Position in git's listing, newest first. */
  order: number;
}

function rankOf(f: Finding, c: CommitInfo | undefined, index: number): Rank {
  const parsed = Date.parse(f.date);
  return {
    authorTime: c?.authorTime ?? (Number.isFinite(parsed) ? parsed / 1000 : 0),
    commitTime: c?.commitTime ?? 0,
    order: c?.order ?? index,
  };
}

function older(a: Rank, b: Rank): boolean {
  if (a.authorTime !== b.authorTime) return a.authorTime < b.authorTime;
  if (a.commitTime !== b.commitTime) return a.commitTime < b.commitTime;
  return a.order > b.order;
}
