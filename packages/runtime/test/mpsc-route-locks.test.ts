import { describe, expect, it } from 'vitest';
import { move, spawn } from '@sendsync/runtime';
import { Arc, AtomicI32, Mutex, Ordering, RwLock } from '@sendsync/runtime/sync';

/*
 * A shared handle new to a lock after the lock crossed to other threads joins its handle table through the courier
 * (internal/courier.ts): every thread holding the lock copies it when it first reads it.
 */

const THREADS = 4;

describe("a lock's handle table after the lock crossed", { timeout: 120_000 }, () => {
  it('Mutex<{ items: Arc<AtomicI32>[] }>: threads push Arcs made in the thread, and every thread reaches them all', () => {
    const lock = new Arc(new Mutex<{ items: Arc<AtomicI32>[] }>({ items: [] }));
    const pushers = Array.from({ length: THREADS }, (_, id) =>
      spawn(move(lock.clone(), id), (lock, id) => {
        for (let i = 0; i < 25; i++) {
          using guard = lock.value.lock();
          guard.value.items.push(new Arc(new AtomicI32(id * 100 + i)));
        }
        lock.drop();
      }),
    );
    for (const pusher of pushers) pusher.join();
    // Each thread adds one to every item, wherever it was made.
    const adders = Array.from({ length: THREADS }, () =>
      spawn(move(lock.clone()), (lock) => {
        using guard = lock.value.lock();
        for (const item of guard.value.items) item.value.fetchAdd(1, Ordering.SeqCst);
        return guard.value.items.length;
      }),
    );
    expect(adders.map((adder) => adder.join())).toEqual(Array(THREADS).fill(THREADS * 25));
    using guard = lock.value.lock();
    const values = guard.value.items.map((item) => item.value.load(Ordering.SeqCst)).sort((a, b) => a - b);
    const expected = Array.from({ length: THREADS }, (_, id) => Array.from({ length: 25 }, (_, i) => id * 100 + i + THREADS)).flat();
    expect(values).toEqual(expected);
  });

  it('RwLock readers at once copy the same new entry', () => {
    const lock = new Arc(new RwLock<{ counter?: Arc<AtomicI32> }>({}));
    spawn(move(lock.clone()), (lock) => {
      using guard = lock.value.write();
      guard.value = { counter: new Arc(new AtomicI32(0)) };
    }).join();
    const readers = Array.from({ length: THREADS }, () =>
      spawn(move(lock.clone()), (lock) => {
        using guard = lock.value.read();
        return guard.value.counter!.value.fetchAdd(1, Ordering.SeqCst);
      }),
    );
    readers.forEach((reader) => reader.join());
    using guard = lock.value.read();
    expect(guard.value.counter!.value.load(Ordering.SeqCst)).toBe(THREADS);
  });
});
