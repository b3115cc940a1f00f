/**
 * `AtomicI32`: a shared signed 32-bit integer, as Rust's `std::sync::atomic::AtomicI32`.
 */

import type { Copy, Traits } from '@sendsync/marker';
import { registerCodec } from '../codec.js';
import { AtomicInteger } from './atomic-integer.js';
import type { AtomicWire } from './atomic-integer.js';

/** Set by the codec while it rebuilds an atomic from its wire form (the constructor reads it). */
let decoding: AtomicWire | undefined;

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
 * import { AtomicI32, Ordering } from '@sendsync/runtime/sync';
 *
 * const hits = new AtomicI32(0);
 * spawn(move(hits), (hits) => hits.fetchAdd(1, Ordering.Relaxed)).join();
 * hits.load(Ordering.Acquire); // 1
 * // @ts-expect-error: an AtomicI32 holds numbers
 * hits.fetchAdd(1n, Ordering.Relaxed);
 * ```
 */
export class AtomicI32 extends AtomicInteger<number> {
  /** Creates the atomic with an initial value, in its own shared memory. */
  constructor(value: number) {
    const from = decoding;
    decoding = undefined;
    if (from === undefined) {
      const cell = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
      cell[0] = value;
      super(cell, 0);
    } else {
      super(new Int32Array(from.memory), from.index);
    }
  }
}

/** `unsafe impl Send for AtomicI32`, `unsafe impl Sync for AtomicI32`. */
export interface AtomicI32 extends Traits<'AtomicI32', never, 'always', 'always'>, Copy {}

registerCodec<AtomicI32, AtomicWire>({
  module: import.meta.url,
  tag: 'sendsync:AtomicI32',
  type: AtomicI32,
  send: 'always',
  sync: 'always',
  encode(atomic) {
    return { memory: atomic.cell.buffer as SharedArrayBuffer, index: atomic.index };
  },
  decode(wire) {
    decoding = wire;
    return new AtomicI32(0);
  },
});
