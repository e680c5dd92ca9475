import { describe, expect, it } from 'vitest';
import { loadDefaultConfig } from '../../src/config/load.js';
import { Detector } from '../../src/detect/detector.js';
import { SeededRandom, expandTemplate } from '../helpers/random.js';

/**
 * Small texts find keywords with one regex of keyword starts, large ones with the automaton: the findings
 * must be the same either way, whatever the text.
 */
describe('keyword search: the small-text path and the automaton path agree', () => {
  const config = loadDefaultConfig();
  const viaIndexOf = new Detector(config, { smallText: Number.POSITIVE_INFINITY });
  const viaAutomaton = new Detector(config, { smallText: 0 });
  const rng = new SeededRandom('keyword-search');

  it('on every rule sample, wrapped in prose and with mixed case', () => {
    let compared = 0;
    for (const rule of config.rules) {
      for (const template of rule.samples?.positives ?? []) {
        const sample = expandTemplate(template, rng).replace(/[«»]/g, '');
        const name = rule.samples?.name ?? 'value';
        const text = `# config\n${name.toUpperCase()} = "${sample}"\nnote: Basic ${Buffer.from(`u:${sample}`).toString('base64')}\n${name}: ${sample} %41\n`;
        const a = viaIndexOf.detect({ raw: text, filePath: 'app/config.txt', startLine: 1 });
        const b = viaAutomaton.detect({ raw: text, filePath: 'app/config.txt', startLine: 1 });
        expect(a).toEqual(b);
        compared += a.length;
      }
    }
    expect(compared).toBeGreaterThan(config.rules.length / 2);
  });
});
