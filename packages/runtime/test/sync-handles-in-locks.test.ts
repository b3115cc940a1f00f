import { describe, expect, it } from 'vitest';
import { borrow, move, scope, spawn } from '@sendsync/runtime';
import { Cell } from '@sendsync/runtime/cell';
import { channel } from '@sendsync/runtime/sync/mpsc';
import { Vec } from '@sendsync/runtime/collections';
import { Arc, AtomicU32, Barrier, Condvar, Mutex, OnceLock, Ordering, RwLock, UseAfterDropError } from '@sendsync/runtime/sync';

const THREADS = 4;
const ROUNDS = 500;

// Shared handles (every codec marked `handle: 'shared'`) inside a lock's value live in the lock's
// handle table, which travels with the lock: every thread that holds the lock holds them too.
describe('handles inside a lock value', { timeout: 60_000 }, () => {
  it('Arc<Mutex<{ hits: AtomicU32, inner: Mutex<number>, nested: [{ gate: Arc<RwLock<string>> }] }>>: 4 threads x 500 rounds lose nothing', () => {
    const gate = new Arc(new RwLock('open'));
    const shared = new Arc(new Mutex({ rounds: 0, hits: new AtomicU32(0), inner: new Mutex(0), nested: [{ gate }] }));
    const handles = Array.from({ length: THREADS }, () =>
      spawn(move(shared.clone()), (shared) => {
        for (let round = 0; round < 500; round++) {
          using guard = shared.value.lock();
          guard.value.rounds += 1;
          guard.value.hits.fetchAdd(1, Ordering.SeqCst);
          using inner = guard.value.inner.lock();
          inner.value += 2;
          using read = guard.value.nested[0].gate.value.read();
          if (read.value !== 'open') throw new Error(`gate said ${read.value}`);
        }
        shared.drop();
      }),
    );
    for (const handle of handles) handle.join();
    using guard = shared.value.lock();
    expect(guard.value.rounds).toBe(THREADS * ROUNDS);
    expect(guard.value.hits.load(Ordering.SeqCst)).toBe(THREADS * ROUNDS);
    using inner = guard.value.inner.lock();
    expect(inner.value).toBe(2 * THREADS * ROUNDS);
    // The Arc put in moved into the lock (Rust's move): the lock's handle owns its one count.
    // eslint-disable-next-line sendsync/no-use-after-move -- the test checks that the moved-from Arc is refused
    expect(() => gate.value).toThrow(/borrow of moved value/);
    expect(guard.value.nested[0].gate.strongCount()).toBe(1);
    expect(guard.value.nested[0].gate.value).toBeInstanceOf(RwLock);
    expect(shared.strongCount()).toBe(1);
  });

  it('a thread may move the handles already in the table around the value; the others see them there', () => {
    const mutex = new Arc(new Mutex<{ a?: AtomicU32; b: { list: AtomicU32[] } }>({ a: new AtomicU32(7), b: { list: [] } }));
    spawn(move(mutex.clone()), (mutex) => {
      using guard = mutex.value.lock();
      const a = guard.value.a!;
      delete guard.value.a;
      guard.value.b.list.push(a, a);
    }).join();
    using guard = mutex.value.lock();
    expect(guard.value.a).toBeUndefined();
    const [first, second] = guard.value.b.list;
    expect(first).toBe(second);
    expect(first.load(Ordering.SeqCst)).toBe(7);
  });

  it('handles new to a lock join it after it crossed too (through the courier), and every holder reaches them', () => {
    const mutex = new Arc(new Mutex<{ counters: AtomicU32[] }>({ counters: [] }));
    {
      using guard = mutex.value.lock();
      guard.value.counters.push(new AtomicU32(1), new AtomicU32(2));
    }
    const sums = spawn(move(mutex.clone()), (mutex) => {
      using guard = mutex.value.lock();
      guard.value.counters.push(new AtomicU32(3));
      return guard.value.counters.map((counter) => counter.load(Ordering.SeqCst));
    }).join();
    expect(sums).toEqual([1, 2, 3]);
    using guard = mutex.value.lock();
    guard.value.counters[2].fetchAdd(1, Ordering.SeqCst);
    expect(guard.value.counters.map((counter) => counter.load(Ordering.SeqCst))).toEqual([1, 2, 4]);
  });

  it('every shared kind: Condvar, Barrier, OnceLock, Arc, RwLock in one value, used from scoped threads', () => {
    const state = new Mutex({
      ready: new Condvar(),
      meet: new Barrier(THREADS),
      config: new OnceLock<string>(),
      total: new Arc(new AtomicU32(0)),
    });
    scope((s) => {
      for (let index = 0; index < THREADS; index++) {
        s.spawn(borrow(state), (state) => {
          let parts;
          {
            using guard = state.lock();
            parts = guard.value;
          }
          // The handles outlive the guard that gave them: they are shared memory, not the lock's copy.
          const { meet, config, total } = parts;
          meet.wait();
          config.getOrInit(() => 'first');
          total.value.fetchAdd(1, Ordering.SeqCst);
        });
      }
    });
    using guard = state.lock();
    expect(guard.value.total.value.load(Ordering.SeqCst)).toBe(THREADS);
    expect(guard.value.config.get()).toBe('first');
  });

  it('a Cell inside keeps being copied (its wire form), next to shared handles', () => {
    const mutex = new Arc(new Mutex({ cell: new Cell(1), hits: new AtomicU32(0) }));
    spawn(move(mutex.clone()), (mutex) => {
      using guard = mutex.value.lock();
      guard.value.cell.set(guard.value.cell.get() + 1);
      guard.value.hits.fetchAdd(1, Ordering.SeqCst);
    }).join();
    using guard = mutex.value.lock();
    expect(guard.value.cell).toBeInstanceOf(Cell);
    expect(guard.value.cell.get()).toBe(2);
    expect(guard.value.hits.load(Ordering.SeqCst)).toBe(1);
  });

  it('a collection inside a value moves into the lock, beside shared handles (collections-in-lock-value.test.ts has the rest)', () => {
    const vec = new Vec<number>();
    const lock = new Mutex({ vec, hits: new AtomicU32(0) });
    // eslint-disable-next-line sendsync/no-use-after-move -- the test checks that the handle left outside is refused
    expect(() => vec.push(2)).toThrow(UseAfterDropError);
    using guard = lock.lock();
    guard.value.vec.push(2);
    expect(guard.value.vec.get(0)).toBe(2);
  });

  it('channel ends inside a value move into the lock: the handles left outside are moved, the lock lends its own', () => {
    const [tx, rx] = channel<number>();
    const lock = new Mutex({ tx, rx });
    // eslint-disable-next-line sendsync/no-use-after-move -- the test checks that the sender left outside is refused
    expect(() => tx.send(0)).toThrow(UseAfterDropError);
    {
      using guard = lock.lock();
      guard.value.tx.send(1);
      expect(guard.value.rx.recv()).toBe(1);
      // A lent end's drop lets go of it only: the lock keeps the channel.
      guard.value.tx.drop();
    }
    using guard = lock.lock();
    guard.value.tx.send(2);
    expect(guard.value.rx.recv()).toBe(2);
  });

  it('a thread returns handles at depth: a lock with handles in its value, and a channel end beside it', () => {
    const [tx, rx] = channel<string>();
    const made = spawn(move(tx), (tx) => {
      const hits = new AtomicU32(0);
      hits.fetchAdd(1, Ordering.SeqCst);
      const lock = new Mutex({ hits, names: ['made in a thread'] });
      tx.send('hello');
      return { lock, reply: tx };
    }).join();
    {
      using guard = made.lock.lock();
      expect(guard.value.names).toEqual(['made in a thread']);
      expect(guard.value.hits.load(Ordering.SeqCst)).toBe(1);
    }
    made.reply.send('again');
    made.reply.drop();
    expect([...rx]).toEqual(['hello', 'again']);
  });

  it('a OnceLock takes a handle in its value, set after it is shared, and threads reach it', () => {
    const once = new Arc(new OnceLock<{ counter: AtomicU32 }>());
    const reader = spawn(move(once.clone()), (once) => {
      while (once.value.get() === undefined);
      return once.value.get()!.counter.fetchAdd(1, Ordering.SeqCst);
    });
    once.value.set({ counter: new AtomicU32(5) });
    expect(reader.join()).toBe(5);
    expect(once.value.get()!.counter.load(Ordering.SeqCst)).toBe(6);
  });
});
