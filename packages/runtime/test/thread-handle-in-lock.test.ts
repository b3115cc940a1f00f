import { describe, expect, it } from 'vitest';
import { JoinedError, PanicError, move, spawn, type JoinHandle } from '@sendsync/runtime';
import { Arc, Mutex, OnceLock, RwLock } from '@sendsync/runtime/sync';

/*
 * A JoinHandle inside a lock's value (#16), as Rust programs keep one: `Mutex<Option<JoinHandle<T>>>` taken and
 * joined, `Mutex<Vec<JoinHandle<T>>>` filled by a pool and joined by the main thread, `OnceLock<JoinHandle<T>>`. The
 * handle moves into the lock (see thread/join-slot.ts): any thread holding the lock may join it, exactly one join
 * gets the outcome, and the lock drops a handle it no longer holds (its thread is detached, its result dropped),
 * unless the guard that left it out read it first: the reader then owns it (`guard.take()`).
 */

/** Polls `arc`'s strong count until it is `count` (a detached thread drops its result on its own time); bounded. */
function settlesTo(arc: Arc<number>, count: number): number {
  const deadline = Date.now() + 30_000;
  while (arc.strongCount() !== count && Date.now() < deadline) {
    // A detached thread's end drops the result's Arc.
  }
  return arc.strongCount();
}

/** Rust's `guard.take()`: the handle read out of the value and left out of it, under one guard. */
function take<T>(slot: Readonly<Mutex<JoinHandle<T> | null>>): JoinHandle<T> | null {
  using guard = slot.lock();
  const handle = guard.value;
  guard.value = null;
  return handle;
}

describe('a JoinHandle in a lock', { timeout: 300_000 }, () => {
  it('Arc<Mutex<JoinHandle | null>>: 4 threads take it and join outside the guard; exactly one gets the value, 100 rounds', () => {
    const ROUNDS = 100;
    for (let round = 0; round < ROUNDS; round++) {
      const slot = new Arc(new Mutex<JoinHandle<number> | null>(null));
      {
        using guard = slot.value.lock();
        guard.value = spawn(move(round), (round) => round * 2);
      }
      const takers = [0, 1, 2, 3].map(() =>
        spawn(move(slot.clone()), (slot) => {
          let handle: JoinHandle<number> | null;
          {
            using guard = slot.value.lock();
            handle = guard.value;
            guard.value = null;
          }
          return handle === null ? null : handle.join();
        }),
      );
      const results = takers.map((taker) => taker.join());
      expect(results.filter((result) => result === round * 2)).toHaveLength(1);
      expect(results.filter((result) => result === null)).toHaveLength(3);
      slot.drop();
    }
  });

  it('two threads read the same handle without taking it and both join: one value, one JoinedError, 100 rounds', () => {
    const ROUNDS = 100;
    for (let round = 0; round < ROUNDS; round++) {
      const slot = new Arc(new Mutex<JoinHandle<number> | null>(spawn(move(round), (round) => round + 1)));
      const joiners = [0, 1].map(() =>
        spawn(move(slot.clone()), (slot) => {
          let handle: JoinHandle<number> | null;
          {
            using guard = slot.value.lock();
            handle = guard.value;
          }
          try {
            return handle!.join();
          } catch (error) {
            return error instanceof JoinedError ? 'joined' : `unexpected: ${String(error)}`;
          }
        }),
      );
      const results = joiners.map((joiner) => joiner.join());
      expect(results.sort()).toEqual([round + 1, 'joined'].sort());
      // The lock still holds the joined handle: isFinished from any holder, and a third join refused.
      using guard = slot.value.lock();
      expect(guard.value!.isFinished()).toBe(true);
      expect(() => guard.value!.join()).toThrow(JoinedError);
    }
  });

  it('an Arc in the result comes back to its taker with its strong count exact', () => {
    const arc = new Arc(7);
    const slot = new Arc(new Mutex<JoinHandle<{ arc: Arc<number> }> | null>(null));
    {
      using guard = slot.value.lock();
      guard.value = spawn(move(arc.clone()), (arc) => ({ arc }));
    }
    const taker = spawn(move(slot.clone()), (slot) => {
      let handle: JoinHandle<{ arc: Arc<number> }> | null;
      {
        using guard = slot.value.lock();
        handle = guard.value;
        guard.value = null;
      }
      const made = handle!.join();
      const count = made.arc.strongCount();
      made.arc.drop();
      return count;
    });
    // The main thread's, the result's.
    expect(taker.join()).toBe(2);
    expect(settlesTo(arc, 1)).toBe(1);
    // The taken handle is gone from the value, and the original was moved into the lock.
    expect(take(slot.value)).toBeNull();
    slot.drop();
  });

  it('the handle stored is left moved, and one stored after its thread finished joins with its outcome', () => {
    const finished = spawn(() => 'done');
    while (!finished.isFinished()) {
      // Its outcome is collected before it moves in.
    }
    const slot = new Mutex<JoinHandle<string> | null>(finished);
    // The run-time backstop of what the lint rule reports here: the handle was moved into the lock.
    // eslint-disable-next-line sendsync/no-use-after-move
    expect(() => finished.join()).toThrow("thread handle moved into a lock's value");
    const panicking = spawn((): string => {
      throw new Error('boom');
    });
    {
      using guard = slot.lock();
      const handle = guard.value!;
      guard.value = panicking;
      expect(handle.join()).toBe('done');
    }
    const handle = take(slot)!;
    expect(() => handle.join()).toThrow(PanicError);
  });

  it('joined under the guard that reads it, the handle stays in the value, joined: a later join throws JoinedError', () => {
    const slot = new Arc(new Mutex<JoinHandle<string> | null>(spawn(() => 'once')));
    {
      using guard = slot.value.lock();
      expect(guard.value!.join()).toBe('once');
    }
    const other = spawn(move(slot.clone()), (slot) => {
      using guard = slot.value.lock();
      try {
        return guard.value!.join();
      } catch (error) {
        return error instanceof JoinedError ? 'joined' : `unexpected: ${String(error)}`;
      }
    });
    expect(other.join()).toBe('joined');
    slot.drop();
  });

  it('Mutex<JoinHandle[]>: 4 threads push 4 spawns each, the main thread pops and joins all 16', () => {
    const pool = new Arc(new Mutex<JoinHandle<number>[]>([]));
    const pushers = [0, 1, 2, 3].map((worker) =>
      spawn(move(pool.clone(), worker), (pool, worker) => {
        for (let index = 0; index < 4; index++) {
          const value = worker * 4 + index;
          const handle = spawn(move(value), (value) => value);
          using guard = pool.value.lock();
          guard.value.push(handle);
        }
      }),
    );
    for (const pusher of pushers) pusher.join();
    let sum = 0;
    let joined = 0;
    for (;;) {
      let handle: JoinHandle<number> | undefined;
      {
        using guard = pool.value.lock();
        handle = guard.value.pop();
      }
      if (handle === undefined) break;
      sum += handle.join();
      joined++;
    }
    expect(joined).toBe(16);
    expect(sum).toBe((15 * 16) / 2);
    pool.drop();
  });

  it('OnceLock<JoinHandle>: set once, joined from another thread', () => {
    const once = new Arc(new OnceLock<JoinHandle<string>>());
    once.value.set(spawn(() => 'from the cell'));
    const joiner = spawn(move(once.clone()), (once) => once.value.get()!.join());
    expect(joiner.join()).toBe('from the cell');
    expect(() => once.value.get()!.join()).toThrow(JoinedError);
  });

  it('RwLock<JoinHandle>: two readers join, one gets the value, the other JoinedError', () => {
    const lock = new Arc(new RwLock<JoinHandle<number> | null>(spawn(() => 99)));
    const readers = [0, 1].map(() =>
      spawn(move(lock.clone()), (lock) => {
        using guard = lock.value.read();
        try {
          return guard.value!.join();
        } catch (error) {
          return error instanceof JoinedError ? 'joined' : `unexpected: ${String(error)}`;
        }
      }),
    );
    expect(readers.map((reader) => reader.join()).sort()).toEqual([99, 'joined'].sort());
  });

  it("a handle overwritten in a lock, and one left in it when the lock's last Arc drops: their threads' Arcs go back", () => {
    const arc = new Arc(1);
    const slot = new Arc(new Mutex<JoinHandle<{ arc: Arc<number> }> | null>(null));
    {
      using guard = slot.value.lock();
      guard.value = spawn(move(arc.clone()), (arc) => ({ arc }));
    }
    {
      // Overwritten without being read: the lock drops it, which detaches its thread.
      using guard = slot.value.lock();
      guard.value = spawn(move(arc.clone()), (arc) => ({ arc }));
    }
    expect(settlesTo(arc, 2)).toBe(2);
    // Read and written back, then left in the lock as the lock's last owner (another thread) drops it.
    const last = spawn(move(slot), (slot) => {
      {
        using guard = slot.value.lock();
        guard.value!.isFinished();
      }
      slot.drop();
    });
    last.join();
    expect(settlesTo(arc, 1)).toBe(1);
  });

  it('a handle a lock lends cannot be moved out of it (E0507) until it is taken', () => {
    const slot = new Mutex<JoinHandle<number> | null>(spawn(() => 5));
    {
      using guard = slot.lock();
      const lent = guard.value!;
      expect(() => spawn(move(lent), (handle) => handle.join())).toThrow('E0507');
    }
    const handle = take(slot)!;
    expect(spawn(move(handle), (handle) => handle.join()).join()).toBe(5);
  });
});
