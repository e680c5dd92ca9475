import type { Fragment } from '../../src/sources/fragment.js';
import type { Source } from '../../src/sources/source.js';

/** A source over in-memory fragments: pure stages are tested without touching the disk. */
export function memorySource(fragments: Fragment[]): Source {
  return {
    async *fragments(stats) {
      for (const f of fragments) {
        stats.files++;
        stats.bytes += f.raw.length;
        yield f;
      }
    },
  };
}

/** A fragment of a whole file (line 1 on). */
export function fileFragment(filePath: string, raw: string, extra: Partial<Fragment> = {}): Fragment {
  return { raw, filePath, startLine: 1, ...extra };
}
