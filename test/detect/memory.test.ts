import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { loadDefaultConfig } from '../../src/config/load.js';
import { Detector } from '../../src/detect/detector.js';

// A full garbage collection on demand, to see what stays alive.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function liveHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('Detector memory', () => {
  it('keeps nothing of a scanned text alive once the scan of it is done', () => {
    const detector = new Detector(loadDefaultConfig());
    const before = liveHeap();
    // 2,000 distinct candidates of the generic rule, judged (and remembered) by the
    // randomness check, each followed by 10 KB of prose without a keyword: 20 MB of text.
    const filler = `// ${'lorem ipsum dolor sit amet '.repeat(370)}\n`;
    const lines: string[] = [];
    for (let i = 0; i < 2000; i++) lines.push(`const password = process.env.REQUEST_VIEW_${i};\n`, filler);
    let text: string | undefined = lines.join('');
    expect(text.length).toBeGreaterThan(20_000_000);
    const findings = detector.detect({ raw: text, filePath: `src/app.js`, startLine: 1 });
    expect(findings).toEqual([]);
    text = undefined;
    lines.length = 0;
    // The remembered verdicts stay (a few hundred KB); the 20 MB text they were cut from must not.
    const grown = liveHeap() - before;
    expect(grown).toBeLessThan(4_000_000);
    // The memo still answers: the same candidates again are judged without rescanning them.
    expect(detector.detect({ raw: 'const password = process.env.REQUEST_VIEW_7;\n', filePath: 'b.js', startLine: 1 })).toEqual([]);
  });
});
