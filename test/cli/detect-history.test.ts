import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { git, tempDir, writeFiles, cleanupAfterEach } from '../helpers/repo.js';
import { fakeGithubToken } from '../helpers/secrets.js';

/** gitleaks' JSON record, the fields these tests read. */
interface JsonFinding {
  RuleID: string;
  File: string;
  StartLine: number;
  Commit: string;
  Author: string;
  Email: string;
  Date: string;
  Message: string;
  Secret: string;
  Fingerprint: string;
}

const { repo, track } = cleanupAfterEach();

/** `keyscan detect` on the repository, JSON report, secrets unredacted so the tests can tell them apart. */
function detect(dir: string, extra: string[] = []): { code: number; records: JsonFinding[]; stderr: string } {
  const res = runCli(['detect', '.', '-f', 'json', '--no-redact', ...extra], { cwd: dir });
  if (res.code === 2) throw new Error(`keyscan failed: ${res.stderr}`);
  return { code: res.code, records: JSON.parse(res.stdout) as JsonFinding[], stderr: res.stderr };
}

function date(n: number): Record<string, string> {
  const d = new Date(Date.UTC(2024, 5, 1, 12, 0, n)).toISOString();
  return { GIT_AUTHOR_DATE: d, GIT_COMMITTER_DATE: d };
}

describe('keyscan detect (git history)', () => {
  it('fills the commit fields and the commit:file:rule:line fingerprint', () => {
    const r = repo();
    r.write({ 'README.md': '# app\n' }).commit('initial');
    const token = fakeGithubToken('history-fields');
    r.write({ 'config/app.env': `NAME=app\nGITHUB_TOKEN=${token}\n` });
    const sha = r.commit('add deploy config\n\nwith a body line', { author: 'Ada Lovelace', email: 'ada@example.com' });
    const { code, records, stderr } = detect(r.dir);
    expect(code).toBe(1);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      RuleID: 'github-pat', File: 'config/app.env', StartLine: 2, Commit: sha, Author: 'Ada Lovelace', Email: 'ada@example.com',
      Message: 'add deploy config\n\nwith a body line', Secret: token, Fingerprint: `${sha}:config/app.env:github-pat:2`,
    });
    expect(Date.parse(records[0]!.Date)).toBe(Date.UTC(2024, 0, 1, 12, 0, 2));
    expect(stderr).toMatch(/2 commits/);
  });

  it('redacts by default', () => {
    const r = repo();
    const token = fakeGithubToken('history-redact');
    r.write({ 'a.env': `T=${token}\n` }).commit('add');
    const res = runCli(['detect', '.'], { cwd: r.dir });
    expect(res.code).toBe(1);
    expect(res.stdout).toContain('github-pat');
    expect(res.stdout).not.toContain(token.slice(4));
  });

  it('reports a secret kept through a thousand commits once, at the commit that added it', () => {
    const r = repo();
    const token = fakeGithubToken('history-kept');
    // 1,200 commits through git fast-import (seconds, where `git commit` would take minutes).
    // The token's own line is rewritten every 250 commits, so it reappears in those diffs.
    const stream: string[] = [];
    for (let i = 1; i <= 1200; i++) {
      const body = `A=${i}\nTOKEN=${token}${i > 1 && i % 250 === 0 ? ` # rev ${i}` : ''}\nB=${i % 7}\n`;
      stream.push(`commit refs/heads/main\nmark :${i}\ncommitter Dev <dev@example.com> ${1_700_000_000 + i * 60} +0000\ndata ${`edit ${i}`.length}\nedit ${i}\n`);
      if (i > 1) stream.push(`from :${i - 1}\n`);
      stream.push(`M 100644 inline app.env\ndata ${Buffer.byteLength(body)}\n${body}\n`);
    }
    git(r.dir, ['fast-import', '--quiet'], {}, stream.join(''));
    const first = r.git(['rev-list', '--max-parents=0', 'main']).trim();
    const { records, stderr } = detect(r.dir);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ Commit: first, File: 'app.env', StartLine: 2, Message: 'edit 1', Author: 'Dev' });
    expect(stderr).toMatch(/1200 commits/);
  });

  it('--threads sets the git readers: one or three give the same report, byte for byte', () => {
    const r = repo();
    // 900 commits over two branches (fast-import), secrets added at several points: enough
    // commits that three readers each get blocks.
    const stream: string[] = [];
    const tip: Record<string, number> = {};
    for (let i = 1; i <= 900; i++) {
      // A side branch forks from main at commit 451 and both go on, alternately.
      const branch = i > 451 && i % 2 === 0 ? 'side' : 'main';
      const parent = tip[branch] ?? tip.main;
      tip[branch] = i;
      const body = i % 150 === 0 ? `T${i}=${fakeGithubToken(`threads-${i}`)}\n` : `n=${i}\n`;
      stream.push(`commit refs/heads/${branch}\nmark :${i}\ncommitter Dev <dev@example.com> ${1_700_000_000 + i * 60} +0000\ndata 4\nc${String(i).padStart(3, '0')}\n`);
      if (parent !== undefined) stream.push(`from :${parent}\n`);
      stream.push(`M 100644 inline f${i % 9}.env\ndata ${Buffer.byteLength(body)}\n${body}\n`);
    }
    git(r.dir, ['fast-import', '--quiet'], {}, stream.join(''));
    const one = runCli(['detect', '.', '-f', 'json', '--no-redact', '--threads', '1'], { cwd: r.dir });
    const three = runCli(['detect', '.', '-f', 'json', '--no-redact', '--threads', '3'], { cwd: r.dir });
    expect(one.code).toBe(1);
    expect((JSON.parse(one.stdout) as JsonFinding[]).length).toBe(6);
    expect(three.stdout).toBe(one.stdout);
    expect(three.stderr).toMatch(/900 commits/);
  });

  it('scans every branch, tag and remote-tracking ref, not only HEAD', () => {
    const r = repo();
    r.write({ 'README.md': 'x\n' }).commit('initial');
    r.git(['checkout', '-q', '-b', 'feature']);
    const onBranch = fakeGithubToken('history-branch');
    r.write({ 'branch.env': `T=${onBranch}\n` });
    const branchSha = r.commit('on a branch');
    r.git(['checkout', '-q', '--orphan', 'tagged']);
    const onTag = fakeGithubToken('history-tag');
    r.write({ 'tag.env': `T=${onTag}\n` });
    const tagSha = r.commit('only a tag keeps this');
    r.git(['tag', 'v1']);
    r.git(['checkout', '-q', '--orphan', 'remote']);
    const onRemote = fakeGithubToken('history-remote');
    r.write({ 'remote.env': `T=${onRemote}\n` });
    const remoteSha = r.commit('fetched from a remote');
    r.git(['update-ref', 'refs/remotes/origin/other', remoteSha]);
    r.git(['checkout', '-q', 'main']);
    r.git(['branch', '-D', 'tagged', 'remote']);
    const { records } = detect(r.dir);
    const bySecret = new Map(records.map((x) => [x.Secret, x.Commit]));
    expect(bySecret.get(onBranch)).toBe(branchSha);
    expect(bySecret.get(onTag)).toBe(tagSha);
    expect(bySecret.get(onRemote)).toBe(remoteSha);
    expect(records).toHaveLength(3);
  });

  it('scans the stash: staged and untracked parts, and older entries', () => {
    const r = repo();
    r.write({ 'a.txt': 'a\n' }).commit('initial');
    const older = fakeGithubToken('history-stash-older');
    r.write({ 'a.txt': `a\nT=${older}\n` });
    r.git(['stash', 'push', '-q', '-m', 'older'], date(1));
    const staged = fakeGithubToken('history-stash-staged');
    const untracked = fakeGithubToken('history-stash-untracked');
    r.write({ 'staged.env': `T=${staged}\n`, 'loose.env': `T=${untracked}\n` });
    r.git(['add', 'staged.env']);
    r.git(['stash', 'push', '-q', '--include-untracked', '-m', 'newer'], date(2));
    expect(r.git(['stash', 'list']).trim().split('\n')).toHaveLength(2);
    const { records } = detect(r.dir);
    const found = new Map(records.map((x) => [x.Secret, x.File]));
    expect(found.get(older)).toBe('a.txt');
    expect(found.get(staged)).toBe('staged.env');
    expect(found.get(untracked)).toBe('loose.env');
    expect(records).toHaveLength(3);
  });

  it('attributes a secret that only a merge conflict resolution introduced to the merge', () => {
    const r = repo();
    r.write({ 'settings.env': 'MODE=base\n', 'other.txt': 'o\n' }).commit('base');
    r.git(['checkout', '-q', '-b', 'left']);
    r.write({ 'settings.env': 'MODE=left\n' }).commit('left');
    r.git(['checkout', '-q', 'main']);
    r.write({ 'settings.env': 'MODE=right\n' }).commit('right');
    expect(() => r.git(['merge', '-q', 'left', '-m', 'merge left'])).toThrow(/CONFLICT|failed/);
    const token = fakeGithubToken('history-merge');
    r.write({ 'settings.env': `MODE=merged\nTOKEN=${token}\n` });
    r.git(['add', 'settings.env']);
    r.git(['commit', '-q', '--no-edit', '--no-verify'], date(10));
    const merge = r.git(['rev-parse', 'HEAD']).trim();
    expect(r.git(['rev-list', '--parents', '-n', '1', 'HEAD']).trim().split(' ')).toHaveLength(3);
    const { records } = detect(r.dir);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ Commit: merge, File: 'settings.env', StartLine: 2, Secret: token });
    expect(records[0]!.Message).toMatch(/^merge left/);
  });

  it('does not attribute a cleanly merged secret to the merge', () => {
    const r = repo();
    r.write({ 'a.txt': 'a\n' }).commit('base');
    r.git(['checkout', '-q', '-b', 'topic']);
    const token = fakeGithubToken('history-clean-merge');
    r.write({ 'topic.env': `T=${token}\n` });
    const topic = r.commit('topic adds a token');
    r.git(['checkout', '-q', 'main']);
    r.write({ 'b.txt': 'b\n' }).commit('main moves on');
    r.git(['merge', '-q', '--no-ff', 'topic', '-m', 'merge topic'], date(20));
    const { records } = detect(r.dir);
    expect(records.map((x) => x.Commit)).toEqual([topic]);
  });

  it('reports a cherry-picked secret once, at the original commit', () => {
    const r = repo();
    r.write({ 'a.txt': 'a\n' }).commit('base');
    r.git(['checkout', '-q', '-b', 'release']);
    r.write({ 'r.txt': 'r\n' }).commit('release work');
    r.git(['checkout', '-q', 'main']);
    const token = fakeGithubToken('history-cherry');
    r.write({ 'fix.env': `T=${token}\n` });
    const original = r.commit('fix with a token');
    r.git(['checkout', '-q', 'release']);
    r.git(['cherry-pick', original], date(30));
    const picked = r.git(['rev-parse', 'HEAD']).trim();
    expect(picked).not.toBe(original);
    const { records } = detect(r.dir);
    expect(records).toHaveLength(1);
    expect(records[0]!.Commit).toBe(original);
  });

  it('follows renames and deletions without reporting the secret again', () => {
    const r = repo();
    const token = fakeGithubToken('history-rename');
    const body = Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n');
    r.write({ 'old/name.env': `${body}\nT=${token}\n` });
    const added = r.commit('add');
    r.git(['mv', 'old/name.env', 'new name.env']);
    r.commit('rename');
    r.write({ 'new name.env': `${body}\nT=${token}\nMORE=1\n` }).commit('edit after rename');
    r.git(['rm', '-q', 'new name.env']);
    r.commit('delete');
    const { records, stderr } = detect(r.dir);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ Commit: added, File: 'old/name.env', StartLine: 21 });
    expect(stderr).toMatch(/4 commits/);
  });

  it('skips and counts binary files, skips submodules, reads odd file names', () => {
    const r = repo();
    const inBinary = fakeGithubToken('history-binary');
    const names = ['with space.env', 'ünïcødé/ключ.env', 'tab\there.env', 'new\nline.env', '"quoted".env'];
    const tokens = names.map((_, i) => fakeGithubToken(`history-name-${i}`));
    r.write({ 'blob.bin': Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`T=${inBinary}\n`)]) });
    names.forEach((n, i) => r.write({ [n]: `T=${tokens[i]}\n` }));
    r.commit('odd names and a binary');
    const sub = r.commit('marker', { allowEmpty: true });
    r.git(['update-index', '--add', '--cacheinfo', `160000,${sub},vendor/lib`]);
    r.git(['commit', '-q', '--no-verify', '-m', 'add a submodule'], date(40));
    const { records, stderr } = detect(r.dir);
    expect(records.map((x) => x.File).sort()).toEqual([...names].sort());
    for (const [i, n] of names.entries()) expect(records.find((x) => x.File === n)?.Secret).toBe(tokens[i]);
    expect(records.some((x) => x.Secret === inBinary)).toBe(false);
    expect(stderr).toMatch(/1 binary/);
  });

  it('skips a file larger than --max-target-megabytes in a commit, and counts it', () => {
    const r = repo();
    const token = fakeGithubToken('history-large');
    const filler = 'x'.repeat(99) + '\n';
    r.write({ 'big.txt': `T=${token}\n${filler.repeat(15_000)}`, 'small.env': `T=${fakeGithubToken('history-small')}\n` }).commit('big and small');
    const { records, stderr } = detect(r.dir, ['--max-target-megabytes', '1']);
    expect(records.map((x) => x.File)).toEqual(['small.env']);
    expect(stderr).toMatch(/1 too large/);
    expect(detect(r.dir).records.map((x) => x.File).sort()).toEqual(['big.txt', 'small.env']);
  });

  it('finds a multi-line secret and a value whose key sits on an unchanged line', () => {
    const r = repo();
    const cfg = tempDir();
    track(cfg);
    writeFiles(cfg.dir, {
      'keyscan.toml': [
        '[[rules]]',
        'id = "test-block"',
        'description = "test block"',
        "regex = '''-----BEGIN TEST BLOCK-----\\n([A-Za-z0-9\\n]{40,})\\n-----END TEST BLOCK-----'''",
        'secretGroup = 1',
        'keywords = ["-----begin test block"]',
        '[[rules]]',
        'id = "test-password"',
        'description = "test password"',
        "regex = '''password:\\s*\\n\\s*value:\\s*([A-Za-z0-9]{24})'''",
        'secretGroup = 1',
        'keywords = ["password"]',
      ].join('\n'),
    });
    const line = (seed: string) => fakeGithubToken(seed).slice(4, 36);
    r.write({ 'key.pem': `-----BEGIN TEST BLOCK-----\n${line('b1')}\n${line('b2')}\n-----END TEST BLOCK-----\n`, 'app.yml': `db:\n  password:\n    value: ${line('p1').slice(0, 24)}\n` });
    const first = r.commit('add key and password');
    // Rotation: the body changes, the BEGIN/END lines stay; the value changes, its key line stays.
    const newPassword = line('p2').slice(0, 24);
    r.write({ 'key.pem': `-----BEGIN TEST BLOCK-----\n${line('b3')}\n${line('b4')}\n-----END TEST BLOCK-----\n`, 'app.yml': `db:\n  password:\n    value: ${newPassword}\n` });
    const rotated = r.commit('rotate');
    const { records } = detect(r.dir, ['--config', `${cfg.dir}/keyscan.toml`]);
    const summary = records.map((x) => `${x.RuleID} ${x.File} ${x.Commit === first ? 'first' : x.Commit === rotated ? 'rotated' : '?'} ${x.StartLine}`).sort();
    expect(summary).toEqual([
      'test-block key.pem first 1',
      'test-block key.pem rotated 1',
      'test-password app.yml first 2',
      'test-password app.yml rotated 2',
    ]);
    expect(records.find((x) => x.Commit === rotated && x.RuleID === 'test-password')?.Secret).toBe(newPassword);
  });

  it('scans only the range given with --log-opts', () => {
    const r = repo();
    r.write({ 'old.env': `T=${fakeGithubToken('history-range-old')}\n` }).commit('before the range');
    r.git(['branch', 'base']);
    const token = fakeGithubToken('history-range-new');
    r.write({ 'new.env': `T=${token}\n` });
    const inRange = r.commit('in the range');
    const { records, stderr } = detect(r.dir, ['--log-opts=base..HEAD']);
    expect(records.map((x) => x.Commit)).toEqual([inRange]);
    expect(stderr).toMatch(/1 commit\b/);
    // Only a path limit: every ref, changes under that path.
    r.git(['checkout', '-q', '-b', 'side']);
    const sideToken = fakeGithubToken('history-range-side');
    r.write({ 'src/side.env': `T=${sideToken}\n`, 'other.env': `T=${fakeGithubToken('history-range-other')}\n` });
    const side = r.commit('side branch');
    r.git(['checkout', '-q', 'main']);
    const limited = detect(r.dir, ['--log-opts=-- src']);
    expect(limited.records.map((x) => `${x.Commit}:${x.File}`)).toEqual([`${side}:src/side.env`]);
    const bad = runCli(['detect', '.', '--log-opts=no-such-ref..HEAD'], { cwd: r.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/log-opts/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });

  it('scans a shallow clone and says the history is incomplete', () => {
    const r = repo();
    for (let i = 0; i < 3; i++) r.write({ 'a.txt': `${i}\n` }).commit(`c${i}`);
    const token = fakeGithubToken('history-shallow');
    r.write({ 'a.env': `T=${token}\n` }).commit('token');
    const clone = tempDir();
    track(clone);
    git(clone.dir, ['clone', '-q', '--depth', '1', `file://${r.dir}`, 'c']);
    const { records, stderr } = detect(`${clone.dir}/c`);
    expect(records.map((x) => x.Secret)).toEqual([token]);
    expect(stderr).toMatch(/shallow clone: the history is incomplete/);
  });

  it('exits 0 with a note in an empty repository', () => {
    const r = repo();
    const res = runCli(['detect', '.'], { cwd: r.dir });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/no commits yet/);
  });

  it('exits 2 with one line pointing to --no-git outside a repository', () => {
    const t = tempDir();
    track(t);
    const res = runCli(['detect', '.'], { cwd: t.dir, env: { GIT_CEILING_DIRECTORIES: t.dir } });
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/not a git repository.*--no-git/);
    expect(res.stdout).toBe('');
  });

  it('reports a broken config before a path that is not a repository, and after git has started, exits 2 without waiting for it', () => {
    // git starts before the rules load (detect.ts): errors found afterwards must still be
    // reported first and end the run, with no git process left to wait for.
    const t = tempDir();
    track(t);
    writeFiles(t.dir, { 'bad.toml': '[[rules]]\nid = "x"\nregex = "("\n' });
    const outside = runCli(['detect', '.', '--config', 'bad.toml'], { cwd: t.dir, env: { GIT_CEILING_DIRECTORIES: t.dir } });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/bad\.toml/);
    expect(outside.stderr).not.toMatch(/not a git repository/);
    const r = repo();
    for (let i = 0; i < 30; i++) r.write({ [`f${i}.txt`]: `line ${i}\n` }).commit(`c${i}`);
    const inside = runCli(['detect', '.', '--config', `${t.dir}/bad.toml`], { cwd: r.dir });
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/bad\.toml/);
    expect(inside.stdout).toBe('');
  });

  it('scans a bare repository', () => {
    const r = repo();
    const token = fakeGithubToken('history-bare');
    r.write({ 'a.env': `T=${token}\n` });
    const sha = r.commit('token');
    const bare = tempDir();
    track(bare);
    git(bare.dir, ['clone', '-q', '--bare', r.dir, 'b.git']);
    const { records } = detect(`${bare.dir}/b.git`);
    expect(records.map((x) => x.Commit)).toEqual([sha]);
  });
});
