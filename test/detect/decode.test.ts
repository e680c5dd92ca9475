import { describe, expect, it } from 'vitest';
import { loadDefaultConfig } from '../../src/config/load.js';
import { Detector } from '../../src/detect/detector.js';
import { decodeBase64Text, decodedRuns, DECODE_TRIGGERS } from '../../src/detect/decode.js';
import { SeededRandom } from '../helpers/random.js';
import { fakeGithubToken } from '../helpers/secrets.js';

const detector = new Detector({ ...loadDefaultConfig(), allowlists: [] });
const detect = (raw: string) => detector.detect({ raw, filePath: 'k8s/secret.yaml', startLine: 1 }).filter((f) => f.ruleId === 'github-pat');
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('decoding one level deep', () => {
  it('finds a base64-encoded token in a Kubernetes Secret, at the encoded value', () => {
    const token = fakeGithubToken('k8s');
    const yaml = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci\ndata:\n  token: ${b64(token)}\n`;
    const [f, ...rest] = detect(yaml);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ secret: token, startLine: 6, startColumn: 10, decoded: 'base64' });
  });

  it('finds a token inside an Authorization: Basic header', () => {
    const token = fakeGithubToken('basic');
    const found = detect(`curl -H "Authorization: Basic ${b64(`x-access-token:${token}`)}" https://api.example.com\n`);
    expect(found.map((f) => [f.secret, f.decoded])).toEqual([[token, 'base64']]);
  });

  it('finds percent-encoded and escaped tokens', () => {
    const token = fakeGithubToken('pct');
    const pct = `https://example.com/hook?t=${encodeURIComponent(token).replace('_', '%5F')}\n`;
    expect(detect(pct).map((f) => f.decoded)).toEqual(['percent']);
    const escaped = `const t = "${[...token].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')}";\n`;
    expect(detect(escaped).map((f) => [f.secret, f.decoded])).toEqual([[token, 'escape']]);
  });

  it('does not report a secret twice when it is also in plain text', () => {
    const token = fakeGithubToken('twice');
    const found = detect(`kind: Secret\nstringData:\n  token: ${token}\ndata:\n  token: ${b64(token)}\n`);
    expect(found).toHaveLength(1);
    expect(found[0]!.decoded).toBeUndefined();
  });

  it('leaves binary and ordinary words alone', () => {
    const binary = Buffer.from(Array.from({ length: 48 }, (_, i) => (i * 37) % 256)).toString('base64');
    const manifest = `kind: Secret\ndata:\n  blob: ${binary}\n  name: AbstractSingletonProxyFactoryBean\n  user: ${b64('deploy-bot')}\n`;
    const trigger = DECODE_TRIGGERS.findIndex((t) => t.needle === 'kind: secret');
    // Only the real text value is decoded; the binary blob and the identifier are not.
    expect(decodedRuns(manifest, [{ trigger, at: 0 }]).map((r) => r.text)).toEqual(['deploy-bot']);
  });

  it('decodes base64 runs as Buffer.from(run, "base64").toString("utf8") does, keeping printable text only', () => {
    // The reference: what the decoder did before it was written out.
    const reference = (run: string): string | undefined => {
      const text = Buffer.from(run, 'base64').toString('utf8');
      // eslint-disable-next-line no-control-regex
      return /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]/.test(text) ? undefined : text;
    };
    const rng = new SeededRandom('base64-decoder');
    const texts = ['deploy-bot', 'x-access-token:abc', 'ünïcödé – text ✓', 'line one\nline two\ttab\r\n', 'a'];
    const runs: string[] = [];
    for (const t of texts) {
      const std = Buffer.from(t, 'utf8').toString('base64');
      runs.push(std, std.replace(/=+$/, ''), Buffer.from(t, 'utf8').toString('base64url'));
    }
    // Random bytes (mostly binary), random printable ASCII and UTF-8, and runs cut at every length mod 4.
    for (let i = 0; i < 3000; i++) {
      const kind = i % 3;
      const len = 1 + rng.int(90);
      const bytes = Buffer.from(Array.from({ length: len }, () => (kind === 0 ? rng.int(256) : kind === 1 ? 32 + rng.int(95) : 0x80 + rng.int(64))));
      if (kind === 2) for (let k = 0; k < len; k += 2) bytes[k] = 0xc2 + rng.int(30); // lead bytes, mostly valid pairs
      const run = rng.int(2) === 0 ? bytes.toString('base64') : bytes.toString('base64url');
      runs.push(run, run.slice(0, Math.max(1, run.length - rng.int(4))));
    }
    let printable = 0;
    for (const run of runs) {
      const expected = reference(run);
      if (expected !== undefined) printable++;
      expect(decodeBase64Text(run), run).toBe(expected);
    }
    // Both verdicts were exercised.
    expect(printable).toBeGreaterThan(1000);
    expect(runs.length - printable).toBeGreaterThan(1000);
  });

  it('decodes base64 on the line of the trigger, within 1 KB before it and 4 KB after it', () => {
    const trigger = DECODE_TRIGGERS.findIndex((t) => t.needle === 'base64');
    const value = b64('deploy-bot:hunter2hunter2');
    const runsFor = (text: string) => decodedRuns(text, [{ trigger, at: text.indexOf('base64') }]).map((r) => r.text);
    const pad = (n: number) => ' '.repeat(n);
    // On one long line: a value ending 900 characters before the trigger, and one starting 4,000 after it.
    expect(runsFor(`x=${value}${pad(900)}base64${pad(4000 - 6)}${value}\n`)).toEqual(['deploy-bot:hunter2hunter2', 'deploy-bot:hunter2hunter2']);
    // Further away on the same line: out of reach.
    expect(runsFor(`x=${value}${pad(1100)}base64${pad(4200)}${value}\n`)).toEqual([]);
    // Close by, but on the lines before and after: not the trigger's line.
    expect(runsFor(`x=${value}\nbase64\n${value}\n`)).toEqual([]);
    expect(runsFor(`base64: ${value}\n`)).toEqual(['deploy-bot:hunter2hunter2']);
  });
});

