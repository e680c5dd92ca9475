import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/report/write.js';
import { cleanupAfterEach, tempDir } from '../helpers/repo.js';

const { track } = cleanupAfterEach();
const posix = process.platform !== 'win32';

describe('writeFileAtomic', () => {
  it('replaces a regular file and leaves no temp file behind', () => {
    const { dir } = track(tempDir());
    const target = join(dir, 'report.json');
    writeFileAtomic(target, 'old');
    writeFileAtomic(target, 'new');
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it.runIf(posix)('writes to /dev/null without replacing the device', () => {
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    writeFileAtomic('/dev/null', 'discarded');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it.runIf(posix)('writes into a named pipe instead of renaming over it', async () => {
    const { dir } = track(tempDir());
    const fifo = join(dir, 'report.fifo');
    execFileSync('mkfifo', [fifo]);
    const chunks: Buffer[] = [];
    const reading = new Promise<void>((resolve, reject) => {
      createReadStream(fifo).on('data', (c) => chunks.push(c as Buffer)).on('end', resolve).on('error', reject);
    });
    // Opening a FIFO for writing blocks until a reader has it open: let the stream open first.
    await new Promise((r) => setTimeout(r, 50));
    writeFileAtomic(fifo, 'through the pipe');
    await reading;
    expect(Buffer.concat(chunks).toString('utf8')).toBe('through the pipe');
    expect(statSync(fifo).isFIFO()).toBe(true);
  });
});
