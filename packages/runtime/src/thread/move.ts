/**
 * `move(...)` and `borrow(...)`: the explicit captures of a thread's closure,
 * checked for Send (or Sync) by `tsc` through `@sendsync/marker` and again at
 * run time, before any thread starts.
 */

import type { CheckSendEach, CheckSyncEach } from '@sendsync/marker';
import { assertSend, assertSync } from '../internal/wire.js';

/**
 * Proves that captures were made by `move(...)` or `borrow(...)`, which check
 * them: a `Moved` or `Borrowed` made any other way is refused.
 */
const GENUINE: unique symbol = Symbol('sendsync:captures');

/** What `Moved` and `Borrowed` share: values that only `move(...)` or `borrow(...)` wrap, after checking them. */
abstract class Captures<Values extends unknown[]> {
  /** Type-only: the values' types, which `spawn` infers its closure's parameters from (a `#private` field is not read). */
  declare readonly '~values': Values;
  // Private: no other code can make one that `spawn` accepts, nor change its values.
  readonly #values: Values;

  constructor(genuine: typeof GENUINE, values: Values, name: string, maker: string) {
    if (genuine !== GENUINE) throw new TypeError(`a \`${name}\` is made by \`${maker}\`, which checks its values`);
    this.#values = values;
  }

  /** The values of `captures` if it is a `type` made by `maker`; a `TypeError` for anything else. */
  protected static valuesIn(type: abstract new (...args: never[]) => object, captures: unknown, maker: string): unknown[] {
    if (!(captures instanceof type) || !(#values in captures)) {
      throw new TypeError(`expected ${maker}: its values are checked, anything else is refused`);
    }
    return (captures as Captures<unknown[]>).#values;
  }
}

/**
 * Values moved into a thread: made by `move(...)`, consumed by `spawn`.
 * The thread's closure receives them as its parameters, in order.
 */
export class Moved<Values extends unknown[]> extends Captures<Values> {
  /** Type-only: tells moved values from borrowed ones (the classes are otherwise alike). */
  declare readonly '~captures': 'moved';

  /** @internal Made by `move(...)`; constructing one directly throws. */
  constructor(genuine: typeof GENUINE, values: Values) {
    super(genuine, values, 'Moved', 'move(...)');
  }

  /** @internal The values of a `Moved` made by `move(...)`; a `TypeError` for anything else. */
  static valuesOf(captures: unknown): unknown[] {
    return Captures.valuesIn(Moved, captures, 'move(...)');
  }
}

/**
 * Values borrowed, read-only, by a scoped thread: made by `borrow(...)`,
 * consumed by `Scope.spawn`. The closure receives them deeply frozen, before
 * its moved values.
 */
export class Borrowed<Values extends unknown[]> extends Captures<Values> {
  /** Type-only: tells borrowed values from moved ones. */
  declare readonly '~captures': 'borrowed';

  /** @internal Made by `borrow(...)`; constructing one directly throws. */
  constructor(genuine: typeof GENUINE, values: Values) {
    super(genuine, values, 'Borrowed', 'borrow(...)');
  }

  /** @internal The values of a `Borrowed` made by `borrow(...)`; a `TypeError` for anything else. */
  static valuesOf(borrows: unknown): unknown[] {
    return Captures.valuesIn(Borrowed, borrows, 'borrow(...)');
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
  return new Moved(GENUINE, values as unknown as Values);
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
  return new Borrowed(GENUINE, values as unknown as Values);
}
