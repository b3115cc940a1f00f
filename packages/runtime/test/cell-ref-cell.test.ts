import { afterEach, describe, expect, it } from 'vitest';
import { BorrowError, BorrowMutError, RefCell, ReleasedBorrowError } from '@sendsync/runtime/cell';
import { codecFor } from '../dist/codec.js';

afterEach(() => {
  RefCell.trackBorrows = true;
});

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('RefCell', () => {
  it('many shared borrows at once, released by using', () => {
    const cell = new RefCell([1, 2]);
    {
      using a = cell.borrow();
      using b = cell.borrow();
      expect(a.value).toBe(b.value);
      expect(cell.tryBorrowMut()).toBeUndefined();
    }
    using w = cell.borrowMut();
    w.value.push(3);
    w.value = [...w.value, 4];
    expect(w.value).toEqual([1, 2, 3, 4]);
  });

  it('one mutable borrow excludes every other borrow', () => {
    const cell = new RefCell(0);
    const w = cell.borrowMut();
    expect(thrown(() => cell.borrow())).toBeInstanceOf(BorrowError);
    expect(thrown(() => cell.borrowMut())).toBeInstanceOf(BorrowMutError);
    expect(cell.tryBorrow()).toBeUndefined();
    expect(cell.tryBorrowMut()).toBeUndefined();
    expect(thrown(() => cell.replace(1))).toBeInstanceOf(BorrowMutError);
    w.value = 5;
    w[Symbol.dispose]();
    w[Symbol.dispose](); // releasing twice must not free someone else's borrow
    const r = cell.borrow();
    expect(r.value).toBe(5);
    expect(cell.tryBorrowMut()).toBeUndefined();
    r[Symbol.dispose]();
    expect(cell.replace(6)).toBe(5);
    expect(cell.intoInner()).toBe(6);
  });

  it('a released guard cannot be used', () => {
    const cell = new RefCell(1);
    const r = cell.borrow();
    r[Symbol.dispose]();
    expect(() => r.value).toThrow(ReleasedBorrowError);
    const w = cell.borrowMut();
    w[Symbol.dispose]();
    expect(() => {
      w.value = 2;
    }).toThrow(ReleasedBorrowError);
  });

  it('a conflict names where the conflicting borrow was taken', () => {
    const cell = new RefCell('x');
    // prettier-ignore
    const w = cell.borrowMut(), here = new Error().stack!; // this line is the one named
    const error = thrown(() => cell.borrow()) as BorrowError;
    expect(error.message).toMatch(/^already mutably borrowed \(borrowed at .*cell-ref-cell\.test\.ts:\d+:\d+\)$/);
    const line = Number(/test\.ts:(\d+):/.exec(error.borrowedAt!)![1]);
    expect(Number(/cell-ref-cell\.test\.ts:(\d+):/.exec(here)![1])).toBe(line);
    w[Symbol.dispose]();

    using r = cell.borrow();
    const mutError = thrown(() => cell.borrowMut()) as BorrowMutError;
    expect(mutError.message).toMatch(/^already borrowed \(borrowed at .*cell-ref-cell\.test\.ts:\d+:\d+\)$/);
    expect(r.value).toBe('x');
  });

  it('without tracking the message is the bare one', () => {
    RefCell.trackBorrows = false;
    const cell = new RefCell(1);
    using w = cell.borrowMut();
    const error = thrown(() => cell.borrow()) as BorrowError;
    expect(error.message).toBe('already mutably borrowed');
    expect(error.borrowedAt).toBeUndefined();
    expect(w.value).toBe(1);
  });

  it('moving a RefCell moves its value; a borrowed one cannot move', () => {
    const context = { encode: (v: unknown) => structuredClone(v), decode: (w: unknown) => w, transfer: [] };
    const cell = new RefCell({ list: [1] });
    const codec = codecFor(cell)!;
    const moved = codec.decode(structuredClone(codec.encode(cell, context)), context) as RefCell<{ list: number[] }>;
    using r = moved.borrow();
    expect(r.value).toEqual({ list: [1] });
    using w = cell.borrowMut();
    expect(() => codec.encode(cell, context)).toThrow(BorrowMutError);
    expect(w.value.list).toEqual([1]);
  });
});
