import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createReceiver, verifySignature } from '../../examples/rotation-receiver/server.js';
import { secretFingerprint } from '../../src/rotate/payload.js';
import { BIN, runCliAsync } from '../helpers/cli.js';
import { TestRepo } from '../helpers/repo.js';
import { fakeGithubToken } from '../helpers/secrets.js';
import { startRotationFixture, type RotationFixture } from '../helpers/rotation.js';

interface Body { triggeredBy: string; secret: { fingerprint: string; preview: string; length: number }; location: { repository: string; file: string; commit: string; line: number } }

/** Everything keyscan wrote or sent: requests, receiver log, audit log, pending calls, output. */
function everything(fx: RotationFixture, ...outputs: { stdout: string; stderr: string }[]): string {
  const state = existsSync(fx.stateDir) ? readdirSync(fx.stateDir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile()).map((e) => readFileSync(join(e.parentPath, e.name), 'utf8')) : [];
  return [
    ...fx.receiver.requests.map((r) => JSON.stringify(r)),
    ...fx.logs,
    ...state,
    ...outputs.flatMap((o) => [o.stdout, o.stderr]),
  ].join('\n');
}

function auditLines(fx: RotationFixture): { outcome: string; httpStatus: number | null; fingerprint: string; triggeredBy: string; incidentId: string | null }[] {
  const file = join(fx.stateDir, 'rotation-audit.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l)) : [];
}

/** A repository whose history holds `committed` (added, then deleted again) and whose index holds `staged`. */
function leakyRepo(committed: string[], staged?: string): TestRepo {
  const repo = new TestRepo();
  repo.write({ 'README.md': 'app\n' }).commit('init');
  committed.forEach((token, i) => repo.write({ [`config/app${i}.env`]: `PORT=8080\nGITHUB_TOKEN=${token}\n` }).commit(`add config ${i}`));
  repo.write(Object.fromEntries(committed.map((_, i) => [`config/app${i}.env`, 'PORT=8080\n']))).commit('remove the tokens');
  if (staged) {
    repo.write({ 'staged.env': `GITHUB_TOKEN=${staged}\n` });
    repo.git(['add', 'staged.env']);
  }
  return repo;
}

/** util-linux `script` gives the CLI a real terminal (a pty), so the prompt path runs as for a person. */
const HAS_SCRIPT = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

/** Run the CLI on a pty, answering each `(i/n)` prompt with the next answer. */
function runOnTerminal(args: string[], cwd: string, env: Record<string, string>, answers: string[]): Promise<{ code: number; output: string }> {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd,
      env: { ...process.env, CI: 'true', NO_COLOR: '1', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let asked = 0;
    const timer = setTimeout(() => child.kill(), 60_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      output += d;
      const prompts = output.match(/\[q\]uit \(\d+\/\d+\)/g)?.length ?? 0;
      while (asked < prompts) child.stdin.write(`${answers[asked++] ?? 'q'}\r`);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, output });
    });
  });
}

describe('keyscan rotate (end to end, reference receiver on 127.0.0.1)', () => {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  async function setup(options?: Parameters<typeof startRotationFixture>[0]): Promise<RotationFixture> {
    const fx = await startRotationFixture(options);
    cleanups.push(fx.close);
    return fx;
  }
  function track(repo: TestRepo): TestRepo {
    cleanups.push(repo.cleanup);
    return repo;
  }

  it('rotates a committed key with --yes --all, never the staged one, and never sends, logs or prints the secret', async () => {
    const fx = await setup();
    const committed = fakeGithubToken('e2e-committed');
    const staged = fakeGithubToken('e2e-staged');
    const repo = track(leakyRepo([committed], staged));
    repo.git(['remote', 'add', 'origin', 'https://deploy:remote-password-123@git.example.com/org/app.git']);
    const res = await runCliAsync(['rotate', '--yes', '--all'], { cwd: repo.dir, env: { ...fx.env, GITHUB_ACTOR: 'release-bot' } });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/rotated: github-pat config\/app0\.env:2 .*incident inc-/);

    expect(fx.receiver.revoked.map((r) => r.fingerprint)).toEqual([secretFingerprint(committed)]);
    const body = JSON.parse(fx.receiver.requests[0]!.body) as Body;
    expect(body).toMatchObject({
      triggeredBy: 'release-bot (GITHUB_ACTOR)',
      secret: { fingerprint: secretFingerprint(committed), preview: `ghp_…${committed.slice(-4)}`, length: 40 },
      location: { repository: 'https://git.example.com/org/app.git', file: 'config/app0.env', line: 2 },
    });

    const audit = auditLines(fx);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ outcome: 'rotated', httpStatus: 200, fingerprint: secretFingerprint(committed), triggeredBy: 'release-bot (GITHUB_ACTOR)' });

    const all = everything(fx, res);
    for (const token of [committed, staged]) {
      expect(all).not.toContain(token);
      expect(all).not.toContain(token.slice(4, 34));
    }
    expect(all).not.toContain(secretFingerprint(staged));
    expect(all).not.toContain('remote-password-123');
    expect(all).not.toContain(fx.hmacSecret);
  });

  it.skipIf(!HAS_SCRIPT)('at a terminal, asks for each finding and rotates only the confirmed ones', async () => {
    const fx = await setup();
    const [a, b] = [fakeGithubToken('tty-a'), fakeGithubToken('tty-b')];
    const repo = track(leakyRepo([a, b]));
    repo.git(['config', 'user.email', 'person@example.com']);
    const res = await runOnTerminal(['rotate'], repo.dir, fx.env, ['n', 'y']);
    expect(res.code).toBe(0);
    expect(res.output).toMatch(/\[1\] github-pat {2}config\/app\d\.env:2/);
    expect(res.output).toMatch(/commit [0-9a-f]{12} by Test Author <author@example\.com>/);
    expect(res.output).not.toContain(a);
    expect(res.output).not.toContain(b);
    expect(fx.receiver.revoked).toHaveLength(1);
    const body = JSON.parse(fx.receiver.requests[0]!.body) as Body;
    expect(body.triggeredBy).toBe('person@example.com');
  });

  it('a second run gets 409 and counts as success', async () => {
    const fx = await setup();
    const repo = track(leakyRepo([fakeGithubToken('e2e-twice')]));
    expect((await runCliAsync(['rotate', '--yes', '--all'], { cwd: repo.dir, env: fx.env })).code).toBe(0);
    const again = await runCliAsync(['rotate', '--yes', '--all'], { cwd: repo.dir, env: fx.env });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/already rotated: github-pat config\/app0\.env:2/);
    expect(fx.receiver.requests.map((r) => r.status)).toEqual([200, 409]);
    expect(fx.receiver.revoked).toHaveLength(1);
  });

  it('without --yes rotates nothing when not at a terminal; --finding picks by stable or gitleaks fingerprint', async () => {
    const fx = await setup();
    const [a, b, c] = [fakeGithubToken('pick-a'), fakeGithubToken('pick-b'), fakeGithubToken('pick-c')];
    const repo = track(leakyRepo([a, b, c]));
    const listed = await runCliAsync(['rotate'], { cwd: repo.dir, env: fx.env });
    expect(listed.code).toBe(1);
    expect(listed.stdout).toMatch(/3 committed findings, none rotated/);
    expect(fx.receiver.requests).toHaveLength(0);
    const stable = /fingerprint (ks1:github-pat:\S+:config\/app1\.env)/.exec(listed.stdout)![1]!;

    const detect = await runCliAsync(['detect', '-f', 'json'], { cwd: repo.dir, env: fx.env });
    const gitleaks = (JSON.parse(detect.stdout) as { File: string; Fingerprint: string }[]).find((f) => f.File === 'config/app2.env')!.Fingerprint;

    const picked = await runCliAsync(['rotate', '--yes', '--finding', stable, '--finding', gitleaks], { cwd: repo.dir, env: fx.env });
    expect(picked.code).toBe(0);
    expect(fx.receiver.revoked.map((r) => r.fingerprint).sort()).toEqual([secretFingerprint(b), secretFingerprint(c)].sort());

    const unknown = await runCliAsync(['rotate', '--yes', '--finding', 'ks1:github-pat:0000:nowhere'], { cwd: repo.dir, env: fx.env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--finding ks1:github-pat:0000:nowhere: no committed finding/);
    const noSelection = await runCliAsync(['rotate', '--yes'], { cwd: repo.dir, env: fx.env });
    expect(noSelection.code).toBe(2);
    expect(noSelection.stderr).toMatch(/--finding <fingerprint>.*--rule <id> or --all/);
  });

  it('a refused API key or signing secret fails clearly, naming the credential to check', async () => {
    const fx = await setup();
    const repo = track(leakyRepo([fakeGithubToken('e2e-refused')]));
    const badKey = await runCliAsync(['rotate', '--yes', '--all'], { cwd: repo.dir, env: { ...fx.env, KEYSCAN_ROTATION_API_KEY: 'not-the-key' } });
    expect(badKey.code).toBe(1);
    expect(badKey.stdout).toMatch(/FAILED: .*HTTP 401.*check KEYSCAN_ROTATION_API_KEY/);
    const badSig = await runCliAsync(['rotate', '--yes', '--all'], { cwd: repo.dir, env: { ...fx.env, KEYSCAN_ROTATION_HMAC_SECRET: 'not-the-secret' } });
    expect(badSig.code).toBe(1);
    expect(badSig.stdout).toMatch(/FAILED: .*HTTP 403.*check KEYSCAN_ROTATION_HMAC_SECRET/);
    expect(fx.receiver.revoked).toHaveLength(0);
    // A credential is sent as a header by design, but never printed or logged.
    expect([badKey.stdout, badKey.stderr, badSig.stdout, badSig.stderr, JSON.stringify(auditLines(fx))].join('\n')).not.toMatch(/not-the-(key|secret)/);
    expect(auditLines(fx).map((l) => [l.httpStatus, l.outcome])).toEqual([[401, 'unauthorized'], [403, 'unauthorized']]);
  });

  it('ignores a rotation URL in the repository\'s own config, with a warning', async () => {
    const fx = await setup();
    const decoy = createReceiver({ apiKeys: [fx.apiKey], signingSecrets: [{ id: fx.keyId, secret: fx.hmacSecret }], log: () => {} });
    const decoyUrl = await decoy.listen();
    cleanups.push(() => decoy.close());
    const repo = track(leakyRepo([fakeGithubToken('e2e-hostile')]));
    const hostile = `[extend]\nuseDefault = true\n[rotation]\nurl = "${decoyUrl}"\n`;
    repo.write({ '.keyscan.toml': hostile, 'ci/keyscan.toml': hostile }).commit('point rotation elsewhere');
    const res = await runCliAsync(['rotate', '--yes', '--all', '--config', 'ci/keyscan.toml'], { cwd: repo.dir, env: fx.env });
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/\.keyscan\.toml: \[rotation\] ignored/);
    expect(res.stderr).toMatch(/ci\/keyscan\.toml: \[rotation\] ignored/);
    expect(decoy.requests).toHaveLength(0);
    expect(fx.receiver.revoked).toHaveLength(1);
  });

  it('refuses http:// to a non-loopback host before any connection', async () => {
    const fx = await setup();
    const listener = createReceiver({ apiKeys: [fx.apiKey], signingSecrets: [{ id: fx.keyId, secret: fx.hmacSecret }], log: () => {} });
    const port = new URL(await listener.listen(0, '0.0.0.0')).port;
    cleanups.push(() => listener.close());
    // This machine's own non-loopback address: reachable, so a connection would show up here.
    const ip = Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address ?? 'rotation.invalid';
    const repo = track(leakyRepo([fakeGithubToken('e2e-plain-http')]));
    const res = await runCliAsync(['rotate', '--yes', '--all'], { cwd: repo.dir, env: { ...fx.env, KEYSCAN_ROTATION_URL: `http://${ip}:${port}/rotate` } });
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/KEYSCAN_ROTATION_URL: plain http:\/\/ is refused .*use https:\/\//);
    expect(listener.requests).toHaveLength(0);
  });

  it('names the missing setting and exits 2', async () => {
    const fx = await setup();
    const repo = track(leakyRepo([fakeGithubToken('e2e-missing')]));
    const res = await runCliAsync(['rotate', '--yes', '--all'], { cwd: repo.dir, env: { ...fx.env, KEYSCAN_ROTATION_HMAC_SECRET: '' } });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^keyscan: rotation signing secret not set: set KEYSCAN_ROTATION_HMAC_SECRET/);
  });

  it('503 twice then 200 succeeds after retries', async () => {
    const fx = await setup();
    fx.receiver.inject({ status: 503 }, 2);
    const repo = track(leakyRepo([fakeGithubToken('e2e-503')]));
    const res = await runCliAsync(['rotate', '--yes', '--all'], { cwd: repo.dir, env: fx.env });
    expect(res.code).toBe(0);
    expect(fx.receiver.requests.map((r) => r.status)).toEqual([503, 503, 200]);
    expect(auditLines(fx).map((l) => l.outcome)).toEqual(['retrying', 'retrying', 'rotated']);
  });

  it('429 with Retry-After is honoured', async () => {
    const fx = await setup();
    fx.receiver.inject({ status: 429, retryAfter: '1' });
    const repo = track(leakyRepo([fakeGithubToken('e2e-429')]));
    const res = await runCliAsync(['rotate', '--yes', '--all'], { cwd: repo.dir, env: fx.env });
    expect(res.code).toBe(0);
    const [first, second] = fx.receiver.requests;
    expect([first!.status, second!.status]).toEqual([429, 200]);
    // Retry-After is in seconds: the retry's signed timestamp is at least one second later.
    expect(Number(second!.headers['x-keyscan-timestamp'])).toBeGreaterThanOrEqual(Number(first!.headers['x-keyscan-timestamp']) + 1);
  });

  it('leaves a call pending when the service stays down, and --retry-pending finishes it', async () => {
    const fx = await setup({ userConfig: '[rotation]\nmaxRetries = 1\nbackoffSeconds = 0.005\nmaxBackoffSeconds = 0.01\n' });
    fx.receiver.inject({ status: 503 }, 2);
    const token = fakeGithubToken('e2e-pending');
    const repo = track(leakyRepo([token]));
    const down = await runCliAsync(['rotate', '--yes', '--all'], { cwd: repo.dir, env: fx.env });
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/PENDING: .*HTTP 503.* after 2 attempts.*keyscan rotate --retry-pending/);
    expect(readdirSync(join(fx.stateDir, 'rotation-pending'))).toHaveLength(1);

    const retried = await runCliAsync(['rotate', '--retry-pending'], { cwd: fx.stateDir, env: fx.env });
    expect(retried.code).toBe(0);
    expect(retried.stdout).toMatch(/rotated: github-pat config\/app0\.env:2/);
    expect(readdirSync(join(fx.stateDir, 'rotation-pending'))).toHaveLength(0);
    const bodies = fx.receiver.requests.map((r) => r.body);
    expect(new Set(bodies).size).toBe(1); // the very same body, re-signed
    expect(auditLines(fx).map((l) => l.outcome)).toEqual(['retrying', 'pending', 'rotated']);
    expect(everything(fx, down, retried)).not.toContain(token);
    expect((await runCliAsync(['rotate', '--retry-pending'], { cwd: fx.stateDir, env: fx.env })).stdout).toBe('no pending rotation calls\n');
  });

  it('--dry-run prints signed requests without sending them', async () => {
    const fx = await setup();
    const token = fakeGithubToken('e2e-dry');
    const repo = track(leakyRepo([token]));
    const res = await runCliAsync(['rotate', '--dry-run'], { cwd: repo.dir, env: fx.env });
    expect(res.code).toBe(0);
    expect(fx.receiver.requests).toHaveLength(0);
    expect(res.stdout).toContain(`POST ${fx.url}`);
    expect(res.stdout).toContain('X-API-Key: <redacted>');
    expect(res.stdout).not.toContain(fx.apiKey);
    expect(res.stdout).not.toContain(token);
    const header = (name: string) => new RegExp(`^${name}: (.+)$`, 'm').exec(res.stdout)![1]!;
    const body = res.stdout.split('\n').find((l) => l.startsWith('{'))!;
    expect(verifySignature([{ id: fx.keyId, secret: fx.hmacSecret }], fx.keyId, header('X-Keyscan-Timestamp'), header('X-Keyscan-Nonce'), body, header('X-Keyscan-Signature'))).toBe(true);
    expect(auditLines(fx)).toHaveLength(0);
  });

  it('detect --rotate reports, then runs the same flow', async () => {
    const fx = await setup();
    const repo = track(leakyRepo([fakeGithubToken('e2e-detect')]));
    const res = await runCliAsync(['detect', '--rotate', '--yes', '--rule', 'github-pat', '-f', 'json'], { cwd: repo.dir, env: fx.env });
    expect(res.code).toBe(1); // leaks found: the report's exit code, rotation succeeded
    expect(JSON.parse(res.stdout)).toHaveLength(1); // stdout stays the report
    expect(res.stderr).toMatch(/rotated: github-pat config\/app0\.env:2/);
    expect(fx.receiver.revoked).toHaveLength(1);
    const noGit = await runCliAsync(['detect', '--no-git', '--rotate', '.'], { cwd: repo.dir, env: fx.env });
    expect(noGit.code).toBe(2);
    expect(noGit.stderr).toMatch(/--rotate needs the history scan/);
  });
});

