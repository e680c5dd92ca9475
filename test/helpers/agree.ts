import { expect } from 'vitest';
import type { Config } from '../../src/config/rule.js';
import type { Detector } from '../../src/detect/detector.js';
import { expandTemplate, type SeededRandom } from './random.js';

/**
 * Two detectors that must agree (two search paths over the same rules): every positive
 * sample of every rule, laid out by `layout(name, sample)`, must give both the same
 * findings. Returns how many findings were compared, so a test can check it saw some.
 */
export function expectAgreementOnSamples(
  config: Config, a: Detector, b: Detector, rng: SeededRandom, layout: (name: string, sample: string) => string,
  options: { bytesForB?: boolean } = {},
): number {
  let compared = 0;
  for (const rule of config.rules) {
    for (const template of rule.samples?.positives ?? []) {
      const sample = expandTemplate(template, rng).replace(/[«»]/g, '');
      const text = layout(rule.samples?.name ?? 'value', sample);
      const fromA = a.detect({ raw: text, filePath: 'app/config.txt', startLine: 1 });
      // `bytesForB`: B also gets the text's bytes, as the file source passes them for ASCII text.
      const bytes = options.bytesForB ? Buffer.from(text, 'utf8') : undefined;
      const fromB = b.detect({ raw: text, filePath: 'app/config.txt', startLine: 1, ...(bytes && bytes.length === text.length ? { bytes } : {}) });
      expect(fromA).toEqual(fromB);
      compared += fromA.length;
    }
  }
  return compared;
}
