import { describe, expect, it } from 'vitest';
import { loadDefaultConfig } from '../../src/config/load.js';
import { isKeywordAnchored } from '../../src/detect/anchor.js';
import { Detector } from '../../src/detect/detector.js';
import { SeededRandom } from '../helpers/random.js';
import { expectAgreementOnSamples } from '../helpers/agree.js';

describe('isKeywordAnchored', () => {
  const yes: [RegExp, string[]][] = [
    [/\b(ghp_[A-Za-z0-9]{36})\b/, ['ghp_']],
    [/(?:api[_.-]?key|secret)[\w.-]{0,20}=(\w+)/i, ['apikey', 'api_key', 'api.key', 'api-key', 'secret']],
    [/(?:[dD][eE][eE][pP])[\w.-]{0,24}=/, ['deep']],
    [/(?<![A-Za-z])(?:sk|rk)_live_[0-9a-z]{24}/, ['sk_live_', 'rk_live_']],
    [/\b((?:A3T[A-Z0-9]|AKIA|ASIA)[A-Z2-7]{16})\b/, ['a3t', 'akia', 'asia']],
    [/xox[bp]-\d+/, ['xoxb-', 'xoxp-']],
  ];
  const no: [RegExp, string[]][] = [
    // The match may start before the keyword.
    [/[a-z]+_key=(\w+)/, ['_key']],
    [/(?:^|\s)token=(\w+)/, ['token']],
    [/\b([A-Za-z0-9]{14}\.atlasv1\.\w+)/, ['atlasv1']],
    // A keyword longer than what every match must start with.
    [/api[_.-]?key/, ['api_key']],
    [/(?:secret|pwd)=/, ['secret']],
    // Optional first part: the match may start at the second.
    [/(?:aws_)?secret/, ['aws_secret']],
    [/.token/, ['token']],
    [/\btoken/, []],
  ];
  for (const [re, kws] of yes) it(`anchored: ${re.source}`, () => expect(isKeywordAnchored(re, kws)).toBe(true));
  for (const [re, kws] of no) it(`not anchored: ${re.source}`, () => expect(isKeywordAnchored(re, kws)).toBe(false));

  it('anchors most default rules, the generic one among them', () => {
    const config = loadDefaultConfig();
    const anchored = config.rules.filter((r) => isKeywordAnchored(r.regex, r.keywords));
    expect(anchored.map((r) => r.id)).toContain('generic-api-key');
    expect(anchored.length).toBeGreaterThan(config.rules.length / 2);
  });
});

/**
 * A regex tried at its keyword hits must find exactly what it finds scanning the windows
 * around them: compared on every rule sample, in several layouts, and on long lines.
 */
describe('anchored rules find what windowed rules find', () => {
  const config = loadDefaultConfig();
  const anchored = new Detector(config, { smallText: 0 });
  const windowed = new Detector(config, { smallText: 0, anchors: false });
  const rng = new SeededRandom('anchors');

  it('on every rule sample, wrapped in several syntaxes, repeated on one long line', () => {
    const compared = expectAgreementOnSamples(config, anchored, windowed, rng, (name, sample) => [
      `# config\n${name.toUpperCase()} = "${sample}"\n${name}: ${sample}\n`,
      `{"${name}": "${sample}", "other": "${sample}"}\n`,
      `${'x=1;'.repeat(700)}${name}='${sample}';${'y=2;'.repeat(700)}${name}="${sample}"\n`,
    ].join(''));
    expect(compared).toBeGreaterThan(config.rules.length);
  });
});
