/* eslint-disable sendsync/no-use-after-move -- this file checks the run time's side of the same rule: each use after a move is deliberate, to see it refused (or, after a refused move, still allowed) */
import { describe, expect, it } from 'vitest';
import { borrow, move, scope, spawn } from '@sendsync/runtime';
import { Arc, Mutex, OnceLock, UseAfterDropError } from '@sendsync/runtime/sync';
import { RecvError, SendError, channel, syncChannel, TrySendError, type Receiver } from '@sendsync/runtime/sync/mpsc';
import { workerArc } from './fixtures/sync/worker-arc.js';

/*
 * Rust's moves and drops at run time: a handle that owns a count (an Arc, a Weak) and is moved (sent, stored in a
 * lock, captured by or returned from a thread) is left moved, and using it again throws rustc's E0382; a spawned
 * thread drops the handles it still owns when it ends, so counts stay exact with no explicit drop(); a lock store
 * that replaces a channel end drops the old end.
 */

const THREADS = 10;
const MOVED = /borrow of moved value/;

describe('a thread drops the handles it still owns when it ends', { timeout: 120_000 }, () => {
  it("the Rust book's counter, 10 threads and no drop(): the strong count is back at 1 after the joins", () => {
    for (let round = 0; round < 5; round++) {
      const counter = new Arc(new Mutex(0));
      const handles = Array.from({ length: THREADS }, () =>
        spawn(move(counter.clone()), (counter) => {
          using guard = counter.value.lock();
          guard.value += 1;
        }),
      );
      for (const handle of handles) handle.join();
      expect(counter.strongCount()).toBe(1);
      using guard = counter.value.lock();
      expect(guard.value).toBe(THREADS);
    }
  });

  it("a panicking thread's Arc is dropped too, and so are the clones and Weaks it made", () => {
    const shared = new Arc({ label: 'data' });
    const handles = Array.from({ length: 4 }, (_, index) =>
      spawn(move(shared.clone(), index), (shared, index) => {
        const more = [shared.clone(), shared.clone()];
        const weak = Arc.downgrade(more[0]);
        if (weak.upgrade() === undefined) throw new Error('no value');
        throw new Error(`thread ${index} failed`);
      }),
    );
    for (const handle of handles) expect(() => handle.join()).toThrow(/panicked/);
    expect(shared.strongCount()).toBe(1);
    expect(shared.weakCount()).toBe(0);
  });

  it('an Arc taken out of a lock as a clone is dropped by the thread; the lock keeps its own', () => {
    const inner = new Arc(5);
    const shared = new Arc(new Mutex({ items: [inner.clone()] }));
    const handles = Array.from({ length: 4 }, () =>
      spawn(move(shared.clone()), (shared) => {
        using guard = shared.value.lock();
        return guard.value.items[0].clone().value;
      }),
    );
    for (const handle of handles) expect(handle.join()).toBe(5);
    // Ours, and the lock's.
    expect(inner.strongCount()).toBe(2);
    expect(shared.strongCount()).toBe(1);
    shared.drop();
    expect(inner.strongCount()).toBe(1);
  });

  it('the last owner is the ending thread: it disposes the value there (a lock drops the Receiver it holds)', () => {
    const [tx, rx] = channel<number>();
    const shared = new Arc(new Mutex(rx));
    // Moved in, never dropped: the thread's end drops the last handle, and the lock with it its receiver.
    spawn(move(shared), (shared) => {
      using guard = shared.value.lock();
      expect(guard.value.tryIter().next().done).toBe(true);
    }).join();
    expect(() => tx.send(1)).toThrow(SendError);
  });

  it("an Arc a module's top level made as a thread loaded it is the worker's: the threads after it on that worker still use it", () => {
    // Sequential spawns reuse the pool's idle workers: most of these threads run on a worker that loaded the module before.
    for (let index = 0; index < 32; index++) expect(spawn(() => workerArc.value.label).join()).toBe('per worker');
  });

  it('a returned Arc is not dropped by the ending thread: the joiner owns it', () => {
    const arc = new Arc('x');
    const back = spawn(move(arc.clone()), (arc) => arc).join();
    expect(arc.strongCount()).toBe(2);
    expect(back.value).toBe('x');
    back.drop();
    expect(arc.strongCount()).toBe(1);
    const made = spawn(() => ({ fresh: new Arc(7) })).join().fresh;
    expect(made.strongCount()).toBe(1);
    expect(made.value).toBe(7);
  });

  it('a scoped borrower never drops what it borrowed; a scoped thread drops what was moved into it', () => {
    const arc = new Arc([1, 2, 3]);
    const sums = scope((s) => {
      const borrowers = [0, 1, 2].map(() => s.spawn(borrow(arc), (arc) => arc.value.reduce((a, b) => a + b, 0)));
      const mover = s.spawn(move(arc.clone()), (arc) => arc.value.length);
      return [...borrowers.map((handle) => handle.join()), mover.join()];
    });
    expect(sums).toEqual([6, 6, 6, 3]);
    expect(arc.strongCount()).toBe(1);
    expect(arc.value).toEqual([1, 2, 3]);
  });

  it("a pool of workers sharing Arc<Mutex<Receiver>> with no drop() shuts down when the sender drops, every count back", () => {
    const JOBS = 2_000;
    const [jobs, queue] = channel<number>();
    const [results, done] = channel<number>();
    const shared = new Arc(new Mutex(queue));
    const workers = Array.from({ length: 4 }, () =>
      spawn(move(shared.clone(), results.clone()), (queue, results) => {
        let taken = 0;
        for (;;) {
          let job: number | undefined;
          {
            using guard = queue.value.lock();
            try {
              job = guard.value.recv();
            } catch (error) {
              if (!(error instanceof RecvError)) throw error;
            }
          }
          if (job === undefined) return taken;
          results.send(job * 2);
          taken++;
        }
      }),
    );
    results.drop();
    for (let job = 0; job < JOBS; job++) jobs.send(job);
    jobs.drop();
    let sum = 0;
    for (const result of done) sum += result;
    expect(sum).toBe(JOBS * (JOBS - 1));
    expect(workers.reduce((total, worker) => total + worker.join(), 0)).toBe(JOBS);
    expect(shared.strongCount()).toBe(1);
  });
});

describe('a move leaves the moved-from handle moved', { timeout: 60_000 }, () => {
  it('tx.send(arc): the sender\'s arc throws E0382 on every use; the received one owns the count', () => {
    const [tx, rx] = channel<Arc<number>>();
    const arc = new Arc(1);
    tx.send(arc);
    for (const use of [() => arc.value, () => arc.clone(), () => arc.drop(), () => arc.strongCount(), () => Arc.downgrade(arc), () => tx.send(arc)]) {
      expect(use).toThrow(UseAfterDropError);
      expect(use).toThrow(MOVED);
    }
    expect(() => arc.value).toThrow(/arc\.clone\(\)/);
    // `using` does not drop a moved handle, as Rust does not.
    expect(() => arc[Symbol.dispose]()).not.toThrow();
    const received = rx.recv();
    expect(received.strongCount()).toBe(1);
    expect(received.value).toBe(1);
  });

  it('a refused send leaves the Arc usable and gives it back: SendError, TrySendError disconnected and full', () => {
    const [tx, rx] = channel<Arc<number>>();
    rx.drop();
    const arc = new Arc(1);
    const refused = (() => {
      try {
        tx.send(arc);
      } catch (error) {
        return error as SendError<Arc<number>>;
      }
    })();
    expect(refused).toBeInstanceOf(SendError);
    expect(refused!.value).toBe(arc);
    expect(arc.value).toBe(1);
    expect(arc.strongCount()).toBe(1);
    const [full, fullRx] = syncChannel<Arc<number>>(0);
    expect(() => full.trySend(arc)).toThrow(TrySendError);
    expect(arc.value).toBe(1);
    fullRx.drop();
    expect(() => full.trySend(arc)).toThrow(TrySendError);
    expect(arc.clone().strongCount()).toBe(2);
  });

  it('spawn(move(arc)) and a Weak moved into a thread: the caller\'s handles are moved', () => {
    const arc = new Arc(3);
    const weak = Arc.downgrade(arc);
    const other = arc.clone();
    expect(spawn(move(arc, weak), (arc, weak) => arc.value + (weak.upgrade()?.value ?? 0)).join()).toBe(6);
    // The uses ESLint reports (no-use-after-move): the run-time backstop throws for code the checker does not see.
    expect(() => arc.value).toThrow(MOVED);
    expect(() => weak.upgrade()).toThrow(/`Weak` was moved/);
    // The thread dropped both as it ended.
    expect(other.strongCount()).toBe(1);
    expect(other.weakCount()).toBe(0);
  });

  it("a lock store moves the Arc into the lock's value; the lock's handle owns the count", () => {
    const arc = new Arc('in');
    const lock = new Mutex<Arc<string>[]>([]);
    {
      using guard = lock.lock();
      guard.value.push(arc);
    }
    expect(() => arc.value).toThrow(MOVED);
    {
      using guard = lock.lock();
      expect(guard.value[0].value).toBe('in');
      expect(guard.value[0].strongCount()).toBe(1);
      // Taken out and left out of the value: the lock drops its handle, as Rust drops a popped value.
      const kept = guard.value.pop()!.clone();
      expect(kept.strongCount()).toBe(2);
      guard.value = [];
      kept.drop();
    }
    const direct = new Arc(9);
    const holder = new Mutex(direct);
    expect(() => direct.value).toThrow(MOVED);
    {
      using guard = holder.lock();
      expect(guard.value.value).toBe(9);
    }
    const once = new OnceLock<Arc<number>>();
    const set = new Arc(4);
    expect(once.set(set)).toBe(true);
    expect(() => set.value).toThrow(MOVED);
    const refused = new Arc(5);
    expect(once.set(refused)).toBe(false);
    expect(refused.value).toBe(5);
  });

  it('a failed store leaves the Arc usable', () => {
    const arc = new Arc(1);
    const lock = new Mutex<unknown[]>([]);
    expect(() => {
      using guard = lock.lock();
      guard.value = [arc, () => 1];
    }).toThrow(TypeError);
    expect(arc.value).toBe(1);
    expect(arc.strongCount()).toBe(1);
  });
});

describe('a lock store that replaces a channel end drops the old end', { timeout: 60_000 }, () => {
  it("guard.value = newRx over the old Receiver: the old channel's senders see the disconnection", () => {
    const [oldTx, oldRx] = channel<number>();
    const [newTx, newRx] = channel<number>();
    const lock = new Mutex<Receiver<number>>(oldRx);
    oldTx.send(1);
    {
      using guard = lock.lock();
      // Read first (the pool's pattern): the store knows the end it replaces from the read.
      expect(guard.value.recv()).toBe(1);
      guard.value = newRx;
    }
    expect(() => oldTx.send(2)).toThrow(SendError);
    newTx.send(3);
    using guard = lock.lock();
    expect(guard.value.recv()).toBe(3);
  });

  it('in another thread, with an end kept beside: only the replaced end goes; a store that did not read first finds the ends too', () => {
    const [oldTx, oldRx] = channel<string>();
    const [keptTx, keptRx] = channel<string>();
    const [newTx, newRx] = channel<string>();
    const shared = new Arc(new Mutex({ inbox: oldRx, other: keptRx }));
    spawn(move(shared.clone(), newRx), (shared, newRx) => {
      using guard = shared.value.lock();
      guard.value.inbox = newRx;
    }).join();
    expect(() => oldTx.send('gone')).toThrow(SendError);
    keptTx.send('kept');
    newTx.send('new');
    {
      using guard = shared.value.lock();
      expect(guard.value.other.recv()).toBe('kept');
      expect(guard.value.inbox.recv()).toBe('new');
    }
    // Replacing the whole value without reading it first: the bytes are read for the ends they held.
    const [lastTx, lastRx] = channel<string>();
    const [, otherRx] = channel<string>();
    {
      using guard = shared.value.lock();
      guard.value = { inbox: lastRx, other: otherRx };
    }
    expect(() => keptTx.send('gone')).toThrow(SendError);
    expect(() => newTx.send('gone')).toThrow(SendError);
    lastTx.send('last');
    shared.drop();
  });
});
