import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { appendFingerprints, isFingerprint } from '../../filters/ignore-file.js';
import { writeFileAtomic } from '../../report/write.js';
import type { Io } from '../io.js';
import type { Args } from '../options.js';

/**
 * `keyscan ignore <fingerprint>…`: append fingerprints to `.keyscanignore` (or
 * --ignore-path). Idempotent: a fingerprint already there is not added twice, and a run
 * that adds nothing leaves the file untouched. Written atomically.
 */
export async function ignoreCommand(args: Args, io: Io): Promise<number> {
  const fingerprints = ((args.fingerprints as unknown[] | undefined) ?? []).map(String).map((s) => s.trim());
  if (fingerprints.length === 0) throw new UsageError('name at least one fingerprint', 'copy it from the "fingerprint" line of a finding');
  const bad = fingerprints.filter((f) => !isFingerprint(f));
  if (bad.length > 0) {
    throw new UsageError(`not a fingerprint: ${bad.join(', ')}`, 'expected ks1:<rule>:<hash>:<path> (printed with each finding), <file>:<rule>:<line> or <commit>:<file>:<rule>:<line>');
  }
  const shown = (args['ignore-path'] as string | undefined) ?? '.keyscanignore';
  const path = resolve(io.cwd, shown);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`--ignore-path: ${shown} is a directory`, 'name a file');
  if (!existsSync(dirname(path))) throw new UsageError(`--ignore-path: directory does not exist: ${dirname(shown)}`, 'create it or choose another path');
  const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const { text, added } = appendFingerprints(before, fingerprints);
  if (added.length > 0) writeFileAtomic(path, text);
  if (args.quiet !== true) {
    const already = new Set(fingerprints).size - added.length;
    io.stderr(`${added.length === 0 ? 'nothing added' : `added ${added.length} fingerprint${added.length === 1 ? '' : 's'}`} to ${shown}${already > 0 ? ` (${already} already there)` : ''}\n`);
  }
  return 0;
}
