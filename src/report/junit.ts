import type { Finding } from '../detect/finding.js';
import { toGitleaksRecord } from './json.js';
import type { Reporter } from './reporter.js';

/**
 * JUnit XML as gitleaks writes it (report/junit.go): one suite, one failed test case per
 * finding, the finding's JSON record as the failure's text. Escaped as Go's encoding/xml
 * escapes, so the text survives any XML parser unchanged.
 */
export const junitReport: Reporter = ({ findings }) => {
  const n = String(findings.length);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>'];
  const suite = `\t<testsuite failures="${n}" name="keyscan" tests="${n}" time="">`;
  if (findings.length === 0) {
    out.push(`${suite}</testsuite>`);
  } else {
    out.push(suite);
    for (const f of findings) {
      const message = escapeXml(describe(f));
      const type = escapeXml(f.description);
      out.push(`\t\t<testcase classname="${type}" file="${escapeXml(f.file)}" name="${message}" time="">`);
      out.push(`\t\t\t<failure message="${message}" type="${type}">${escapeXml(JSON.stringify(toGitleaksRecord(f), null, '\t'))}</failure>`);
      out.push('\t\t</testcase>');
    }
    out.push('\t</testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
};

function describe(f: Finding): string {
  return f.commit
    ? `${f.ruleId} has detected a secret in file ${f.file}, line ${f.startLine}, at commit ${f.commit}.`
    : `${f.ruleId} has detected a secret in file ${f.file}, line ${f.startLine}.`;
}

const ENTITIES: Record<string, string> = {
  '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;', '\t': '&#x9;', '\n': '&#xA;', '\r': '&#xD;',
};

/**
 * Text and attribute escaping as Go's xml.EscapeText: markup characters and whitespace
 * that an attribute would otherwise normalise become character references; characters
 * XML 1.0 forbids (other control characters, lone surrogates) become U+FFFD.
 */
export function escapeXml(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/["'&<>\t\n\r]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => ENTITIES[c] ?? '\ufffd');
}
