import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIT_FILE, appendAudit, type AuditRecord } from '../../src/rotate/audit-log.js';
import { tempDir } from '../helpers/repo.js';

const BUILT = fileURLToPath(new URL('../../dist/rotate/audit-log.js', import.meta.url));

function record(i: number, pad = 0): AuditRecord {
  return {
    time: new Date(0).toISOString(), fingerprint: `sha256:${'0'.repeat(64)}`, ruleId: 'github-pat',
    location: { repository: 'r', commit: 'c', file: `f${'x'.repeat(pad)}`, line: i }, triggeredBy: 't',
    idempotencyKey: 'k', attempt: 1, httpStatus: 200, incidentId: `inc-${i}`, outcome: 'rotated',
  };
}

describe('rotation audit log', () => {
  const t = tempDir();
  afterAll(t.cleanup);

  it('appends one JSON line per record, owner-only', () => {
    const dir = join(t.dir, 'single');
    appendAudit(dir, record(1));
    appendAudit(dir, record(2));
    const lines = readFileSync(join(dir, AUDIT_FILE), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as AuditRecord);
    expect(lines.map((l) => l.incidentId)).toEqual(['inc-1', 'inc-2']);
    expect(statSync(join(dir, AUDIT_FILE)).mode & 0o077).toBe(0);
  });

  it('never interleaves lines when several processes append at once', async () => {
    const dir = join(t.dir, 'concurrent');
    const writers = 4;
    const each = 150;
    // Long lines (several KB) make any interleaving visible as broken JSON.
    const script = `import { appendAudit } from ${JSON.stringify(BUILT)};
      const w = Number(process.argv[1]);
      for (let i = 0; i < ${each}; i++) appendAudit(${JSON.stringify(dir)}, { time: 't', fingerprint: 'sha256:x', ruleId: 'r', location: { repository: 'r', commit: 'c', file: 'p'.repeat(4000 + w), line: i }, triggeredBy: String(w), idempotencyKey: 'k', attempt: 1, httpStatus: 200, incidentId: null, outcome: 'rotated' });`;
    await Promise.all(Array.from({ length: writers }, (_, w) => new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script, String(w)], { stdio: 'inherit' });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`writer ${w} exited ${code}`))));
    })));
    const lines = readFileSync(join(dir, AUDIT_FILE), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(writers * each);
    const perWriter = new Map<string, number>();
    for (const line of lines) {
      const r = JSON.parse(line) as AuditRecord;
      expect(r.location.file).toHaveLength(4000 + Number(r.triggeredBy));
      perWriter.set(r.triggeredBy, (perWriter.get(r.triggeredBy) ?? 0) + 1);
    }
    expect([...perWriter.values()]).toEqual(Array(writers).fill(each));
  });
});
