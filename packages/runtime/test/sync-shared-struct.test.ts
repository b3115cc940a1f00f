import { describe, expect, it } from 'vitest';
import { move, spawn } from '@sendsync/runtime';
import { Arc, Mutex, SharedStruct } from '@sendsync/runtime/sync';

const Point = SharedStruct.define({ x: 'f64', y: 'f64', hits: 'u32', alive: 'bool', id: 'i64' });

describe('SharedStruct', () => {
  it('lays fields out aligned and reads them back', () => {
    expect(Point.byteLength).toBe(32); // x@0 y@8 hits@16 alive@20 id@24
    const p = new Point({ x: 1.5, id: -7n });
    expect(p).toBeInstanceOf(Point);
    expect(p).toBeInstanceOf(SharedStruct);
    expect({ x: p.x, y: p.y, hits: p.hits, alive: p.alive, id: p.id }).toEqual({ x: 1.5, y: 0, hits: 0, alive: false, id: -7n });
    p.hits = 2 ** 32 + 3; // wraps like a Uint32Array element
    expect(p.hits).toBe(3);
    expect(new DataView(p.buffer).getBigInt64(24, true)).toBe(-7n);
    expect(SharedStruct.define({ x: 'f64', y: 'f64', hits: 'u32', alive: 'bool', id: 'i64' })).toBe(Point);
  });

  it('several structs in one buffer, with SharedStruct.at', () => {
    const memory = new SharedArrayBuffer(Point.byteLength * 2);
    const first = SharedStruct.at(Point, memory, 0);
    const second = SharedStruct.at(Point, memory, Point.byteLength);
    second.x = 9;
    expect(first.x).toBe(0);
    expect(SharedStruct.at(Point, memory, Point.byteLength).x).toBe(9);
  });

  it('behind a Mutex, threads change it in place (no copy), with no lost update', () => {
    const point = new Point();
    const mutex = new Arc(new Mutex(point));
    const handles = [0, 1, 2, 3].map(() =>
      spawn(move(mutex.clone()), (mutex) => {
        for (let i = 0; i < 10_000; i++) {
          const guard = mutex.value.lock();
          guard.value.hits += 1;
          guard.value.x += 0.5;
          guard[Symbol.dispose]();
        }
      }),
    );
    for (const handle of handles) handle.join();
    // The struct moved into the lock (Rust's `Mutex::new(point)`): the lock's is the same memory.
    expect(() => point.hits).toThrow(/borrow of moved value: this `SharedStruct` was moved/);
    using guard = mutex.value.lock();
    expect(guard.value.hits).toBe(40_000);
    expect(guard.value.x).toBe(20_000);
  }, 30_000);

  it('moves into a thread as shared memory, rebuilt from its layout there', () => {
    const point = new Point({ y: 2 });
    const handle = spawn(move(point), (point) => {
      point.y *= 21;
      return [Object.keys(Object.getPrototypeOf(point) as object), point] as const;
    });
    const [keys, back] = handle.join();
    expect(keys).toEqual(['x', 'y', 'hits', 'alive', 'id']);
    // Returned, it moved back: the same memory.
    expect(back.y).toBe(42);
  });

  it('refuses to be made without a type', () => {
    expect(() => new SharedStruct()).toThrow(TypeError);
  });
});
