import { describe, expect, it } from 'vitest';
import { PanicError, ThreadExitError, spawn } from '@sendsync/runtime';
import { keptWorkerCount } from '../dist/internal/pool.js';
import { panicCauseOf } from './fixtures/thread/panic-cause.js';

/*
 * The pool keeps as many workers as there are cores however long they idle (pool.ts). A kept worker that dies must
 * give its slot back whichever way its spawner learns of the death: its exit event comes only through the spawner's
 * event loop (which a thread blocked in join(), or this synchronous test, does not run), and a browser sends none for
 * a worker that ends without an error. A slot never given back makes every later worker one that ends after its idle
 * timeout. Its own file: the count is the process's, and a fresh process starts with no worker.
 */

describe('kept workers', { timeout: 60_000 }, () => {
  it('a kept worker that dies gives its slot back as its run ends as died, before its exit event: the next worker started is kept', () => {
    expect(spawn(() => 1).join()).toBe(1);
    const kept = keptWorkerCount();
    expect(kept).toBe(1);
    // The one idle worker, a kept one, runs it and dies.
    const cause = panicCauseOf(() => spawn(() => process.exit(0)).join());
    expect(cause).toBeInstanceOf(ThreadExitError);
    // This test has not returned to its event loop: no exit event was seen.
    expect(keptWorkerCount()).toBe(kept - 1);
    expect(spawn(() => 2).join()).toBe(2);
    expect(keptWorkerCount()).toBe(kept);
  });

  it('the slot comes back once: the exit event of a worker whose slot came back changes nothing', async () => {
    const kept = keptWorkerCount();
    try {
      spawn(() => process.exit(0)).join();
    } catch (error) {
      expect(error).toBeInstanceOf(PanicError);
    }
    expect(keptWorkerCount()).toBe(kept - 1);
    // Lets the exit event arrive.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(keptWorkerCount()).toBe(kept - 1);
  });
});
