/**
 * The errors of the locks (`PoisonError`, `TryLockError`, `WouldDeadlockError`,
 * `ReleasedError`), and `into_inner`, which every lock does alike. The poison
 * flag itself is a word of each lock's memory: `sys/poison-flag.ts`.
 */

import { markErrValue } from '../internal/err-value.js';
import type { Storage } from './storage-types.js';

/**
 * A lock was poisoned: a thread panicked (its closure threw) or died while it
 * held the lock, so the data may be half-updated. As in Rust, the error still
 * hands over what the operation would have returned: `intoInner()` gives the
 * guard (or, from `intoInner()` of the lock, the value).
 *
 * Unlike Rust, the error of a lock operation holds no lock: the operation that
 * found the poison released the lock before it threw, and `intoInner()` takes
 * it again (ignoring the poison, as Rust's `lock().unwrap_or_else(|e|
 * e.into_inner())` reaches the data). Rust drops an ignored error, and its
 * guard with it, at the end of the statement; JavaScript drops nothing, so an
 * error caught and ignored would hold the lock forever: this thread's next
 * `lock()` would fail and every other thread's would hang. What stays as in
 * Rust: the data is reachable, as the panicking thread left it, and the lock
 * stays poisoned until `clearPoison()`.
 *
 * `intoInner()` blocks as `lock()` does (for `tryLock`'s error: tries once,
 * and throws `TryLockError` `WouldBlock` if the lock was taken meanwhile);
 * called again while its guard still holds the lock, it returns that guard.
 * Keep its guard in a `using` declaration, as `lock()`'s.
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
 *   guard = error.intoInner(); // takes the lock: the data, as the panicking thread left it
 *   mutex.clearPoison();
 * }
 * using _ = guard;
 * ```
 */
export class PoisonError<Inner> extends Error {
  /** What the failed operation would have returned (a guard, or the value). */
  readonly #inner: Inner;
  /** For a lock operation's error: takes the lock again, ignoring the poison, and returns the guard. */
  readonly #retake: (() => Inner) | undefined;

  /**
   * Wraps what the poisoned operation produced: a value, or (with `retake`)
   * a guard whose lock was released, which `retake` takes again.
   */
  constructor(inner: Inner, retake?: () => Inner) {
    super('poisoned lock: another task failed inside');
    this.name = 'PoisonError';
    this.#inner = inner;
    this.#retake = retake;
  }

  /**
   * The guard anyway (taking the lock, as the operation would have, but
   * ignoring the poison), or the value: Rust's `PoisonError::into_inner`.
   *
   * @throws {WouldDeadlockError} if another guard of this thread holds the lock.
   * @throws {TryLockError} `WouldBlock`, for `tryLock`'s error, if the lock was taken meanwhile.
   */
  intoInner(): Inner {
    return this.#retake === undefined ? this.#inner : this.#retake();
  }

  /** The same as `intoInner()`, named as Rust's `PoisonError::get_ref`. */
  getRef(): Inner {
    return this.intoInner();
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
 * or it was free but is poisoned (`kind === 'Poisoned'`; `poison` carries the
 * `PoisonError`, whose `intoInner()` tries to take the lock again, ignoring the
 * poison: the error itself holds no lock, see `PoisonError`).
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
  /** For `'Poisoned'`: the poison error, whose `intoInner()` tries again for the guard. */
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
 * (or reused) before the lock is taken again: keep guards in `using`
 * declarations, which dispose them at the end of their block.
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
    super('lock already held by this thread: dispose the guard of this thread that holds it first (keep guards in `using` declarations)');
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
 * returns (or under the one its `PoisonError` takes) and left unchanged in the lock.
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

// Rust returns these as `Err` values (`lock()`'s, `try_lock()`'s): leaving a guard's block, they do not poison its lock.
markErrValue(PoisonError);
markErrValue(TryLockError);
