// Collections below the top of a lock's value (`Mutex<{ queue: VecDeque<number> }>`,
// `Mutex<Vec<number>[]>`, `RwLock<{ index: HashMap<string, number> }>`): they move into the
// lock's handle table, each guard is lent a handle over the same shared memory (read-only
// under a read guard), revoked when the guard is released; a store that leaves one out, and
// the lock's last owner, drop it. Real threads throughout.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { move, spawn } from '@sendsync/runtime';
import { HashMap, Vec, VecDeque } from '@sendsync/runtime/collections';
import { Arc, Barrier, Mutex, OnceLock, ReleasedError, RwLock, UseAfterDropError } from '@sendsync/runtime/sync';

const THREADS = 4;
const ITEMS = 10_000;

/** Runs `f`, returning what it threw (undefined if nothing). */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('collections inside a lock value', { timeout: 120_000 }, () => {
  it('Arc<Mutex<{ queue: VecDeque<number>, done: boolean }>>: 4 threads x 10,000 pushes and 5,000 pops each, every item once', () => {
    const queue = new VecDeque<number>();
    const state = new Arc(new Mutex({ queue, finished: 0, done: false }));
    // The VecDeque moved into the lock: the handle left here is moved (rustc's E0382).
    // eslint-disable-next-line sendsync/no-use-after-move -- the test checks that the handle left outside is refused
    expect(thrown(() => queue.pushBack(0))).toBeInstanceOf(UseAfterDropError);
    const workers = Array.from({ length: THREADS }, (_, worker) =>
      spawn(move(state.clone(), worker, ITEMS, THREADS), (state, worker, items, threads) => {
        const popped: number[] = [];
        for (let item = 0; item < items; item++) {
          using guard = state.value.lock();
          guard.value.queue.pushBack(worker * items + item);
          // Every other round takes one out: never empty, since this round just put one in.
          if (item % 2 === 1) popped.push(guard.value.queue.popFront()!);
        }
        using guard = state.value.lock();
        // A plain field beside the queue, written back on release with the queue's entry kept.
        guard.value.finished += 1;
        if (guard.value.finished === threads) guard.value.done = true;
        state.drop();
        return popped;
      }),
    );
    const popped = workers.map((handle) => handle.join()).flat();
    using guard = state.value.lock();
    expect(guard.value.done).toBe(true);
    expect(guard.value.finished).toBe(THREADS);
    const left = guard.value.queue.toArray();
    expect(popped.length).toBe((THREADS * ITEMS) / 2);
    expect(left.length).toBe((THREADS * ITEMS) / 2);
    const seen = new Uint8Array(THREADS * ITEMS);
    for (const item of [...popped, ...left]) seen[item]++;
    expect(seen.every((times) => times === 1)).toBe(true);
  });

  it('Mutex<Vec<number>[]>: 4 shards, each written through the lock by its own thread, in order', () => {
    const shards = new Arc(new Mutex(Array.from({ length: THREADS }, () => new Vec<number>())));
    const writers = Array.from({ length: THREADS }, (_, shard) =>
      spawn(move(shards.clone(), shard), (shards, shard) => {
        for (let item = 0; item < 2_000; item++) {
          using guard = shards.value.lock();
          guard.value[shard].push(shard * 1_000_000 + item);
        }
        shards.drop();
      }),
    );
    for (const handle of writers) handle.join();
    using guard = shards.value.lock();
    guard.value.forEach((shard, index) => {
      expect(shard.toArray()).toEqual(Array.from({ length: 2_000 }, (_, item) => index * 1_000_000 + item));
    });
  });

  it('RwLock<{ index: HashMap<string, number> }>: 3 readers at once while one writer grows it; a read guard cannot write', () => {
    const WRITES = 3_000;
    const lock = new Arc(new RwLock({ index: new HashMap<string, number>(), writes: 0 }));
    const start = new Arc(new Barrier(THREADS));
    const writer = spawn(move(lock.clone(), start.clone(), WRITES), (lock, start, writes) => {
      start.value.wait();
      for (let write = 1; write <= writes; write++) {
        using guard = lock.value.write();
        guard.value.index.set(`key ${write}`, write);
        guard.value.writes = write;
      }
    });
    const readers = Array.from({ length: THREADS - 1 }, () =>
      spawn(move(lock.clone(), start.clone(), WRITES), (lock, start, writes) => {
        start.value.wait();
        let reads = 0;
        let refused = '';
        // Bounded: a writer that died must not leave the readers spinning forever.
        const deadline = Date.now() + 100_000;
        for (;;) {
          using guard = lock.value.read();
          const { index, writes: written } = guard.value;
          // What one writer published, whole: every key up to the count, none past it.
          if (index.size !== written) throw new Error(`${index.size} keys for ${written} writes`);
          if (written > 0 && index.get(`key ${written}`) !== written) throw new Error(`key ${written} missing`);
          if (index.get(`key ${written + 1}`) !== undefined) throw new Error(`key ${written + 1} early`);
          reads++;
          if (refused === '') {
            try {
              index.set('nope', 0);
            } catch (error) {
              refused = (error as Error).message;
            }
          }
          if (written === writes) return { reads, refused };
          if (Date.now() > deadline) throw new Error(`only ${written} writes seen`);
        }
      }),
    );
    writer.join();
    for (const { reads, refused } of readers.map((handle) => handle.join())) {
      expect(reads).toBeGreaterThan(0);
      expect(refused).toBe('a collection reached through a read guard cannot be changed: take the write lock');
    }
    using guard = lock.value.read();
    expect(guard.value.index.size).toBe(WRITES);
    expect(guard.value.index.has('nope')).toBe(false);
  });

  it('a lent handle used after its guard is released throws ReleasedError, in the thread and in the main thread', () => {
    const lock = new Arc(new Mutex({ items: Vec.from([1, 2]) }));
    const inThread = spawn(move(lock.clone()), (lock) => {
      let kept: Vec<number>;
      {
        using guard = lock.value.lock();
        kept = guard.value.items;
        kept.push(3);
      }
      try {
        kept.push(4);
        return 'used';
      } catch (error) {
        return (error as Error).name;
      } finally {
        lock.drop();
      }
    }).join();
    expect(inThread).toBe('ReleasedError');
    let kept: Vec<number>;
    {
      using guard = lock.value.lock();
      kept = guard.value.items;
      expect(kept.toArray()).toEqual([1, 2, 3]);
    }
    expect(thrown(() => kept.length)).toBeInstanceOf(ReleasedError);
    // Nor may it be stored back under a later guard: the store is refused, and the lock keeps its value.
    {
      using guard = lock.value.lock();
      guard.value = { items: kept };
      const refused = thrown(() => guard[Symbol.dispose]()) as Error;
      expect(refused.message).toBe('value cannot be stored in shared memory: guard used after release');
      expect(refused.cause).toBeInstanceOf(ReleasedError);
    }
    using guard = lock.value.lock();
    expect(guard.value.items.toArray()).toEqual([1, 2, 3]);
  });

  it('RwLock read guards lend read-only handles; a write guard lends a writable one', () => {
    const lock = new RwLock([{ names: Vec.from(['a']) }]);
    {
      using read = lock.read();
      expect(thrown(() => read.value[0].names.push('b'))).toBeInstanceOf(TypeError);
      expect(read.value[0].names.toArray()).toEqual(['a']);
    }
    using write = lock.write();
    write.value[0].names.push('b');
    expect(write.value[0].names.toArray()).toEqual(['a', 'b']);
  });

  it('a collection that cannot move is refused before anything moves: lent by another lock, or in a value refused later', () => {
    const other = new Mutex(new Vec<number>());
    {
      using guard = other.lock();
      expect(() => new Mutex({ lent: guard.value })).toThrow('a collection reached through a guard cannot be moved out of its lock');
    }
    const vec = Vec.from([7]);
    // The Vec is met first, then the bare shared buffer, which no value may hold: nothing moved.
    expect(() => new Mutex({ vec, raw: new Uint8Array(new SharedArrayBuffer(8)) })).toThrow(TypeError);
    // eslint-disable-next-line sendsync/no-use-after-move -- the lock refused the value: nothing moved
    expect(vec.toArray()).toEqual([7]);
  });

  it('the same collection twice in a value is one collection; moving it between fields keeps it', () => {
    const vec = Vec.from([1]);
    const lock = new Mutex({ a: vec, b: vec });
    {
      using guard = lock.lock();
      guard.value.a.push(2);
      expect(guard.value.b.toArray()).toEqual([1, 2]);
      guard.value = { a: guard.value.b, b: guard.value.b };
    }
    using guard = lock.lock();
    expect(guard.value.a.toArray()).toEqual([1, 2]);
  });

  it("intoInner copies the collections out; a OnceLock's are read-only for every thread", () => {
    const lock = new Mutex({ items: Vec.from([1, 2]) });
    const inner = lock.intoInner();
    inner.items.push(3);
    expect(inner.items.toArray()).toEqual([1, 2, 3]);
    using guard = lock.lock();
    expect(guard.value.items.toArray()).toEqual([1, 2]);

    const once = new Arc(new OnceLock<{ table: HashMap<string, number> }>());
    const table = new HashMap<string, number>();
    table.set('x', 1);
    once.value.set({ table });
    const seen = spawn(move(once.clone()), (once) => {
      const { table } = once.value.get()!;
      let refused = false;
      try {
        table.set('y', 2);
      } catch {
        refused = true;
      }
      once.drop();
      return [table.get('x'), refused];
    }).join();
    expect(seen).toEqual([1, true]);
  });
});

const runtime = new URL('../dist/index.js', import.meta.url).href;
const sync = new URL('../dist/sync/index.js', import.meta.url).href;
const collections = new URL('../dist/collections/index.js', import.meta.url).href;

/**
 * Runs `body` in a fresh Node with `--expose-gc` (from a file: the courier,
 * which a lock that crossed needs, starts from a module's URL), and returns
 * what it prints. `collect()` collects in a later job (a `WeakRef`
 * holds its target until the job that made or read it ends).
 */
function run(body: string): string {
  const script = `
    const { spawn, move } = await import(${JSON.stringify(runtime)});
    const { Arc, Mutex } = await import(${JSON.stringify(sync)});
    const { Vec } = await import(${JSON.stringify(collections)});
    const collect = async () => { await new Promise((resolve) => setTimeout(resolve, 0)); globalThis.gc(); };
    /** Weak references to a collection's buffers (its handle's internal memory), to see them collected. */
    const memoryOf = (collection) => [collection.core.meta.buffer, collection.core.slots, collection.core.heap].map((buffer) => new WeakRef(buffer));
    const freed = (refs) => refs.every((ref) => ref.deref() === undefined);
    ${body}
  `;
  const folder = mkdtempSync(join(tmpdir(), 'collections-in-lock-'));
  try {
    const file = join(folder, 'main.mjs');
    writeFileSync(file, script);
    return execFileSync(process.execPath, ['--expose-gc', file], { encoding: 'utf8', timeout: 100_000 }).trim();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('memory of collections inside a lock value', { timeout: 120_000 }, () => {
  it('a store that leaves a collection out frees its memory, while the lock lives on', () => {
    const out = run(`
      let vec = Vec.from(Array.from({ length: 100_000 }, (_, i) => i));
      const refs = memoryOf(vec);
      const lock = new Mutex({ vec, kept: Vec.from([1]) });
      vec = undefined;
      const guard = lock.lock();
      guard.value = { kept: guard.value.kept };
      guard[Symbol.dispose]();
      await collect();
      const check = lock.lock();
      console.log(JSON.stringify([freed(refs), check.value.kept.toArray()]));
      check[Symbol.dispose]();
    `);
    expect(JSON.parse(out)).toEqual([true, [1]]);
  });

  it('in a lock that crossed to a thread: a store drops the collection it replaces, the last Arc drops the rest', () => {
    const out = run(`
      let vec = Vec.from([1, 2, 3]);
      const meta = new Int32Array(vec.core.meta.buffer);
      const lock = new Arc(new Mutex({ vec }));
      vec = undefined;
      // A thread holds the lock, and a view of the memory, before the main thread replaces the Vec.
      const seen = spawn(move(lock.clone()), (lock) => {
        const guard = lock.value.lock();
        const length = guard.value.vec.length;
        guard[Symbol.dispose]();
        lock.drop();
        return length;
      }).join();
      const replacing = lock.value.lock();
      replacing.value = { vec: Vec.from([9]) };
      replacing[Symbol.dispose]();
      // Word 4 of a collection's control words marks memory that a lock dropped (core.ts's DROPPED).
      const droppedByStore = Atomics.load(meta, 4);
      const second = lock.value.lock();
      const next = new Int32Array(second.value.vec.core.meta.buffer);
      const keptBefore = Atomics.load(next, 4);
      second[Symbol.dispose]();
      lock.drop();
      console.log(JSON.stringify([seen, droppedByStore, keptBefore, Atomics.load(next, 4)]));
    `);
    expect(JSON.parse(out)).toEqual([3, 1, 0, 1]);
  });
});
