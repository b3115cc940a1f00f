/* eslint-disable sendsync/no-guard-across-await -- a poisoned lock's tests hold a guard while they await another thread's try of the same lock */
import { describe, expect, it } from 'vitest';
import { current, spawn } from '@sendsync/runtime';
import { PoisonError, ReleasedError, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError, WouldDeadlockError } from '@sendsync/runtime/sync';
import { outcomesWithin, runAll, startThread } from './fixtures/sync/threads.js';
import { releaseDeadWriter } from '../dist/sys/futex-rwlock.js';

const tasks = new URL('./fixtures/sync/rwlock-tasks.mjs', import.meta.url);

describe('RwLock', () => {
  it('smoke: many readers at once, then a writer', () => {
    const lock = new RwLock({ retries: 3 });
    const first = lock.read();
    const second = lock.read();
    expect(first).not.toBe(second);
    expect(first.value.retries + second.value.retries).toBe(6);
    expect(() => lock.tryWrite()).toThrow(TryLockError);
    first[Symbol.dispose]();
    second[Symbol.dispose]();
    const writer = lock.write();
    writer.value = { retries: 5 };
    expect(() => lock.tryRead()).toThrow(TryLockError);
    writer[Symbol.dispose]();
    expect(lock.intoInner()).toEqual({ retries: 5 });
  });

  it('misuse: self-deadlocks throw, released guards cannot be used', () => {
    const lock = new RwLock(0);
    const writer = lock.write();
    expect(() => lock.write()).toThrow(WouldDeadlockError);
    expect(() => lock.read()).toThrow(WouldDeadlockError);
    writer[Symbol.dispose]();
    expect(() => writer.value).toThrow(ReleasedError);
    const reader = lock.read();
    expect(() => lock.write()).toThrow(WouldDeadlockError);
    reader[Symbol.dispose]();
    expect(() => reader.value).toThrow(ReleasedError);
    {
      using _again = lock.write(); // the lock is free again
    }
  });

  it('misuse: a number lock refuses a value of another kind and keeps its number, through blocking and awaited guards', async () => {
    const lock = new RwLock(1);
    {
      using writer = lock.write();
      expect(() => ((writer as RwLockWriteGuard<unknown>).value = 'one')).toThrow(new TypeError('value does not fit this lock (number expected)'));
      writer.value += 1;
    }
    const writer = await lock.writeAsync();
    writer.value *= 10;
    writer[Symbol.dispose]();
    expect(() => writer.value).toThrow(ReleasedError);
    const readers = [lock.read(), lock.read(), await lock.readAsync()];
    expect(readers.map((reader) => reader.value)).toEqual([20, 20, 20]);
    for (const reader of readers) reader[Symbol.dispose]();
    expect(() => readers[0].value).toThrow(ReleasedError);
    {
      using _again = lock.write(); // every share was given back
    }
    expect(lock.intoInner()).toBe(20);
  });

  it('lots and lots: 4 threads x 250,000 write increments lose none', async () => {
    const lock = new RwLock(0);
    await runAll(tasks, 'writeIncrements', 4, lock, 250_000);
    expect(lock.intoInner()).toBe(1_000_000);
  }, 60_000);

  it('stress: 6 threads reading and writing, blocking and awaiting, never overlap a writer and lose no write', async () => {
    // More threads than cores, and critical sections long enough (one in eight) that readers and
    // writers sleep: every move of the state word and of the sleep flags runs.
    const lock = new RwLock(0);
    // [0] the start line, [1] overlaps seen, [2] writers inside now, [3] readers inside now.
    const inside = new Int32Array(new SharedArrayBuffer(16));
    const writes = (await runAll(tasks, 'mixedReadWrite', 6, lock, inside, 6, 6_000)) as number[];
    expect(Atomics.load(inside, 1)).toBe(0);
    expect(lock.intoInner()).toBe(writes.reduce((sum, count) => sum + count, 0));
  }, 120_000);

  it('readers see no torn state, and a writer gets in while readers keep coming', async () => {
    const pair = new Float64Array(new SharedArrayBuffer(16));
    const lock = new RwLock(pair);
    const stop = new Int32Array(new SharedArrayBuffer(8)); // [0]: the writer is done; [1]: readers running
    const readers = runAll(tasks, 'readUntilStopped', 3, lock, stop);
    const writer = startThread(tasks, 'writeWhileReadersRun', lock, stop, 2000, 3);
    const outcome = await writer.outcome;
    expect(outcome.ok).toBe(true);
    const reads = (await readers) as number[];
    expect(pair[0]).toBe(2000);
    expect(pair[1]).toBe(-2000);
    expect(reads.every((count) => count > 0)).toBe(true); // every reader read while the writer wrote
    // No starvation: the writer finished its 2000 writes although readers never paused (they stop only
    // when it is done); a lock that let readers starve it would not finish within the test's time limit.
  }, 60_000);

  it('poisons when a writer panics, not when a reader does', async () => {
    const readPanic = new RwLock(1);
    expect((await startThread(tasks, 'panicReading', readPanic).outcome).ok).toBe(false);
    expect(readPanic.isPoisoned()).toBe(false);
    expect(readPanic.intoInner()).toBe(1); // the reader's share was released by the panic hook

    const lock = new RwLock(1);
    expect(await startThread(tasks, 'panicWriting', lock).outcome).toMatchObject({ ok: false, message: 'boom' });
    expect(lock.isPoisoned()).toBe(true);
    let error: unknown;
    try {
      using _unexpected = lock.read();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PoisonError);
    (error as PoisonError<{ [Symbol.dispose](): void }>).intoInner()[Symbol.dispose]();
    expect(() => lock.intoInner()).toThrow(PoisonError);
    lock.clearPoison();
    expect(lock.intoInner()).toBe(99);
  });

  it('a waiter that finds the writer it waited for ended after releasing the lock poisons nothing', () => {
    // The race: a waiter reads the state (writer X holds the lock), X releases and its thread ends,
    // then the waiter's liveness check finds X dead. Replayed here with a thread that has ended.
    const ended: number = spawn(() => current().id()).join();
    const lock = new RwLock(0);
    expect(releaseDeadWriter(lock.words, -ended, current().id())).toBe(false);
    expect(lock.isPoisoned()).toBe(false);
    const guard = lock.write();
    expect(guard.value).toBe(0);
    guard[Symbol.dispose]();
  });

  it('poisons when the writer is terminated: writeAsync rejects with PoisonError within 100 ms', async () => {
    const lock = new RwLock(0);
    const flag = new Int32Array(new SharedArrayBuffer(8));
    const holder = startThread(tasks, 'writeUntilKilled', lock, flag);
    await Atomics.waitAsync(flag, 0, 0, 5000).value;
    const pending = lock.writeAsync();
    await holder.terminate();
    const error = await pending.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(PoisonError);
    // eslint-disable-next-line sendsync/require-using-guard -- released at once: the test only checks that the lock can be taken
    (error as PoisonError<RwLockWriteGuard<number>>).intoInner()[Symbol.dispose]();
    const reader = await lock.readAsync().catch((caught: PoisonError<RwLockWriteGuard<number>>) => caught.intoInner());
    reader[Symbol.dispose]();
  }, 10_000);

  it('gives back the shares of a terminated reader: a waiting writer gets in, unpoisoned', async () => {
    const lock = new RwLock(0);
    const flag = new Int32Array(new SharedArrayBuffer(8));
    const reader = startThread(tasks, 'readUntilKilled', lock, flag);
    await Atomics.waitAsync(flag, 0, 0, 5000).value;
    const alive = lock.read(); // a live reader of our own, released before the writer must get in
    const pending = lock.writeAsync();
    alive[Symbol.dispose]();
    await reader.terminate();
    const writer = await pending;
    expect(lock.isPoisoned()).toBe(false);
    writer.value = 1;
    writer[Symbol.dispose]();
    expect(lock.intoInner()).toBe(1);
  }, 10_000);

  it("a caught and ignored write() PoisonError holds no lock: 4 threads then write 1,000 times each; intoInner() takes the lock", async () => {
    const lock = new RwLock(0);
    await startThread(tasks, 'panicWriting', lock).outcome;
    try {
      using _ignored = lock.write(); // the error is ignored: nothing drops it
    } catch (error) {
      expect(error).toBeInstanceOf(PoisonError);
    }
    expect(() => lock.write()).toThrow(PoisonError); // not WouldDeadlockError
    const threads = Array.from({ length: 4 }, (_, index) => startThread(tasks, 'writeRecovering', index, lock, 1000));
    expect((await outcomesWithin(threads, 60_000)).every((outcome) => outcome.ok)).toBe(true);

    let error: unknown;
    try {
      using _unexpected = lock.write();
    } catch (caught) {
      error = caught;
    }
    const poisoned = error as PoisonError<RwLockWriteGuard<number>>;
    const guard = poisoned.intoInner();
    expect(guard.value).toBe(99 + 4000);
    expect(poisoned.intoInner()).toBe(guard);
    expect((await startThread(tasks, 'tryWriteReport', lock).outcome).result).toBe('WouldBlock');
    guard[Symbol.dispose]();
    expect((await startThread(tasks, 'tryWriteReport', lock).outcome).result).toBe('Poisoned');
  }, 90_000);

  it("a caught and ignored read() PoisonError holds no share; intoInner() takes one (a writer then gets WouldBlock)", async () => {
    const lock = new RwLock(0);
    await startThread(tasks, 'panicWriting', lock).outcome;
    let error: unknown;
    try {
      using _unexpected = lock.read();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PoisonError);
    expect((await startThread(tasks, 'tryWriteReport', lock).outcome).result).toBe('Poisoned');
    const guard = (error as PoisonError<RwLockReadGuard<number>>).intoInner();
    expect(guard.value).toBe(99);
    expect((await startThread(tasks, 'tryWriteReport', lock).outcome).result).toBe('WouldBlock');
    guard[Symbol.dispose]();
    lock.clearPoison();
    expect((await startThread(tasks, 'tryWriteReport', lock).outcome).result).toBe('ok');
  }, 30_000);

  it("tryRead's and tryWrite's Poisoned errors hold no lock; their intoInner() tries again", async () => {
    const lock = new RwLock(0);
    await startThread(tasks, 'panicWriting', lock).outcome;
    const kindOf = (attempt: () => unknown): TryLockError<RwLockReadGuard<number> | RwLockWriteGuard<number>> => {
      try {
        attempt();
      } catch (error) {
        return error as TryLockError<RwLockReadGuard<number> | RwLockWriteGuard<number>>;
      }
      throw new Error('a try succeeded on a poisoned lock');
    };
    const read = kindOf(() => lock.tryRead());
    const write = kindOf(() => lock.tryWrite());
    expect([read.kind, write.kind]).toEqual(['Poisoned', 'Poisoned']);
    expect((await startThread(tasks, 'tryWriteReport', lock).outcome).result).toBe('Poisoned');
    const share = read.poison!.intoInner();
    expect(() => write.poison!.intoInner()).toThrow(expect.objectContaining({ name: 'TryLockError', kind: 'WouldBlock' }));
    share[Symbol.dispose]();
    const writer = write.poison!.intoInner();
    expect(writer.value).toBe(99);
    expect((await startThread(tasks, 'tryWriteReport', lock).outcome).result).toBe('WouldBlock');
    writer[Symbol.dispose]();
  }, 30_000);
});

