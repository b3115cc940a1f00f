/* eslint-disable sendsync/no-guard-across-await -- a poisoned lock's tests hold a guard while they await another thread's try of the same lock */
import { describe, expect, it } from 'vitest';
import { move, spawn } from '@sendsync/runtime';
import { Arc, Condvar, Mutex, MutexGuard, PoisonError, ReleasedError } from '@sendsync/runtime/sync';
import { runAll, startThread } from './fixtures/sync/threads.js';

const tasks = new URL('./fixtures/sync/condvar-tasks.mjs', import.meta.url);

describe('Condvar', () => {
  it('a 100,000-item producer/consumer queue with 2 consumers delivers every item exactly once', async () => {
    const queue = new Mutex<number[]>([]);
    const notEmpty = new Condvar();
    const notFull = new Condvar();
    const count = 100_000;
    const producer = startThread(tasks, 'produce', queue, notEmpty, notFull, count, 2, 256);
    const [first, second] = (await runAll(tasks, 'consume', 2, queue, notEmpty, notFull)) as number[][];
    expect((await producer.outcome).ok).toBe(true);
    const seen = new Uint8Array(count);
    for (const item of [...first, ...second]) seen[item]++;
    expect(first.length + second.length).toBe(count);
    expect(seen.every((times) => times === 1)).toBe(true);
    // Each consumer sees its items in queue order.
    for (const items of [first, second]) expect(items.every((item, i) => i === 0 || item > items[i - 1])).toBe(true);
  }, 300_000);

  it('no lost wake-ups: two threads take 10,000 strict turns each through one condvar', async () => {
    const turn = new Mutex(0);
    const condvar = new Condvar();
    await runAll(tasks, 'takeTurns', 2, turn, condvar, 10_000);
    expect(turn.intoInner()).toBe(20_000);
  }, 60_000);

  it('a waiter really sleeps: it wakes once per notification, not in a spin', async () => {
    const ready = new Mutex(false);
    const condvar = new Condvar();
    const flag = new Int32Array(new SharedArrayBuffer(8));
    const waiter = startThread(tasks, 'countWakeups', ready, condvar, flag);
    await Atomics.waitAsync(flag, 0, 0, 5000).value;
    await new Promise((resolve) => setTimeout(resolve, 200)); // time in which a spinning waiter would wake thousands of times
    const guard = await ready.lockAsync();
    guard.value = true;
    guard[Symbol.dispose]();
    condvar.notifyOne();
    const outcome = await waiter.outcome;
    expect(outcome.ok).toBe(true);
    expect(outcome.result).toBeGreaterThanOrEqual(1);
    expect(outcome.result).toBeLessThanOrEqual(3); // one real wake-up, allowing rare spurious ones
  }, 10_000);

  it('waitAsync releases the mutex while it waits and wakes on notifyOne', async () => {
    const mutex = new Mutex(0);
    const condvar = new Condvar();
    let guard = mutex.lock();
    const timed = condvar.waitTimeout(guard, 0);
    guard = timed[0];
    expect(timed[1].timedOut()).toBe(true);
    const pending = condvar.waitAsync(guard); // releases the mutex, reads the counter
    const other = mutex.tryLock(); // free while we wait
    other[Symbol.dispose]();
    condvar.notifyOne();
    guard = await pending;
    expect(guard.value).toBe(0);
    guard[Symbol.dispose]();
  });

  it('waitTimeout times out when nobody notifies', () => {
    const mutex = new Mutex(1);
    const condvar = new Condvar();
    const started = performance.now();
    const [guard, result] = condvar.waitTimeout(mutex.lock(), 30);
    expect(result.timedOut()).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(guard.value).toBe(1);
    guard[Symbol.dispose]();
    const [again, whileResult] = condvar.waitTimeoutWhile(mutex.lock(), 20, (value) => value === 1);
    expect(whileResult.timedOut()).toBe(true);
    again[Symbol.dispose]();
  });

  it('misuse: a duration that is not a finite number >= 0 is a TypeError, and the guard keeps the lock', async () => {
    const mutex = new Mutex(0);
    const condvar = new Condvar();
    const guard = mutex.lock();
    const rejections: Promise<unknown>[] = [];
    for (const bad of [Number.NaN, undefined, -1, Infinity, '10', null]) {
      expect(() => condvar.waitTimeout(guard, bad as number)).toThrow(TypeError);
      expect(() => condvar.waitTimeoutWhile(guard, bad as number, () => true)).toThrow(TypeError);
      rejections.push(condvar.waitTimeoutAsync(guard, bad as number));
      expect(guard.held).toBe(true);
    }
    expect(() => condvar.waitTimeout(guard, Number.NaN)).toThrow('waitTimeout takes a timeout in milliseconds, a finite number >= 0 (got NaN); to wait without a limit, use wait()');
    const [same, result] = condvar.waitTimeout(guard, 0);
    expect(result.timedOut()).toBe(true);
    expect(same).toBe(guard);
    guard[Symbol.dispose]();
    for (const rejection of rejections) await expect(rejection).rejects.toThrow(TypeError);
  });

  it('misuse: one condvar with two mutexes is a TypeError, in any thread, as in Rust', () => {
    const first = new Arc(new Mutex(0));
    const second = new Arc(new Mutex(0));
    const condvar = new Arc(new Condvar());
    // The first use, in another thread and through its own handle of the mutex, decides.
    spawn(move(condvar.clone(), first.clone()), (condvar, first) => {
      const [guard] = condvar.value.waitTimeout(first.value.lock(), 1);
      guard[Symbol.dispose]();
    }).join();
    const [again] = condvar.value.waitTimeout(first.value.lock(), 1);
    again[Symbol.dispose]();
    const guard = second.value.lock();
    expect(() => condvar.value.wait(guard)).toThrow(new TypeError('attempted to use a condition variable with two mutexes'));
    expect(guard.held).toBe(true);
    guard[Symbol.dispose]();
    const other = new Condvar();
    const thread = spawn(move(other, second.clone(), first.clone()), (other, second, first) => {
      const [guard] = other.waitTimeout(second.value.lock(), 1);
      guard[Symbol.dispose]();
      other.waitTimeout(first.value.lock(), 1);
    });
    expect(() => thread.join()).toThrow(expect.objectContaining({ cause: new TypeError('attempted to use a condition variable with two mutexes') }));
  });

  it('misuse: waiting with a released guard throws', () => {
    const mutex = new Mutex(0);
    const guard = mutex.lock();
    guard[Symbol.dispose]();
    expect(() => new Condvar().wait(guard)).toThrow(ReleasedError);
  });

  it("a wait that wakes on a poisoned mutex throws a PoisonError that holds no lock; its intoInner() takes the lock back", async () => {
    const mutexTasks = new URL('./fixtures/sync/mutex-tasks.mjs', import.meta.url);
    for (const wait of [
      (condvar: Condvar, guard: MutexGuard<number>) => condvar.waitAsync(guard),
      (condvar: Condvar, guard: MutexGuard<number>) => condvar.waitTimeoutAsync(guard, 60_000),
    ]) {
      const mutex = new Mutex(0);
      const condvar = new Condvar();
      const guard = mutex.lock();
      // The thread blocks on the mutex until the wait below releases it, then notifies and panics holding it.
      const panicking = startThread(tasks, 'panicAfterNotify', mutex, condvar);
      const error = await wait(condvar, guard).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect((await panicking.outcome).ok).toBe(false);
      expect(error).toBeInstanceOf(PoisonError);
      expect(guard.held).toBe(false);
      expect((await startThread(mutexTasks, 'tryLockReport', mutex).outcome).result).toBe('Poisoned');
      const again = (error as PoisonError<MutexGuard<number>>).intoInner();
      expect(again).toBe(guard);
      expect(again.value).toBe(42);
      expect((await startThread(mutexTasks, 'tryLockReport', mutex).outcome).result).toBe('WouldBlock');
      again[Symbol.dispose]();
    }
  }, 60_000);
});

