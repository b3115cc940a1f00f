/**
 * The open-addressing hash table under `HashMap` and `HashSet`: buckets of
 * two slots, the key then the value, probed linearly. A bucket is 32 bytes
 * and starts at a multiple of 32, so that a probe that finds its key at once
 * reads one cache line: the key's tag says the bucket's state, the key's
 * hash sits in the key slot's container word, a number key in its payload.
 * Keys are strings, numbers, bigints in the signed 64-bit range and
 * booleans, compared as a `Map` compares them (SameValueZero: `NaN` equals
 * `NaN`, `-0` equals `0`).
 */

import protocol from '../internal/protocol.js';
import { CAPACITY, HEAD, LENGTH, SLOT_BYTES, VACANT, type Core } from './core.js';
import { Collection } from './handle.js';

/** What a key may be: compared by value, as a `Map` compares them (SameValueZero). */
export type HashKey = string | number | bigint | boolean;

// A bucket's states: the tag of its key slot.
/** Never used: a probe stops here. */
const EMPTY = VACANT;
/** Held an entry that was deleted: a probe goes on past it, an insertion may reuse it (no key is `undefined`). */
const TOMBSTONE = protocol.Tag.UNDEFINED;
/** Any other tag: the bucket holds an entry, and the tag is its key's. */

/** Slots per bucket: key, value. */
const BUCKET_SLOTS = 2;
/** Words (32-bit) per bucket. */
const BUCKET_WORDS = (BUCKET_SLOTS * SLOT_BYTES) / 4;
/** Word of a bucket: its state (the key slot's tag). */
const STATE = 2;
/** Word of a bucket: its key's hash (the key slot's container word). */
const HASH = 3;
/** Buckets of a new table (a power of two, as every bucket count). */
const INITIAL_BUCKETS = 8;
/** The table grows when more than 3/4 of its buckets are used (entries and tombstones). */
const LOAD_NUMERATOR = 3;
const LOAD_DENOMINATOR = 4;

/** Scratch memory of this thread for hashing numbers and bigints by their bits. */
const scratch = new ArrayBuffer(8);
const scratchFloat = new Float64Array(scratch);
const scratchBigInt = new BigInt64Array(scratch);
const scratchWords = new Int32Array(scratch);

/**
 * What `HashMap` and `HashSet` share: a table of keys (a set's buckets leave
 * their value slot empty).
 */
export abstract class HashTable<K extends HashKey> extends Collection {
  /** An empty table. */
  constructor() {
    super(slotsFor(INITIAL_BUCKETS));
  }

  /** How many keys (a map's entries) it holds. */
  get size(): number {
    return this.live().meta[LENGTH];
  }

  /** Whether it holds `key`. */
  has(key: K): boolean {
    return find(this.live(), key) >= 0;
  }

  /** Removes `key` (a map's entry of `key`); returns whether it was there. */
  delete(key: K): boolean {
    const core = this.mutable();
    const bucket = find(core, key);
    if (bucket < 0) return false;
    remove(core, bucket);
    return true;
  }

  /** Removes every key. */
  clear(): void {
    clearTable(this.mutable());
  }

  /** The keys, in the table's order (it must not change meanwhile). */
  *keys(): Generator<K> {
    for (const bucket of occupied(this.live())) yield this.live().read(keySlot(bucket)) as K;
  }
}

/** Slots that `buckets` buckets take. */
function slotsFor(buckets: number): number {
  return buckets * BUCKET_SLOTS;
}

/** The key slot of bucket `bucket` (its value slot is the next one). */
export function keySlot(bucket: number): number {
  return bucket * BUCKET_SLOTS;
}

/** The bucket holding `key`, or -1. */
export function find(core: Core, key: unknown): number {
  const hash = hashOf(key);
  const i32 = core.i32;
  const mask = core.meta[CAPACITY] / BUCKET_SLOTS - 1;
  for (let bucket = hash & mask; ; bucket = (bucket + 1) & mask) {
    const word = bucket * BUCKET_WORDS;
    const state = i32[word + STATE];
    if (state === EMPTY) return -1;
    if (i32[word + HASH] === hash && state !== TOMBSTONE && core.equals(bucket * BUCKET_SLOTS, key)) return bucket;
  }
}

/**
 * The bucket for `key`: where it is, or a bucket made ready for it (growing
 * the table first if needed), its key written, its value slot empty.
 * Returns the bucket, negated minus one when it is new.
 */
export function insert(core: Core, key: unknown): number {
  const hash = hashOf(key);
  const meta = core.meta;
  if ((meta[HEAD] + 1) * LOAD_DENOMINATOR > (meta[CAPACITY] / BUCKET_SLOTS) * LOAD_NUMERATOR) rehash(core);
  const i32 = core.i32;
  const mask = meta[CAPACITY] / BUCKET_SLOTS - 1;
  let reuse = -1;
  let bucket = hash & mask;
  for (; ; bucket = (bucket + 1) & mask) {
    const word = bucket * BUCKET_WORDS;
    const state = i32[word + STATE];
    if (state === EMPTY) break;
    if (state === TOMBSTONE) {
      if (reuse < 0) reuse = bucket;
    } else if (i32[word + HASH] === hash && core.equals(bucket * BUCKET_SLOTS, key)) {
      return bucket;
    }
  }
  if (reuse >= 0) bucket = reuse;
  else meta[HEAD]++;
  // The key's tag, written last, makes the bucket full.
  core.write(bucket * BUCKET_SLOTS, key);
  i32[bucket * BUCKET_WORDS + HASH] = hash;
  meta[LENGTH]++;
  return -bucket - 1;
}

/** Removes the entry in `bucket` (found by `find`), freeing its key and value. */
export function remove(core: Core, bucket: number): void {
  core.free(bucket * BUCKET_SLOTS);
  core.free(bucket * BUCKET_SLOTS + 1);
  core.i32[bucket * BUCKET_WORDS + STATE] = TOMBSTONE;
  core.meta[LENGTH]--;
}

/** Removes every entry. */
function clearTable(core: Core): void {
  const buckets = core.meta[CAPACITY] / BUCKET_SLOTS;
  for (let bucket = 0; bucket < buckets; bucket++) {
    // `free` leaves both slots holding nothing: the bucket is EMPTY.
    core.free(bucket * BUCKET_SLOTS);
    core.free(bucket * BUCKET_SLOTS + 1);
  }
  core.meta[LENGTH] = 0;
  core.meta[HEAD] = 0;
}

/** The full buckets, in bucket order (the table must not change meanwhile). */
export function* occupied(core: Core): Generator<number> {
  for (let bucket = 0; bucket < core.meta[CAPACITY] / BUCKET_SLOTS; bucket++) {
    if (isFull(core.i32[bucket * BUCKET_WORDS + STATE])) yield bucket;
  }
}

/**
 * Makes room: twice the buckets when the entries fill half, else the same
 * number (the tombstones are dropped). The entries are copied aside as raw
 * words (their heap blocks keep their owner), the buckets cleared, and each
 * entry placed again by its stored hash.
 */
function rehash(core: Core): void {
  const meta = core.meta;
  const buckets = meta[CAPACITY] / BUCKET_SLOTS;
  const entries = meta[LENGTH];
  const aside = new Int32Array(entries * BUCKET_WORDS);
  let count = 0;
  for (let bucket = 0; bucket < buckets; bucket++) {
    const start = bucket * BUCKET_WORDS;
    if (isFull(core.i32[start + STATE])) aside.set(core.i32.subarray(start, start + BUCKET_WORDS), count++ * BUCKET_WORDS);
  }
  const grown = entries * 2 >= buckets ? buckets * 2 : buckets;
  if (grown !== buckets) core.growSlots(slotsFor(grown));
  const i32 = core.i32;
  i32.fill(0, 0, grown * BUCKET_WORDS);
  const mask = grown - 1;
  for (let entry = 0; entry < count; entry++) {
    const words = aside.subarray(entry * BUCKET_WORDS, (entry + 1) * BUCKET_WORDS);
    let bucket = words[HASH] & mask;
    while (i32[bucket * BUCKET_WORDS + STATE] !== EMPTY) bucket = (bucket + 1) & mask;
    i32.set(words, bucket * BUCKET_WORDS);
  }
  meta[HEAD] = count;
}

/** Whether a bucket in state `state` holds an entry. */
function isFull(state: number): boolean {
  return state !== EMPTY && state !== TOMBSTONE;
}

/**
 * The hash of a key (a 32-bit integer), equal for keys that are
 * SameValueZero-equal; refuses what cannot be a key.
 */
function hashOf(key: unknown): number {
  let hash: number;
  switch (typeof key) {
    case 'number':
      if ((key | 0) === key) {
        hash = key;
      } else {
        // -0 and every NaN hash as 0 and one NaN, as they compare.
        scratchFloat[0] = key === 0 ? 0 : key !== key ? NaN : key;
        hash = scratchWords[0] ^ Math.imul(scratchWords[1], 0x9e3779b1);
      }
      break;
    case 'string':
      // FNV-1a over the UTF-16 code units.
      hash = 0x811c9dc5;
      for (let index = 0; index < key.length; index++) hash = Math.imul(hash ^ key.charCodeAt(index), 0x01000193);
      break;
    case 'boolean':
      hash = key ? 1 : 2;
      break;
    case 'bigint':
      if (BigInt.asIntN(64, key) !== key) throw new RangeError('bigint key does not fit in 64 bits');
      scratchBigInt[0] = key;
      hash = scratchWords[0] ^ Math.imul(scratchWords[1], 0x9e3779b1);
      break;
    default:
      throw new TypeError('a key must be a string, number, bigint or boolean');
  }
  // murmur3's finalizer: spreads the bits, so that linear probing sees no runs of similar keys.
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}
