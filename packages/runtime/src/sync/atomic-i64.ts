/**
 * `AtomicI64`: a shared signed 64-bit integer (as a bigint), as Rust's `std::sync::atomic::AtomicI64`.
 */

import type { Copy, Traits } from '@sendsync/marker';
import { registerCodec } from '../codec.js';
import { AtomicInteger } from './atomic-integer.js';
import type { AtomicWire } from './atomic-integer.js';

/** Set by the codec while it rebuilds an atomic from its wire form (the constructor reads it). */
let decoding: AtomicWire | undefined;

/**
 * A signed 64-bit integer, as a bigint, that threads read and change without a lock.
 *
 * When to use: a counter that may pass 2^31; arithmetic wraps at 64 bits. (Each read allocates a bigint: prefer AtomicI32 when it fits.)
 * Crosses threads as a shared handle: every thread sees the same cell.
 * Every `Ordering` is honoured by being at least that strong (JavaScript's
 * `Atomics` are sequentially consistent).
 *
 * @example
 * ```ts
 * import { spawn, move } from '@sendsync/runtime';
 * import { AtomicI64, Ordering } from '@sendsync/runtime/sync';
 *
 * const hits = new AtomicI64(0n);
 * spawn(move(hits), (hits) => hits.fetchAdd(1n, Ordering.Relaxed)).join();
 * hits.load(Ordering.Acquire); // 1n
 * // @ts-expect-error: an AtomicI64 holds bigints
 * hits.fetchAdd(1, Ordering.Relaxed);
 * ```
 */
export class AtomicI64 extends AtomicInteger<bigint> {
  /** Creates the atomic with an initial value, in its own shared memory. */
  constructor(value: bigint) {
    const from = decoding;
    decoding = undefined;
    if (from === undefined) {
      const cell = new BigInt64Array(new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT));
      cell[0] = value;
      super(cell, 0);
    } else {
      super(new BigInt64Array(from.memory), from.index);
    }
  }
}

/** `unsafe impl Send for AtomicI64`, `unsafe impl Sync for AtomicI64`. */
export interface AtomicI64 extends Traits<'AtomicI64', never, 'always', 'always'>, Copy {}

registerCodec<AtomicI64, AtomicWire>({
  module: import.meta.url,
  tag: 'sendsync:AtomicI64',
  type: AtomicI64,
  send: 'always',
  sync: 'always',
  encode(atomic) {
    return { memory: atomic.cell.buffer as SharedArrayBuffer, index: atomic.index };
  },
  decode(wire) {
    decoding = wire;
    return new AtomicI64(0n);
  },
});
