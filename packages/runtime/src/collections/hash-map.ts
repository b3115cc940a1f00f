/**
 * `HashMap<K, V>`: a hash map in shared memory, as Rust's
 * `std::collections::HashMap`.
 */

import type { Traits } from '@sendsync/marker';
import { registerCollection } from './handle.js';
import { find, HashTable, insert, keySlot, occupied, remove, type HashKey } from './hash-table.js';

export type { HashKey } from './hash-table.js';

/**
 * A hash map whose entries live in shared memory: `get`, `set`, `has` and
 * `delete` cost O(1) (amortized for `set`) whatever its size. Keys are
 * strings, numbers, bigints (signed 64-bit) or booleans; values are any Send
 * data. Numbers, bigints and booleans are stored inline (no allocation per
 * entry); a string or an object costs its own size. Iteration order is the
 * table's, not insertion order (as in Rust).
 *
 * When to use: a map that several threads change, behind a lock:
 * `new Mutex(new HashMap<string, number>())`, where a `Mutex<Map>` copies the
 * whole map on every lock.
 *
 * Send (it may move into a thread or into a lock; the handle left behind is
 * then unusable), never Sync on its own: share it through a `Mutex`. A handle
 * reached through a guard is usable only while the guard holds the lock.
 *
 * @example
 * ```ts
 * import type { Sync } from '@sendsync/marker';
 * import { HashMap } from '@sendsync/runtime/collections';
 * import { Mutex } from '@sendsync/runtime/sync';
 *
 * const hits = new Mutex(new HashMap<string, number>());
 * {
 *   using guard = hits.lock();
 *   guard.value.set('/', (guard.value.get('/') ?? 0) + 1);
 * }
 * // @ts-expect-error: a HashMap is not Sync on its own
 * const shared: Sync = new HashMap<string, number>();
 * ```
 */
export class HashMap<K extends HashKey, V> extends HashTable<K> implements Iterable<[K, V]> {
  /** A map of the entries of `entries` (later ones replace earlier ones with the same key). */
  static from<K extends HashKey, V>(entries: Iterable<readonly [K, V]>): HashMap<K, V> {
    const map = new HashMap<K, V>();
    for (const [key, value] of entries) map.set(key, value);
    return map;
  }

  /** The value of `key` (`undefined` when absent). */
  get(key: K): V | undefined {
    const core = this.live();
    const bucket = find(core, key);
    return bucket < 0 ? undefined : (core.read(keySlot(bucket) + 1) as V);
  }

  /**
   * Sets the value of `key`.
   *
   * @throws {TypeError} if the key is not a string, number, bigint or boolean, or the value is not Send.
   */
  set(key: K, value: V): this {
    const core = this.mutable();
    const found = insert(core, key);
    const bucket = found < 0 ? -found - 1 : found;
    const slot = keySlot(bucket) + 1;
    if (found >= 0) {
      // A value that cannot be stored leaves the old one in place.
      core.replace(slot, value);
      return this;
    }
    try {
      core.write(slot, value);
    } catch (error) {
      // Leave no half entry behind: the new key goes again.
      remove(core, bucket);
      throw error;
    }
    return this;
  }

  /** The values (the map must not change meanwhile). */
  *values(): Generator<V> {
    for (const bucket of occupied(this.live())) yield this.live().read(keySlot(bucket) + 1) as V;
  }

  /** The entries as `[key, value]` pairs (the map must not change meanwhile). */
  *entries(): Generator<[K, V]> {
    for (const bucket of occupied(this.live())) {
      const core = this.live();
      yield [core.read(keySlot(bucket)) as K, core.read(keySlot(bucket) + 1) as V];
    }
  }

  /** The entries, as `entries()`. */
  [Symbol.iterator](): Iterator<[K, V]> {
    return this.entries();
  }
}

/** `unsafe impl<K: Send, V: Send> Send for HashMap<K, V>`, and never Sync on its own: a handle can mutate, so sharing needs a lock. */
export interface HashMap<K extends HashKey, V> extends Traits<'HashMap', [K, V], 'T: Send', 'never'> {}

registerCollection(HashMap, 'sendsync:HashMap', import.meta.url);
