/**
 * The errors of the locks (`PoisonError`, `TryLockError`, `WouldDeadlockError`,
 * `ReleasedError`), and `into_inner`, which every lock does alike. The poison
 * flag itself is a word of each lock's memory: `sys/poison-flag.ts`.
 */

import type { Storage } from './storage-types.js';

/**
 * A lock was poisoned: a thread panicked (its closure threw) or died while it
 * held the lock, so the data may be half-updated. As in Rust, the error still
 * hands over what the operation would have returned: `intoInner()` gives the
 * guard (or, from `intoInner()` of the lock, the value), and the lock is held
 * by that guard until it is disposed.
 *
 * When to use: catch it where you can repair the data; otherwise let it
 * propagate (Rust's `.unwrap()`), which panics this thread too.
 *
 * @example
 * ```ts
 * let guard;
 * try {
 *   guard = mutex.lock();
 * } catch (error) {
 *   if (!(error instanceof PoisonError)) throw error;
 *   guard = error.intoInner(); // the data, as the panicking thread left it
 *   mutex.clearPoison();
 * }
 * using _ = guard;
 * ```
 */
export class PoisonError<Inner> extends Error {
  /** What the failed operation would have returned (a guard, or the value). */
  readonly #inner: Inner;

  /** Wraps what the poisoned operation produced. */
  constructor(inner: Inner) {
    super('poisoned lock: another task failed inside');
    this.name = 'PoisonError';
    this.#inner = inner;
  }

  /** The guard (or value) anyway, as Rust's `PoisonError::into_inner`. */
  intoInner(): Inner {
    return this.#inner;
  }

  /** The same as `intoInner()`, named as Rust's `PoisonError::get_ref`. */
  getRef(): Inner {
    return this.#inner;
  }
}

/**
 * Why a `tryLock`, `tryRead` or `tryWrite` failed, as Rust's `TryLockError` variants.
 *
 * @example
 * ```ts
 * const kind: TryLockErrorKind = 'WouldBlock';
 * ```
 */
export type TryLockErrorKind = 'WouldBlock' | 'Poisoned';

/**
 * A `try` acquisition failed: the lock is held elsewhere (`kind === 'WouldBlock'`),
 * or it was acquired but is poisoned (`kind === 'Poisoned'`; `poison` carries the
 * `PoisonError`, whose guard now holds the lock).
 *
 * When to use: catch it around `tryLock()` to do something else instead of waiting.
 *
 * @example
 * ```ts
 * try {
 *   using guard = mutex.tryLock();
 *   guard.value += 1;
 * } catch (error) {
 *   if (!(error instanceof TryLockError) || error.kind !== 'WouldBlock') throw error;
 *   // busy: come back later
 * }
 * ```
 */
export class TryLockError<Guard = unknown> extends Error {
  /** `'WouldBlock'` or `'Poisoned'`. */
  readonly kind: TryLockErrorKind;
  /** For `'Poisoned'`: the poison error, which holds the guard. */
  readonly poison: PoisonError<Guard> | undefined;

  /** Makes a `WouldBlock` error, or a `Poisoned` one around `poison`. */
  constructor(kind: TryLockErrorKind, poison?: PoisonError<Guard>) {
    super(kind === 'WouldBlock' ? 'lock would block' : 'poisoned lock: another task failed inside');
    this.name = 'TryLockError';
    this.kind = kind;
    this.poison = poison;
  }
}

/**
 * A thread tried to take a lock it already holds. Rust leaves this a deadlock
 * (or a panic); since every lock here knows its owner, it is an error instead
 * of a hang.
 *
 * When to use: it signals a bug; fix the code so that the guard is released
 * (or reused) before the lock is taken again.
 *
 * @example
 * ```ts
 * using guard = mutex.lock();
 * mutex.lock(); // throws WouldDeadlockError
 * ```
 */
export class WouldDeadlockError extends Error {
  /** The error has a fixed message. */
  constructor() {
    super('lock already held by this thread');
    this.name = 'WouldDeadlockError';
  }
}

/**
 * A guard (or a dropped handle) was used after it was released.
 *
 * When to use: it signals a bug: keep guards in a `using` declaration, so that
 * they cannot outlive their block.
 *
 * @example
 * ```ts
 * const guard = mutex.lock();
 * guard[Symbol.dispose]();
 * guard.value; // throws ReleasedError
 * ```
 */
export class ReleasedError extends Error {
  /** The error has a fixed message. */
  constructor() {
    super('guard used after release');
    this.name = 'ReleasedError';
  }
}

/**
 * Rust's `into_inner` for a lock: the data, read under the guard `acquire`
 * returns (or under the poisoned one) and left unchanged in the lock.
 *
 * @throws {PoisonError} holding the value, if the lock is poisoned.
 */
export function takeInner<T>(acquire: () => Disposable, storage: Storage<T>): T {
  let guard: Disposable;
  let poisoned = false;
  try {
    guard = acquire();
  } catch (error) {
    if (!(error instanceof PoisonError)) throw error;
    guard = error.intoInner() as Disposable;
    poisoned = true;
  }
  const value = storage.intoInner?.() ?? storage.get();
  // Taken out, not changed: nothing to serialize back.
  storage.discard();
  guard[Symbol.dispose]();
  if (poisoned) throw new PoisonError(value);
  return value;
}
