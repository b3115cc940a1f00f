/** `OnceCell<T>`: a value written at most once, for one thread (Rust's `std::cell::OnceCell`). */

import type { Traits } from '@sendsync/marker';
import { registerCodec } from '../codec.js';
import { OnceCellFullError, ReentrantInitError } from './errors.js';

// States of `#state`, a plain number: one thread only.
/** Nothing stored yet. */
const EMPTY = 0;
/** `getOrInit` is running the initialiser. */
const INITIALIZING = 1;
/** The value is stored and will never change. */
const FULL = 2;

let isFull: (cell: OnceCell<unknown>) => boolean;

/**
 * A cell that is written once and then only read: a lazily computed value.
 *
 * Use it to compute something on first use inside one thread. It is `Send`
 * when its value is, never `Sync`; across threads use `OnceLock`.
 *
 * @example
 * ```ts
 * const config = new OnceCell<Config>();
 * config.getOrInit(() => loadConfig()); // runs loadConfig once
 * config.get(); // the same Config
 * config.set(other); // throws OnceCellFullError, carrying `other`
 * ```
 */
export class OnceCell<T> {
  #state = EMPTY;
  #value: T | undefined = undefined;

  static {
    isFull = (cell) => cell.#state === FULL;
  }

  /** An empty cell, or one already holding `value` when given. */
  constructor(...value: [] | [T]) {
    if (value.length === 1) {
      this.#value = value[0];
      this.#state = FULL;
    }
  }

  /** The value, or `undefined` while the cell is empty. */
  get(): T | undefined {
    return this.#state === FULL ? this.#value : undefined;
  }

  /** Stores `value` if the cell is empty; otherwise throws `OnceCellFullError` carrying `value`. */
  set(value: T): void {
    if (this.#state !== EMPTY) throw new OnceCellFullError(value);
    this.#value = value;
    this.#state = FULL;
  }

  /** The value, computing it with `init` first if the cell is empty. If `init` throws, the cell stays empty. */
  getOrInit(init: () => T): T {
    if (this.#state === FULL) return this.#value as T;
    if (this.#state === INITIALIZING) throw new ReentrantInitError();
    this.#state = INITIALIZING;
    try {
      this.#value = init();
    } catch (error) {
      this.#state = EMPTY;
      throw error;
    }
    this.#state = FULL;
    return this.#value;
  }

  /** Takes the value out, leaving the cell empty. */
  take(): T | undefined {
    if (this.#state !== FULL) return undefined;
    const value = this.#value;
    this.#value = undefined;
    this.#state = EMPTY;
    return value;
  }

  /** Consumes the cell, returning its value if any. */
  intoInner(): T | undefined {
    return this.get();
  }
}
/** `unsafe impl<T: Send> Send for OnceCell<T>`, `impl<T> !Sync for OnceCell<T>`. */
export interface OnceCell<T> extends Traits<'OnceCell', T, 'T: Send', 'never'> {}

/** The wire form of a `OnceCell`: empty, or its encoded value. */
type OnceCellWire = { full: false } | { full: true; value: unknown };

// Moving a OnceCell moves its value, if it has one.
registerCodec<OnceCell<unknown>, OnceCellWire>({
  module: import.meta.url,
  tag: 'sendsync:OnceCell',
  type: OnceCell as abstract new () => OnceCell<unknown>,
  encode(cell, context) {
    return isFull(cell) ? { full: true, value: context.encode(cell.get()) } : { full: false };
  },
  decode: (wire, context) => (wire.full ? new OnceCell(context.decode(wire.value)) : new OnceCell()),
  name: 'OnceCell',
  send: 'T: Send',
  sync: 'never',
  param: (cell) => (isFull(cell) ? [cell.get()] : []),
});
