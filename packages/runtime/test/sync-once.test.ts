import { describe, expect, it } from 'vitest';
import { AtomicU32, Barrier, Once, OnceLock, Ordering, PoisonError, WouldDeadlockError } from '@sendsync/runtime/sync';
import { runAll, startThread } from './fixtures/sync/threads.js';

const tasks = new URL('./fixtures/sync/misc-tasks.mjs', import.meta.url);

describe('Once', () => {
  it('runs exactly once across 4 threads, the others wait for it', async () => {
    const once = new Once();
    const runs = new AtomicU32(0);
    const completed = await runAll(tasks, 'callOnce', 4, once, runs);
    expect(runs.load(Ordering.SeqCst)).toBe(1);
    expect(completed).toEqual([true, true, true, true]); // nobody returned before the run completed
    once.callOnce(() => runs.fetchAdd(1, Ordering.SeqCst));
    expect(runs.load(Ordering.SeqCst)).toBe(1);
  }, 30_000);

  it('poisons on panic; callOnceForce runs again and clears it', async () => {
    const once = new Once();
    expect((await startThread(tasks, 'panicInOnce', once).outcome).ok).toBe(false);
    expect(() => once.callOnce(() => {})).toThrow(PoisonError);
    let sawPoison = false;
    once.callOnceForce((state) => {
      sawPoison = state.isPoisoned();
    });
    expect(sawPoison).toBe(true);
    expect(once.isCompleted()).toBe(true);
    once.wait();
  });

  it('callOnceAsync waits for another thread\'s run without blocking, and does not run again', async () => {
    const once = new Once();
    const runs = new AtomicU32(0);
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const thread = startThread(tasks, 'slowOnce', once, flag, runs);
    await Atomics.waitAsync(flag, 0, 0, 5000).value;
    await once.callOnceAsync(() => runs.fetchAdd(1, Ordering.SeqCst));
    expect(once.isCompleted()).toBe(true);
    expect(runs.load(Ordering.SeqCst)).toBe(1);
    expect((await thread.outcome).ok).toBe(true);
  }, 30_000);

  it('misuse: calling it from inside its own function throws instead of hanging', () => {
    const once = new Once();
    expect(() => once.callOnce(() => once.callOnce(() => {}))).toThrow(WouldDeadlockError);
    expect(() => once.callOnce(() => {})).toThrow(PoisonError); // the outer run threw
    const other = new Once();
    expect(() => other.callOnce(() => other.wait())).toThrow(WouldDeadlockError);
    const cell = new OnceLock<number>();
    expect(() => cell.getOrInit(() => cell.wait())).toThrow(WouldDeadlockError);
    expect(cell.getOrInit(() => 1)).toBe(1); // the cell stayed empty, and takes a value
  });

  it('waitAsync waits for another thread\'s run without blocking; rejects if a run panicked', async () => {
    const once = new Once();
    const runs = new AtomicU32(0);
    const waited = once.waitAsync();
    const completed = await runAll(tasks, 'callOnce', 1, once, runs);
    await waited;
    expect(completed).toEqual([true]);
    expect(once.isCompleted()).toBe(true);
    const poisoned = new Once();
    expect((await startThread(tasks, 'panicInOnce', poisoned).outcome).ok).toBe(false);
    await expect(poisoned.waitAsync()).rejects.toThrow(PoisonError);
  }, 30_000);
});

describe('OnceLock', () => {
  it('getOrInit from 4 threads: one initialiser, everyone gets its value', async () => {
    const cell = new OnceLock<{ winner: number; table: number[] }>();
    const runs = new AtomicU32(0);
    const results = (await runAll(tasks, 'getOrInit', 4, cell, runs)) as { winner: number }[];
    expect(runs.load(Ordering.SeqCst)).toBe(1);
    const winner = results[0].winner;
    for (const result of results) expect(result).toEqual({ winner, table: [1, 2, 3] });
    expect(cell.get()).toEqual({ winner, table: [1, 2, 3] });
    expect(cell.set({ winner: 9, table: [] })).toBe(false);
  }, 30_000);

  it('inline kinds, set once, and an initialiser that throws leaves the cell empty', () => {
    const number = new OnceLock<number>();
    expect(number.get()).toBeUndefined();
    expect(() => number.getOrInit(() => {
      throw new Error('boom');
    })).toThrow('boom');
    expect(number.get()).toBeUndefined();
    expect(number.set(7)).toBe(true);
    expect(number.set(8)).toBe(false);
    expect(number.wait()).toBe(7);
    const big = new OnceLock<bigint>();
    expect(big.getOrInit(() => 2n ** 60n)).toBe(2n ** 60n);
    const unset = new OnceLock<undefined>();
    expect(unset.set(undefined)).toBe(true);
    expect(unset.wait()).toBeUndefined();
  });

  it('waitAsync resolves when another thread sets the value', async () => {
    const cell = new OnceLock<{ winner: number; table: number[] }>();
    const pending = cell.waitAsync();
    const runs = new AtomicU32(0);
    const thread = startThread(tasks, 'getOrInit', 5, cell, runs);
    expect(await pending).toEqual({ winner: 5, table: [1, 2, 3] });
    expect((await thread.outcome).ok).toBe(true);
  }, 30_000);
});

describe('Barrier', () => {
  it('4 threads x 50 rounds: nobody leaves a round early, one leader per round', async () => {
    const threads = 4;
    const rounds = 50;
    const barrier = new Barrier(threads);
    const cells = new Int32Array(new SharedArrayBuffer(rounds * 4));
    const leaderships = (await runAll(tasks, 'barrierRounds', threads, barrier, cells, threads, rounds)) as number[];
    expect(leaderships.reduce((a, b) => a + b, 0)).toBe(rounds);
  }, 30_000);

  it('waitAsync on this thread meets a blocking wait in another', async () => {
    const barrier = new Barrier(2);
    const thread = startThread(tasks, 'barrierOnce', barrier);
    const mine = await barrier.waitAsync();
    const outcome = await thread.outcome;
    expect(outcome.ok).toBe(true);
    expect(Number(mine.isLeader()) + Number(outcome.result)).toBe(1);
  }, 30_000);

  it('a barrier of 1 (or 0, as in Rust) never blocks and always leads', () => {
    for (const n of [1, 0]) {
      const barrier = new Barrier(n);
      expect(barrier.wait().isLeader()).toBe(true);
      expect(barrier.wait().isLeader()).toBe(true);
    }
  });

  it('misuse: a size that is not an integer from 0 to 2^31 - 1 is a TypeError', () => {
    for (const bad of [1.5, -1, Number.NaN, Infinity, 2 ** 31, '2', undefined]) {
      expect(() => new Barrier(bad as number)).toThrow(TypeError);
    }
    expect(() => new Barrier(1.5)).toThrow('Barrier takes the number of threads to wait for, an integer >= 0 (got 1.5)');
  });
});
