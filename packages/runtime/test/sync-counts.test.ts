/* eslint-disable sendsync/no-use-after-move -- this file checks the run time's side of the same rule: each use after a move is deliberate, to see it refused */
import { describe, expect, it } from 'vitest';
import { move, spawn } from '@sendsync/runtime';
import { Arc, Mutex, UseAfterDropError } from '@sendsync/runtime/sync';
import { HashMap, Vec, VecDeque } from '@sendsync/runtime/collections';
import { RecvError, channel, syncChannel, type Sender } from '@sendsync/runtime/sync/mpsc';
// The host adapter the pool starts workers with: a test swaps its `startWorker` to inject a failed start.
import { host } from '../dist/host/node.js';

/*
 * Handles inside an Arc's data move in with it and are dropped with it, as Rust moves and drops a struct's fields:
 * `new Arc([arcB])` leaves `arcB` moved, and the last strong handle of the outer Arc, in whichever thread it goes,
 * drops the inner ones once.
 */

const THREADS = 4;
const MOVED = /borrow of moved value/;

// First in the file: the pool has no worker yet, so these spawns must start one.
describe('a spawn that fails after encoding its captures gives them back', { timeout: 60_000 }, () => {
  it('a worker that fails to start: the Arc and Sender captured stay usable, no count leaks', () => {
    const arc = new Arc(1);
    const [tx, rx] = channel<number>();
    const startWorker = Object.getOwnPropertyDescriptor(host, 'startWorker')!;
    host.startWorker = () => {
      throw new Error('injected: no worker could start');
    };
    try {
      expect(() => spawn(move(arc, tx), (arc, tx) => tx.send(arc.value))).toThrow(/injected/);
    } finally {
      Object.defineProperty(host, 'startWorker', startWorker);
    }
    expect(arc.strongCount()).toBe(1);
    tx.send(2);
    expect(rx.recv()).toBe(2);
    // The same spawn, now that workers start: the captures move and the thread drops them.
    const keep = arc.clone();
    spawn(move(arc, tx), (arc, tx) => tx.send(arc.value)).join();
    expect(rx.recv()).toBe(1);
    expect(() => rx.recv()).toThrow(RecvError);
    expect(keep.strongCount()).toBe(1);
  });

  it('a capture refused after an Arc and a Sender: both stay usable, with their counts', () => {
    for (let round = 0; round < 3; round++) {
      const arc = new Arc({ round });
      const [tx, rx] = channel<number>();
      const gone = new Arc(0);
      tx.send(-1);
      spawn(move(gone), (gone) => gone.value).join();
      expect(() => spawn(move(arc, tx, gone), (arc, tx, gone) => tx.send(arc.value.round + gone.value))).toThrow(MOVED);
      expect(arc.value.round).toBe(round);
      expect(arc.strongCount()).toBe(1);
      tx.send(round);
      expect([rx.recv(), rx.recv()]).toEqual([-1, round]);
      tx.drop();
      expect(() => rx.recv()).toThrow(RecvError);
    }
  });
});

describe('handles inside an Arc move in and drop with it', { timeout: 120_000 }, () => {
  it('Arc<Arc<T>[]> shared by 4 threads, no explicit drops: each inner strong count is back where Rust has it', () => {
    for (let round = 0; round < 5; round++) {
      const inner = Array.from({ length: 3 }, (_, index) => new Arc({ index }));
      const keep = inner.map((arc) => arc.clone());
      const outer = new Arc(inner);
      // The outer's data owns one count of each; ours are the clones.
      expect(keep.map((arc) => arc.strongCount())).toEqual([2, 2, 2]);
      const handles = Array.from({ length: THREADS }, () =>
        spawn(move(outer.clone()), (outer) => {
          // A clone of an inner handle made in the thread is the thread's: dropped at its end.
          const mine = outer.value[1].clone();
          return outer.value.reduce((sum, arc) => sum + arc.value.index, 0) + mine.value.index;
        }),
      );
      for (const handle of handles) expect(handle.join()).toBe(4);
      expect(outer.strongCount()).toBe(1);
      expect(keep.map((arc) => arc.strongCount())).toEqual([2, 2, 2]);
      outer.drop();
      expect(keep.map((arc) => arc.strongCount())).toEqual([1, 1, 1]);
    }
  });

  it('the handle given to new Arc is left moved; the data holds a live one', () => {
    const inner = new Arc(7);
    const outer = new Arc({ inner });
    expect(() => inner.value).toThrow(UseAfterDropError);
    expect(() => inner.value).toThrow(MOVED);
    expect(outer.value.inner.value).toBe(7);
    expect(outer.value.inner.strongCount()).toBe(1);
    const weak = Arc.downgrade(outer.value.inner);
    outer.drop();
    expect(weak.upgrade()).toBeUndefined();
  });

  it("a Sender inside an Arc's data disconnects the receiver when the outer's last owner drops in another thread", () => {
    for (let round = 0; round < 5; round++) {
      const [tx, rx] = channel<number>();
      const outer = new Arc({ reply: tx });
      expect(() => tx.send(0)).toThrow(MOVED);
      const handles = Array.from({ length: THREADS }, (_, index) =>
        spawn(move(outer.clone(), index), (outer, index) => {
          outer.value.reply.send(index);
        }),
      );
      for (const handle of handles) handle.join();
      // Ours goes last, in a thread: the data's sender goes with it.
      spawn(move(outer), (outer) => {
        outer.value.reply.send(4);
      }).join();
      const got = [...rx].sort((a, b) => a - b);
      expect(got).toEqual([0, 1, 2, 3, 4]);
      expect(() => rx.recv()).toThrow(RecvError);
    }
  });

  it('a SyncSender in a Mutex in an Arc is dropped with the lock when the last Arc goes', () => {
    const [tx, rx] = syncChannel<string>(4);
    const outer = new Arc(new Mutex({ tx }));
    spawn(move(outer), (outer) => {
      using guard = outer.value.lock();
      guard.value.tx.send('hi');
    }).join();
    expect(rx.recv()).toBe('hi');
    expect(() => rx.recv()).toThrow(RecvError);
  });

  it('Arc.intoInner gives the inner handles to the caller, owning their counts', () => {
    const inner = new Arc('x');
    const weakInner = Arc.downgrade(inner);
    const outer = new Arc([inner]);
    const data = Arc.intoInner(outer)!;
    expect(data[0].value).toBe('x');
    expect(weakInner.strongCount()).toBe(1);
    data[0].drop();
    expect(weakInner.strongCount()).toBe(0);
  });
});

describe("a channel end used after a move throws rustc's E0382, after a drop() a \"dropped\" error", { timeout: 60_000 }, () => {
  it('a Sender sent through a channel, a SyncSender moved into a thread, a Sender stored in a lock', () => {
    const [tx, rx] = channel<number>();
    const [carrier, carried] = channel<Sender<number>>();
    carrier.send(tx);
    expect(() => tx.send(1)).toThrow(UseAfterDropError);
    expect(() => tx.send(1)).toThrow(/borrow of moved value: this `Sender` was moved .*move a clone instead: `tx\.clone\(\)`/);
    carried.recv().send(2);
    expect(rx.recv()).toBe(2);

    const [syncTx, syncRx] = syncChannel<number>(1);
    spawn(move(syncTx), (syncTx) => syncTx.send(3)).join();
    expect(() => syncTx.send(4)).toThrow(/borrow of moved value: this `SyncSender` was moved/);
    expect(syncRx.recv()).toBe(3);

    const [lockedTx] = channel<number>();
    const lock = new Mutex({ lockedTx });
    expect(() => lockedTx.clone()).toThrow(MOVED);
    using guard = lock.lock();
    expect(() => guard.value.lockedTx.clone().drop()).not.toThrow();
  });

  it('a Receiver moved into a thread says it cannot be cloned; one dropped says dropped', () => {
    const [tx, rx] = channel<number>();
    const handle = spawn(move(rx), (rx) => rx.recv());
    expect(() => rx.tryRecv()).toThrow(/borrow of moved value: this `Receiver` was moved .*a `Receiver` cannot be cloned/);
    tx.send(5);
    expect(handle.join()).toBe(5);

    const [tx2, rx2] = channel<number>();
    rx2.drop();
    tx2.drop();
    expect(() => rx2.recv()).toThrow(/use of dropped `Receiver`/);
    expect(() => tx2.send(1)).toThrow(/use of dropped `Sender`/);
    expect(() => tx2.send(1)).not.toThrow(MOVED);
  });
});

describe("an Arc made by the top level of a module a closure imports with import() is the worker's", { timeout: 60_000 }, () => {
  it('the threads after the importing one on that worker still use it; what the closure makes after the import is dropped', async () => {
    const made = new Arc(0);
    // As a URL: vitest rewrites a literal relative import() in a test file to a path from its root.
    const module = new URL('./fixtures/sync/imported-arc.mjs', import.meta.url).href;
    // Sequential spawns reuse the pool's idle workers: most of these threads import a module their worker loaded before.
    for (let index = 0; index < 16; index++) {
      const label = await spawn(move(made.clone(), module), async (made, module) => {
        const { importedArc } = (await import(module)) as { importedArc: Arc<{ label: string }> };
        made.clone();
        return importedArc.value.label;
      }).joinAsync();
      expect(label).toBe('imported per worker');
    }
    expect(made.strongCount()).toBe(1);
  });
});

describe('a channel end offered to a collection is refused before it moves', { timeout: 60_000 }, () => {
  it('vec.push(tx), map.set(k, { reply: tx }), deque.pushBack(rx): refused, the ends stay usable with their counts', () => {
    const [tx, rx] = channel<number>();
    const vec = new Vec<Sender<number>>();
    const map = new HashMap<string, { reply: Sender<number> }>();
    const deque = new VecDeque<typeof rx>();
    expect(() => vec.push(tx)).toThrow(/`Sender` cannot be an element of a collection/);
    expect(() => map.set('k', { reply: tx })).toThrow(TypeError);
    expect(() => deque.pushBack(rx)).toThrow(/`Receiver` cannot be an element of a collection/);
    expect([vec.length, map.size, deque.length]).toEqual([0, 0, 0]);
    tx.send(1);
    expect(rx.recv()).toBe(1);
    tx.drop();
    expect(() => rx.recv()).toThrow(RecvError);
  });
});
