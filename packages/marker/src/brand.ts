/**
 * The brands: how a type states, once, whether it is `Send` and `Sync`.
 *
 * A brand is a phantom property: it exists only in the type, never at run
 * time. Its key is a plain string beginning with `~` (so that editors sort it
 * last in completions, and so that two copies of this package agree on what a
 * brand means: a `unique symbol` would differ between copies).
 */

/**
 * When a type is `Send` or `Sync`, as a Rust `where` clause on its one type
 * parameter (`'~param'`):
 *
 * - `'always'`: unconditionally (`unsafe impl Send for Condvar {}`);
 * - `'never'`: never (`impl !Send for Rc<T> {}`);
 * - `'T: Send'`, `'T: Sync'`, `'T: Send + Sync'`: when the parameter is.
 */
export type Bound = 'always' | 'never' | 'T: Send' | 'T: Sync' | 'T: Send + Sync';

/** The brand property keys; structural checks skip them. */
export type BrandKey = '~name' | '~param' | '~send' | '~sync' | '~copy';

/**
 * A bound as a brand property holds it: the bound's words, tagged. TypeScript
 * reduces an intersection to `never` when one property holds two different
 * literal types, and `never` is accepted wherever a value is expected: a
 * forged `Rc<number> & Send` would pass every check. A tagged literal is not a
 * literal type, so the intersection stays, with a brand of type `never`
 * (`'never' & 'always'`), which the walk reads as contradictory: not `Send`.
 */
type BoundBrand<B extends Bound> = B & { readonly '~bound'?: true };

/**
 * Opt-in: the type may be sent to another thread, whatever its structure says.
 * This is Rust's `unsafe impl Send`: you vouch for it (and, for a class, give it
 * a codec in `@sendsync/runtime` so that it really can cross).
 *
 * @example
 * ```ts
 * class Point { constructor(readonly x: number, readonly y: number) {} norm() { return Math.hypot(this.x, this.y); } }
 * interface Point extends Send {} // unsafe impl Send for Point {}
 *
 * type Handle = { fd: number; close(): void } & Send;
 * ```
 */
export interface Send {
  readonly '~send': BoundBrand<'always'>;
}

/**
 * Opt-in: a shared, read-only view of the type may be used by several threads
 * at once (Rust's `unsafe impl Sync`).
 *
 * @example
 * ```ts
 * class Palette { constructor(readonly colors: readonly string[]) {} pick(i: number) { return this.colors[i]; } }
 * interface Palette extends Send, Sync {}
 * ```
 */
export interface Sync {
  readonly '~sync': BoundBrand<'always'>;
}

/**
 * Opt-out: the type must never be sent to another thread, whatever its
 * structure says (Rust's `PhantomData<*const ()>` or `impl !Send`).
 *
 * @example
 * ```ts
 * type Session = { token: string } & NotSend;
 * // @ts-expect-error: `{…}` cannot be sent between threads safely
 * spawn(move(session), (session) => session.token);
 * ```
 */
export interface NotSend {
  readonly '~send': BoundBrand<'never'>;
}

/**
 * Opt-out: the type must never be shared between threads (Rust's `impl !Sync`,
 * or a field of `Cell<()>`).
 *
 * @example
 * ```ts
 * type Scratch = { buffer: number[] } & NotSync;
 * ```
 */
export interface NotSync {
  readonly '~sync': BoundBrand<'never'>;
}

/**
 * A name for messages: `Config` instead of `{…}`.
 *
 * @example
 * ```ts
 * type Config = { cache: Rc<number> } & Named<'Config'>;
 * ```
 */
export interface Named<Name extends string> {
  readonly '~name': Name;
}

/**
 * Moving a value of the type copies a handle and leaves the original usable,
 * as moving a Rust `Copy` type (or a shared reference `&'static T`) does: the
 * library's `Thread` handle (Rust's `Thread` is `Clone`, an `Arc` inside), so
 * the ESLint rule `no-use-after-move` does not report a use of one after it
 * was moved into a thread. Handles that move as Rust values do (`Arc`,
 * `Sender`, `Receiver`, `JoinHandle`, the locks, atomics, `Condvar`, ...) are
 * not `Copy`: move a clone, or share one through an `Arc`.
 *
 * @example
 * ```ts
 * export class Thread { ... }
 * export interface Thread extends Traits<'Thread', never, 'always', 'always'>, Copy {}
 * ```
 */
export interface Copy {
  readonly '~copy': true;
}

/**
 * The whole row of the Send/Sync table for a generic type: its name, its type
 * parameter, and the bounds under which it is `Send` and `Sync`. A class
 * states it right after its declaration, by declaration merging, as Rust puts
 * `unsafe impl<T: Send> Sync for Mutex<T> {}` beside `Mutex`. A type with
 * several parameters passes them as a tuple.
 *
 * @example
 * ```ts
 * export class Mutex<T> { ... }
 * // unsafe impl<T: Send> Send for Mutex<T>; unsafe impl<T: Send> Sync for Mutex<T>
 * export interface Mutex<T> extends Traits<'Mutex', T, 'T: Send', 'T: Send'> {}
 *
 * class Pair<A, B> { ... }
 * interface Pair<A, B> extends Traits<'Pair', [A, B], 'T: Send', 'T: Sync'> {}
 * ```
 */
export interface Traits<Name extends string, Param, SendBound extends Bound, SyncBound extends Bound> {
  readonly '~name': Name;
  readonly '~param': Param;
  readonly '~send': BoundBrand<SendBound>;
  readonly '~sync': BoundBrand<SyncBound>;
}
