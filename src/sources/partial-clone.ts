import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitQuery, lastLine, spawnGit } from './git.js';

/**
 * Partial clones (`git clone --filter=blob:none`, which CI checkouts use to save time)
 * have no file contents until something reads them. git then fetches what one diff
 * needs from the promisor remote, so a history scan cost one request per commit:
 * expressjs/express's 6,400 commits took 9 minutes instead of 1.5 s, from a clone on the
 * same machine. Fetching everything the scan will read in one request first is what a
 * full clone would have done. It writes only objects, as git's own fetches on demand
 * would have.
 */

/** The promisor remote of a partial clone, or undefined for an ordinary repository. */
export function promisorRemote(root: string, commonDir: string): string | undefined {
  let config: string;
  try {
    config = readFileSync(join(commonDir, 'config'), 'utf8');
  } catch {
    return undefined;
  }
  // Nearly every repository: no need to start git to be sure.
  if (!/promisor|partialclone/i.test(config)) return undefined;
  const res = gitQuery(root, ['config', '--get-regexp', '^(extensions\\.partialclone|remote\\..*\\.promisor)$']);
  if (res.status !== 0) return undefined;
  let remote: string | undefined;
  for (const line of res.stdout.split('\n')) {
    const [key = '', value = ''] = line.split(' ', 2);
    if (key.toLowerCase() === 'extensions.partialclone' && value !== '') return value;
    const m = /^remote\.(.+)\.promisor$/i.exec(key);
    if (m && value === 'true') remote ??= m[1];
  }
  return remote;
}

/**
 * Fetch, in one request, every object that the commits selected by `revArgs` (and
 * `paths`) reach and this clone lacks. rev-list lists them without fetching
 * (`--missing=print`); its `?<id>` lines go straight to the fetch git itself uses for
 * missing objects (promisor-remote.c). Returns a note for the report.
 */
export async function fetchMissing(root: string, remote: string, revArgs: string[], paths: string[], onSpawn: (kill: () => void) => void): Promise<string> {
  const list = spawnGit(root, ['rev-list', '--objects', '--missing=print', ...revArgs, '--', ...paths]);
  let fetch: ReturnType<typeof spawnGit> | undefined;
  let fetchErr = '';
  let fetchDone: Promise<number> | undefined;
  let missing = 0;
  let carry = '';
  /** The fetch has exited (done or failed): rev-list's output is then only counted. */
  let fetchExited = false;
  onSpawn(() => {
    list.kill();
    fetch?.kill();
  });
  const startFetch = () => {
    const child = spawnGit(root, [
      '-c', 'fetch.negotiationAlgorithm=noop', 'fetch', remote,
      '--no-tags', '--no-write-fetch-head', '--recurse-submodules=no', '--filter=blob:none', '--stdin',
    ], 'pipe');
    child.stdout.resume();
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      if (fetchErr.length < 16 * 1024) fetchErr += d;
    });
    child.stdin!.on('error', () => {}); // fetch exited early: its status says why
    fetchDone = exitOf(child).then((code) => {
      fetchExited = true;
      // A fetch that failed early must not leave rev-list paused, waiting for a drain.
      list.stdout.resume();
      return code;
    });
    return child;
  };
  list.stdout.setEncoding('utf8');
  list.stdout.on('data', (text: string) => {
    const lines = (carry + text).split('\n');
    carry = lines.pop()!;
    let ids = '';
    for (const line of lines) {
      if (line.charCodeAt(0) !== 63 /* ? */) continue;
      ids += `${line.slice(1)}\n`;
      missing++;
    }
    if (ids === '' || fetchExited) return;
    fetch ??= startFetch();
    // Back-pressure: rev-list waits while the fetch has not read what it was given.
    if (!fetch.stdin!.write(ids)) {
      list.stdout.pause();
      fetch.stdin!.once('drain', () => list.stdout.resume());
    }
  });
  list.stderr.resume();
  const listed = await exitOf(list);
  fetch?.stdin!.end();
  const fetched = fetchDone ? await fetchDone : 0;
  const what = `${missing} object${missing === 1 ? '' : 's'}`;
  const onDemand = `git fetches them from ${remote} as the scan reads them, one request per commit, which can take minutes`;
  if (listed !== 0) return `partial clone: could not list the objects it lacks; ${onDemand}`;
  if (missing === 0) return `partial clone: every object the scan reads is already here`;
  if (fetched !== 0) return `partial clone: fetching the ${what} it lacks in one request failed (${lastLine(fetchErr) || `exit ${fetched}`}); ${onDemand}`;
  return `partial clone: fetched the ${what} it lacked from ${remote} in one request before the scan`;
}

/** A child's exit status; -1 when it could not start or was killed by a signal. */
function exitOf(child: ReturnType<typeof spawnGit>): Promise<number> {
  return new Promise((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('close', (code) => resolve(code ?? -1));
  });
}
