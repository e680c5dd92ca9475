import { describe, expect, it } from 'vitest';
import { loadDefaultConfig } from '../../src/config/load.js';
import { Detector } from '../../src/detect/detector.js';
import { SeededRandom } from '../helpers/random.js';
import { expectAgreementOnSamples } from '../helpers/agree.js';

/**
 * Small texts find keywords with one regex of keyword starts, large ones with the automaton: the findings
 * must be the same either way, whatever the text.
 */
describe('keyword search: the small-text path and the automaton path agree', () => {
  const config = loadDefaultConfig();
  const viaSmallText = new Detector(config, { smallText: Number.POSITIVE_INFINITY });
  const viaAutomaton = new Detector(config, { smallText: 0 });
  const rng = new SeededRandom('keyword-search');

  it('on every rule sample, wrapped in prose and with mixed case', () => {
    const compared = expectAgreementOnSamples(config, viaSmallText, viaAutomaton, rng, (name, sample) =>
      `# config\n${name.toUpperCase()} = "${sample}"\nnote: Basic ${Buffer.from(`u:${sample}`).toString('base64')}\n${name}: ${sample} %41\n`);
    expect(compared).toBeGreaterThan(config.rules.length / 2);
  });

  it('on every rule sample in a long text, searched as a string and as bytes', () => {
    const viaBytes = new Detector(config, { smallText: 0 });
    // Long enough for the six-stream byte search, the sample in the middle of it.
    const prose = Array.from({ length: 120 }, (_, i) => `// step ${i}: the cache is warmed before the request is sent`).join('\n');
    let withBytes = 0;
    const compared = expectAgreementOnSamples(config, viaAutomaton, viaBytes, rng, (name, sample) => {
      const text = `${prose}\n${name} = "${sample}"\nnote: Basic ${Buffer.from(`u:${sample}`).toString('base64')}\n${prose}\n`;
      if (Buffer.byteLength(text) === text.length) withBytes++;
      return text;
    }, { bytesForB: true });
    expect(compared).toBeGreaterThan(config.rules.length / 2);
    expect(withBytes).toBeGreaterThan(config.rules.length);
  });
});
