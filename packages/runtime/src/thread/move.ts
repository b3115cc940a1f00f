/**
 * `move(...)` and `borrow(...)`: the explicit captures of a thread's closure,
 * checked for Send (or Sync) by `tsc` through `@sendsync/marker` and again at
 * run time, before any thread starts.
 */

import type { CheckSendEach, CheckSyncEach } from '@sendsync/marker';
import { assertSend, assertSync } from '../internal/wire.js';

/**
 * Values moved into a thread: made by `move(...)`, consumed by `spawn`.
 * The thread's closure receives them as its parameters, in order.
 */
export class Moved<Values extends unknown[]> {
  /** Type-only: tells moved values from borrowed ones (the classes are otherwise alike). */
  declare readonly '~captures': 'moved';
  /** @internal The values, in order. */
  readonly values: Values;

  /** @internal Made by `move(...)`. */
  constructor(values: Values) {
    this.values = values;
  }
}

/**
 * Values borrowed, read-only, by a scoped thread: made by `borrow(...)`,
 * consumed by `Scope.spawn`. The closure receives them deeply frozen, before
 * its moved values.
 */
export class Borrowed<Values extends unknown[]> {
  /** Type-only: tells borrowed values from moved ones. */
  declare readonly '~captures': 'borrowed';
  /** @internal The values, in order. */
  readonly values: Values;

  /** @internal Made by `borrow(...)`. */
  constructor(values: Values) {
    this.values = values;
  }
}

/**
 * A value as a borrowing thread sees it: read-only all the way down.
 *
 * @example
 * ```ts
 * const view: DeepReadonly<{ list: number[] }> = { list: [1] };
 * // @ts-expect-error: read-only
 * view.list.push(2);
 * ```
 */
export type DeepReadonly<Value> = Value extends (...args: never[]) => unknown
  ? Value
  : Value extends ReadonlyMap<infer Key, infer Entry>
    ? ReadonlyMap<DeepReadonly<Key>, DeepReadonly<Entry>>
    : Value extends ReadonlySet<infer Entry>
      ? ReadonlySet<DeepReadonly<Entry>>
      : Value extends object
        ? { readonly [Key in keyof Value]: DeepReadonly<Value[Key]> }
        : Value;

/** `DeepReadonly` over each element of a tuple. */
export type DeepReadonlyEach<Values extends unknown[]> = { [Index in keyof Values]: DeepReadonly<Values[Index]> };

/**
 * Moves values into a thread, as Rust's `move` closure does: the closure
 * passed to `spawn` gets them as its parameters. Each must be Send: `tsc`
 * rejects the others with rustc's E0277 message and the path of the culprit,
 * and at run time a `TypeError` with the same message is thrown here, before
 * any thread starts, leaving the values untouched. `ArrayBuffer`s are
 * transferred: the caller's buffer is detached, a real move.
 *
 * @example
 * ```ts
 * const numbers = [1, 2, 3];
 * spawn(move(numbers), (numbers) => numbers.reduce((a, b) => a + b)).join(); // 6
 * // @ts-expect-error: `Rc<number>` cannot be sent between threads safely (at captures[0])
 * move(new Rc(1));
 * ```
 */
export function move<Values extends unknown[]>(...values: CheckSendEach<Values, 'captures'>): Moved<Values> {
  assertSend(values, 'captures');
  return new Moved(values as unknown as Values);
}

/**
 * Lends values, read-only, to a scoped thread (`Scope.spawn`): each must be
 * Sync. The thread sees a deeply frozen view, typed `DeepReadonly`.
 *
 * @example
 * ```ts
 * const numbers = [1, 2, 3];
 * scope((s) => {
 *   s.spawn(borrow(numbers), (numbers) => console.log(`length: ${numbers.length}`));
 * });
 * // @ts-expect-error: `Cell<number>` cannot be shared between threads safely (at borrows[0])
 * borrow(new Cell(1));
 * ```
 */
export function borrow<Values extends unknown[]>(...values: CheckSyncEach<Values, 'borrows'>): Borrowed<Values> {
  assertSync(values, 'borrows');
  return new Borrowed(values as unknown as Values);
}
