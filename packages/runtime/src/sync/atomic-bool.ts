/**
 * `AtomicBool`: a shared boolean, as Rust's `std::sync::atomic::AtomicBool`.
 */

import type { Traits } from '@sendsync/marker';
import type { OwnedHandle } from './owned-handle.js';
import { AtomicCell, registerAtomicCodec } from './atomic-cell.js';
import type { FetchUpdateResult } from './atomic-integer.js';
import type { Ordering } from './ordering.js';

/** Cell value: false. */
const FALSE = 0;
/** Cell value: true. */
const TRUE = 1;

/**
 * A boolean that threads read and change without a lock (a 32-bit cell
 * holding 0 or 1, so that it can also be waited on).
 *
 * When to use: a flag such as "stop" or "ready" shared between threads.
 * Every `Ordering` is honoured by being at least that strong (JavaScript's
 * `Atomics` are sequentially consistent).
 *
 * @example
 * ```ts
 * import { spawn, move } from '@sendsync/runtime';
 * import { Arc, AtomicBool, Ordering } from '@sendsync/runtime/sync';
 *
 * const stop = new Arc(new AtomicBool(false)); // shared as in Rust: `Arc<AtomicBool>`
 * const worker = spawn(move(stop.clone()), (stop) => { while (!stop.value.load(Ordering.Acquire)); });
 * stop.value.store(true, Ordering.Release);
 * worker.join();
 * // @ts-expect-error: an AtomicBool holds booleans
 * stop.value.store(1, Ordering.Relaxed);
 * ```
 */
export class AtomicBool extends AtomicCell<Int32Array> {
  /** Creates the atomic with an initial value, in its own shared memory. */
  constructor(value: boolean) {
    const cell = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
    cell[0] = value ? TRUE : FALSE;
    super(cell, 0);
  }

  /** Reads the value. */
  load(_order: Ordering): boolean {
    return Atomics.load(this.cell, this.index) !== FALSE;
  }
  /** Writes the value. */
  store(value: boolean, _order: Ordering): void {
    Atomics.store(this.cell, this.index, value ? TRUE : FALSE);
  }
  /** Writes the value, returning the previous one. */
  swap(value: boolean, _order: Ordering): boolean {
    return Atomics.exchange(this.cell, this.index, value ? TRUE : FALSE) !== FALSE;
  }
  /** Writes `next` if the value is `current`; returns the previous value (it succeeded when that equals `current`). */
  compareExchange(current: boolean, next: boolean, _success: Ordering, _failure: Ordering): boolean {
    return Atomics.compareExchange(this.cell, this.index, current ? TRUE : FALSE, next ? TRUE : FALSE) !== FALSE;
  }
  /** As `compareExchange` (which never fails spuriously, so it is a valid weak exchange). */
  compareExchangeWeak(current: boolean, next: boolean, success: Ordering, failure: Ordering): boolean {
    return this.compareExchange(current, next, success, failure);
  }
  /** Logical and, returning the previous value. */
  fetchAnd(value: boolean, _order: Ordering): boolean {
    return Atomics.and(this.cell, this.index, value ? TRUE : FALSE) !== FALSE;
  }
  /** Logical or, returning the previous value. */
  fetchOr(value: boolean, _order: Ordering): boolean {
    return Atomics.or(this.cell, this.index, value ? TRUE : FALSE) !== FALSE;
  }
  /** Logical xor, returning the previous value. */
  fetchXor(value: boolean, _order: Ordering): boolean {
    return Atomics.xor(this.cell, this.index, value ? TRUE : FALSE) !== FALSE;
  }
  /** Logical not-and, returning the previous value. */
  fetchNand(value: boolean, order: Ordering): boolean {
    return this.fetchUpdate(order, order, (previous) => !(previous && value)).value;
  }
  /** Logical not, returning the previous value. */
  fetchNot(_order: Ordering): boolean {
    return Atomics.xor(this.cell, this.index, TRUE) !== FALSE;
  }
  /** Stores the maximum (true wins), returning the previous value. */
  fetchMax(value: boolean, order: Ordering): boolean {
    return this.fetchOr(value, order);
  }
  /** Stores the minimum (false wins), returning the previous value. */
  fetchMin(value: boolean, order: Ordering): boolean {
    return this.fetchAnd(value, order);
  }
  /** Applies `f` until the compare-exchange succeeds; `f` returning `undefined` stops without writing. */
  fetchUpdate(_setOrder: Ordering, _fetchOrder: Ordering, f: (value: boolean) => boolean | undefined): FetchUpdateResult<boolean> {
    let previous = Atomics.load(this.cell, this.index);
    for (;;) {
      const next = f(previous !== FALSE);
      if (next === undefined) return { ok: false, value: previous !== FALSE };
      // Succeeds only if nobody wrote between our load and this exchange.
      const actual = Atomics.compareExchange(this.cell, this.index, previous, next ? TRUE : FALSE);
      if (actual === previous) return { ok: true, value: previous !== FALSE };
      previous = actual;
    }
  }
  /** The value, taken out (Rust's `into_inner`). */
  intoInner(): boolean {
    return Atomics.load(this.cell, this.index) !== FALSE;
  }
}

/** `unsafe impl Send for AtomicBool`, `unsafe impl Sync for AtomicBool`. */
export interface AtomicBool extends Traits<'AtomicBool', never, 'always', 'always'>, OwnedHandle {}

registerAtomicCodec(import.meta.url, 'AtomicBool', AtomicBool, Int32Array);
