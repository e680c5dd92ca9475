import { randomBytes } from 'node:crypto';
import { readFileSync, existsSync, realpathSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { join, relative, resolve, isAbsolute } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { TargetError, UsageError } from '../../errors.js';
import { prepareScan } from '../scan-setup.js';
import { scanHistory } from './detect-history.js';
import type { Finding } from '../../detect/finding.js';
import { gitQuery, repoRoot } from '../../sources/git.js';
import { buildRotationBody, secretFingerprint, secretPreview, serializeBody, stripUrlCredentials } from '../../rotate/payload.js';
import { idempotencyKey, printableHeaders, signedHeaders } from '../../rotate/sign.js';
import { loadRotationSettings, type RotationSettings } from '../../rotate/settings.js';
import { sendRotation, SUCCESS, type RotationOutcome } from '../../rotate/client.js';
import { appendAudit, stateDir } from '../../rotate/audit-log.js';
import { listPending, removePending, savePending, type PendingCall } from '../../rotate/pending.js';
import type { Io } from '../io.js';
import type { Args } from '../options.js';
import { confirmEach, terminalAsk } from '../rotation-prompt.js';
import { version } from '../version.js';

/** The rotation flow, checked and configured before any scanning, then run on the findings. */
export interface RotationFlow {
  /** Confirm, send, report. Returns the exit code (`reportCode` when every confirmed call succeeded). */
  run(findings: Finding[], reportCode?: number): Promise<number>;
}

/** `keyscan rotate [path]`: scan the history, confirm committed findings, call the rotation service. */
export async function rotateCommand(args: Args, io: Io): Promise<number> {
  if (args['retry-pending'] === true) return retryPending(args, io);
  const path = resolve(io.cwd, String(args.path ?? '.'));
  const flow = await prepareRotation(path, args, io, io.stdout);
  // The same config discovery, directives and ignore files as detect: a reviewed false positive is not rotated.
  const setup = prepareScan(args, io, path);
  const { config } = setup;
  const result = await scanHistory(path, config, setup.filterOptions, args, io);
  for (const w of result.stats.warnings) io.stderr(`keyscan: warning: ${w}\n`);
  const findings: Finding[] = result.findings;
  return flow.run(findings);
}

/** Values given with a repeatable string flag. */
function list(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String).filter((v) => v !== '');
}

/**
 * Check the flags and load the settings before the scan (a typo costs nothing), and
 * return the flow that runs on the scan's findings. Also used by `detect --rotate`,
 * whose report owns stdout: its rotation messages go to `out` = stderr.
 */
export async function prepareRotation(path: string, args: Args, io: Io, out: (text: string) => void = io.stderr): Promise<RotationFlow> {
  const findingIds = list(args.finding);
  const rules = list(args.rule);
  const all = args.all === true;
  const yes = args.yes === true;
  const dryRun = args['dry-run'] === true;
  const selecting = findingIds.length > 0 || rules.length > 0 || all;
  const interactive = !yes && !dryRun && io.stdinTTY && io.isTTY;
  if (yes && !selecting) throw new UsageError('--yes needs to be told what to rotate', 'add --finding <fingerprint> (repeatable), --rule <id> or --all');
  if (all && (findingIds.length > 0 || rules.length > 0)) throw new UsageError('--all cannot be combined with --finding or --rule');

  let root: string;
  try {
    root = repoRoot(path);
  } catch (err) {
    if (err instanceof TargetError) throw new TargetError(`not a git repository: ${path}`, 'only committed keys are rotated: run it inside a repository');
    throw err;
  }
  warnRepositoryRotationTables(root, args, io);
  const settings = loadRotationSettings(io.env);
  const state = stateDir(io.env);
  warnStateInsideWorkTree(state, root, io);
  const repository = repositoryName(root);
  const triggeredBy = whoConfirms(root, io.env, interactive);

  return {
    async run(findings, reportCode = 0) {
      const committed = findings.filter((f) => f.commit !== '');
      const uncommitted = findings.length - committed.length;
      if (uncommitted > 0) out(`${uncommitted} finding${uncommitted === 1 ? ' is' : 's are'} not committed (never left this machine): not rotated\n`);
      let chosen = committed;
      if (selecting) {
        const unknown = findingIds.filter((id) => !committed.some((f) => matchesId(f, id)));
        if (unknown.length > 0) {
          throw new UsageError(`--finding ${unknown.join(', ')}: no committed finding has this fingerprint`, 'copy a fingerprint from `keyscan rotate` or `keyscan detect` output');
        }
        chosen = all ? committed : committed.filter((f) => rules.includes(f.ruleId) || findingIds.some((id) => matchesId(f, id)));
        for (const r of rules) if (!committed.some((f) => f.ruleId === r)) out(`no committed finding for rule ${r}\n`);
      }
      if (chosen.length === 0) {
        out('nothing to rotate: no committed findings selected\n');
        return reportCode;
      }
      let confirmed: Finding[];
      if (dryRun || yes) {
        confirmed = chosen;
      } else if (interactive) {
        const term = await terminalAsk();
        try {
          confirmed = await confirmEach(chosen, describeFinding, term.ask, io.stderr);
        } finally {
          term.close();
        }
        if (confirmed.length === 0) {
          out('nothing confirmed: nothing rotated\n');
          return reportCode;
        }
      } else {
        out(chosen.map((f, i) => describeFinding(f, i)).join(''));
        out(`${chosen.length} committed finding${chosen.length === 1 ? '' : 's'}, none rotated: not at a terminal, so nothing is confirmed.\n`
          + 'To rotate without a prompt: keyscan rotate --yes --finding <fingerprint> (repeatable), --rule <id> or --all\n');
        return reportCode || 1;
      }

      const detectedAt = new Date().toISOString();
      const calls = dedupeBySecret(confirmed).map(({ finding, alsoAt }) => {
        const body = serializeBody(buildRotationBody(finding, { repository, triggeredBy, detectedAt, toolVersion: version() }), finding.secret);
        const fp = secretFingerprint(finding.secret);
        const call: PendingCall = {
          version: 1,
          idempotencyKey: idempotencyKey(fp),
          fingerprint: fp,
          ruleId: finding.ruleId,
          findingFingerprint: finding.stableFingerprint,
          location: { repository: stripUrlCredentials(repository), commit: finding.commit, file: finding.file, line: finding.startLine },
          triggeredBy,
          body,
          createdAt: detectedAt,
        };
        return { call, alsoAt };
      });

      if (dryRun) {
        for (const { call } of calls) out(describeRequest(call, settings));
        out(`dry run: ${calls.length} request${calls.length === 1 ? '' : 's'} shown, none sent\n`);
        return reportCode;
      }
      const outcomes: RotationOutcome[] = [];
      for (const { call, alsoAt } of calls) {
        if (alsoAt.length > 0) out(`${call.ruleId} ${call.location.file}:${call.location.line}: the same key is also at ${alsoAt.join(', ')}: one rotation covers them\n`);
        outcomes.push(await sendAndRecord(call, settings, state, out));
      }
      return finish(outcomes, out, reportCode);
    },
  };
}

/** `--finding` accepts the stable fingerprint, gitleaks' fingerprint, or the secret's sha256 fingerprint. */
function matchesId(f: Finding, id: string): boolean {
  return f.stableFingerprint === id || f.fingerprint === id || secretFingerprint(f.secret) === id;
}

function describeFinding(f: Finding, i: number): string {
  return `\n[${i + 1}] ${f.ruleId}  ${f.file}:${f.startLine}\n`
    + `    commit ${f.commit.slice(0, 12)} by ${f.author} <${f.email}> on ${f.date}\n`
    + `    value  ${secretPreview(f.secret)} (${f.secret.length} characters)\n`
    + `    fingerprint ${f.stableFingerprint}\n`;
}

/** One rotation per secret: the same key committed in several files is one leak. */
function dedupeBySecret(findings: Finding[]): { finding: Finding; alsoAt: string[] }[] {
  const bySecret = new Map<string, { finding: Finding; alsoAt: string[] }>();
  for (const f of findings) {
    const e = bySecret.get(f.secret);
    if (e) e.alsoAt.push(`${f.file}:${f.startLine}`);
    else bySecret.set(f.secret, { finding: f, alsoAt: [] });
  }
  return [...bySecret.values()];
}

function describeRequest(call: PendingCall, settings: RotationSettings): string {
  const headers = printableHeaders(signedHeaders(call.body, settings, { timestamp: Math.floor(Date.now() / 1000), nonce: randomNonce() }, call.idempotencyKey, `keyscan/${version()}`));
  return `POST ${settings.url.toString()}\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${call.body}\n\n`;
}

/** Dry-run signatures are real (a receiver would accept them), only never sent. */
function randomNonce(): string {
  return randomBytes(16).toString('hex');
}

/** Send one call, keeping it pending until the service answered for good, auditing every attempt. */
async function sendAndRecord(call: PendingCall, settings: RotationSettings, state: string, out: (t: string) => void): Promise<RotationOutcome> {
  savePending(state, call);
  const outcome = await sendRotation(call, settings, {
    userAgent: `keyscan/${version()}`,
    onAttempt: (a) => appendAudit(state, {
      time: new Date().toISOString(),
      fingerprint: call.fingerprint,
      ruleId: call.ruleId,
      location: call.location,
      triggeredBy: call.triggeredBy,
      idempotencyKey: call.idempotencyKey,
      attempt: a.attempt,
      httpStatus: a.httpStatus,
      incidentId: a.incidentId,
      outcome: a.outcome,
      ...(a.error !== undefined ? { error: a.error } : {}),
    }),
  });
  // A refused credential can be fixed outside the request: keep the call for --retry-pending.
  if (outcome.kind === 'pending' || outcome.kind === 'unauthorized') savePending(state, { ...call, lastError: outcome.message });
  else removePending(state, call.idempotencyKey);
  const label = { rotated: 'rotated', queued: 'queued', 'already-rotated': 'already rotated', 'unknown-key': 'WARNING', rejected: 'FAILED', unauthorized: 'FAILED', pending: 'PENDING' }[outcome.kind];
  out(`${label}: ${call.ruleId} ${call.location.file}:${call.location.line} @ ${call.location.commit.slice(0, 12)}: ${outcome.message}\n`);
  return outcome;
}

function finish(outcomes: RotationOutcome[], out: (t: string) => void, reportCode: number): number {
  const ok = outcomes.filter((o) => SUCCESS.has(o.kind)).length;
  const failed = outcomes.length - ok;
  out(`rotation: ${ok} of ${outcomes.length} key${outcomes.length === 1 ? '' : 's'} rotated or already rotated${failed > 0 ? `, ${failed} not rotated` : ''}\n`);
  return failed > 0 ? 1 : reportCode;
}

/** `keyscan rotate --retry-pending`: resend every call left pending, with fresh signatures. */
async function retryPending(args: Args, io: Io): Promise<number> {
  const settings = loadRotationSettings(io.env);
  const state = stateDir(io.env);
  const calls = listPending(state, (m) => io.stderr(`keyscan: warning: ${m}\n`));
  if (calls.length === 0) {
    io.stdout('no pending rotation calls\n');
    return 0;
  }
  const outcomes: RotationOutcome[] = [];
  for (const call of calls) outcomes.push(await sendAndRecord(call, settings, state, io.stdout));
  return finish(outcomes, io.stdout, 0);
}

/**
 * Rotation settings never come from the scanned repository (a hostile repository must
 * not choose where the credentials go): say so when a scan config carries them.
 */
function warnRepositoryRotationTables(root: string, args: Args, io: Io): void {
  const files = new Set<string>();
  if (args.config !== undefined) files.add(resolve(io.cwd, String(args.config)));
  for (const name of ['.keyscan.toml', 'keyscan.toml', '.gitleaks.toml']) {
    const p = join(root, name);
    if (existsSync(p)) files.add(p);
  }
  for (const file of files) {
    try {
      const doc = parseToml(readFileSync(file, 'utf8')) as Record<string, unknown>;
      if (doc.rotation !== undefined) {
        io.stderr(`keyscan: warning: ${file}: [rotation] ignored: rotation settings come only from the environment or the user config (~/.config/keyscan/config.toml)\n`);
      }
    } catch {
      // Broken or unreadable: the config loader reports it.
    }
  }
}

function warnStateInsideWorkTree(state: string, root: string, io: Io): void {
  const real = (p: string) => { try { return realpathSync(p); } catch { return resolve(p); } };
  const rel = relative(real(root), real(state));
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    io.stderr(`keyscan: warning: the rotation audit log and pending calls are inside the working tree (${state}): they could be committed; set KEYSCAN_STATE_DIR elsewhere\n`);
  }
}

/** The remote the repository is known by (origin first), or its path when it has none. */
function repositoryName(root: string): string {
  const origin = gitQuery(root, ['remote', 'get-url', 'origin']);
  if (origin.status === 0 && origin.stdout.trim() !== '') return stripUrlCredentials(origin.stdout.trim());
  const first = gitQuery(root, ['remote']).stdout.split('\n')[0]?.trim();
  if (first) {
    const url = gitQuery(root, ['remote', 'get-url', first]);
    if (url.status === 0 && url.stdout.trim() !== '') return stripUrlCredentials(url.stdout.trim());
  }
  return root;
}

/** CI systems' "who started this run" variables, most specific first. */
const CI_ACTORS = ['GITHUB_ACTOR', 'GITLAB_USER_LOGIN', 'BUILDKITE_BUILD_CREATOR_EMAIL', 'CIRCLE_USERNAME', 'BITBUCKET_STEP_TRIGGERER_UUID'];

/**
 * Who confirmed: at a terminal, the person (git user.email); in CI, the actor the CI
 * system names. Falls back to the other one, then to user@host.
 */
function whoConfirms(root: string, env: NodeJS.ProcessEnv, interactive: boolean): string {
  const ciVar = CI_ACTORS.find((v) => env[v]);
  const ci = ciVar ? `${env[ciVar]} (${ciVar})` : undefined;
  const email = gitQuery(root, ['config', 'user.email']).stdout.trim() || undefined;
  const first = interactive ? email ?? ci : ci ?? email;
  if (first) return first;
  let user = env.USER ?? env.USERNAME;
  try { user ??= userInfo().username; } catch { /* no passwd entry */ }
  return `${user ?? 'unknown'}@${hostname()}`;
}
