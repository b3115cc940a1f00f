/**
 * `HashSet<K>`: a hash set in shared memory, as Rust's
 * `std::collections::HashSet` (a `HashMap` whose values are left empty).
 */

import type { Traits } from '@sendsync/marker';
import { LENGTH } from './core.js';
import { Collection, registerCollection } from './handle.js';
import { clearTable, find, INITIAL_BUCKETS, insert, keySlot, occupied, remove, slotsFor } from './hash-table.js';
import type { HashKey } from './hash-map.js';

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
export class HashSet<K extends HashKey> extends Collection implements Iterable<K> {
  /** An empty set. */
  constructor() {
    super(slotsFor(INITIAL_BUCKETS));
  }

  /** A set of the keys of `keys`. */
  static from<K extends HashKey>(keys: Iterable<K>): HashSet<K> {
    const set = new HashSet<K>();
    for (const key of keys) set.add(key);
    return set;
  }

  /** How many keys it holds. */
  get size(): number {
    return this.live().meta[LENGTH];
  }

  /** Adds `key` (does nothing if it is there). */
  add(key: K): this {
    insert(this.live(), key);
    return this;
  }

  /** Whether it holds `key`. */
  has(key: K): boolean {
    return find(this.live(), key) >= 0;
  }

  /** Removes `key`; returns whether it was there. */
  delete(key: K): boolean {
    const core = this.live();
    const bucket = find(core, key);
    if (bucket < 0) return false;
    remove(core, bucket);
    return true;
  }

  /** Removes every key. */
  clear(): void {
    clearTable(this.live());
  }

  /** The keys (the set must not change meanwhile). */
  *values(): Generator<K> {
    for (const bucket of occupied(this.live())) yield this.live().read(keySlot(bucket)) as K;
  }

  /** The keys, as `values()` (as a `Set` has both). */
  keys(): Generator<K> {
    return this.values();
  }

  /** The keys, as `values()`. */
  [Symbol.iterator](): Iterator<K> {
    return this.values();
  }
}

/** `unsafe impl<K: Send> Send for HashSet<K>`, and never Sync on its own: a handle can mutate, so sharing needs a lock. */
export interface HashSet<K extends HashKey> extends Traits<'HashSet', K, 'T: Send', 'never'> {}

registerCollection(HashSet, 'sendsync:HashSet', import.meta.url);
