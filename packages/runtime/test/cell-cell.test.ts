import { describe, expect, it } from 'vitest';
import { Cell, OnceCell, OnceCellFullError, ReentrantInitError } from '@sendsync/runtime/cell';
import { codecFor } from '../dist/codec.js';

describe('Cell', () => {
  it('smoke: get, set, replace, take, swap, intoInner', () => {
    const cell = new Cell<number | undefined>(1);
    expect(cell.get()).toBe(1);
    cell.set(2);
    expect(cell.replace(3)).toBe(2);
    expect(cell.take()).toBe(3);
    expect(cell.get()).toBeUndefined();
    const other = new Cell<number | undefined>(9);
    cell.swap(other);
    expect([cell.get(), other.get()]).toEqual([9, undefined]);
    expect(cell.intoInner()).toBe(9);
  });
});

describe('OnceCell', () => {
  it('is written once', () => {
    const once = new OnceCell<string>();
    expect(once.get()).toBeUndefined();
    once.set('a');
    expect(once.get()).toBe('a');
    const error = (() => {
      try {
        once.set('b');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(OnceCellFullError);
    expect((error as OnceCellFullError<string>).value).toBe('b');
    expect(once.get()).toBe('a');
  });

  it('getOrInit runs the initialiser once, stays empty when it throws, refuses reentrance', () => {
    let runs = 0;
    const once = new OnceCell<number>();
    expect(() =>
      once.getOrInit(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(once.get()).toBeUndefined();
    expect(once.getOrInit(() => ++runs)).toBe(1);
    expect(once.getOrInit(() => ++runs)).toBe(1);
    expect(runs).toBe(1);
    const reentrant = new OnceCell<number>();
    expect(() => reentrant.getOrInit(() => reentrant.getOrInit(() => 1))).toThrow(ReentrantInitError);
  });

  it('take empties it; a cell built with a value is full, even with undefined', () => {
    const once = new OnceCell<undefined>(undefined);
    expect(() => once.set(undefined)).toThrow(OnceCellFullError);
    expect(once.take()).toBeUndefined();
    once.set(undefined);
  });
});

describe('codecs: moving a cell moves its value', () => {
  // The codec context of the thread walker, reduced to structured cloning, which
  // is what a plain value gets when it crosses.
  const context = { encode: (v: unknown) => structuredClone(v), decode: (w: unknown) => w, transfer: [] };

  it('Cell and OnceCell are rebuilt around a copy of their value', () => {
    const cell = new Cell({ n: 1 });
    const codec = codecFor(cell)!;
    const moved = codec.decode(structuredClone(codec.encode(cell, context)), context) as Cell<{ n: number }>;
    expect(moved).toBeInstanceOf(Cell);
    expect(moved.get()).toEqual({ n: 1 });
    expect(moved.get()).not.toBe(cell.get());

    const empty = new OnceCell<number>();
    const full = new OnceCell<number | undefined>(undefined);
    const onceCodec = codecFor(empty)!;
    const movedEmpty = onceCodec.decode(structuredClone(onceCodec.encode(empty, context)), context) as OnceCell<number>;
    const movedFull = onceCodec.decode(structuredClone(onceCodec.encode(full, context)), context) as OnceCell<undefined>;
    expect(() => movedEmpty.set(1)).not.toThrow();
    expect(() => movedFull.set(undefined)).toThrow(OnceCellFullError);
  });
});
