/**
 * The operations shared by the integer atomics, `AtomicI32` and `AtomicU32`
 * (numbers, in a 32-bit cell) and `AtomicI64` and `AtomicU64` (bigints, in a
 * 64-bit cell): one cell of a `SharedArrayBuffer`, every operation a single
 * `Atomics` call (or a compare-exchange loop for max, min, nand and update).
 * Arithmetic wraps around, as Rust's atomic `fetch_add` does.
 *
 * Every `Ordering` argument is honoured by being at least that strong:
 * JavaScript's `Atomics` are all sequentially consistent.
 */

import { AtomicCell, type AtomicCellArray } from './atomic-cell.js';
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

/** The cells an integer atomic lives in. */
type IntegerCell = AtomicCellArray;

/**
 * `Atomics`, as it behaves on an integer cell: the values are numbers for the
 * 32-bit arrays and bigints for the 64-bit ones. (TypeScript's overloads of
 * `Atomics` cannot be called with a cell of either kind; this one signature,
 * checked by the subclasses' choice of `Value` and cell, can.)
 */
interface IntegerAtomics {
  load(cell: IntegerCell, index: number): number | bigint;
  store(cell: IntegerCell, index: number, value: number | bigint): number | bigint;
  exchange(cell: IntegerCell, index: number, value: number | bigint): number | bigint;
  compareExchange(cell: IntegerCell, index: number, expected: number | bigint, replacement: number | bigint): number | bigint;
  add(cell: IntegerCell, index: number, value: number | bigint): number | bigint;
  sub(cell: IntegerCell, index: number, value: number | bigint): number | bigint;
  and(cell: IntegerCell, index: number, value: number | bigint): number | bigint;
  or(cell: IntegerCell, index: number, value: number | bigint): number | bigint;
  xor(cell: IntegerCell, index: number, value: number | bigint): number | bigint;
}
const atomics = Atomics as unknown as IntegerAtomics;

/** Not-and, for numbers and bigints alike (JavaScript's `&` and `~` take either). */
function nand<Value extends number | bigint>(a: Value, b: Value): Value {
  return ~((a as number) & (b as number)) as Value;
}

/**
 * Base of the integer atomics: `Value` is `number` over an `Int32Array` or
 * `Uint32Array` cell, `bigint` over a `BigInt64Array` or `BigUint64Array` one.
 */
export abstract class AtomicInteger<Value extends number | bigint> extends AtomicCell<IntegerCell> {
  /** Reads the value. */
  load(_order: Ordering): Value {
    return atomics.load(this.cell, this.index) as Value;
  }
  /** Writes the value. */
  store(value: Value, _order: Ordering): void {
    atomics.store(this.cell, this.index, value);
  }
  /** Writes the value, returning the previous one. */
  swap(value: Value, _order: Ordering): Value {
    return atomics.exchange(this.cell, this.index, value) as Value;
  }
  /**
   * Writes `next` if the value is `current`. Returns the previous value: the
   * exchange happened exactly when it equals `current` (Rust's `Ok(previous)`;
   * anything else is Rust's `Err(actual)`).
   */
  compareExchange(current: Value, next: Value, _success: Ordering, _failure: Ordering): Value {
    return atomics.compareExchange(this.cell, this.index, current, next) as Value;
  }
  /** As `compareExchange` (which never fails spuriously, so it is a valid weak exchange). */
  compareExchangeWeak(current: Value, next: Value, _success: Ordering, _failure: Ordering): Value {
    return atomics.compareExchange(this.cell, this.index, current, next) as Value;
  }
  /** Adds (wrapping), returning the previous value. */
  fetchAdd(value: Value, _order: Ordering): Value {
    return atomics.add(this.cell, this.index, value) as Value;
  }
  /** Subtracts (wrapping), returning the previous value. */
  fetchSub(value: Value, _order: Ordering): Value {
    return atomics.sub(this.cell, this.index, value) as Value;
  }
  /** Bitwise and, returning the previous value. */
  fetchAnd(value: Value, _order: Ordering): Value {
    return atomics.and(this.cell, this.index, value) as Value;
  }
  /** Bitwise or, returning the previous value. */
  fetchOr(value: Value, _order: Ordering): Value {
    return atomics.or(this.cell, this.index, value) as Value;
  }
  /** Bitwise xor, returning the previous value. */
  fetchXor(value: Value, _order: Ordering): Value {
    return atomics.xor(this.cell, this.index, value) as Value;
  }
  /** Bitwise not-and, returning the previous value. */
  fetchNand(value: Value, order: Ordering): Value {
    return this.update((previous) => nand(previous, value), order);
  }
  /** Stores the maximum of the value and `value`, returning the previous value. */
  fetchMax(value: Value, order: Ordering): Value {
    return this.update((previous) => (value > previous ? value : previous), order);
  }
  /** Stores the minimum of the value and `value`, returning the previous value. */
  fetchMin(value: Value, order: Ordering): Value {
    return this.update((previous) => (value < previous ? value : previous), order);
  }
  /**
   * Applies `f` until the compare-exchange succeeds (`f` may run several
   * times). `f` returning `undefined` stops without writing: `ok` is then false.
   */
  fetchUpdate(_setOrder: Ordering, _fetchOrder: Ordering, f: (value: Value) => Value | undefined): FetchUpdateResult<Value> {
    let previous = this.load('SeqCst');
    for (;;) {
      const next = f(previous);
      if (next === undefined) return { ok: false, value: previous };
      // Succeeds only if nobody wrote between our load and this exchange.
      const actual = this.compareExchange(previous, next, 'SeqCst', 'SeqCst');
      if (actual === previous) return { ok: true, value: previous };
      previous = actual;
    }
  }
  /** The value, taken out (Rust's `into_inner`). */
  intoInner(): Value {
    return this.load('SeqCst');
  }

  /** A compare-exchange loop applying `f`; returns the previous value. */
  private update(f: (value: Value) => Value, _order: Ordering): Value {
    let previous = this.load('SeqCst');
    for (;;) {
      // Succeeds only if nobody wrote between our load and this exchange.
      const actual = this.compareExchange(previous, f(previous), 'SeqCst', 'SeqCst');
      if (actual === previous) return previous;
      previous = actual;
    }
  }
}
