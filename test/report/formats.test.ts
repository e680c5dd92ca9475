import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Validator } from '@cfworker/json-schema';
import { describe, expect, it } from 'vitest';
import { csvReport } from '../../src/report/csv.js';
import { jsonReport, toGitleaksRecord } from '../../src/report/json.js';
import { junitReport } from '../../src/report/junit.js';
import { sarifReport, toUri } from '../../src/report/sarif.js';
import { emptyInput, SAMPLE_FINDINGS, sampleInput } from './sample-input.js';

/** The OASIS SARIF 2.1.0 schema (errata 01), a data file kept under fixtures/. */
const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/sarif/sarif-schema-2.1.0.json', import.meta.url)), 'utf8')) as Record<string, unknown>;
const sarifValidator = new Validator(schema, '4', false);

/** Schema errors, most specific first ([] when valid). */
function validSarif(text: string): string[] {
  const res = sarifValidator.validate(JSON.parse(text));
  if (res.valid) return [];
  const errors = res.errors.map((e) => `${e.instanceLocation}: ${e.error}`);
  return errors.length > 0 ? errors.reverse() : ['invalid'];
}

/** RFC 4180 reader, small and strict: enough to prove the writer's quoting round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"' && field === '') { quoted = true; i++; continue; }
    if (c === ',') { row.push(field); field = ''; i++; continue; }
    if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; continue; }
    expect(c).not.toBe('"');
    field += c; i++;
  }
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}

function unescapeXml(s: string): string {
  return s.replace(/&#x([0-9A-F]+);|&#(\d+);|&(lt|gt|amp|quot|apos);/gi, (_m, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (hex) return String.fromCodePoint(parseInt(hex, 16));
    if (dec) return String.fromCodePoint(Number(dec));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[name!.toLowerCase()]!;
  });
}

describe('sarif', () => {
  it('is valid against the SARIF 2.1.0 schema, with findings and without', () => {
    expect(validSarif(sarifReport(sampleInput()))).toEqual([]);
    expect(validSarif(sarifReport(emptyInput()))).toEqual([]);
  });

  it('the schema check is real: it rejects a log GitHub would reject', () => {
    const bad = JSON.parse(sarifReport(sampleInput())) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    bad.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri = 'dir with space/a b.env';
    expect(sarifValidator.validate(bad).valid).toBe(false);
    expect(sarifValidator.validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }).valid).toBe(false);
  });

  it('has what GitHub code scanning reads: rules, relative locations, fingerprints, run metadata', () => {
    const log = JSON.parse(sarifReport(sampleInput()));
    const run = log.runs[0];
    expect(run.tool.driver).toMatchObject({ name: 'keyscan', version: '0.1.0', informationUri: expect.stringMatching(/^https:/) });
    const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text).not.toBe('');
      expect(rule.help.text).not.toBe('');
      expect(rule.properties.tags).toContain('security');
    }
    expect(run.results).toHaveLength(SAMPLE_FINDINGS.length);
    for (const [i, r] of run.results.entries()) {
      const f = SAMPLE_FINDINGS[i]!;
      expect(ruleIds[r.ruleIndex]).toBe(r.ruleId);
      const loc = r.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).toBe(toUri(f.file));
      expect(loc.artifactLocation.uri).not.toMatch(/^\/|^file:/);
      expect(loc.region).toMatchObject({ startLine: f.startLine, startColumn: f.startColumn, endLine: f.endLine, endColumn: f.endColumn + 1 });
      expect(r.partialFingerprints['keyscan/stable/v1']).toBe(f.stableFingerprint);
      if (f.commit) expect(r.partialFingerprints['keyscan/commit/v1']).toBe(`${f.commit}:${f.stableFingerprint}`);
      else expect(r.partialFingerprints['keyscan/commit/v1']).toBeUndefined();
    }
    expect(run.properties).toMatchObject({ configSources: ['(keyscan default rules)', '.keyscan.toml'], disabledRules: ['generic-api-key'], partial: true });
  });

  it('percent-encodes each path segment', () => {
    expect(toUri('a b/c#d?e%f.txt')).toBe('a%20b/c%23d%3Fe%25f.txt');
    expect(toUri('src/ok.ts')).toBe('src/ok.ts');
  });
});

describe('csv', () => {
  it('has gitleaks\' columns and round-trips every field through an RFC 4180 reader', () => {
    const rows = parseCsv(csvReport(sampleInput()));
    expect(rows[0]).toEqual(['RuleID', 'Commit', 'File', 'SymlinkFile', 'Secret', 'Match', 'StartLine', 'EndLine', 'StartColumn', 'EndColumn', 'Author', 'Message', 'Date', 'Email', 'Fingerprint', 'Tags']);
    expect(rows).toHaveLength(SAMPLE_FINDINGS.length + 1);
    for (const [i, f] of SAMPLE_FINDINGS.entries()) {
      expect(rows[i + 1]).toEqual([f.ruleId, f.commit, f.file, f.symlinkFile, f.secret, f.match, String(f.startLine), String(f.endLine), String(f.startColumn), String(f.endColumn), f.author, f.message, f.date, f.email, f.fingerprint, f.tags.join(' ')]);
    }
  });

  it('writes just the header when nothing was found', () => {
    expect(parseCsv(csvReport(emptyInput()))).toHaveLength(1);
  });
});

describe('junit', () => {
  it('one failing test case per finding, with the gitleaks JSON record as its text', () => {
    const xml = junitReport(sampleInput());
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites>\n\t<testsuite failures="3" name="keyscan" tests="3" time="">/);
    const failures = [...xml.matchAll(/<failure message="([^"]*)" type="([^"]*)">([^<]*)<\/failure>/g)];
    expect(failures).toHaveLength(SAMPLE_FINDINGS.length);
    for (const [i, m] of failures.entries()) {
      const f = SAMPLE_FINDINGS[i]!;
      expect(unescapeXml(m[2]!)).toBe(f.description);
      expect(JSON.parse(unescapeXml(m[3]!))).toEqual(JSON.parse(JSON.stringify(toGitleaksRecord(f))));
      expect(unescapeXml(m[1]!)).toContain(`in file ${f.file}, line ${f.startLine}`);
    }
    // Nothing unescaped can break out of an attribute or element.
    const attrs = [...xml.matchAll(/="([^"]*)"/g)].map((m) => m[1]!);
    for (const a of attrs) expect(a).not.toMatch(/[<>&](?!#|lt;|gt;|amp;)/);
  });

  it('an empty suite when nothing was found', () => {
    expect(junitReport(emptyInput())).toContain('<testsuite failures="0" name="keyscan" tests="0" time=""></testsuite>');
  });
});

describe('json', () => {
  it('gitleaks\' field names in gitleaks\' order', () => {
    const [first] = JSON.parse(jsonReport(sampleInput())) as Record<string, unknown>[];
    expect(Object.keys(first!).slice(0, 18)).toEqual([
      'RuleID', 'Description', 'StartLine', 'EndLine', 'StartColumn', 'EndColumn', 'Match', 'Secret', 'File',
      'SymlinkFile', 'Commit', 'Entropy', 'Author', 'Email', 'Date', 'Message', 'Tags', 'Fingerprint',
    ]);
    expect(JSON.parse(jsonReport(emptyInput()))).toEqual([]);
  });
});
