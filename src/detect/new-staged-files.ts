import type { Finding } from './finding.js';
import type { NewStagedFile } from '../sources/staged.js';

/**
 * Hook point for the credential-file check (issue 3 × hygiene): a commit that adds a
 * `.env`, a private key or a keystore must be blocked by name even when no rule matches
 * its content. `keyscan protect` calls this with every file the commit creates (path,
 * and its staged text when it is text and within the size limit) and blocks on any
 * finding returned.
 *
 * Wire `credentialFileKind(path, content)` from `src/hygiene/credential-files.ts` in
 * here at merge; until then no file is blocked by name alone.
 */
export function newStagedFileFindings(_files: readonly NewStagedFile[]): Finding[] {
  return [];
}
