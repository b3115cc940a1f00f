/**
 * `RefCell<T>`: a value with borrow rules checked at run time, for one thread
 * (Rust's `std::cell::RefCell`).
 */

import type { Traits } from '@sendsync/marker';
import { host } from '#host';
import { refuseToSend, registerCodec } from '../codec.js';
import { BorrowError, BorrowMutError, ReleasedBorrowError } from './errors.js';

// States of the borrow count (`#borrows`), a plain number: one thread only.
/** No borrow is live. */
const UNBORROWED = 0;
/** One `RefMut` is live; any positive count is that many live `Ref`s. */
const WRITING = -1;

/** Where a borrow was taken: a stack captured cheaply, formatted only on conflict. */
interface Site {
  stack?: string;
}

let valueOf: <T>(cell: RefCell<T>) => T;
let storeValue: <T>(cell: RefCell<T>, value: T) => void;
let release: (cell: RefCell<unknown>) => void;

/**
 * A mutable value whose borrows follow Rust's rules, checked when they happen:
 * any number of `Ref`s (read-only) or exactly one `RefMut`; a conflicting borrow
 * throws `BorrowError` / `BorrowMutError`.
 *
 * Use it for shared ownership with mutation inside one thread (usually as
 * `Rc<RefCell<T>>`). It is `Send` when its value is (moving it moves its value)
 * and never `Sync`.
 *
 * Borrow tracking: when `RefCell.trackBorrows` is on, every borrow records
 * where it was taken so that a conflict names it (`already borrowed (borrowed
 * at main.ts:3:16)`). Recording captures a stack at every borrow, which costs
 * far more than the borrow itself: it is on unless `NODE_ENV` is
 * `production`, as a development mode, and can be switched at any time.
 *
 * @example
 * ```ts
 * const list = new RefCell<number[]>([]);
 * {
 *   using items = list.borrowMut();
 *   items.value.push(1);
 * } // released here
 * using items = list.borrow();
 * items.value.length; // 1
 * list.borrowMut(); // BorrowMutError: already borrowed (borrowed at main.ts:6:20)
 * ```
 */
export class RefCell<T> {
  /** Whether borrows record where they were taken (see the class comment for the cost). */
  static trackBorrows: boolean = !host.production;

  #value: T;
  /** `UNBORROWED`, `WRITING`, or the number of live `Ref`s. */
  #borrows = UNBORROWED;
  /** Where the latest live borrow was taken, when tracked. */
  #site: Site | undefined = undefined;

  static {
    valueOf = (cell) => cell.#value;
    storeValue = (cell, value) => {
      cell.#value = value;
    };
    release = (cell) => {
      cell.#borrows = cell.#borrows === WRITING ? UNBORROWED : cell.#borrows - 1;
      if (cell.#borrows === UNBORROWED) cell.#site = undefined;
    };
  }

  /** A cell holding `value`. */
  constructor(value: T) {
    this.#value = value;
  }

  /** Borrows the value read-only until the `Ref` is released; throws `BorrowError` while mutably borrowed. */
  borrow(): Ref<T> {
    if (this.#borrows === WRITING) throw new BorrowError(location(this.#site));
    this.#borrows += 1;
    if (RefCell.trackBorrows) this.#site = site();
    return new Ref(this);
  }

  /** Like `borrow()`, but `undefined` instead of throwing. */
  tryBorrow(): Ref<T> | undefined {
    if (this.#borrows === WRITING) return undefined;
    this.#borrows += 1;
    if (RefCell.trackBorrows) this.#site = site();
    return new Ref(this);
  }

  /** Borrows the value exclusively until the `RefMut` is released; throws `BorrowMutError` while borrowed. */
  borrowMut(): RefMut<T> {
    if (this.#borrows !== UNBORROWED) throw new BorrowMutError(location(this.#site));
    this.#borrows = WRITING;
    if (RefCell.trackBorrows) this.#site = site();
    return new RefMut(this);
  }

  /** Like `borrowMut()`, but `undefined` instead of throwing. */
  tryBorrowMut(): RefMut<T> | undefined {
    if (this.#borrows !== UNBORROWED) return undefined;
    this.#borrows = WRITING;
    if (RefCell.trackBorrows) this.#site = site();
    return new RefMut(this);
  }

  /** Replaces the value, returning the old one; throws `BorrowMutError` while borrowed. */
  replace(value: T): T {
    if (this.#borrows !== UNBORROWED) throw new BorrowMutError(location(this.#site));
    const old = this.#value;
    this.#value = value;
    return old;
  }

  /** Consumes the cell, returning its value; throws `BorrowMutError` while borrowed. */
  intoInner(): T {
    if (this.#borrows !== UNBORROWED) throw new BorrowMutError(location(this.#site));
    return this.#value;
  }
}
/** `unsafe impl<T: Send> Send for RefCell<T>`, `impl<T> !Sync for RefCell<T>`. */
export interface RefCell<T> extends Traits<'RefCell', T, 'T: Send', 'never'> {}

/**
 * A read-only borrow of a `RefCell`'s value, released by `using` or
 * `[Symbol.dispose]()`.
 *
 * @example
 * ```ts
 * using config = settings.borrow();
 * config.value.verbose;
 * ```
 */
export class Ref<T> {
  #cell: RefCell<T> | undefined;

  /** Made by `RefCell.borrow()`. */
  constructor(cell: RefCell<T>) {
    this.#cell = cell;
  }

  /** The borrowed value (Rust's `Deref`). */
  get value(): T {
    if (this.#cell === undefined) throw new ReleasedBorrowError();
    return valueOf(this.#cell);
  }

  /** Releases the borrow; releasing twice does nothing. */
  [Symbol.dispose](): void {
    if (this.#cell === undefined) return;
    release(this.#cell);
    this.#cell = undefined;
  }
}
/**
 * Neither `Send` nor `Sync`, whatever `T` is: like Rust's `Ref<'_, T>`, it holds a
 * reference to its `RefCell`'s borrow count, a `Cell`, which is not `Sync`.
 */
export interface Ref<T> extends Traits<'Ref', T, 'never', 'never'> {}

/**
 * An exclusive borrow of a `RefCell`'s value, released by `using` or
 * `[Symbol.dispose]()`; `.value` may be read and assigned.
 *
 * @example
 * ```ts
 * using count = counter.borrowMut();
 * count.value += 1;
 * ```
 */
export class RefMut<T> {
  #cell: RefCell<T> | undefined;

  /** Made by `RefCell.borrowMut()`. */
  constructor(cell: RefCell<T>) {
    this.#cell = cell;
  }

  /** The borrowed value (Rust's `DerefMut`). */
  get value(): T {
    if (this.#cell === undefined) throw new ReleasedBorrowError();
    return valueOf(this.#cell);
  }

  set value(value: T) {
    if (this.#cell === undefined) throw new ReleasedBorrowError();
    storeValue(this.#cell, value);
  }

  /** Releases the borrow; releasing twice does nothing. */
  [Symbol.dispose](): void {
    if (this.#cell === undefined) return;
    release(this.#cell);
    this.#cell = undefined;
  }
}
/** Neither `Send` nor `Sync`, whatever `T` is: like `Ref`, it holds its `RefCell`'s borrow count. */
export interface RefMut<T> extends Traits<'RefMut', T, 'never', 'never'> {}

/** Captures the stack from the borrowing method up (V8 formats it only if `stack` is read). */
function site(): Site {
  const captured: Site = {};
  Error.captureStackTrace(captured, site);
  return captured;
}

/** The caller of the borrowing method in a captured site, as `file:line:column` (or the frame text). */
function location(captured: Site | undefined): string | undefined {
  // Frame 0 is the borrowing method itself (`RefCell.borrowMut`), frame 1 its caller.
  const frame = captured?.stack?.split('\n').filter((line) => line.startsWith('    at '))[1];
  if (frame === undefined) return undefined;
  const inParens = /\((.*)\)$/.exec(frame);
  return inParens?.[1] ?? frame.slice('    at '.length);
}

// Moving a RefCell into another thread moves its value; a borrowed cell cannot move.
registerCodec<RefCell<unknown>, unknown>({
  module: import.meta.url,
  tag: 'sendsync:RefCell',
  type: RefCell,
  encode: (cell, context) => context.encode(cell.intoInner()),
  decode: (wire, context) => new RefCell(context.decode(wire)),
  name: 'RefCell',
  send: 'T: Send',
  sync: 'never',
  param: (cell) => {
    // Mutably borrowed, the cell cannot move at all: its encode throws `BorrowMutError`.
    const ref = cell.tryBorrow();
    if (ref === undefined) return [];
    try {
      return [ref.value];
    } finally {
      ref[Symbol.dispose]();
    }
  },
});

// A borrow guard never leaves the thread of its cell (Rust's `Ref` and `RefMut` are neither Send nor Sync).
refuseToSend<Ref<unknown>>({ type: Ref, name: 'Ref', param: (ref) => [ref.value] });
refuseToSend<RefMut<unknown>>({ type: RefMut, name: 'RefMut', param: (ref) => [ref.value] });
