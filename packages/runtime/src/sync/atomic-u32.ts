/**
 * `AtomicU32`: a shared unsigned 32-bit integer, as Rust's `std::sync::atomic::AtomicU32`.
 */

import type { Traits } from '@sendsync/marker';
import type { OwnedHandle } from './owned-handle.js';
import { registerAtomicCodec } from './atomic-cell.js';
import { AtomicInteger } from './atomic-integer.js';

/**
 * An unsigned 32-bit integer that threads read and change without a lock.
 *
 * When to use: a counter, an index or a set of flags shared between threads; arithmetic wraps at 32 bits.
 * Crosses threads as a shared handle: every thread sees the same cell.
 * Every `Ordering` is honoured by being at least that strong (JavaScript's
 * `Atomics` are sequentially consistent).
 *
 * @example
 * ```ts
 * import { spawn, move } from '@sendsync/runtime';
 * import { Arc, AtomicU32, Ordering } from '@sendsync/runtime/sync';
 *
 * const hits = new Arc(new AtomicU32(0)); // shared as in Rust: `Arc<AtomicU32>`
 * spawn(move(hits.clone()), (hits) => hits.value.fetchAdd(1, Ordering.Relaxed)).join();
 * hits.value.load(Ordering.Acquire); // 1
 * // @ts-expect-error: an AtomicU32 holds numbers
 * hits.value.fetchAdd(1n, Ordering.Relaxed);
 * ```
 */
export class AtomicU32 extends AtomicInteger<number> {
  /** Creates the atomic with an initial value, in its own shared memory. */
  constructor(value: number) {
    const cell = new Uint32Array(new SharedArrayBuffer(Uint32Array.BYTES_PER_ELEMENT));
    cell[0] = value;
    super(cell, 0);
  }
}

/** `unsafe impl Send for AtomicU32`, `unsafe impl Sync for AtomicU32`. */
export interface AtomicU32 extends Traits<'AtomicU32', never, 'always', 'always'>, OwnedHandle {}

registerAtomicCodec(import.meta.url, 'AtomicU32', AtomicU32, Uint32Array);
