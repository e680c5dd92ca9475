import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDefaultConfig } from '../../src/config/load.js';
import { keepFirstIntroduction } from '../../src/filters/first-introduction.js';
import { scan } from '../../src/scan.js';
import type { CommitInfo, Fragment } from '../../src/sources/fragment.js';
import { GitHistorySource, type GitHistoryOptions } from '../../src/sources/git-history.js';
import { emptyStats } from '../../src/sources/source.js';
import { cleanupAfterEach, type TestRepo } from '../helpers/repo.js';
import { fakeAwsAccessKeyId, fakeGithubToken, fakeStripeKey } from '../helpers/secrets.js';

const { repo } = cleanupAfterEach();

function date(n: number): Record<string, string> {
  const d = new Date(Date.UTC(2024, 5, 1, 12, 0, n)).toISOString();
  return { GIT_AUTHOR_DATE: d, GIT_COMMITTER_DATE: d };
}

/**
 * Thirty-odd commits over two branches and an orphan tag: secrets added, kept, renamed,
 * suppressed inline, and one written only by a merge's conflict resolution.
 */
function history(): { r: TestRepo; merge: string } {
  const r = repo();
  r.write({ 'settings.env': 'MODE=base\n', 'README.md': '# app\n' }).commit('base');
  for (let i = 0; i < 12; i++) {
    r.write({ [`src/m${i % 4}.txt`]: `line ${i}\n`.repeat(i + 1) }).commit(`main ${i}`);
  }
  r.write({ 'config/a.env': `GITHUB_TOKEN=${fakeGithubToken('kept')}\n` }).commit('add a token');
  r.write({ 'config/a.env': `GITHUB_TOKEN=${fakeGithubToken('kept')}\nOTHER=1\n` }).commit('touch it');
  r.write({ 'ok.env': `T=${fakeGithubToken('allowed')} # keyscan:allow\n` }).commit('allowed inline');
  r.git(['checkout', '-q', '-b', 'left']);
  r.write({ 'settings.env': 'MODE=left\n' }).commit('left');
  for (let i = 0; i < 8; i++) r.write({ [`left/${i}.txt`]: `left ${i}\n` }).commit(`left ${i}`);
  r.git(['mv', 'config/a.env', 'config/renamed.env']);
  r.commit('rename on left');
  r.git(['checkout', '-q', 'main']);
  r.write({ 'settings.env': 'MODE=right\n', 'aws.txt': `id = ${fakeAwsAccessKeyId('main')}\n` }).commit('right');
  expect(() => r.git(['merge', '-q', 'left', '-m', 'merge left'], date(100))).toThrow(/CONFLICT|failed/);
  r.write({ 'settings.env': `MODE=merged\nSTRIPE_KEY=${fakeStripeKey('resolution')}\n` });
  r.git(['add', 'settings.env']);
  r.git(['commit', '-q', '--no-edit', '--no-verify'], date(101));
  const merge = r.git(['rev-parse', 'HEAD']).trim();
  r.git(['checkout', '-q', '--orphan', 'tagged']);
  r.git(['rm', '-rfq', '.']);
  r.write({ 'tag.env': `GITHUB_TOKEN=${fakeGithubToken('tag')}\n` }).commit('only a tag keeps this');
  r.git(['tag', 'v1']);
  r.git(['checkout', '-q', 'main']);
  r.git(['branch', '-D', 'tagged']);
  return { r, merge };
}

async function fragments(options: GitHistoryOptions): Promise<Fragment[]> {
  const out: Fragment[] = [];
  for await (const f of new GitHistorySource(options).fragments(emptyStats())) out.push(f);
  return out;
}

/**
 * Fragments as one reader yields them: by the commit's place in rev-list's listing. A
 * stable sort, so each commit's fragments keep the order they came in.
 */
function inListingOrder(fragments: Fragment[]): Fragment[] {
  return [...fragments].sort((a, b) => a.commit!.order! - b.commit!.order!);
}

async function findings(options: GitHistoryOptions) {
  const commits = new Map<string, CommitInfo>();
  const result = await scan(new GitHistorySource(options), loadDefaultConfig(), { explainAllowlisted: true }, {
    onFindings: (_f, fragment) => void (fragment.commit && commits.set(fragment.commit.sha, fragment.commit)),
  });
  return { ...result, findings: keepFirstIntroduction(result.findings, (sha) => commits.get(sha)), durationMs: 0 };
}

describe('GitHistorySource with several git readers', () => {
  it('yields exactly the fragments one reader does, each commit\'s in order', async () => {
    const { r, merge } = history();
    const serial = await fragments({ repoPath: r.dir, readers: 1 });
    expect(serial.length).toBeGreaterThanOrEqual(30);
    // The conflict resolution is there, attributed to the merge.
    expect(serial.some((f) => f.commit?.sha === merge && f.raw.includes('STRIPE_KEY='))).toBe(true);
    // Commits come in rev-list order, each once.
    const orders = serial.map((f) => f.commit!.order!);
    expect(orders).toEqual([...orders].sort((a, b) => a - b));
    // Blocks of one to three commits: every reader gets many, and they finish in any order.
    // Fragments come as the readers parse them, so only within a commit is the order fixed.
    for (const [readers, blockCommits] of [[2, 1], [3, 2], [4, 3]] as const) {
      expect(inListingOrder(await fragments({ repoPath: r.dir, readers, blockCommits }))).toEqual(serial);
    }
  });

  it('finds and suppresses exactly what one reader does', async () => {
    const { r, merge } = history();
    const serial = await findings({ repoPath: r.dir, readers: 1 });
    expect(serial.findings.map((f) => f.ruleId).sort()).toEqual(['aws-access-key-id', 'github-pat', 'github-pat', 'stripe-secret-key']);
    expect(serial.findings.find((f) => f.ruleId === 'stripe-secret-key')!.commit).toBe(merge);
    expect(serial.suppressed.map((s) => s.by)).toContain('directive');
    const parallel = await findings({ repoPath: r.dir, readers: 3, blockCommits: 1 });
    // Suppressed matches are listed as they were found (--explain sorts them for display).
    const bySha = (list: typeof serial.suppressed) => [...list].sort((a, b) => a.finding.commit.localeCompare(b.finding.commit));
    expect({ ...parallel, suppressed: bySha(parallel.suppressed) }).toEqual({ ...serial, suppressed: bySha(serial.suppressed) });
  });

  it('handles a history smaller than one block, and an empty range', async () => {
    const r = repo();
    r.write({ 'a.env': `T=${fakeGithubToken('small')}\n` }).commit('one');
    const one = await fragments({ repoPath: r.dir, readers: 4 });
    expect(one).toHaveLength(1);
    expect(await fragments({ repoPath: r.dir, readers: 4, logOpts: ['HEAD..HEAD'] })).toEqual([]);
  });
});

describe('GitHistorySource and .gitattributes', () => {
  it('reads a file the repository marks -diff (committed or checked out): attributes do not hide a secret', async () => {
    const r = repo();
    r.write({ '.gitattributes': '*.lock -diff\n' }).commit('attributes');
    r.write({ 'deps.lock': `a\nT=${fakeGithubToken('attr')}\n` }).commit('a lockfile-like file');
    const hits = (await fragments({ repoPath: r.dir, readers: 1 })).filter((f) => f.filePath === 'deps.lock');
    expect(hits).toHaveLength(1);
    expect(hits[0]!.raw).toContain(fakeGithubToken('attr'));
    // A work tree without the attributes file (or a different one) changes nothing either.
    r.write({ '.gitattributes': '*.lock -diff\n*.env -diff\n' });
    const again = (await fragments({ repoPath: r.dir, readers: 2, blockCommits: 1 })).filter((f) => f.filePath === 'deps.lock');
    expect(again.map((f) => f.raw)).toEqual(hits.map((f) => f.raw));
  });

  it('reads a file the user\'s own attributes file marks binary', async () => {
    const r = repo();
    // As a global one would be (~/.config/git/attributes), outside the work tree.
    const attributes = join(r.dir, '.git', 'user-attributes');
    writeFileSync(attributes, '*.pem binary\n');
    r.git(['config', 'core.attributesFile', attributes]);
    r.write({ 'server.pem': `x\nT=${fakeGithubToken('global-attr')}\n` }).commit('a key');
    const hits = (await fragments({ repoPath: r.dir, readers: 1 })).filter((f) => f.filePath === 'server.pem');
    expect(hits.map((f) => f.raw.includes(fakeGithubToken('global-attr')))).toEqual([true]);
  });
});

describe('GitHistorySource started ahead of the scan', () => {
  it('yields, into the stats given to start(), what a source started by fragments() does', async () => {
    const { r } = history();
    const plain = await fragments({ repoPath: r.dir, readers: 2, blockCommits: 2 });
    const plainStats = emptyStats();
    for await (const _ of new GitHistorySource({ repoPath: r.dir, readers: 2, blockCommits: 2 }).fragments(plainStats)) void _;
    const source = new GitHistorySource({ repoPath: r.dir, readers: 2, blockCommits: 2 });
    const stats = emptyStats();
    source.start(stats);
    // git runs meanwhile: the caller loads the rules here.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const early: Fragment[] = [];
    for await (const f of source.fragments(stats)) early.push(f);
    expect(inListingOrder(early)).toEqual(inListingOrder(plain));
    expect(stats.commits).toBeGreaterThanOrEqual(29);
    expect(stats).toEqual(plainStats);
    // Counters written to one object and read from another would be lost: refused.
    const again = new GitHistorySource({ repoPath: r.dir });
    again.start(emptyStats());
    await expect(async () => {
      for await (const _ of again.fragments(emptyStats())) void _;
    }).rejects.toThrow(/stats object given to start/);
    again.stop();
  });

  it('stop() ends a started scan that nobody reads: its git processes exit', async () => {
    const { r } = history();
    const source = new GitHistorySource({ repoPath: r.dir, readers: 2, blockCommits: 1 });
    source.start(emptyStats());
    source.stop();
    // Reading afterwards fails rather than hanging on git processes that were killed.
    await expect(async () => {
      for await (const _ of source.fragments(source['started']!.stats)) void _;
    }).rejects.toThrow(/stopped/);
  });
});

describe('GitHistorySource and deleted files', () => {
  it('asks git for none of a deleted file: a binary deleted is not counted again as skipped', async () => {
    const r = repo();
    r.write({ 'img.bin': Buffer.from([0, 1, 2, 0, 3]), 'notes.txt': 'ordinary line\n'.repeat(100) }).commit('add');
    r.git(['rm', '-q', 'img.bin', 'notes.txt']);
    r.commit('delete');
    const stats = emptyStats();
    const seen: Fragment[] = [];
    for await (const f of new GitHistorySource({ repoPath: r.dir }).fragments(stats)) seen.push(f);
    expect(stats.commits).toBe(2);
    // Its addition only: without --irreversible-delete git also printed "Binary files a/img.bin and /dev/null differ".
    expect(stats.skippedBinary).toBe(1);
    expect(seen.map((f) => f.filePath)).toEqual(['notes.txt']);
  });
});
