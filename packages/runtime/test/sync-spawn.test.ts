// The sync primitives through the thread API (spawn, move, scope), as users write them.
// Most closures release their guards with an explicit `[Symbol.dispose]()` in `finally`
// (what `using` compiles to); the `using` tests run closures as vitest compiles them
// (with oxc's imported `_usingCtx` helper, which the thread provides).
import { describe, expect, it } from 'vitest';
import { PanicError, borrow, move, scope, spawn } from '@sendsync/runtime';
import { Cell } from '@sendsync/runtime/cell';
import { Rc } from '@sendsync/runtime/rc';
import { Arc, AtomicBool, AtomicU32, Barrier, Condvar, Mutex, MutexGuard, Once, OnceLock, Ordering, PoisonError, RwLock } from '@sendsync/runtime/sync';
import { RecvError, SendError, channel } from '@sendsync/runtime/sync/mpsc';

describe('sync primitives in spawned threads', () => {
  it('lots and lots: 4 spawned threads x 250,000 increments under a Mutex lose none', () => {
    const counter = new Arc(new Mutex(0));
    const handles = [0, 1, 2, 3].map(() =>
      spawn(move(counter.clone()), (counter) => {
        for (let i = 0; i < 250_000; i++) {
          const guard = counter.value.lock();
          try {
            guard.value += 1;
          } finally {
            guard[Symbol.dispose]();
          }
        }
      }),
    );
    for (const handle of handles) handle.join();
    expect(counter.value.intoInner()).toBe(1_000_000);
  }, 60_000);

  it('lots and lots: RwLock writes and fetchAdd, 4 x 250,000 each', () => {
    const lock = new Arc(new RwLock(0));
    const hits = new Arc(new AtomicU32(0));
    const handles = [0, 1, 2, 3].map(() =>
      spawn(move(lock.clone(), hits.clone()), (lock, hits) => {
        for (let i = 0; i < 250_000; i++) {
          const guard = lock.value.write();
          try {
            guard.value += 1;
            hits.value.fetchAdd(1, 'Relaxed');
          } finally {
            guard[Symbol.dispose]();
          }
        }
      }),
    );
    for (const handle of handles) handle.join();
    expect(lock.value.intoInner()).toBe(1_000_000);
    expect(hits.value.load(Ordering.SeqCst)).toBe(1_000_000);
  }, 60_000);

  it('poisons on panic: join reports the panic, lock() throws PoisonError with the data', () => {
    const mutex = new Arc(new Mutex<string[]>([]));
    const handle = spawn(move(mutex.clone()), (mutex) => {
      // eslint-disable-next-line sendsync/require-using-guard -- deliberately holds the guard through a throw to test poisoning
      const guard = mutex.value.lock();
      guard.value.push('half-done');
      throw new Error('boom');
    });
    expect(() => handle.join()).toThrow(PanicError);
    expect(mutex.value.isPoisoned()).toBe(true);
    let guard: MutexGuard<string[]>;
    try {
      guard = mutex.value.lock();
      throw new Error('not poisoned');
    } catch (error) {
      expect(error).toBeInstanceOf(PoisonError);
      guard = (error as PoisonError<MutexGuard<string[]>>).intoInner();
    }
    expect(guard.value).toEqual(['half-done']); // the panic hook wrote the data back as it was
    guard[Symbol.dispose]();
  });

  it('does not poison when the panic leaves a `using` block', () => {
    const mutex = new Arc(new Mutex(0));
    const handle = spawn(move(mutex.clone()), (mutex) => {
      const guard = mutex.value.lock();
      try {
        guard.value = 5;
        throw new Error('boom');
      } finally {
        guard[Symbol.dispose]();
      }
    });
    expect(() => handle.join()).toThrow(PanicError);
    expect(mutex.value.isPoisoned()).toBe(false);
    expect(mutex.value.intoInner()).toBe(5);
  });

  it('Arc<Mutex<T>> shared by scoped and moved threads, with the count back to 1', () => {
    const total = new Arc(new Mutex(0));
    const handles = [1, 2, 3].map((n) =>
      spawn(move(total.clone(), n), (total, n) => {
        const guard = total.value.lock();
        guard.value += n;
        guard[Symbol.dispose]();
        total.drop();
      }),
    );
    for (const handle of handles) handle.join();
    scope((s) => {
      s.spawn(move(total.clone()), (total) => {
        const guard = total.value.lock();
        guard.value *= 10;
        guard[Symbol.dispose]();
        total.drop();
      });
    });
    expect(total.strongCount()).toBe(1);
    expect(total.value.intoInner()).toBe(60);
  }, 30_000);

  it('the seed Condvar example: a queue behind a Mutex, one consumer, one producer', () => {
    const queue = new Arc(new Mutex<number[]>([]));
    const notEmpty = new Arc(new Condvar());
    const consumer = spawn(move(queue.clone(), notEmpty.clone()), (queue, notEmpty) => {
      const got: number[] = [];
      let q = queue.value.lock();
      while (got.length < 100) {
        const item = q.value.shift();
        if (item === undefined) q = notEmpty.value.wait(q);
        else got.push(item);
      }
      q[Symbol.dispose]();
      return got;
    });
    for (let i = 0; i < 100; i++) {
      {
        using q = queue.value.lock();
        q.value.push(i);
      }
      notEmpty.value.notifyOne();
    }
    expect(consumer.join()).toEqual(Array.from({ length: 100 }, (_, i) => i));
  }, 30_000);
});

describe('guards stay in their thread', () => {
  it('misuse: moving a guard into a thread is refused before the thread starts (no wrong-thread unlock)', () => {
    const mutex = new Mutex(1);
    const guard = mutex.lock();
    // @ts-expect-error: `MutexGuard<number>` cannot be sent between threads safely (tsc says it too)
    // eslint-disable-next-line sendsync/no-non-send-capture -- deliberate misuse: the run-time backstop must refuse it
    expect(() => spawn(move(guard), (guard) => guard[Symbol.dispose]())).toThrow(
      '`MutexGuard<number>` cannot be sent between threads safely',
    );
    const lock = new RwLock('x');
    const reader = lock.read();
    // @ts-expect-error: `RwLockReadGuard<string>` cannot be sent between threads safely (at captures[0].nested[i])
    // eslint-disable-next-line sendsync/no-non-send-capture -- deliberate misuse: the run-time backstop must refuse it
    expect(() => spawn(move({ nested: [reader] }), () => 1)).toThrow('`RwLockReadGuard<string>` cannot be sent');
    // eslint-disable-next-line sendsync/no-use-after-move -- the move was refused: the guard stayed here
    reader[Symbol.dispose]();
    expect(mutex.isPoisoned()).toBe(false);
    // eslint-disable-next-line sendsync/no-use-after-move -- the move was refused: the guard stayed here
    expect(guard.value).toBe(1); // still held, by this thread only
    // eslint-disable-next-line sendsync/no-use-after-move -- the move was refused: the guard stayed here
    guard[Symbol.dispose]();
  });
});

describe('borrowed by scoped threads', () => {
  it('scoped threads borrow a Mutex (Sync) and a typed array inside one is shared in place', () => {
    const cells = new Int32Array(new SharedArrayBuffer(16));
    const mutex = new Mutex(cells);
    const hits = new AtomicU32(0);
    scope((s) => {
      for (let t = 0; t < 2; t++) {
        s.spawn(borrow(mutex, hits), (mutex, hits) => {
          for (let i = 0; i < 1000; i++) {
            const guard = mutex.lock();
            guard.value[0] += 1;
            guard[Symbol.dispose]();
            hits.fetchAdd(1, Ordering.Relaxed);
          }
        });
      }
    });
    expect(cells[0]).toBe(2000);
    expect(hits.load(Ordering.SeqCst)).toBe(2000);
  }, 30_000);
});

describe('every sync type crosses through move()', () => {
  it('Barrier, Once, OnceLock, AtomicBool and Weak reach spawned threads as the same shared objects', () => {
    const barrier = new Arc(new Barrier(3));
    const once = new Arc(new Once());
    const config = new Arc(new OnceLock<{ size: number }>());
    const ran = new Arc(new AtomicU32(0));
    const flag = new Arc(new AtomicBool(false));
    const strong = new Arc('shared');
    const weak = Arc.downgrade(strong);
    const handles = [0, 1].map((n) =>
      spawn(move(barrier.clone(), once.clone(), config.clone(), ran.clone(), flag.clone(), weak.clone(), n), (barrier, once, config, ran, flag, weak, n) => {
        once.value.callOnce(() => ran.value.fetchAdd(1, 'SeqCst'));
        const value = config.value.getOrInit(() => ({ size: 10 + n }));
        barrier.value.wait();
        flag.value.fetchOr(true, 'SeqCst');
        const upgraded = weak.upgrade();
        const seen = upgraded?.value;
        upgraded?.drop();
        return { size: value.size, seen };
      }),
    );
    barrier.value.wait();
    const results = handles.map((handle) => handle.join());
    expect(ran.value.load(Ordering.SeqCst)).toBe(1);
    expect(flag.value.load(Ordering.SeqCst)).toBe(true);
    expect(new Set(results.map((r) => r.size)).size).toBe(1); // both got the one initialised value
    expect(config.value.get()).toEqual({ size: results[0].size });
    expect(results.map((r) => r.seen)).toEqual(['shared', 'shared']);
    expect(strong.strongCount()).toBe(1);
  }, 30_000);
});

describe('what a lock may hold, checked at run time as the rows say', () => {
  it('Mutex<Cell<number>>: the cell lives in the lock, so every thread changes the same one', () => {
    const mutex = new Arc(new Mutex(new Cell(1)));
    const handles = [0, 1].map(() =>
      spawn(move(mutex.clone()), (mutex) => {
        for (let i = 0; i < 100; i++) {
          const guard = mutex.value.lock();
          guard.value.set(guard.value.get() + 1);
          guard[Symbol.dispose]();
        }
      }),
    );
    for (const handle of handles) handle.join();
    expect(mutex.value.intoInner().get()).toBe(201);
  }, 30_000);

  it('Mutex<Rc<number>> is refused at construction, in rustc\'s words', () => {
    expect(() => new Mutex(new Rc(1))).toThrow('`Rc<number>` cannot be sent between threads safely (at value)');
    expect(() => new RwLock({ cache: new Rc('x') })).toThrow('cannot be sent between threads safely (at value.cache)');
  });

  it('Arc<Cell<number>> may be made but not sent; Arc<Mutex<Cell<number>>> may', () => {
    const unsendable = new Arc(new Cell(1));
    // @ts-expect-error: `Cell<number>` cannot be shared between threads safely (at captures[0])
    // eslint-disable-next-line sendsync/no-non-send-capture -- deliberate misuse: the run-time backstop must refuse it
    expect(() => spawn(move(unsendable), () => 0)).toThrow(new TypeError('`Cell<number>` cannot be shared between threads safely (at captures[0])'));
    const locked = new Arc(new Mutex(new Cell(1)));
    expect(spawn(move(locked), (locked) => locked.value.intoInner().get()).join()).toBe(1);
  });

  it('RwLock<Cell<number>> and OnceLock<Cell<number>> may be moved, not borrowed', () => {
    const lock = new RwLock(new Cell(1));
    const cell = new OnceLock<Cell<number>>();
    expect(cell.set(new Cell(2))).toBe(true);
    // @ts-expect-error: `Cell<number>` cannot be shared between threads safely (at borrows[0])
    // eslint-disable-next-line sendsync/no-non-sync-borrow -- deliberate misuse: the run-time backstop must refuse it
    expect(() => scope((s) => s.spawn(borrow(lock), () => 0))).toThrow(new TypeError('`Cell<number>` cannot be shared between threads safely (at borrows[0])'));
    // @ts-expect-error: `Cell<number>` cannot be shared between threads safely (at borrows[0])
    // eslint-disable-next-line sendsync/no-non-sync-borrow -- deliberate misuse: the run-time backstop must refuse it
    expect(() => scope((s) => s.spawn(borrow(cell), () => 0))).toThrow(new TypeError('`Cell<number>` cannot be shared between threads safely (at borrows[0])'));
    // The refused borrows moved nothing.
    expect(spawn(move(lock, cell), (lock, cell) => lock.intoInner().get() + cell.get()!.get()).join()).toBe(3);
  });
});

describe('`using` in spawned closures, as vitest compiles it', () => {
  it('a guard in a `using` declaration is released when the block ends', () => {
    const counter = new Arc(new Mutex(0));
    const handles = [0, 1].map(() =>
      spawn(move(counter.clone()), (counter) => {
        for (let i = 0; i < 1_000; i++) {
          using guard = counter.value.lock();
          guard.value += 1;
        }
      }),
    );
    for (const handle of handles) handle.join();
    const guard = counter.value.lock();
    expect(guard.value).toBe(2_000);
    guard[Symbol.dispose]();
  });

  it('a throw that leaves the `using` block poisons the lock, as a Rust guard dropped while unwinding does', () => {
    const counter = new Arc(new Mutex(0));
    const handle = spawn(move(counter.clone()), (counter) => {
      using guard = counter.value.lock();
      guard.value = 13;
      throw new Error('half-way');
    });
    expect(() => handle.join()).toThrow(PanicError);
    expect(counter.value.isPoisoned()).toBe(true);
    expect(() => counter.value.lock()).toThrow(PoisonError);
  });

  it("Rust's `Err` values (`RecvError`, `SendError`) leaving a `using` block release the lock unpoisoned, as `?` does", () => {
    // The Rust book's pool with the `try` around the guard's block: the channel's close ends every worker cleanly.
    for (let round = 0; round < 20; round++) {
      const [tx, rx] = channel<number>();
      const receiver = new Arc(new Mutex(rx));
      const workers = [0, 1, 2].map(() =>
        spawn(move(receiver.clone()), (receiver) => {
          let sum = 0;
          for (;;) {
            let job: number;
            try {
              using guard = receiver.value.lock();
              job = guard.value.recv();
            } catch (error) {
              if (error instanceof RecvError) break;
              throw error;
            }
            sum += job;
          }
          return sum;
        }),
      );
      for (let i = 1; i <= 100; i++) tx.send(i);
      tx.drop();
      expect(workers.map((worker) => worker.join()).reduce((a, b) => a + b)).toBe(5050);
      expect(receiver.value.isPoisoned()).toBe(false);
      receiver.drop();
    }
    const [tx, rx] = channel<number>();
    rx.drop();
    const lock = new Arc(new Mutex(tx));
    const sender = spawn(move(lock.clone()), (lock) => {
      try {
        using guard = lock.value.lock();
        guard.value.send(1);
      } catch (error) {
        return error instanceof SendError ? 'closed' : 'other';
      }
      return 'sent';
    });
    expect(sender.join()).toBe('closed');
    expect(lock.value.isPoisoned()).toBe(false);
  });

  it('`await using` in an async closure disposes before the thread ends', async () => {
    const log = new Arc(new Mutex<string[]>([]));
    const handle = spawn(move(log.clone()), async (log) => {
      {
        await using _resource = {
          [Symbol.asyncDispose]: async () => {
            await Promise.resolve();
            const guard = log.value.lock();
            guard.value.push('disposed');
            guard[Symbol.dispose]();
          },
        };
        const guard = log.value.lock();
        guard.value.push('used');
        guard[Symbol.dispose]();
      }
      return 'done';
    });
    expect(await handle.joinAsync()).toBe('done');
    expect(log.value.intoInner()).toEqual(['used', 'disposed']);
  });
});

describe('lock owners and thread liveness', () => {
  it('a long-lived lock holder is never taken for dead, however many threads start after it', () => {
    const mutex = new Arc(new Mutex(0));
    // [0]: the holder has the lock; [1]: it may let go.
    const flags = new Int32Array(new SharedArrayBuffer(8));
    const holder = spawn(move(mutex.clone(), flags), (mutex, flags) => {
      const guard = mutex.value.lock();
      try {
        Atomics.store(flags, 0, 1);
        Atomics.notify(flags, 0);
        while (Atomics.load(flags, 1) === 0) Atomics.wait(flags, 1, 0, 100);
      } finally {
        guard[Symbol.dispose]();
      }
    });
    expect(Atomics.wait(flags, 0, 0, 10_000)).not.toBe('timed-out');
    // More threads than the liveness table has slots (65,536): ids wrap around onto the holder's slot.
    for (let started = 0; started < 70_000; started += 100) {
      const batch = Array.from({ length: 100 }, () => spawn(() => 0));
      for (const handle of batch) handle.join();
    }
    // tryLock takes over the lock of a dead owner: the holder must still count as alive.
    expect(() => mutex.value.tryLock()).toThrow(expect.objectContaining({ kind: 'WouldBlock' }));
    Atomics.store(flags, 1, 1);
    Atomics.notify(flags, 1);
    holder.join();
    expect(mutex.value.isPoisoned()).toBe(false);
  });
});
