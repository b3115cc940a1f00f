/**
 * What `Vec` and `VecDeque` share: elements numbered from 0, read by index.
 */

import { LENGTH } from './core.js';
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
