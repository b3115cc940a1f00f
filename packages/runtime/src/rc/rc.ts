/**
 * `Rc<T>` and `rc.Weak<T>`: shared ownership inside one thread, counted with
 * plain numbers (Rust's `std::rc`).
 */

import type { Traits } from '@sendsync/marker';
import { refuseToSend } from '../codec.js';
import { TryUnwrapError, UseAfterDropError } from './errors.js';

/** The shared allocation: the value and its two counts (plain numbers: one thread only). */
interface RcBox<T> {
  value: T;
  /** Live `Rc` handles; the value is dropped when it reaches 0. */
  strong: number;
  /** Live `Weak` handles. */
  weak: number;
}

/** The box of an `Rc` (for its name in messages). */
let boxOf: (rc: Rc<unknown>) => RcBox<unknown> | undefined;
/** The box of a `Weak` (for its name in messages). */
let weakBoxOf: (weak: Weak<unknown>) => RcBox<unknown> | undefined;

/** Makes a handle owning one (already counted) strong reference to `box` (`Rc`'s private factory, for `Weak.upgrade` too). */
let adopt: <T>(box: RcBox<T>) => Rc<T>;

/**
 * A reference-counted handle to a value, for one thread: `clone()` adds an
 * owner, `drop()` (or `using`) removes one, and the value is dropped when the
 * last owner goes (its `[Symbol.dispose]()` runs, if it has one).
 *
 * Use it for shared ownership inside one thread (trees, graphs, caches);
 * combine with `RefCell` for shared mutation. It is neither `Send` nor `Sync`:
 * its counts are not atomic, and moving one into a thread is refused, by `tsc`
 * and at run time. Across threads use `Arc`.
 *
 * @example
 * ```ts
 * const a = new Rc([1, 2, 3]);
 * const b = a.clone();
 * Rc.strongCount(a); // 2
 * b.drop();
 * Rc.tryUnwrap(a); // [1, 2, 3]
 * // @ts-expect-error: `Rc<number[]>` cannot be sent between threads safely
 * spawn(move(a), (a) => a.value);
 * ```
 */
export class Rc<T> {
  #box: RcBox<T> | undefined;

  /** A new allocation holding `value`, with one strong owner (this handle). */
  constructor(value: T) {
    this.#box = { value, strong: 1, weak: 0 };
  }

  static {
    boxOf = (rc) => rc.#box;
    adopt = <T>(box: RcBox<T>): Rc<T> => {
      // The constructor's own box is dropped at once: only a class's code can set its private field.
      const rc = new Rc(box.value);
      // eslint-disable-next-line sendsync/no-use-after-move -- the constructor's box is thrown away: the value stays in `box`, which the new Rc adopts
      rc.#box = box;
      return rc;
    };
  }

  /** Rust's `Rc::new`: the same as `new Rc(value)`. */
  static new<T>(value: T): Rc<T> {
    return new Rc(value);
  }

  /** The shared value (Rust's `Deref`). */
  get value(): T {
    return live(this.#box).value;
  }

  /** Another owner of the same value. */
  clone(): Rc<T> {
    const box = live(this.#box);
    box.strong += 1;
    return adopt(box);
  }

  /** Gives up this owner; the value is dropped with the last one. Dropping twice does nothing. */
  drop(): void {
    const box = this.#box;
    if (box === undefined) return;
    this.#box = undefined;
    box.strong -= 1;
    if (box.strong === 0) dropValue(box);
  }

  /** The same as `drop()`, for `using`. */
  [Symbol.dispose](): void {
    this.drop();
  }

  /** How many `Rc`s share the value. */
  static strongCount<T>(rc: Rc<T>): number {
    return live(rc.#box).strong;
  }

  /** How many `Weak`s point at the value. */
  static weakCount<T>(rc: Rc<T>): number {
    return live(rc.#box).weak;
  }

  /** Whether two `Rc`s share one allocation. */
  static ptrEq<T>(a: Rc<T>, b: Rc<T>): boolean {
    return live(a.#box) === live(b.#box);
  }

  /** A `Weak` to the value, which does not keep it alive. */
  static downgrade<T>(rc: Rc<T>): Weak<T> {
    const box = live(rc.#box);
    box.weak += 1;
    return new Weak(box);
  }

  /**
   * The value, if `rc` is its only strong owner: `rc` is consumed and any
   * `Weak` can no longer upgrade. Otherwise throws `TryUnwrapError`, leaving
   * `rc` live.
   */
  static tryUnwrap<T>(rc: Rc<T>): T {
    const box = live(rc.#box);
    if (box.strong !== 1) throw new TryUnwrapError(rc);
    rc.#box = undefined;
    box.strong = 0;
    const value = box.value;
    box.value = undefined as T;
    return value;
  }

  /**
   * Write access to the value when `rc` is its only owner (no other `Rc`, no
   * `Weak`), else `undefined`: Rust's `Rc::get_mut`.
   */
  static getMut<T>(rc: Rc<T>): RcMut<T> | undefined {
    const box = live(rc.#box);
    return box.strong === 1 && box.weak === 0 ? new RcMut(box) : undefined;
  }
}
/** `impl<T> !Send for Rc<T>`, `impl<T> !Sync for Rc<T>`. */
export interface Rc<T> extends Traits<'Rc', T, 'never', 'never'> {}

/**
 * A non-owning handle to an `Rc`'s value: it does not keep the value alive,
 * and `upgrade()` gives an `Rc` while some owner remains.
 *
 * Use it to break cycles (a child's link to its parent) and for caches. Like
 * `Rc`, it is neither `Send` nor `Sync`.
 *
 * @example
 * ```ts
 * const parent = new Rc({ name: 'root' });
 * const link = Rc.downgrade(parent);
 * link.upgrade()?.value.name; // 'root'
 * parent.drop();
 * link.upgrade(); // undefined
 * ```
 */
export class Weak<T> {
  #box: RcBox<T> | undefined;

  /** Made by `Rc.downgrade()`. */
  constructor(box: RcBox<T>) {
    this.#box = box;
  }

  static {
    weakBoxOf = (weak) => weak.#box;
  }

  /** An `Rc` to the value while some `Rc` owns it, else `undefined`. */
  upgrade(): Rc<T> | undefined {
    const box = this.#box;
    if (box === undefined) throw new UseAfterDropError();
    if (box.strong === 0) return undefined;
    box.strong += 1;
    return adopt(box);
  }

  /** How many `Rc`s own the value (0 once it was dropped). */
  strongCount(): number {
    return this.#box === undefined ? 0 : this.#box.strong;
  }

  /** How many `Weak`s point at the value (0 once it was dropped, as in Rust). */
  weakCount(): number {
    const box = this.#box;
    return box === undefined || box.strong === 0 ? 0 : box.weak;
  }

  /** Another `Weak` to the same value. */
  clone(): Weak<T> {
    const box = this.#box;
    if (box === undefined) throw new UseAfterDropError();
    box.weak += 1;
    return new Weak(box);
  }

  /** Gives up this handle. Dropping twice does nothing. */
  drop(): void {
    const box = this.#box;
    if (box === undefined) return;
    this.#box = undefined;
    box.weak -= 1;
  }

  /** The same as `drop()`, for `using`. */
  [Symbol.dispose](): void {
    this.drop();
  }
}
/** `impl<T> !Send for rc::Weak<T>`, `impl<T> !Sync for rc::Weak<T>`. */
export interface Weak<T> extends Traits<'rc::Weak', T, 'never', 'never'> {}

/**
 * Write access to an `Rc`'s value while it has a single owner (from
 * `Rc.getMut()`); valid until the `Rc` is cloned or downgraded again.
 *
 * @example
 * ```ts
 * const n = new Rc(1);
 * const access = Rc.getMut(n);
 * if (access) access.value += 1;
 * ```
 */
export class RcMut<T> {
  #box: RcBox<T>;

  /** Made by `Rc.getMut()`. */
  constructor(box: RcBox<T>) {
    this.#box = box;
  }

  /** The value. */
  get value(): T {
    return this.#box.value;
  }

  set value(value: T) {
    this.#box.value = value;
  }
}
/** A mutable borrow of an `Rc`'s value: neither `Send` nor `Sync`. */
export interface RcMut<T> extends Traits<'RcMut', T, 'never', 'never'> {}

/** The value an `Rc` or `rc::Weak` holds (for its name in messages), none once it was dropped. */
function paramOf(box: RcBox<unknown> | undefined): unknown[] {
  return box === undefined || box.strong === 0 ? [] : [box.value];
}

// Neither crosses threads: moving or borrowing one into a thread throws rustc's E0277 message.
refuseToSend<Rc<unknown>>({ type: Rc, name: 'Rc', param: (rc) => paramOf(boxOf(rc)) });
refuseToSend<Weak<unknown>>({ type: Weak, name: 'rc::Weak', param: (weak) => paramOf(weakBoxOf(weak)) });
refuseToSend<RcMut<unknown>>({ type: RcMut, name: 'RcMut', param: (access) => [access.value] });

/** The box of a live handle, or `UseAfterDropError`. */
function live<T>(box: RcBox<T> | undefined): RcBox<T> {
  if (box === undefined) throw new UseAfterDropError();
  return box;
}

/** Drops the value of a box whose last owner went: runs its `[Symbol.dispose]()`, if any. */
function dropValue<T>(box: RcBox<T>): void {
  const value = box.value as { [Symbol.dispose]?: unknown } | null | undefined;
  box.value = undefined as T;
  if (typeof value === 'object' && value !== null && typeof value[Symbol.dispose] === 'function') {
    (value[Symbol.dispose] as () => void).call(value);
  }
}
