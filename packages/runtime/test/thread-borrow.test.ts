import { describe, expect, it } from 'vitest';
import { borrow, move, scope, spawn } from '@sendsync/runtime';
import { Arc, Mutex } from '@sendsync/runtime/sync';

// `borrow()` is Rust's `&T`: the lender's value is never changed or detached, any number of scoped
// threads may borrow it at once, and a write through it is refused.
describe('borrowed typed arrays', { timeout: 60_000 }, () => {
  it('two scoped threads borrow one Float64Array at once; the caller keeps its data', () => {
    const data = Float64Array.from({ length: 1000 }, (_, i) => i);
    const sums = scope((s) => {
      const handles = [0, 1].map(() => s.spawn(borrow(data), (data) => data.reduce((a, b) => a + b, 0)));
      return handles.map((handle) => handle.join());
    });
    expect(sums).toEqual([499_500, 499_500]);
    expect(data.length).toBe(1000);
    expect(data.buffer.byteLength).toBe(8000);
    expect(data[999]).toBe(999);
  });

  it('20 rounds of 4 borrowers each, nobody hangs and the data stays', () => {
    const data = new Uint8Array(64).fill(3);
    for (let round = 0; round < 20; round++) {
      const seen = scope((s) => [0, 1, 2, 3].map(() => s.spawn(borrow(data), (data) => data[63])).map((handle) => handle.join()));
      expect(seen).toEqual([3, 3, 3, 3]);
    }
    expect([...data.subarray(60)]).toEqual([3, 3, 3, 3]);
  });

  it('a borrowed typed array is read-only in the thread: reads work, every kind of write throws', () => {
    const data = { samples: new Int32Array([1, 2, 3]), view: new DataView(new ArrayBuffer(8)) };
    const report = scope((s) =>
      s
        .spawn(borrow(data), (data) => {
          const attempts: Record<string, string> = {};
          const attempt = (name: string, write: () => unknown): void => {
            try {
              write();
              attempts[name] = 'wrote';
            } catch (error) {
              attempts[name] = (error as Error).message;
            }
          };
          const samples = data.samples as Int32Array;
          attempt('index', () => (samples[0] = 9));
          attempt('fill', () => samples.fill(9));
          attempt('set', () => samples.set([9]));
          attempt('sort', () => samples.sort());
          attempt('subarray', () => (samples.subarray(1)[0] = 9));
          attempt('DataView', () => (data.view as DataView).setInt32(0, 9));
          // The bytes behind `.buffer` are a copy: writing there changes nothing the thread reads.
          new Int32Array(samples.buffer)[0] = 9;
          return { attempts, read: [samples[0], samples.length, Math.max(...samples), samples.indexOf(3), samples.slice(1).join()] };
        })
        .join(),
    );
    const refused = 'cannot mutate a borrowed value';
    expect(report.attempts).toEqual({ index: refused, fill: refused, set: refused, sort: refused, subarray: refused, DataView: refused });
    expect(report.read).toEqual([1, 3, 3, 2, '2,3']);
    expect([...data.samples]).toEqual([1, 2, 3]);
  });

  it('a typed array over shared memory is shared, not copied: Atomics work on it', () => {
    const counters = new Int32Array(new SharedArrayBuffer(4));
    scope((s) => {
      for (let i = 0; i < 4; i++) s.spawn(borrow(counters), (counters) => void Atomics.add(counters as Int32Array, 0, 1));
    });
    expect(counters[0]).toBe(4);
  });

  it('a moved typed array still moves: the sender is left detached, as after a Rust move', () => {
    const data = new Uint8Array([1, 2]);
    expect(spawn(move(data), (data) => data.length).join()).toBe(2);
    // eslint-disable-next-line sendsync/no-use-after-move -- what the move left behind is the point
    expect(data.length).toBe(0);
  });
});

// A plain (non-shared) typed array in a lock is a private copy like any cloned value.
describe('a Mutex holding a plain Uint8Array', { timeout: 60_000 }, () => {
  it('hands out a copy, not its own storage: writes through the guard stick, a kept view changes nothing', () => {
    const mutex = new Arc(new Mutex(new Uint8Array(4)));
    let kept: Uint8Array;
    {
      using guard = mutex.value.lock();
      expect(guard.value.buffer).toBeInstanceOf(ArrayBuffer);
      guard.value[0] = 7;
      kept = guard.value;
    }
    kept[1] = 9;
    spawn(move(mutex.clone()), (mutex) => {
      for (let i = 0; i < 100; i++) {
        using guard = mutex.value.lock();
        guard.value[2] += 1;
      }
    }).join();
    using guard = mutex.value.lock();
    expect([...guard.value]).toEqual([7, 0, 100, 0]);
  });
});
