/**
 * `Cell<T>`: a mutable slot inside a value that is otherwise shared read-only,
 * for one thread (Rust's `std::cell::Cell`).
 */

import type { Traits } from '@sendsync/marker';
import { registerCodec } from '../codec.js';

/**
 * A mutable memory location for one thread: values are copied in and out, and
 * no reference to the inside is ever handed out.
 *
 * Use it for a counter or a flag inside a structure that is otherwise shared
 * read-only within a thread. It is `Send` when its value is (moving a cell to
 * another thread moves its value) and never `Sync`: to mutate from several
 * threads use an atomic or a `Mutex`.
 *
 * @example
 * ```ts
 * const hits = new Cell(0);
 * hits.set(hits.get() + 1);
 * hits.replace(10); // 1
 * // @ts-expect-error: `Cell<number>` cannot be shared between threads safely
 * scope((s) => s.spawn(borrow(hits), (hits) => hits.get()));
 * ```
 */
export class Cell<T> {
  #value: T;

  /** A cell holding `value`. */
  constructor(value: T) {
    this.#value = value;
  }

  /** A copy of the value (for objects: the same object, as JavaScript shares them). */
  get(): T {
    return this.#value;
  }

  /** Replaces the value. */
  set(value: T): void {
    this.#value = value;
  }

  /** Replaces the value and returns the old one. */
  replace(value: T): T {
    const old = this.#value;
    this.#value = value;
    return old;
  }

  /**
   * Takes the value, leaving `undefined` (Rust leaves `Default::default()`;
   * JavaScript's default is `undefined`, so the cell's type must admit it).
   */
  take(this: Cell<T | undefined>): T | undefined {
    return this.replace(undefined);
  }

  /** Swaps the values of two cells. */
  swap(other: Cell<T>): void {
    const value = this.#value;
    this.#value = other.#value;
    other.#value = value;
  }

  /** Consumes the cell, returning its value (the cell is left holding nothing useful). */
  intoInner(): T {
    return this.#value;
  }
}
/** `unsafe impl<T: Send> Send for Cell<T>`, `impl<T> !Sync for Cell<T>`. */
export interface Cell<T> extends Traits<'Cell', T, 'T: Send', 'never'> {}

// Moving a cell into another thread moves its value: a new cell is built there.
registerCodec<Cell<unknown>, unknown>({
  module: import.meta.url,
  tag: 'sendsync:Cell',
  type: Cell,
  encode: (cell, context) => context.encode(cell.get()),
  decode: (wire, context) => new Cell(context.decode(wire)),
  name: 'Cell',
  send: 'T: Send',
  sync: 'never',
  param: (cell) => [cell.get()],
});
