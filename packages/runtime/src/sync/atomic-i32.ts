/**
 * `AtomicI32`: a shared signed 32-bit integer, as Rust's `std::sync::atomic::AtomicI32`.
 */

import type { Traits } from '@sendsync/marker';
import type { OwnedHandle } from './owned-handle.js';
import { registerAtomicCodec } from './atomic-cell.js';
import { AtomicInteger } from './atomic-integer.js';

/**
 * A signed 32-bit integer that threads read and change without a lock.
 *
 * When to use: a counter, an index or a state word shared between threads; arithmetic wraps at 32 bits.
 * Crosses threads as a shared handle: every thread sees the same cell.
 * Every `Ordering` is honoured by being at least that strong (JavaScript's
 * `Atomics` are sequentially consistent).
 *
 * @example
 * ```ts
 * import { spawn, move } from '@sendsync/runtime';
 * import { Arc, AtomicI32, Ordering } from '@sendsync/runtime/sync';
 *
 * const hits = new Arc(new AtomicI32(0)); // shared as in Rust: `Arc<AtomicI32>`
 * spawn(move(hits.clone()), (hits) => hits.value.fetchAdd(1, Ordering.Relaxed)).join();
 * hits.value.load(Ordering.Acquire); // 1
 * // @ts-expect-error: an AtomicI32 holds numbers
 * hits.value.fetchAdd(1n, Ordering.Relaxed);
 * ```
 */
export class AtomicI32 extends AtomicInteger<number> {
  /** Creates the atomic with an initial value, in its own shared memory. */
  constructor(value: number) {
    const cell = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    cell[0] = value;
    super(cell, 0);
  }
}

/** `unsafe impl Send for AtomicI32`, `unsafe impl Sync for AtomicI32`. */
export interface AtomicI32 extends Traits<'AtomicI32', never, 'always', 'always'>, OwnedHandle {}

registerAtomicCodec(import.meta.url, 'AtomicI32', AtomicI32, Int32Array);
