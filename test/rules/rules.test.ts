import { describe, expect, it } from 'vitest';
import { loadDefaultConfig } from '../../src/config/load.js';
import { sampleCases, sampleProblems } from '../../src/config/rule-samples.js';
import { Detector } from '../../src/detect/detector.js';
import { checkSampleCase } from '../../src/detect/rule-test.js';
import { adversarialLines } from './adversarial.js';

/**
 * The one table-driven test over every default rule (issue 2, "Tests"): the rule files
 * themselves, then every sample in every syntax through the real Detector, then
 * adversarial long lines that would expose a regex or window that blows up.
 */
const config = loadDefaultConfig();
// One detector with every rule and the global allowlists, as a real scan has.
const detector = new Detector(config);

function groupCount(re: RegExp): number {
  return (new RegExp(`${re.source}|`, re.flags.replace(/[gyd]/g, '')).exec('')?.length ?? 1) - 1;
}

describe('rule files', () => {
  it('ship at least 45 rules with unique <provider>-<credential-kind> ids', () => {
    expect(config.rules.length).toBeGreaterThanOrEqual(45);
    const ids = config.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)+$/);
  });

  it('cover the credential kinds issue 2 lists', () => {
    const ids = new Set(config.rules.map((r) => r.id));
    for (const id of [
      'aws-access-key-id', 'aws-secret-access-key', 'github-pat', 'github-fine-grained-pat', 'github-oauth-token',
      'github-app-token', 'github-refresh-token', 'gitlab-pat', 'slack-bot-token', 'slack-user-token', 'slack-app-token',
      'slack-webhook-url', 'stripe-secret-key', 'stripe-restricted-key', 'openai-project-key', 'openai-legacy-key',
      'anthropic-api-key', 'google-api-key', 'gcp-service-account-key', 'azure-storage-connection-string',
      'azure-storage-account-key', 'twilio-api-key', 'sendgrid-api-key', 'mailgun-api-key', 'npm-access-token',
      'pypi-upload-token', 'huggingface-access-token', 'shopify-access-token', 'digitalocean-pat', 'databricks-api-token',
      'private-key-rsa', 'private-key-ec', 'private-key-dsa', 'private-key-openssh', 'private-key-pkcs8',
      'private-key-pkcs8-encrypted', 'private-key-pgp', 'jwt-token', 'postgres-connection-password', 'mysql-connection-password',
      'mongodb-connection-password', 'redis-connection-password', 'amqp-connection-password', 'url-basic-auth', 'generic-api-key',
    ]) expect(ids, id).toContain(id);
    expect(config.rules.find((r) => r.id === 'generic-api-key')!.tags).toContain('generic');
  });
});

describe.each(config.rules.map((rule) => [rule.id, rule] as const))('%s', (_id, rule) => {
  it('has valid samples: ≥1 positive and negative, no duplicates, a keyword in every positive', () => {
    expect(sampleProblems(rule)).toEqual([]);
  });

  it('has a secretGroup its regex defines', () => {
    expect(rule.secretGroup).toBeGreaterThanOrEqual(0);
    expect(rule.secretGroup).toBeLessThanOrEqual(groupCount(rule.regex));
  });

  const cases = sampleCases(rule).map((c) => [`${c.kind} #${c.index} in ${c.syntax}`, c] as const);
  it.each(cases)('%s', (_name, c) => {
    expect(checkSampleCase(detector, c)).toBeUndefined();
  });

  // Alone with the global allowlists: the cost exercised is this rule's.
  let alone: Detector | undefined;
  it.each(adversarialLines(rule).map((l) => [l.name, l.text] as const))('finishes on a 100k-character line: %s', (_name, text) => {
    alone ??= new Detector({ ...config, rules: [rule] });
    const findings = alone.detect({ raw: text, filePath: 'long-line.txt', startLine: 1 });
    expect(findings.every((f) => f.startLine === 1 && f.ruleId === rule.id)).toBe(true);
  }, 20_000);
});
