/**
 * The operations shared by `AtomicI32` and `AtomicU32`: one 32-bit cell of a
 * `SharedArrayBuffer`, every operation a single `Atomics` call (or a
 * compare-exchange loop for max, min, nand and update). Arithmetic wraps
 * around, as Rust's atomic `fetch_add` does.
 *
 * Every `Ordering` argument is honoured by being at least that strong:
 * JavaScript's `Atomics` are all sequentially consistent.
 */

import type { Ordering } from './ordering.js';

/**
 * The result of `fetchUpdate`: Rust's `Result<T, T>` (`ok` false when the
 * function returned `undefined`).
 *
 * When to use: it is what `fetchUpdate` returns.
 *
 * @example
 * ```ts
 * const { ok, value } = counter.fetchUpdate(Ordering.SeqCst, Ordering.SeqCst, (n) => (n < 10 ? n + 1 : undefined));
 * ```
 */
export interface FetchUpdateResult<Value> {
  /** Whether the value was updated. */
  readonly ok: boolean;
  /** The previous value (when `ok`), or the current one the function declined to update. */
  readonly value: Value;
}

/** The wire form of an atomic: its memory and the index of its cell. */
export interface AtomicWire {
  readonly memory: SharedArrayBuffer;
  readonly index: number;
}

/** Base of the 32-bit integer atomics. */
export abstract class AtomicNumber {
  /** @internal The cell (the array's element `index`). */
  readonly cell: Int32Array | Uint32Array;
  /** @internal Index of the cell in `cell`. */
  readonly index: number;

  /** @internal */
  constructor(cell: Int32Array | Uint32Array, index: number) {
    this.cell = cell;
    this.index = index;
  }

  /** Reads the value. */
  load(_order: Ordering): number {
    return Atomics.load(this.cell, this.index);
  }
  /** Writes the value. */
  store(value: number, _order: Ordering): void {
    Atomics.store(this.cell, this.index, value);
  }
  /** Writes the value, returning the previous one. */
  swap(value: number, _order: Ordering): number {
    return Atomics.exchange(this.cell, this.index, value);
  }
  /**
   * Writes `next` if the value is `current`. Returns the previous value: the
   * exchange happened exactly when it equals `current` (Rust's `Ok(previous)`;
   * anything else is Rust's `Err(actual)`).
   */
  compareExchange(current: number, next: number, _success: Ordering, _failure: Ordering): number {
    return Atomics.compareExchange(this.cell, this.index, current, next);
  }
  /** As `compareExchange` (which never fails spuriously, so it is a valid weak exchange). */
  compareExchangeWeak(current: number, next: number, _success: Ordering, _failure: Ordering): number {
    return Atomics.compareExchange(this.cell, this.index, current, next);
  }
  /** Adds (wrapping), returning the previous value. */
  fetchAdd(value: number, _order: Ordering): number {
    return Atomics.add(this.cell, this.index, value);
  }
  /** Subtracts (wrapping), returning the previous value. */
  fetchSub(value: number, _order: Ordering): number {
    return Atomics.sub(this.cell, this.index, value);
  }
  /** Bitwise and, returning the previous value. */
  fetchAnd(value: number, _order: Ordering): number {
    return Atomics.and(this.cell, this.index, value);
  }
  /** Bitwise or, returning the previous value. */
  fetchOr(value: number, _order: Ordering): number {
    return Atomics.or(this.cell, this.index, value);
  }
  /** Bitwise xor, returning the previous value. */
  fetchXor(value: number, _order: Ordering): number {
    return Atomics.xor(this.cell, this.index, value);
  }
  /** Bitwise not-and, returning the previous value. */
  fetchNand(value: number, order: Ordering): number {
    return this.update((previous) => ~(previous & value), order);
  }
  /** Stores the maximum of the value and `value`, returning the previous value. */
  fetchMax(value: number, order: Ordering): number {
    return this.update((previous) => (value > previous ? value : previous), order);
  }
  /** Stores the minimum of the value and `value`, returning the previous value. */
  fetchMin(value: number, order: Ordering): number {
    return this.update((previous) => (value < previous ? value : previous), order);
  }
  /**
   * Applies `f` until the compare-exchange succeeds (`f` may run several
   * times). `f` returning `undefined` stops without writing: `ok` is then false.
   */
  fetchUpdate(_setOrder: Ordering, _fetchOrder: Ordering, f: (value: number) => number | undefined): FetchUpdateResult<number> {
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
  intoInner(): number {
    return Atomics.load(this.cell, this.index);
  }

  /** A compare-exchange loop applying `f`; returns the previous value. */
  private update(f: (value: number) => number, _order: Ordering): number {
    let previous = Atomics.load(this.cell, this.index);
    for (;;) {
      // Succeeds only if nobody wrote between our load and this exchange.
      const actual = Atomics.compareExchange(this.cell, this.index, previous, f(previous));
      if (actual === previous) return previous;
      previous = actual;
    }
  }
}
