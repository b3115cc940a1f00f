/**
 * The operations shared by `AtomicI64` and `AtomicU64`: one 64-bit cell of a
 * `SharedArrayBuffer`, every operation a single `Atomics` call (or a
 * compare-exchange loop for max, min, nand and update). Arithmetic wraps
 * around, as Rust's atomic `fetch_add` does.
 *
 * Every `Ordering` argument is honoured by being at least that strong:
 * JavaScript's `Atomics` are all sequentially consistent.
 */

import type { FetchUpdateResult } from './atomic-number.js';
import type { Ordering } from './ordering.js';

/** Base of the 64-bit integer atomics (values are bigints). */
export abstract class AtomicBigInt {
  /** @internal The cell (the array's element `index`). */
  readonly cell: BigInt64Array | BigUint64Array;
  /** @internal Index of the cell in `cell`. */
  readonly index: number;

  /** @internal */
  constructor(cell: BigInt64Array | BigUint64Array, index: number) {
    this.cell = cell;
    this.index = index;
  }

  /** Reads the value. */
  load(_order: Ordering): bigint {
    return Atomics.load(this.cell, this.index);
  }
  /** Writes the value. */
  store(value: bigint, _order: Ordering): void {
    Atomics.store(this.cell, this.index, value);
  }
  /** Writes the value, returning the previous one. */
  swap(value: bigint, _order: Ordering): bigint {
    return Atomics.exchange(this.cell, this.index, value);
  }
  /**
   * Writes `next` if the value is `current`. Returns the previous value: the
   * exchange happened exactly when it equals `current` (Rust's `Ok(previous)`;
   * anything else is Rust's `Err(actual)`).
   */
  compareExchange(current: bigint, next: bigint, _success: Ordering, _failure: Ordering): bigint {
    return Atomics.compareExchange(this.cell, this.index, current, next);
  }
  /** As `compareExchange` (which never fails spuriously, so it is a valid weak exchange). */
  compareExchangeWeak(current: bigint, next: bigint, _success: Ordering, _failure: Ordering): bigint {
    return Atomics.compareExchange(this.cell, this.index, current, next);
  }
  /** Adds (wrapping), returning the previous value. */
  fetchAdd(value: bigint, _order: Ordering): bigint {
    return Atomics.add(this.cell, this.index, value);
  }
  /** Subtracts (wrapping), returning the previous value. */
  fetchSub(value: bigint, _order: Ordering): bigint {
    return Atomics.sub(this.cell, this.index, value);
  }
  /** Bitwise and, returning the previous value. */
  fetchAnd(value: bigint, _order: Ordering): bigint {
    return Atomics.and(this.cell, this.index, value);
  }
  /** Bitwise or, returning the previous value. */
  fetchOr(value: bigint, _order: Ordering): bigint {
    return Atomics.or(this.cell, this.index, value);
  }
  /** Bitwise xor, returning the previous value. */
  fetchXor(value: bigint, _order: Ordering): bigint {
    return Atomics.xor(this.cell, this.index, value);
  }
  /** Bitwise not-and, returning the previous value. */
  fetchNand(value: bigint, order: Ordering): bigint {
    return this.update((previous) => ~(previous & value), order);
  }
  /** Stores the maximum of the value and `value`, returning the previous value. */
  fetchMax(value: bigint, order: Ordering): bigint {
    return this.update((previous) => (value > previous ? value : previous), order);
  }
  /** Stores the minimum of the value and `value`, returning the previous value. */
  fetchMin(value: bigint, order: Ordering): bigint {
    return this.update((previous) => (value < previous ? value : previous), order);
  }
  /**
   * Applies `f` until the compare-exchange succeeds (`f` may run several
   * times). `f` returning `undefined` stops without writing: `ok` is then false.
   */
  fetchUpdate(_setOrder: Ordering, _fetchOrder: Ordering, f: (value: bigint) => bigint | undefined): FetchUpdateResult<bigint> {
    let previous = Atomics.load(this.cell, this.index);
    for (;;) {
      const next = f(previous);
      if (next === undefined) return { ok: false, value: previous };
      // Succeeds only if nobody wrote between our load and this exchange.
      const actual = Atomics.compareExchange(this.cell, this.index, previous, next);
      if (actual === previous) return { ok: true, value: previous };
      previous = actual;
    }
  }
  /** The value, taken out (Rust's `into_inner`). */
  intoInner(): bigint {
    return Atomics.load(this.cell, this.index);
  }

  /** A compare-exchange loop applying `f`; returns the previous value. */
  private update(f: (value: bigint) => bigint, _order: Ordering): bigint {
    let previous = Atomics.load(this.cell, this.index);
    for (;;) {
      // Succeeds only if nobody wrote between our load and this exchange.
      const actual = Atomics.compareExchange(this.cell, this.index, previous, f(previous));
      if (actual === previous) return previous;
      previous = actual;
    }
  }
}
