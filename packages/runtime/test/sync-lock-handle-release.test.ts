import { describe, expect, it } from 'vitest';
import { move, spawn } from '@sendsync/runtime';
import { channel } from '@sendsync/runtime/sync/mpsc';
import { Arc, AtomicI32, Mutex, Ordering, RwLock } from '@sendsync/runtime/sync';
import { fetchParked, NOT_PARKED } from '../dist/internal/courier.js';

/*
 * A lock owns the shared handles in its value (its handle table, sync/storage.ts): as in Rust, it drops one when a
 * store leaves it out of the value, or when the lock's last owner (an Arc's last handle) drops the lock; its entry is
 * then released, and taken back from the courier, which keeps the handles added after the lock crossed.
 */

const THREADS = 4;
const PER_THREAD = 10;

type Items = { items: Arc<AtomicI32>[] };

/** The header words of a lock's serialized value (CROSSED, ENTRIES, TABLE_KEY, FIRST_PARKED: see sync/storage.ts). */
function header(lock: Readonly<Mutex<unknown> | RwLock<unknown>>): Int32Array {
  return new Int32Array((lock as unknown as { storage: { bytes: SharedArrayBuffer } }).storage.bytes, 0, 8);
}

/** How many of the lock's table entries still wait at the courier (each taken away by this look). */
function parkedAtCourier(words: Int32Array): number {
  let parked = 0;
  for (let entry = words[6]; entry < words[3]; entry++) {
    if (fetchParked(`lock:${words[4]}:${words[5]}#${entry}`, true) !== NOT_PARKED) parked++;
  }
  return parked;
}

/** 4 threads each push PER_THREAD Arcs made in the thread, and send a clone of each back: every count is 2. */
function fill(lock: Arc<Mutex<Items>>): Arc<AtomicI32>[] {
  const [tx, rx] = channel<Arc<AtomicI32>>();
  const pushers = Array.from({ length: THREADS }, (_, id) =>
    spawn(move(lock.clone(), tx.clone(), id, PER_THREAD), (lock, tx, id, count) => {
      for (let i = 0; i < count; i++) {
        const item = new Arc(new AtomicI32(id * 100 + i));
        tx.send(item.clone());
        using guard = lock.value.lock();
        guard.value.items.push(item);
      }
      tx.drop();
      lock.drop();
    }),
  );
  tx.drop();
  for (const pusher of pushers) pusher.join();
  return [...rx];
}

describe("a lock's handle table releases its entries", { timeout: 120_000 }, () => {
  it('Arc<Mutex<{ items: Arc<AtomicI32>[] }>> used from 4 threads: once all is dropped, every inner count is back at 1 and the courier holds nothing', () => {
    const lock = new Arc(new Mutex<Items>({ items: [] }));
    // One handle joins before the lock crosses (it travels in the lock's wire form), the others through the courier.
    const first = new Arc(new AtomicI32(-1));
    {
      using guard = lock.value.lock();
      guard.value.items.push(first.clone());
    }
    const items = [first, ...fill(lock)];
    expect(items.map((item) => item.strongCount())).toEqual(Array(items.length).fill(2));
    // Every thread reads them all (each copies the entries it lacks from the courier) and drops its clone.
    const readers = Array.from({ length: THREADS }, () =>
      spawn(move(lock.clone()), (lock) => {
        using guard = lock.value.lock();
        const total = guard.value.items.reduce((sum, item) => sum + item.value.load(Ordering.SeqCst), 0);
        lock.drop();
        return total;
      }),
    );
    const total = items.reduce((sum, item) => sum + item.value.load(Ordering.SeqCst), 0);
    expect(readers.map((reader) => reader.join())).toEqual(Array(THREADS).fill(total));
    const words = header(lock.value);
    expect(words[3] - words[6]).toBe(THREADS * PER_THREAD);
    lock.drop();
    expect(items.map((item) => item.strongCount())).toEqual(Array(items.length).fill(1));
    expect(parkedAtCourier(words)).toBe(0);
  });

  it('a store that leaves handles out of the value drops them at once, in whichever thread it runs', () => {
    const lock = new Arc(new Mutex<Items>({ items: [] }));
    const items = fill(lock);
    const words = header(lock.value);
    // A thread keeps the first half: the other half leaves the value, and the lock.
    const kept = spawn(move(lock.clone(), items.length / 2), (lock, keep) => {
      using guard = lock.value.lock();
      guard.value.items.splice(keep);
      lock.drop();
      return guard.value.items.map((item) => item.value.load(Ordering.SeqCst));
    }).join();
    const keptSet = new Set(kept);
    expect(items.map((item) => item.strongCount())).toEqual(items.map((item) => (keptSet.has(item.value.load(Ordering.SeqCst)) ? 2 : 1)));
    // A write that assigns without reading first (the value's entries are read off its bytes).
    spawn(move(lock.clone()), (lock) => {
      using guard = lock.value.lock();
      guard.value = { items: [] };
      lock.drop();
    }).join();
    expect(items.map((item) => item.strongCount())).toEqual(Array(items.length).fill(1));
    expect(parkedAtCourier(words)).toBe(0);
    // The lock works on: a handle put in now is the lock's, and goes with it.
    const late = new Arc(new AtomicI32(7));
    spawn(move(lock.clone(), late.clone()), (lock, late) => {
      using guard = lock.value.lock();
      guard.value.items.push(late);
      lock.drop();
    }).join();
    expect(late.strongCount()).toBe(2);
    lock.drop();
    expect(late.strongCount()).toBe(1);
  });

  it('RwLock: a writer replacing the value releases the old handles; readers hold them meanwhile without counting', () => {
    const lock = new Arc(new RwLock<{ counter?: Arc<AtomicI32> }>({}));
    const counters = Array.from({ length: 20 }, (_, index) => new Arc(new AtomicI32(index)));
    for (const counter of counters) {
      spawn(move(lock.clone(), counter.clone()), (lock, counter) => {
        using guard = lock.value.write();
        guard.value = { counter };
        lock.drop();
      }).join();
      const readers = Array.from({ length: 2 }, () =>
        spawn(move(lock.clone()), (lock) => {
          using guard = lock.value.read();
          const value = guard.value.counter!.value.load(Ordering.SeqCst);
          lock.drop();
          return value;
        }),
      );
      expect(readers.map((reader) => reader.join())).toEqual([counter.value.load(Ordering.SeqCst), counter.value.load(Ordering.SeqCst)]);
    }
    // Each counter left the lock when the next replaced it; the last leaves with the lock.
    expect(counters.map((counter) => counter.strongCount())).toEqual([...Array<number>(19).fill(1), 2]);
    const words = header(lock.value);
    lock.drop();
    expect(counters.at(-1)!.strongCount()).toBe(1);
    expect(parkedAtCourier(words)).toBe(0);
  });

  it('a store that fails takes back the entry it added: the handle stays the caller’s and nothing waits at the courier', () => {
    const lock = new Arc(new Mutex<{ items: (Arc<AtomicI32> | Int32Array)[] }>({ items: [] }));
    const words = header(lock.value);
    const refused = spawn(move(lock.clone()), (lock) => {
      const item = new Arc(new AtomicI32(5));
      try {
        using guard = lock.value.lock();
        // Refused by the serializer after the Arc was written (shared memory outside a handle cannot be bytes).
        guard.value.items.push(item, new Int32Array(new SharedArrayBuffer(4)));
      } catch (error) {
        lock.drop();
        return `${(error as Error).name} ${item.strongCount()} ${item.value.load(Ordering.SeqCst)}`;
      }
      return 'stored';
    }).join();
    expect(refused).toBe('TypeError 1 5');
    expect(parkedAtCourier(words)).toBe(0);
    using guard = lock.value.lock();
    expect(guard.value.items).toEqual([]);
  });

  it('Arc<Mutex<Arc<AtomicI32>>>: the handle that is the lock value goes with the lock', () => {
    const inner = new Arc(new AtomicI32(1));
    const lock = new Arc(new Mutex(inner.clone()));
    spawn(move(lock.clone()), (lock) => {
      using guard = lock.value.lock();
      guard.value.value.fetchAdd(1, Ordering.SeqCst);
      lock.drop();
    }).join();
    expect(inner.strongCount()).toBe(2);
    lock.drop();
    expect(inner.strongCount()).toBe(1);
    expect(inner.value.load(Ordering.SeqCst)).toBe(2);
  });
});
