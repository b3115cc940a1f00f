/**
 * `Vec<T>`: a growable array in shared memory, as Rust's `std::vec::Vec`.
 */

import type { Traits } from '@sendsync/marker';
import { LENGTH, CAPACITY } from './core.js';
import { registerCollection } from './handle.js';
import { inBounds, Sequence, slotsToReserve } from './sequence.js';

/** Slots a new `Vec` has room for before its first growth. */
const INITIAL_CAPACITY = 8;

/**
 * A growable array whose elements live in shared memory: `push`, `pop`,
 * `get` and `set` cost O(1) (amortized for `push`) whatever its length, and
 * numbers, bigints and booleans are stored inline (no allocation per
 * element); a string or an object costs its own size, as one element.
 *
 * When to use: a list that several threads change, behind a lock:
 * `new Mutex(new Vec<number>())` keeps the vector where it is, and the guard
 * reaches it in place, where a `Mutex<number[]>` copies the whole array on
 * every lock.
 *
 * Send (it may move into a thread, or into a lock; the handle left behind is
 * then unusable), never Sync on its own: share it through a `Mutex` or an
 * `RwLock`. A handle reached through a guard is usable only while the guard
 * holds the lock.
 *
 * @example
 * ```ts
 * import type { Sync } from '@sendsync/marker';
 * import { Vec } from '@sendsync/runtime/collections';
 * import { Mutex } from '@sendsync/runtime/sync';
 *
 * const samples = new Mutex(new Vec<number>());
 * {
 *   using guard = samples.lock();
 *   guard.value.push(1.5); // in shared memory, no copy
 * }
 * // @ts-expect-error: a Vec is not Sync on its own
 * const shared: Sync = new Vec<number>();
 * ```
 */
export class Vec<T> extends Sequence<T> {
  /** An empty vector (`capacity`: slots to reserve up front). */
  constructor(capacity = INITIAL_CAPACITY) {
    super(slotsToReserve(capacity));
  }

  /** A vector of the elements of `items`, in order. */
  static from<T>(items: Iterable<T>): Vec<T> {
    const vec = new Vec<T>();
    for (const item of items) vec.push(item);
    return vec;
  }

  /** Appends `value`. */
  push(value: T): void {
    const core = this.mutable();
    const meta = core.meta;
    const length = meta[LENGTH];
    if (length === meta[CAPACITY]) core.growSlots(length * 2);
    core.write(length, value);
    meta[LENGTH] = length + 1;
  }

  /** Removes and returns the last element (`undefined` when empty). */
  pop(): T | undefined {
    const core = this.mutable();
    const length = core.meta[LENGTH];
    if (length === 0) return undefined;
    const value = core.read(length - 1) as T;
    core.free(length - 1);
    core.meta[LENGTH] = length - 1;
    return value;
  }

  /** The element at `index` (`undefined` out of bounds, as an array's). */
  get(index: number): T | undefined {
    const core = this.live();
    return inBounds(index, core.meta[LENGTH]) ? (core.read(index) as T) : undefined;
  }

  /**
   * Replaces the element at `index`.
   *
   * @throws {RangeError} if `index` is not below `length` (Rust panics).
   */
  set(index: number, value: T): void {
    const core = this.mutable();
    if (!inBounds(index, core.meta[LENGTH])) throw new RangeError(`index out of bounds: the len is ${core.meta[LENGTH]} but the index is ${index}`);
    core.replace(index, value);
  }

  /** Shortens it to `length` elements (does nothing if it is not longer). */
  truncate(length: number): void {
    const core = this.mutable();
    const current = core.meta[LENGTH];
    if (!(length >= 0) || length >= current) return;
    const keep = Math.floor(length);
    core.freeRange(keep, current);
    core.meta[LENGTH] = keep;
  }

  /** Removes every element. */
  clear(): void {
    this.truncate(0);
  }
}

/** `unsafe impl<T: Send> Send for Vec<T>`, and never Sync on its own: a handle can mutate, so sharing needs a lock. */
export interface Vec<T> extends Traits<'Vec', T, 'T: Send', 'never'> {}

registerCollection(Vec, 'sendsync:Vec', import.meta.url);
