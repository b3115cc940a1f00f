/**
 * In a thread: console output written straight to the process's file
 * descriptors, synchronously, so that it appears in program order even while
 * the main thread is blocked in `join()` (a worker's own stdout would go
 * through the main thread's event loop).
 */

import { writeSync } from 'node:fs';

function writerTo(fd: number): (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean {
  return (chunk, encoding, callback) => {
    if (typeof chunk === 'string') writeSync(fd, chunk);
    else writeSync(fd, chunk as Uint8Array);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  };
}

/** Routes `process.stdout`, `process.stderr` (and so `console`) of this thread to fds 1 and 2. */
export function installSyncStdio(): void {
  (process.stdout as { write: unknown }).write = writerTo(1);
  (process.stderr as { write: unknown }).write = writerTo(2);
}
