/**
 * The public face of the auto-trait computation: verdicts, messages, and the
 * check types that APIs put on their parameters.
 */

import type { Spread, Trait, Walk } from './walk.js';

type WhyNot<Value, T extends Trait, Path extends string> = Walk<Spread<Value, Path, T>, never, []>;

/**
 * What a check type is for a value of type `any` itself: `any` is assignable
 * to every type but `never`, so only `never` rejects it. (Inside a value,
 * `{ payload: any }`, the message names `any`; the ESLint rule names it in
 * both places.)
 */
type AnyRejected = never;

/**
 * Why `Value` is not `Send`: rustc's E0277 message, naming the culprit and
 * where it sits (`` `Rc<number>` cannot be sent between threads safely (at config.cache) ``),
 * or `never` when it is `Send`. When several parts fail at the same depth the
 * result is the union of their messages.
 *
 * @example
 * ```ts
 * type Ok = WhyNotSend<{ id: number }>;                 // never
 * type No = WhyNotSend<{ cache: Rc<number> }, 'config'>; // '`Rc<number>` cannot be sent between threads safely (at config.cache)'
 * ```
 */
export type WhyNotSend<Value, Path extends string = ''> = WhyNot<Value, 'Send', Path>;

/**
 * Why `Value` is not `Sync`, or `never` when it is.
 *
 * @example
 * ```ts
 * type No = WhyNotSync<Cell<number>>; // '`Cell<number>` cannot be shared between threads safely'
 * ```
 */
export type WhyNotSync<Value, Path extends string = ''> = WhyNot<Value, 'Sync', Path>;

/**
 * `true` when a value of type `Value` may be moved to another thread.
 *
 * @example
 * ```ts
 * const yes: IsSend<Arc<number>> = true;
 * // @ts-expect-error: Rc is never Send
 * const no: IsSend<Rc<number>> = true;
 * ```
 */
export type IsSend<Value> = [WhyNotSend<Value>] extends [never] ? true : false;

/**
 * `true` when a shared, read-only view of `Value` may be used by several threads.
 *
 * @example
 * ```ts
 * const yes: IsSync<Mutex<Cell<number>>> = true;
 * // @ts-expect-error: Cell is never Sync
 * const no: IsSync<Cell<number>> = true;
 * ```
 */
export type IsSync<Value> = [WhyNotSync<Value>] extends [never] ? true : false;

/**
 * A parameter type that accepts `Value` only when it is `Send`; otherwise it
 * is the error message itself, so that `tsc` reports
 * `Argument of type 'Rc<number>' is not assignable to parameter of type '"`Rc<number>` cannot be sent between threads safely (at result)"'`.
 * Inference sees through it: `Value` is still inferred from the argument.
 *
 * @example
 * ```ts
 * declare function send<Value>(value: CheckSend<Value, 'value'>): void;
 * send([1, 2, 3]);
 * // @ts-expect-error: `Rc<number>` cannot be sent between threads safely (at value)
 * send(new Rc(1));
 * ```
 */
export type CheckSend<Value, Path extends string = ''> = 0 extends 1 & Value
  ? AnyRejected
  : [WhyNotSend<Value, Path>] extends [never]
    ? Value
    : WhyNotSend<Value, Path>;

/**
 * A parameter type that accepts `Value` only when it is `Sync` (see `CheckSend`).
 *
 * @example
 * ```ts
 * declare function share<Value>(value: CheckSync<Value, 'value'>): void;
 * // @ts-expect-error: `Cell<number>` cannot be shared between threads safely (at value)
 * share(new Cell(1));
 * ```
 */
export type CheckSync<Value, Path extends string = ''> = 0 extends 1 & Value
  ? AnyRejected
  : [WhyNotSync<Value, Path>] extends [never]
    ? Value
    : WhyNotSync<Value, Path>;

/**
 * `CheckSend` over every element of a rest tuple, each with its own path
 * (`captures[0]`, `captures[1]`, ...), so that the argument at fault is the one
 * underlined.
 *
 * @example
 * ```ts
 * declare function move<Values extends unknown[]>(...values: CheckSendEach<Values, 'captures'>): Values;
 * move(1, 'two', [3]);
 * // @ts-expect-error: `Rc<number>` cannot be sent between threads safely (at captures[1])
 * move(1, new Rc(2));
 * ```
 */
export type CheckSendEach<Values extends readonly unknown[], Prefix extends string> = {
  [Index in keyof Values]: CheckSend<Values[Index], `${Prefix}[${Index & string}]`>;
};

/**
 * `CheckSync` over every element of a rest tuple (see `CheckSendEach`).
 *
 * @example
 * ```ts
 * declare function borrow<Values extends unknown[]>(...values: CheckSyncEach<Values, 'borrows'>): Values;
 * // @ts-expect-error: `Cell<number>` cannot be shared between threads safely (at borrows[0])
 * borrow(new Cell(1));
 * ```
 */
export type CheckSyncEach<Values extends readonly unknown[], Prefix extends string> = {
  [Index in keyof Values]: CheckSync<Values[Index], `${Prefix}[${Index & string}]`>;
};
