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
 * Which entry of a check type's `Verdicts` applies to `Value` as a whole: its
 * own walk, which decides for every concrete type. For a type parameter it
 * stays deferred, and stands for any of its entries.
 */
type Verdict<Value, T extends Trait, Path extends string> = 0 extends 1 & Value
  ? 'any'
  : [WhyNot<Value, T, Path>] extends [never]
    ? 'ok'
    : 'no';

/**
 * The verdict of each member of `Value`, so that a type parameter's
 * constraint decides it as rustc's `where T: Send` does: `tsc` computes the
 * constraint of a distributive conditional type by instantiating it with the
 * parameter's constraint (`T extends Send` gives `'ok'`), and, for an
 * unconstrained parameter, with `infer`'s fallback, `unknown` (`'no'`). For
 * a concrete type it contains the whole's verdict (a union fails when one of
 * its members does), so that intersecting the two leaves `Verdict`'s.
 */
type MemberVerdicts<Value, T extends Trait, Path extends string> = Value extends infer Member ? Verdict<Member, T, Path> : never;

/**
 * What a check type gives a parameter, by verdict: the value itself, the
 * message, or `never` for `any` (which is assignable to every other type).
 * The check types index it rather than branch on the verdict, so that a
 * generic caller's argument is related to the entry its constraint selects.
 */
type Verdicts<Value, T extends Trait, Path extends string> = { ok: Value; no: WhyNot<Value, T, Path>; any: AnyRejected };

/**
 * A parameter type that accepts `Value` only when it is `Send`; otherwise it
 * is the error message itself, so that `tsc` reports
 * `Argument of type 'Rc<number>' is not assignable to parameter of type '"`Rc<number>` cannot be sent between threads safely (at result)"'`.
 * Inference sees through it: `Value` is still inferred from the argument. In
 * generic code, a type parameter is accepted when its constraint proves it
 * `Send` (`T extends Send`, `T extends number[]`), as rustc accepts
 * `T: Send`, and rejected otherwise.
 *
 * @example
 * ```ts
 * declare function send<Value>(value: CheckSend<Value, 'value'>): void;
 * send([1, 2, 3]);
 * // @ts-expect-error: `Rc<number>` cannot be sent between threads safely (at value)
 * send(new Rc(1));
 * function relay<Value extends Send>(value: Value) { send(value); } // accepted: the bound proves it
 * ```
 */
export type CheckSend<Value, Path extends string = ''> = [Value] extends [never] // `Value` inferable, and `never` kept
  ? Value
  : Verdicts<Value, 'Send', Path>[Verdict<Value, 'Send', Path> & MemberVerdicts<Value, 'Send', Path>];

/**
 * A closure's return type that accepts its result when it is `Send`, or, for
 * an `async` closure, when the value its promise settles with is (a thread's
 * result crosses once its promise has settled); otherwise the message, naming
 * the culprit inside the promise, so that the headline of `tsc`'s error is
 * rustc's sentence under TypeScript 6 and 7 alike (one signature, no overloads
 * to choose from).
 *
 * @example
 * ```ts
 * declare function run<Result>(body: () => CheckSendAwaited<Result, 'result'>): Awaited<Result>;
 * run(async () => [1, 2]);
 * // @ts-expect-error: `Rc<number>` cannot be sent between threads safely (at result)
 * run(async () => new Rc(1));
 * ```
 */
export type CheckSendAwaited<Result, Path extends string = ''> = 0 extends 1 & Result
  ? AnyRejected
  : [Result] extends [PromiseLike<infer Value>]
    ? [WhyNotSend<Value, Path>] extends [never]
      ? Result
      : WhyNotSend<Value, Path>
    : CheckSend<Result, Path>;

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
export type CheckSync<Value, Path extends string = ''> = [Value] extends [never]
  ? Value
  : Verdicts<Value, 'Sync', Path>[Verdict<Value, 'Sync', Path> & MemberVerdicts<Value, 'Sync', Path>];

/**
 * `CheckSend` over every element of a rest tuple, each with its own path
 * (`captures[0]`, `captures[1]`, ...), so that the argument at fault is the one
 * underlined; the elements of a spread array are all `captures[i]`.
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
  [Index in keyof Values]: CheckSend<Values[Index], ElementPath<Prefix, Index>>;
};

/**
 * The path of an element of a rest parameter: `captures[1]` for a tuple's
 * element, `captures[i]` for an array's (a spread, `move(...rcs)`, whose
 * mapped index is `number`).
 */
type ElementPath<Prefix extends string, Index> = Index extends string ? `${Prefix}[${Index}]` : `${Prefix}[i]`;

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
  [Index in keyof Values]: CheckSync<Values[Index], ElementPath<Prefix, Index>>;
};

/**
 * The parameter of a generic helper that moves it into a thread, as the
 * `Index`th value of its `move(...)`: rustc's `fn run<T: Send>(x: T)`. The
 * helper's callers are checked (a plain `number[]` is accepted, an
 * `Rc<number>` gets rustc's sentence), and the helper's `move(...)` accepts
 * the parameter, because both are the one check `move` makes at that place.
 * A bound (`T extends Send`) cannot do it: `tsc` checks a bound by
 * assignability, and plain data has no `Send` brand.
 *
 * @example
 * ```ts
 * function run<Value>(value: Movable<Value>) { spawn(move(value), (value) => ...); }
 * run([1, 2]);
 * // @ts-expect-error: `Rc<number>` cannot be sent between threads safely (at captures[0])
 * run(new Rc(1));
 * function pair<A, B>(a: Movable<A>, b: Movable<B, 1>) { spawn(move(a, b), (a, b) => ...); }
 * ```
 */
export type Movable<Value, Index extends number = 0> = CheckSend<Value, `captures[${Index}]`>;

/**
 * The parameter of a generic helper that lends it to scoped threads, as the
 * `Index`th value of its `borrow(...)` (see `Movable`): rustc's
 * `fn share<T: Sync>(x: &T)`.
 *
 * @example
 * ```ts
 * function share<Value>(value: Borrowable<Value>) { scope((s) => { s.spawn(borrow(value), (value) => ...); }); }
 * share([1, 2]);
 * // @ts-expect-error: `Cell<number>` cannot be shared between threads safely (at borrows[0])
 * share(new Cell(1));
 * ```
 */
export type Borrowable<Value, Index extends number = 0> = CheckSync<Value, `borrows[${Index}]`>;
