/**
 * `AtomicU64`: a shared unsigned 64-bit integer (as a bigint), as Rust's `std::sync::atomic::AtomicU64`.
 */

import type { Copy, Traits } from '@sendsync/marker';
import { registerCodec } from '../codec.js';
import { AtomicInteger } from './atomic-integer.js';
import type { AtomicWire } from './atomic-integer.js';

/** Set by the codec while it rebuilds an atomic from its wire form (the constructor reads it). */
let decoding: AtomicWire | undefined;

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
 * import { AtomicU64, Ordering } from '@sendsync/runtime/sync';
 *
 * const hits = new AtomicU64(0n);
 * spawn(move(hits), (hits) => hits.fetchAdd(1n, Ordering.Relaxed)).join();
 * hits.load(Ordering.Acquire); // 1n
 * // @ts-expect-error: an AtomicU64 holds bigints
 * hits.fetchAdd(1, Ordering.Relaxed);
 * ```
 */
export class AtomicU64 extends AtomicInteger<bigint> {
  /** Creates the atomic with an initial value, in its own shared memory. */
  constructor(value: bigint) {
    const from = decoding;
    decoding = undefined;
    if (from === undefined) {
      const cell = new BigUint64Array(new SharedArrayBuffer(BigUint64Array.BYTES_PER_ELEMENT));
      cell[0] = value;
      super(cell, 0);
    } else {
      super(new BigUint64Array(from.memory), from.index);
    }
  }
}

/** `unsafe impl Send for AtomicU64`, `unsafe impl Sync for AtomicU64`. */
export interface AtomicU64 extends Traits<'AtomicU64', never, 'always', 'always'>, Copy {}

registerCodec<AtomicU64, AtomicWire>({
  module: import.meta.url,
  tag: 'sendsync:AtomicU64',
  type: AtomicU64,
  send: 'always',
  sync: 'always',
  encode(atomic) {
    return { memory: atomic.cell.buffer as SharedArrayBuffer, index: atomic.index };
  },
  decode(wire) {
    decoding = wire;
    return new AtomicU64(0n);
  },
});
