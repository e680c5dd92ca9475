import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { credentialFileKind, needsContent, type CredentialFile } from './credential-files.js';
import { coverageProbes, coverageProblems } from './coverage.js';
import { exposureProblem, historyProblem, trackedProblem } from './credential-problems.js';
import { addedFiles, checkIgnore, grepServiceAccountJson, hasCommits, isShallow, readBlobs, trackedFiles, untrackedFiles } from './git.js';
import type { Check, CommitRef, HygieneProblem, HygieneResult, ProbeResult } from './problem.js';
import { sortProblems } from './problem.js';

/** Credential config files are small; anything bigger than this is not read for content. */
const MAX_CONTENT_BYTES = 1 << 20;

export interface InspectOptions {
  /** Walk every ref's history for deleted credential files (default true). */
  history?: boolean;
}

/**
 * A path worth a closer look: a credential file by name alone, or a name whose content
 * decides. JSON files are the exception: only the ones git grep finds with a
 * service-account marker are read (see `grepServiceAccountJson`).
 */
function isCandidate(path: string): boolean {
  if (credentialFileKind(path) !== undefined) return true;
  return needsContent(path) && !isPlainJson(path);
}

function isPlainJson(path: string): boolean {
  const lower = path.toLowerCase();
  return lower.endsWith('.json') && !lower.endsWith('.docker/config.json');
}

/**
 * JSON files in history are not grep-able cheaply; these names are the ones service-account
 * keys get (`<project>-<12 hex>.json` is gcloud's default, cloud.google.com/iam/docs/keys-create-delete).
 */
function isHistoryJsonCandidate(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  return name.endsWith('.json') && (/service[-_]?account|credential|secret|firebase-adminsdk|gcp|gcloud|key/.test(name) || /-[0-9a-f]{12}\.json$/.test(name));
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash >= 0 ? path.slice(0, slash) : '';
}

function isGitignore(path: string): boolean {
  return path === '.gitignore' || path.endsWith('/.gitignore');
}

/** Read at most MAX_CONTENT_BYTES of a work-tree file; undefined when it cannot be read or is larger. */
function readSmallFile(abs: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_CONTENT_BYTES) return undefined;
    const buf = Buffer.allocUnsafe(st.size);
    let got = 0;
    while (got < st.size) {
      const n = readSync(fd, buf, got, st.size - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Classify candidates, reading content only for the paths whose content decides. */
function classify(paths: string[], content: (path: string) => string | undefined): Map<string, CredentialFile> {
  const out = new Map<string, CredentialFile>();
  for (const path of paths) {
    const kind = credentialFileKind(path, needsContent(path) ? content(path) : undefined);
    if (kind) out.set(path, kind);
  }
  return out;
}

/**
 * Run every hygiene check on the work tree at `root` (its top level). Facts come from git;
 * the verdicts from the pure checks in this folder.
 */
export async function inspectRepository(root: string, options: InspectOptions = {}): Promise<HygieneResult> {
  const notes: string[] = [];
  const counts = { tracked: 0, untracked: 0, commits: 0 };
  const gitignoreDirs = new Set<string>();

  // 1. The index and the unignored untracked files, streamed; only candidates are kept.
  const trackedCandidates: string[] = [];
  for await (const path of trackedFiles(root)) {
    counts.tracked++;
    if (isGitignore(path)) gitignoreDirs.add(dirOf(path));
    if (isCandidate(path) || isHistoryJsonCandidate(path)) trackedCandidates.push(path);
  }
  const untrackedCandidates: string[] = [];
  for await (const path of untrackedFiles(root)) {
    counts.untracked++;
    if (isGitignore(path)) gitignoreDirs.add(dirOf(path));
    if (isCandidate(path)) untrackedCandidates.push(path);
  }
  const trackedSet = new Set(trackedCandidates);
  const committed = hasCommits(root);
  const serviceAccountTracked = committed || counts.tracked > 0 ? grepServiceAccountJson(root, 'cached') : [];
  const serviceAccountUntracked = grepServiceAccountJson(root, 'untracked').filter((p) => !trackedSet.has(p));

  // 2. Classify: index content for tracked files, the work tree for untracked ones.
  const trackedToRead = [...trackedCandidates.filter((p) => needsContent(p) && !isPlainJson(p)), ...serviceAccountTracked];
  const indexBlobs = readBlobs(root, trackedToRead.map((p) => `:${p}`), MAX_CONTENT_BYTES);
  const tracked = classify([...trackedCandidates.filter((p) => !isPlainJson(p)), ...serviceAccountTracked], (p) => indexBlobs.get(`:${p}`));
  const exposed = classify([...untrackedCandidates, ...serviceAccountUntracked], (p) => readSmallFile(join(root, p)));

  // 3. One check-ignore call for every probe and every credential file found.
  const probes = coverageProbes(gitignoreDirs);
  const verdicts = checkIgnore(root, [...probes.map((p) => p.path), ...tracked.keys(), ...exposed.keys()]);
  const probeResults: ProbeResult[] = probes.map((p) => {
    const v = verdicts.get(p.path);
    return { path: p.path, expect: p.expect, ignored: v?.ignored ?? false, match: v?.match };
  });

  // 4. History: additions of credential-like paths in every ref, newest first; keep the oldest.
  const checks: Check[] = ['coverage', 'tracked'];
  const added = new Map<string, { commit: CommitRef; blob: string }>();
  if (options.history !== false && committed) {
    checks.push('history');
    if (isShallow(root)) notes.push('shallow clone: commits before the shallow boundary were not checked for credential files');
    for await (const a of addedFiles(root, () => counts.commits++)) {
      if (isCandidate(a.path) || isHistoryJsonCandidate(a.path)) added.set(a.path, { commit: a.commit, blob: a.blob });
    }
  } else if (options.history !== false) {
    checks.push('history');
  }
  checks.push('exposure');

  const problems: HygieneProblem[] = [];
  problems.push(...coverageProblems(probes, probeResults));
  for (const [path, kind] of tracked) {
    problems.push(trackedProblem(path, kind, verdicts.get(path)?.match, added.get(path)?.commit));
  }
  const gone = [...added].filter(([path]) => !trackedSet.has(path) && !tracked.has(path));
  const historyBlobs = readBlobs(root, gone.filter(([p]) => needsContent(p)).map(([, a]) => a.blob), MAX_CONTENT_BYTES);
  for (const [path, a] of gone) {
    const kind = credentialFileKind(path, needsContent(path) ? historyBlobs.get(a.blob) : undefined);
    if (kind) problems.push(historyProblem(path, kind, a.commit));
  }
  for (const [path, kind] of exposed) {
    problems.push(exposureProblem(path, kind, verdicts.get(path)?.match));
  }
  return { root, problems: sortProblems(problems), probes: probeResults, checks, counts, notes };
}
