/* eslint-disable sendsync/no-use-after-move -- this file checks the run time's side of the same rule: each use after a move is deliberate, to see it refused */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { borrow, move, scope, spawn } from '@sendsync/runtime';
import { Arc, AtomicBool, AtomicU32, Barrier, Condvar, Mutex, Once, OnceLock, RwLock, SharedStruct, UseAfterDropError } from '@sendsync/runtime/sync';
import { channel, RecvError, RecvTimeoutError, type Receiver, type Sender } from '@sendsync/runtime/sync/mpsc';

/*
 * A lock, an atomic, a Condvar, Barrier, Once, OnceLock or SharedStruct has one owner, as a Rust value has: moved
 * (into a thread, through a channel, out of a thread, into an Arc or a lock), the giver's handle is left moved and
 * every use of it throws rustc's E0382; threads share one through an Arc, or a scoped thread's borrow. A thread
 * drops the locks it owns when it ends, and with them the channel ends their values hold.
 */

const THREADS = 4;
const ROUNDS = 20;
const MOVED = /borrow of moved value: this `(\w+)` was moved .*put it in an `Arc` and move clones/;

/**
 * What `rx` receives until every sender is gone. Bounded: a sender left alive fails the test after 30 s rather than
 * hang it (vitest cannot time out a blocking receive on its own thread).
 */
function drain<T>(rx: Receiver<T>): T[] {
  const received: T[] = [];
  for (;;) {
    try {
      received.push(rx.recvTimeout(30_000));
    } catch (error) {
      if (error instanceof RecvTimeoutError && error.kind === 'disconnected') return received;
      throw error;
    }
  }
}

describe('a lock moved into a thread is that thread\'s', { timeout: 60_000 }, () => {
  it('a Mutex<Sender> moved into a thread, with no drop() anywhere: the receiver\'s for..of ends after the thread ends', () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [tx, rx] = channel<number>();
      const lock = new Mutex(tx);
      const handle = spawn(move(lock, round), (lock, round) => {
        using guard = lock.lock();
        guard.value.send(round);
        guard.value.send(round + 1);
      });
      expect(drain(rx)).toEqual([round, round + 1]);
      handle.join();
    }
  });

  it('an RwLock<Sender[]> moved into a thread disconnects its receivers too', () => {
    const [tx, rx] = channel<string>();
    const [tx2, rx2] = channel<string>();
    const lock = new RwLock({ ends: [tx, tx2] });
    spawn(move(lock), (lock) => {
      using guard = lock.read();
      for (const end of guard.value.ends) end.send('hi');
    }).join();
    expect(drain(rx)).toEqual(['hi']);
    expect(drain(rx2)).toEqual(['hi']);
  });

  it('moving a lock twice throws E0382 at the second move, and nothing moves: the first thread still works, counts exact', () => {
    const counter = new Mutex(0);
    const arc = new Arc(1);
    const [tx, rx] = channel<number>();
    const first = spawn(move(counter), (counter) => {
      for (let i = 0; i < 1000; i++) {
        using guard = counter.lock();
        guard.value += 1;
      }
      using guard = counter.lock();
      return guard.value;
    });
    let error: unknown;
    try {
      spawn(move(arc, tx, counter), (arc, tx, counter) => tx.send(arc.value + counter.isPoisoned.length));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UseAfterDropError);
    expect((error as Error).message).toMatch(MOVED);
    expect((error as Error).message).toContain('`Mutex`');
    expect(first.join()).toBe(1000);
    // The Arc and the Sender refused with it are still this thread's.
    expect(arc.strongCount()).toBe(1);
    tx.send(arc.value);
    tx.drop();
    expect(drain(rx)).toEqual([1]);
    expect(() => counter.lock()).toThrow(MOVED);
    expect(() => counter.isPoisoned()).toThrow(UseAfterDropError);
    expect(() => counter.drop()).toThrow(MOVED);
    // `using` of a moved lock does nothing, as Rust drops no moved value.
    expect(() => counter[Symbol.dispose]()).not.toThrow();
  });

  it('a lock returned from a thread is usable by the joiner, and the thread\'s is left moved', () => {
    const [tx, rx] = channel<number>();
    const lock = spawn(move(tx), (tx) => new Mutex({ count: 1, tx })).join();
    {
      using guard = lock.lock();
      guard.value.count += 1;
      guard.value.tx.send(guard.value.count);
    }
    expect(rx.recv()).toBe(2);
    // The joiner owns it: its drop disconnects the receiver.
    lock.drop();
    expect(() => rx.recv()).toThrow(RecvError);
    expect(() => lock.lock()).toThrow('use of dropped `Mutex`');
  });

  it('a lock sent through a channel moves', () => {
    const [tx, rx] = channel<Mutex<number>>();
    const [done, finished] = channel<number>();
    const receiver = spawn(move(rx, done), (rx, done) => {
      for (const lock of rx) {
        using guard = lock.lock();
        done.send(guard.value);
      }
    });
    const lock = new Mutex(41);
    tx.send(lock);
    expect(finished.recv()).toBe(41);
    expect(() => lock.lock()).toThrow(MOVED);
    expect(() => tx.send(lock)).toThrow(MOVED);
    tx.drop();
    receiver.join();
  });

  it('a moved atomic\'s use throws, and so does every moved handle that owns no count', () => {
    const handles = [
      new AtomicU32(1),
      new AtomicBool(true),
      new Condvar(),
      new Barrier(1),
      new Once(),
      new OnceLock<number>(),
      new RwLock(0),
      new (SharedStruct.define({ x: 'i32' }))(),
    ];
    const names = handles.map((handle) => handle.constructor.name);
    spawn(move(handles), (handles) => handles.length).join();
    const uses: (() => unknown)[] = [
      () => (handles[0] as AtomicU32).load('SeqCst'),
      () => (handles[1] as AtomicBool).store(false, 'SeqCst'),
      () => (handles[2] as Condvar).notifyAll(),
      () => (handles[3] as Barrier).wait(),
      () => (handles[4] as Once).isCompleted(),
      () => (handles[5] as OnceLock<number>).get(),
      () => (handles[6] as RwLock<number>).read(),
      () => (handles[7] as unknown as { x: number }).x,
    ];
    uses.forEach((use, index) => expect(use, names[index]).toThrow(new RegExp(`this \`${names[index]}\` was moved`)));
  });

  it('an atomic moved into an Arc is the Arc\'s: the one given is left moved, the Arc\'s is shared by 4 threads', () => {
    const hits = new AtomicU32(0);
    const shared = new Arc(hits);
    expect(() => hits.load('SeqCst')).toThrow(MOVED);
    const handles = Array.from({ length: THREADS }, () => spawn(move(shared.clone()), (shared) => shared.value.fetchAdd(1, 'SeqCst')));
    for (const handle of handles) handle.join();
    expect(shared.value.load('SeqCst')).toBe(THREADS);
    expect(shared.strongCount()).toBe(1);
  });

  it('borrow by 4 scoped threads shares one lock, never dropped by them', () => {
    const [tx, rx] = channel<number>();
    const lock = new Mutex({ count: 0, tx });
    scope((s) => {
      for (let thread = 0; thread < THREADS; thread++) {
        s.spawn(borrow(lock), (lock) => {
          for (let i = 0; i < 250; i++) {
            using guard = lock.lock();
            guard.value.count += 1;
          }
        });
      }
    });
    {
      using guard = lock.lock();
      expect(guard.value.count).toBe(THREADS * 250);
      guard.value.tx.send(1);
    }
    expect(rx.recv()).toBe(1);
    lock.drop();
    expect(drain(rx)).toEqual([]);
  });

  it('the counts of an Arc holding a Mutex holding a Sender: 4 threads send, the last owner\'s end disconnects the receiver', () => {
    for (let round = 0; round < 5; round++) {
      const [tx, rx] = channel<number>();
      const inner = new Mutex<{ tx: Sender<number> }>({ tx });
      const shared = new Arc(inner);
      expect(() => inner.lock()).toThrow(MOVED);
      const handles = Array.from({ length: THREADS }, (_, thread) =>
        spawn(move(shared.clone(), thread), (shared, thread) => {
          using guard = shared.value.lock();
          guard.value.tx.send(thread);
        }),
      );
      for (const handle of handles) handle.join();
      expect(shared.strongCount()).toBe(1);
      // The last strong handle drops the Mutex, and the Sender inside it with it.
      shared.drop();
      expect(drain(rx).sort()).toEqual([0, 1, 2, 3]);
    }
  });

  it('a lock inside another lock\'s value is that value\'s: moved in, lent to each holder, dropped with the outer lock', () => {
    const [tx, rx] = channel<number>();
    const inner = new Mutex(tx);
    const outer = new Arc(new Mutex({ inner }));
    expect(() => inner.lock()).toThrow(MOVED);
    const handles = Array.from({ length: THREADS }, (_, thread) =>
      spawn(move(outer.clone(), thread), (outer, thread) => {
        using guard = outer.value.lock();
        using sender = guard.value.inner.lock();
        sender.value.send(thread);
      }),
    );
    for (const handle of handles) handle.join();
    outer.drop();
    expect(drain(rx).sort()).toEqual([0, 1, 2, 3]);
  });

  it('a lock its closure made and kept is dropped as the thread ends', () => {
    const [tx, rx] = channel<number>();
    spawn(move(tx), (tx) => {
      const kept = new Mutex([tx]);
      using guard = kept.lock();
      guard.value[0].send(7);
    }).join();
    expect(drain(rx)).toEqual([7]);
  });

  it('a dropped lock throws on use, and dropping it twice does nothing', () => {
    const lock = new Mutex(1);
    lock.drop();
    lock.drop();
    expect(() => lock.lock()).toThrow(UseAfterDropError);
    expect(() => spawn(move(lock), (lock) => lock)).toThrow('use of dropped `Mutex`');
    const [tx, rx] = channel<number>();
    {
      // `using` drops it at the end of the block, and the Sender in its value with it.
      using scoped = new Mutex(tx);
      using guard = scoped.lock();
      guard.value.send(3);
    }
    expect(drain(rx)).toEqual([3]);
  });

  it('a OnceLock drops what it holds with its owner: moved into a thread, made by a closure, dropped by hand', () => {
    for (let round = 0; round < ROUNDS; round++) {
      // Moved in empty and set in the thread: the thread's end drops the Sender set in it.
      const [tx, rx] = channel<number>();
      const cell = new OnceLock<{ reply: Sender<number> }>();
      const handle = spawn(move(cell, tx, round), (cell, tx, round) => {
        cell.set({ reply: tx });
        cell.get()!.reply.send(round);
      });
      expect(drain(rx)).toEqual([round]);
      handle.join();
    }
    // Made and set by the closure.
    const [tx, rx] = channel<number>();
    spawn(move(tx), (tx) => {
      const made = new OnceLock<Sender<number>[]>();
      made.getOrInit(() => [tx])[0].send(8);
    }).join();
    expect(drain(rx)).toEqual([8]);
    // The main thread's, dropped by hand; a number in one holds nothing to drop.
    const [tx2, rx2] = channel<number>();
    const mine = new OnceLock<Sender<number>>();
    mine.set(tx2);
    mine.get()!.send(9);
    mine.drop();
    expect(drain(rx2)).toEqual([9]);
    const plain = new OnceLock<number>();
    plain.set(1);
    plain.drop();
    expect(() => plain.get()).toThrow(UseAfterDropError);
  });

  it('a moved handle names its type in a minified bundle too (from its codec, not its renamed class)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sendsync-moved-names-'));
    try {
      const sync = fileURLToPath(new URL('../dist/sync/index.js', import.meta.url));
      const program = `import { Arc, Mutex, AtomicU32 } from ${JSON.stringify(sync)};
const m = new Mutex(0); const a = new AtomicU32(1);
new Arc([m, a]);
for (const use of [() => m.lock(), () => a.load('SeqCst')]) try { use(); } catch (e) { console.log(e.message); }`;
      const outfile = join(dir, 'moved.mjs');
      await build({ stdin: { contents: program, resolveDir: dir, sourcefile: 'program.mjs', loader: 'js' }, bundle: true, minify: true, format: 'esm', platform: 'node', outfile, logLevel: 'error' });
      const run = spawnSync(process.execPath, [outfile], { encoding: 'utf8', timeout: 60_000 });
      expect(run.stderr).toBe('');
      const [mutex, atomic] = run.stdout.trim().split('\n');
      expect(mutex).toMatch(/this `Mutex` was moved .*`const shared = new Arc\(mutex\)`/);
      expect(atomic).toMatch(/this `AtomicU32` was moved .*`const shared = new Arc\(atomicU32\)`/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
