/**
 * `HashSet<K>`: a hash set in shared memory, as Rust's
 * `std::collections::HashSet` (a `HashMap` whose values are left empty).
 */

import type { Traits } from '@sendsync/marker';
import { registerCollection } from './handle.js';
import { HashTable, insert, type HashKey } from './hash-table.js';

/**
 * A set of strings, numbers, bigints (signed 64-bit) or booleans in shared
 * memory: `add`, `has` and `delete` cost O(1) (amortized for `add`) whatever
 * its size; numbers, bigints and booleans allocate nothing. Iteration order
 * is the table's.
 *
 * Send, never Sync on its own: share it through a `Mutex`, as `Vec`.
 *
 * @example
 * ```ts
 * import { HashSet } from '@sendsync/runtime/collections';
 * import { Mutex } from '@sendsync/runtime/sync';
 *
 * const seen = new Mutex(new HashSet<string>());
 * {
 *   using guard = seen.lock();
 *   guard.value.add('https://example.com');
 * }
 * // @ts-expect-error: keys are strings, numbers, bigints or booleans
 * new HashSet<object>();
 * ```
 */
export class HashSet<K extends HashKey> extends HashTable<K> implements Iterable<K> {
  /** A set of the keys of `keys`. */
  static from<K extends HashKey>(keys: Iterable<K>): HashSet<K> {
    const set = new HashSet<K>();
    for (const key of keys) set.add(key);
    return set;
  }

  /** Adds `key` (does nothing if it is there). */
  add(key: K): this {
    insert(this.mutable(), key);
    return this;
  }

  /** The keys, as `keys()` (as a `Set` has both). */
  values(): Generator<K> {
    return this.keys();
  }

  /** The keys, as `keys()`. */
  [Symbol.iterator](): Iterator<K> {
    return this.keys();
  }
}

/** `unsafe impl<K: Send> Send for HashSet<K>`, and never Sync on its own: a handle can mutate, so sharing needs a lock. */
export interface HashSet<K extends HashKey> extends Traits<'HashSet', K, 'T: Send', 'never'> {}

registerCollection(HashSet, 'sendsync:HashSet', import.meta.url);
