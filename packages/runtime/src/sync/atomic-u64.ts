/**
 * `AtomicU64`: a shared unsigned 64-bit integer (as a bigint), as Rust's `std::sync::atomic::AtomicU64`.
 */

import type { Traits } from '@sendsync/marker';
import type { OwnedHandle } from './owned-handle.js';
import { registerAtomicCodec } from './atomic-cell.js';
import { AtomicInteger } from './atomic-integer.js';

/**
 * An unsigned 64-bit integer, as a bigint, that threads read and change without a lock.
 *
 * When to use: a counter that may pass 2^32; arithmetic wraps at 64 bits. (Each read allocates a bigint: prefer AtomicU32 when it fits.)
 * Crosses threads as a shared handle: every thread sees the same cell.
 * Every `Ordering` is honoured by being at least that strong (JavaScript's
 * `Atomics` are sequentially consistent).
 *
 * @example
 * ```ts
 * import { spawn, move } from '@sendsync/runtime';
 * import { Arc, AtomicU64, Ordering } from '@sendsync/runtime/sync';
 *
 * const hits = new Arc(new AtomicU64(0n)); // shared as in Rust: `Arc<AtomicU64>`
 * spawn(move(hits.clone()), (hits) => hits.value.fetchAdd(1n, Ordering.Relaxed)).join();
 * hits.value.load(Ordering.Acquire); // 1n
 * // @ts-expect-error: an AtomicU64 holds bigints
 * hits.value.fetchAdd(1, Ordering.Relaxed);
 * ```
 */
export class AtomicU64 extends AtomicInteger<bigint> {
  /** Creates the atomic with an initial value, in its own shared memory. */
  constructor(value: bigint) {
    const cell = new BigUint64Array(new SharedArrayBuffer(BigUint64Array.BYTES_PER_ELEMENT));
    cell[0] = value;
    super(cell, 0);
  }
}

/** `unsafe impl Send for AtomicU64`, `unsafe impl Sync for AtomicU64`. */
export interface AtomicU64 extends Traits<'AtomicU64', never, 'always', 'always'>, OwnedHandle {}

registerAtomicCodec(import.meta.url, 'AtomicU64', AtomicU64, BigUint64Array);
