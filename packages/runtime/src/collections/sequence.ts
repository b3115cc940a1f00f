/**
 * What `Vec` and `VecDeque` share: elements numbered from 0, read by index.
 */

import { LENGTH, MAX_BYTES, SLOT_BYTES } from './core.js';
import { Collection } from './handle.js';

/** The base of `Vec` and `VecDeque`. */
export abstract class Sequence<T> extends Collection implements Iterable<T> {
  /** How many elements it holds. */
  get length(): number {
    return this.live().meta[LENGTH];
  }

  /** The element at `index` (`undefined` out of bounds, as an array's). */
  abstract get(index: number): T | undefined;

  /** The elements, as a new (private) array, in order. */
  toArray(): T[] {
    return [...this];
  }

  /** The elements, in order (it must not change meanwhile). */
  *[Symbol.iterator](): Iterator<T> {
    for (let index = 0; index < this.length; index++) yield this.get(index) as T;
  }
}

/** Whether `index` is an integer in `[0, length)`. */
export function inBounds(index: number, length: number): boolean {
  return index >= 0 && index < length && Number.isInteger(index);
}

/** The most slots a collection may have. */
const MAX_SLOTS = MAX_BYTES / SLOT_BYTES;

/**
 * The slots to reserve for a requested `capacity` (at least one, so that
 * doubling grows it).
 *
 * @throws {RangeError} if `capacity` is not a number from 0 to the most slots a collection may have.
 */
export function slotsToReserve(capacity: number): number {
  if (!(capacity >= 0 && capacity <= MAX_SLOTS)) throw new RangeError(`capacity must be a number from 0 to ${MAX_SLOTS}, not ${String(capacity)}`);
  return Math.max(1, Math.ceil(capacity));
}
