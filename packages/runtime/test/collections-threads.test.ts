// The collections between real threads: a work queue, a shared map, growth
// seen by every thread, and handles that must not outlive their guard there.
// Guards are released in `finally` (what `using` compiles to).
import { describe, expect, it } from 'vitest';
import { borrow, move, scope, spawn } from '@sendsync/runtime';
import { HashMap, Vec, VecDeque } from '@sendsync/runtime/collections';
import { Arc, Condvar, Mutex, OnceLock, RwLock } from '@sendsync/runtime/sync';

describe('collections between threads', () => {
  it('4 producers and 2 consumers through Arc<Mutex<VecDeque>> + Condvar: 100,000 items, each delivered exactly once', () => {
    const producers = 4;
    const perProducer = 25_000;
    const queue = new Arc(new Mutex(new VecDeque<number>()));
    const notEmpty = new Arc(new Condvar());
    const consumers = [0, 1].map(() =>
      spawn(move(queue.clone(), notEmpty.clone()), (queue, notEmpty) => {
        const got: number[] = [];
        for (;;) {
          let guard = queue.value.lock();
          try {
            while (guard.value.length === 0) guard = notEmpty.value.wait(guard);
            const item = guard.value.popFront()!;
            if (item < 0) return got; // one end marker per consumer
            got.push(item);
          } finally {
            guard[Symbol.dispose]();
          }
        }
      }),
    );
    const producing = Array.from({ length: producers }, (_, producer) =>
      spawn(move(queue.clone(), notEmpty.clone(), producer, perProducer), (queue, notEmpty, producer, count) => {
        for (let i = 0; i < count; i++) {
          const guard = queue.value.lock();
          try {
            guard.value.pushBack(producer * count + i);
          } finally {
            guard[Symbol.dispose]();
          }
          notEmpty.value.notifyOne();
        }
      }),
    );
    for (const handle of producing) handle.join();
    {
      const guard = queue.value.lock();
      try {
        guard.value.pushBack(-1);
        guard.value.pushBack(-1);
      } finally {
        guard[Symbol.dispose]();
      }
      notEmpty.value.notifyAll();
    }
    const received = consumers.map((handle) => handle.join());
    const seen = new Uint8Array(producers * perProducer);
    for (const item of received.flat()) seen[item]++;
    expect(received[0].length + received[1].length).toBe(producers * perProducer);
    expect(seen.every((times) => times === 1)).toBe(true);
    // Each producer's items leave the queue in the order they went in.
    for (const items of received) {
      const last = new Array<number>(producers).fill(-1);
      for (const item of items) {
        const producer = Math.floor(item / perProducer);
        expect(item).toBeGreaterThan(last[producer]);
        last[producer] = item;
      }
    }
  }, 120_000);

  it('a HashMap updated by 4 threads under a Mutex loses no update, while it grows', () => {
    const counts = new Arc(new Mutex(new HashMap<string, number>()));
    const rounds = 20_000;
    const handles = [0, 1, 2, 3].map((thread) =>
      spawn(move(counts.clone(), thread, rounds), (counts, thread, rounds) => {
        for (let i = 0; i < rounds; i++) {
          const guard = counts.value.lock();
          try {
            const map = guard.value;
            // A shared key every thread increments, and keys of its own that grow the table.
            map.set(`shared ${i % 100}`, (map.get(`shared ${i % 100}`) ?? 0) + 1);
            map.set(`thread ${thread} key ${i}`, i);
          } finally {
            guard[Symbol.dispose]();
          }
        }
      }),
    );
    for (const handle of handles) handle.join();
    const map = counts.value.intoInner();
    expect(map.size).toBe(100 + 4 * rounds);
    for (let key = 0; key < 100; key++) expect(map.get(`shared ${key}`)).toBe((4 * rounds) / 100);
    for (let thread = 0; thread < 4; thread++) {
      for (let i = 0; i < rounds; i += 1999) expect(map.get(`thread ${thread} key ${i}`)).toBe(i);
    }
  }, 120_000);

  it('growth in one thread is seen by the others: each thread in turn grows a Vec past several buffer sizes', () => {
    const shared = new Arc(new Mutex(new Vec<number>(1)));
    const perThread = 50_000;
    for (let thread = 0; thread < 3; thread++) {
      spawn(move(shared.clone(), thread, perThread), (shared, thread, count) => {
        const guard = shared.value.lock();
        try {
          const vec = guard.value;
          // Everything the earlier threads wrote, read through buffers they grew.
          for (let i = 0; i < vec.length; i++) if (vec.get(i) !== i) throw new Error(`element ${i} is ${vec.get(i)}`);
          for (let i = 0; i < count; i++) vec.push(thread * count + i);
        } finally {
          guard[Symbol.dispose]();
        }
      }).join();
    }
    const vec = shared.value.intoInner();
    expect(vec.length).toBe(3 * perThread);
    expect(vec.toArray().every((value, index) => value === index)).toBe(true);
  }, 60_000);

  it('a collection moves into a thread, grows there, and moves back out through join', () => {
    const words = Vec.from(['a']);
    const back = spawn(move(words), (words) => {
      for (let i = 0; i < 10_000; i++) words.push(`word ${i}`);
      return words;
    }).join();
    expect(back.length).toBe(10_001);
    expect(back.get(10_000)).toBe('word 9999');
    // eslint-disable-next-line sendsync/no-use-after-move -- the use after move is what this test checks
    expect(() => words.push('x')).toThrow(/^borrow of moved value: this `Vec` was moved \(.*moved into a thread.*\) and its memory went with it; to keep using it here, move a clone instead .*`vec\.clone\(\)`/);
  }, 30_000);

  it('in a thread too, a handle kept past its guard throws', () => {
    const queue = new Mutex(VecDeque.from([1, 2]));
    const outcome = spawn(move(queue), (queue) => {
      const guard = queue.lock();
      const escaped = guard.value;
      guard[Symbol.dispose]();
      try {
        escaped.popFront();
        return 'used after release';
      } catch (error) {
        return (error as Error).name;
      }
    }).join();
    expect(outcome).toBe('ReleasedError');
  }, 30_000);

  it('RwLock<Vec<number>> is Sync: 4 scoped threads borrow it and read at once, and a writer changes it between rounds', () => {
    const table = new RwLock(Vec.from(Array.from({ length: 1_000 }, (_, i) => i)));
    for (let round = 0; round < 3; round++) {
      const sums = scope((s) => {
        const readers = [0, 1, 2, 3].map((thread) =>
          s.spawn(borrow(table), move(thread), (table, thread) => {
            const guard = table.read();
            try {
              const vec = guard.value;
              let sum = 0;
              for (let i = 0; i < vec.length; i++) sum += vec.get(i)!;
              // A reader's handle is read-only: the other readers hold the lock with it.
              try {
                vec.push(thread);
                return -1;
              } catch (error) {
                if (!(error instanceof TypeError)) throw error;
              }
              return sum;
            } finally {
              guard[Symbol.dispose]();
            }
          }),
        );
        return readers.map((handle) => handle.join());
      });
      const expected = (999 * 1_000) / 2 + round * 1_000;
      expect(sums).toEqual([expected, expected, expected, expected]);
      const guard = table.write();
      try {
        for (let i = 0; i < guard.value.length; i++) guard.value.set(i, guard.value.get(i)! + 1);
      } finally {
        guard[Symbol.dispose]();
      }
    }
  }, 60_000);

  it('OnceLock<HashMap>: set once in one thread, read by threads that held the cell before it was set', () => {
    const cell = new Arc(new OnceLock<HashMap<string, number>>());
    const ready = new Arc(new Mutex(false));
    const changed = new Arc(new Condvar());
    const readers = [0, 1, 2].map(() =>
      spawn(move(cell.clone(), ready.clone(), changed.clone()), (cell, ready, changed) => {
        // Wait until the cell is set: it reached this thread empty.
        const map = cell.value.wait();
        let guard = ready.value.lock();
        try {
          guard = changed.value.waitWhile(guard, (ready) => !ready);
        } finally {
          guard[Symbol.dispose]();
        }
        let refused = '';
        try {
          map.set('x', 1);
        } catch (error) {
          refused = (error as Error).message;
        }
        return [map.size, map.get('key 0'), map.get('key 4999'), refused];
      }),
    );
    const map = new HashMap<string, number>();
    for (let i = 0; i < 5_000; i++) map.set(`key ${i}`, i);
    expect(cell.value.set(map)).toBe(true);
    {
      const guard = ready.value.lock();
      try {
        guard.value = true;
      } finally {
        guard[Symbol.dispose]();
      }
      changed.value.notifyAll();
    }
    const frozen = 'a collection in a OnceLock cannot be changed: every thread reads it (clone() it, or set a Mutex holding it)';
    for (const reader of readers) expect(reader.join()).toEqual([5_000, 0, 4_999, frozen]);
    // The map moved into the cell; the cell's own is read-only here too, and a clone is the caller's to change.
    // eslint-disable-next-line sendsync/no-use-after-move -- the test checks that the handle left behind is refused
    expect(() => map.get('key 0')).toThrow(/^borrow of moved value: this `HashMap` was moved \(.*stored in a lock or a shared value.*\) and its memory went with it; .*`const shared = new Arc\(new Mutex\(hashMap\)\)`/);
    const own = cell.value.get()!;
    expect(own.get('key 1')).toBe(1);
    expect(() => own.delete('key 1')).toThrow(frozen);
    const copy = own.clone();
    copy.set('key 1', -1);
    expect([copy.get('key 1'), own.get('key 1')]).toEqual([-1, 1]);
    // A second set leaves the value, and the collection offered, where they were.
    const other = Vec.from([1]);
    expect((cell.value as unknown as OnceLock<unknown>).set(other)).toBe(false);
    // eslint-disable-next-line sendsync/no-use-after-move -- a refused set leaves the collection where it was (Rust hands it back in the `Err`)
    expect(other.get(0)).toBe(1);
  }, 60_000);
});
