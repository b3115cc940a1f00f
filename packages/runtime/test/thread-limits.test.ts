// Builder.stackSize and Builder.heapLimit: a thread with limits of its own runs on a worker started with
// them (Node's resourceLimits), not on a pooled worker, and the pool goes on beside it.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Builder, PanicError, ThreadExitError, move, spawn } from '../src/index.js';
import { panicCauseOf } from './fixtures/thread/panic-cause.js';

const MIB = 1024 * 1024;
const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'thread');
/** The ThreadExitError's message for a worker past its heap limit. */
const OUT_OF_MEMORY = /^ThreadExitError: the thread's worker ran out of memory under its heap limit \(Builder\.heapLimit\).*raise the limit$/;
/** Deep enough to overflow a 512 KiB stack (and Node's default 4 MiB), shallow enough for 64 MiB. */
const DEPTH = 200_000;

/** What join() gave: the value, or the name of the panic's cause. */
function outcome(join: () => unknown): unknown {
  try {
    return join();
  } catch (error) {
    return error instanceof PanicError ? (error.cause as Error).name : error;
  }
}

describe('Builder limits', { timeout: 120_000 }, () => {
  it('a deep recursion overflows a small stack and not a big one', () => {
    const recurse = (depth: number): number => {
      const down = (k: number): number => (k === 0 ? 0 : 1 + down(k - 1));
      return down(depth);
    };
    expect(outcome(() => spawn(move(DEPTH), recurse).join())).toBe('RangeError');
    expect(outcome(() => new Builder().stackSize(512 * 1024).spawn(move(DEPTH), recurse).join())).toBe('RangeError');
    expect(outcome(() => new Builder().stackSize(64 * MIB).spawn(move(DEPTH), recurse).join())).toBe(DEPTH);
    expect(outcome(() => new Builder().name('deep').stackSize(64 * MIB).spawn(move(DEPTH), recurse).join())).toBe(DEPTH);
  });

  it('a thread past its heap limit ends with ThreadExitError, and the threads after it run', () => {
    const hog = new Builder().heapLimit(32 * MIB).spawn(() => {
      const kept: number[][] = [];
      for (;;) kept.push(new Array<number>(100_000).fill(1.5));
    });
    const cause = panicCauseOf(() => hog.join());
    expect(cause).toBeInstanceOf(ThreadExitError);
    expect(`ThreadExitError: ${(cause as Error).message}`).toMatch(OUT_OF_MEMORY);
    expect(spawn(() => 2).join()).toBe(2);
    expect(new Builder().heapLimit(32 * MIB).spawn(move(3), (n) => n * 2).join()).toBe(6);
  });

  it('join() of a thread whose heap limit is too small for its worker to start throws, from the main thread and a spawned one', () => {
    // In a child process: a join() that never returns would block this test's thread past any timeout.
    const { stdout, stderr, status } = spawnSync(process.execPath, [join(fixtures, 'heap-too-small.mjs')], {
      cwd: fixtures,
      encoding: 'utf8',
      timeout: 100_000,
    });
    expect({ stderr, status }).toEqual({ stderr: '', status: 0 });
    const lines = stdout.trimEnd().split('\n');
    const died = ['main 1 MiB', 'main 2 MiB', 'main 4 MiB', 'thread 1 MiB', 'thread 4 MiB'];
    for (const label of died) expect(lines.find((line) => line.startsWith(`${label}: `))?.slice(label.length + 2)).toMatch(OUT_OF_MEMORY);
    expect(lines.filter((line) => !died.some((label) => line.startsWith(`${label}: `)))).toEqual([
      'main innocent: 2',
      'main limited: 3',
      'thread innocent: 4',
      'thread limited: 5',
    ]);
  });

  it('joinAsync() of a thread whose worker never started settles with the same error', async () => {
    const error: unknown = await new Builder()
      .heapLimit(MIB)
      .spawn(() => 1)
      .joinAsync()
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(PanicError);
    const cause = (error as PanicError).cause;
    expect(cause).toBeInstanceOf(ThreadExitError);
    expect(`ThreadExitError: ${(cause as Error).message}`).toMatch(OUT_OF_MEMORY);
  });

  it('runs each thread with limits on a worker of its own, never a pooled one', () => {
    const pooled = new Set(Array.from({ length: 4 }, () => spawn(() => threadId).join()));
    const own = Array.from({ length: 3 }, () => new Builder().stackSize(8 * MIB).spawn(() => threadId).join());
    expect(new Set(own).size).toBe(3);
    for (const threadId of own) expect(pooled.has(threadId)).toBe(false);
    // The pooled workers are still there, and serve the next spawn.
    expect(pooled.has(spawn(() => threadId).join())).toBe(true);
  });

  it('refuses a size that is not a positive integer', () => {
    for (const bytes of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '1024' as unknown as number]) {
      expect(() => new Builder().stackSize(bytes)).toThrow(TypeError);
      expect(() => new Builder().heapLimit(bytes)).toThrow(/^Builder.heapLimit expects a positive integer number of bytes/);
    }
  });
});
