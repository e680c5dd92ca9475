import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Write a file atomically: a temp file next to the target, then rename. A crash or an
 * interrupt leaves either the old file or the new one, never half of one.
 */
export function writeFileAtomic(path: string, content: string | Buffer): void {
  // A device or a pipe (`--report-path /dev/null`, `/dev/stdout`, a FIFO) is written to,
  // never renamed over: the rename replaced /dev/null itself with a regular file.
  if (isSpecialFile(path)) {
    writeFileSync(path, content);
    return;
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    writeSync(fd, typeof content === "string" ? Buffer.from(content, "utf8") : content);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
}

function isSpecialFile(path: string): boolean {
  try {
    const st = statSync(path);
    return !st.isFile() && !st.isDirectory();
  } catch {
    return false;
  }
}
