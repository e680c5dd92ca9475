import { describe, expect, it } from 'vitest';
import { loadDefaultConfig } from '../../src/config/load.js';
import { Detector } from '../../src/detect/detector.js';
import { SeededRandom, expandTemplate } from '../../src/config/rule-samples.js';

/** Multi-line secrets: a PEM block is one finding, reported at its BEGIN line (issue 2, section 4). */
describe('private key blocks', () => {
  const detector = new Detector(loadDefaultConfig());
  const block = (label: string, seed: string) =>
    expandTemplate(`-----BEGIN ${label}-----\n{base64:64}\n{base64:64}\n{base64:64}\n{base64:20}==\n-----END ${label}-----`, new SeededRandom(seed));

  it.each([
    ['RSA PRIVATE KEY', 'private-key-rsa'],
    ['OPENSSH PRIVATE KEY', 'private-key-openssh'],
    ['PRIVATE KEY', 'private-key-pkcs8'],
    ['ENCRYPTED PRIVATE KEY', 'private-key-pkcs8-encrypted'],
  ])('%s is one finding of %s at the BEGIN line', (label, ruleId) => {
    const key = block(label, ruleId);
    const raw = `# deploy key\n\nconst key = \`\n${key}\n\`;\n`;
    const findings = detector.detect({ raw, filePath: 'src/deploy.ts', startLine: 1 });
    expect(findings.map((f) => [f.ruleId, f.startLine, f.endLine])).toEqual([[ruleId, 4, 9]]);
    expect(findings[0]!.secret).toBe(key);
  });

  it('keeps the line numbers of a fragment that starts mid-file', () => {
    const key = block('EC PRIVATE KEY', 'mid');
    const findings = detector.detect({ raw: `x\n${key}\n`, filePath: 'k.pem', startLine: 101 });
    expect(findings.map((f) => [f.ruleId, f.startLine])).toEqual([['private-key-ec', 102]]);
  });

  it('does not report public keys or certificates', () => {
    const pub = block('PUBLIC KEY', 'pub');
    const cert = block('CERTIFICATE', 'cert');
    expect(detector.detect({ raw: `${pub}\n${cert}\n`, filePath: 'certs/chain.pem', startLine: 1 })).toEqual([]);
  });
});
