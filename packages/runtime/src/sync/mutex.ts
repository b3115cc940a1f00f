/**
 * `Mutex<T>`: mutual exclusion with the data inside, an owner, and poisoning.
 *
 * One 32-bit lock word holds the whole state (the owner's thread id and a
 * "someone sleeps" bit), so that lock and unlock are a single compare-exchange
 * and a single exchange, like a raw three-state futex mutex, while the lock
 * still knows who holds it: relocking on the same thread is an error, and a
 * waiter notices when the owner died.
 */

import type { Copy, Traits } from '@sendsync/marker';
import { refuseToSend, registerCodec, type CodecContext } from '../codec.js';
import { currentThreadId, isThreadAlive } from '../internal/thread-registry.js';
import { unwindState } from '../internal/unwinding.js';
import { waitAsync } from './es2024.js';
import { track, type Held } from './held.js';
import { PoisonError, ReleasedError, TryLockError, WouldDeadlockError } from './poison.js';
import { createStorage, decodeStorage, INLINE_BYTES, type Storage, type StorageWire } from './storage.js';
import { backOff, LIVENESS_CHECK_MS, SPIN_LIMIT } from '../sys/wait-policy.js';

/** Index of the lock word in `words`. */
const STATE = 0;
/** Index of the poison flag in `words` (0 or 1; written under the lock, or by `clearPoison`). */
const POISON = 1;
/** Byte offset of the inline data, after the two words. */
const DATA_OFFSET = 8;

/** Lock word: nobody holds the lock. */
const UNLOCKED = 0;
/** Lock word, bit 0: a thread may be sleeping on the word; the unlocker must notify. */
const WAITERS = 1;
// Lock word, bits 1..31: the owner's thread id (`state >>> 1`), nonzero while locked.

/** The wire form of a mutex: its words and its data. */
interface MutexWire {
  readonly memory: SharedArrayBuffer;
  readonly storage: StorageWire;
}

/** Set by the codec while it rebuilds a mutex from its wire form (the constructor reads it). */
let decoding: { wire: MutexWire; context: CodecContext } | undefined;

/**
 * A mutual-exclusion lock protecting a value of type `T`, as Rust's
 * `std::sync::Mutex`: the data lives inside the mutex and is reached only
 * through the guard that `lock()` returns.
 *
 * When to use: several threads must change the same data. For a single number
 * that is only added to or swapped, an atomic is cheaper; for data that is
 * mostly read, `RwLock`.
 *
 * What `T` may be: a number, bigint or boolean (stored inline: no allocation);
 * a typed array over a `SharedArrayBuffer`, a `SharedStruct` or a library
 * handle such as an atomic (shared in place, never copied, never replaced);
 * any other structured-cloneable data (deserialized on first access under a
 * guard, serialized back on release: cost proportional to its size).
 *
 * Poisoning: a thread whose closure throws while it holds a guard that was not
 * disposed (the panic hook finds it), or that is terminated while it holds the
 * lock (a waiter finds the owner dead within `LIVENESS_CHECK_MS`), poisons the
 * mutex, and the next `lock()` throws `PoisonError`. So does a throw that
 * leaves a guard's `using` block inside a spawned thread, whose disposal
 * helpers tell the guard that an exception is unwinding; on the main thread
 * disposal cannot see the exception, and the lock is released unpoisoned.
 *
 * @example
 * ```ts
 * import { spawn, move } from '@sendsync/runtime';
 * import { Mutex } from '@sendsync/runtime/sync';
 *
 * const counter = new Mutex(0);
 * spawn(move(counter), (counter) => {
 *   using guard = counter.lock();
 *   guard.value += 1;
 * }).join();
 *
 * const queue = new Mutex<number[]>([]);
 * { using q = queue.lock(); q.value.push(1); } // written back on release
 * // @ts-expect-error: the data is only reachable through a guard
 * queue.value;
 * ```
 */
export class Mutex<T> {
  /** @internal The lock word and the poison flag. */
  readonly words: Int32Array;
  /** @internal The data. */
  readonly storage: Storage<T>;
  /** @internal The guard `lock()` hands out in this thread (one is enough: it is never shared). */
  readonly guard: MutexGuard<T>;

  /** Creates an unlocked mutex holding `value`. */
  constructor(value: T) {
    const from = decoding;
    decoding = undefined;
    if (from === undefined) {
      const memory = new SharedArrayBuffer(DATA_OFFSET + INLINE_BYTES);
      this.words = new Int32Array(memory, 0, 2);
      this.storage = createStorage(value, memory, DATA_OFFSET);
    } else {
      this.words = new Int32Array(from.wire.memory, 0, 2);
      this.storage = decodeStorage(from.wire.storage, from.context);
    }
    this.guard = new MutexGuard(this);
  }

  /**
   * Blocks until the lock is free, then holds it: the guard gives the data as
   * `.value` and releases the lock when disposed (`using`).
   *
   * @throws {PoisonError} if the mutex is poisoned (the lock is then held by the error's guard).
   * @throws {WouldDeadlockError} if this thread already holds the lock.
   */
  lock(): MutexGuard<T> {
    const thread = currentThreadId();
    // Acquire: pairs with the exchange in `unlock`, which published the previous holder's writes.
    if (Atomics.compareExchange(this.words, STATE, UNLOCKED, thread << 1) !== UNLOCKED) {
      lockContended(this.words, thread);
    }
    const guard = this.guard;
    guard.held = true;
    // Written under the lock (or by clearPoison), so the acquisition above made it visible.
    if (this.words[POISON] !== 0) throw new PoisonError(guard);
    return guard;
  }

  /**
   * Takes the lock if it is free, without waiting.
   *
   * @throws {TryLockError} `WouldBlock` if the lock is held, `Poisoned` if it is poisoned.
   */
  tryLock(): MutexGuard<T> {
    const thread = currentThreadId();
    // Acquire: pairs with the exchange in `unlock`.
    if (Atomics.compareExchange(this.words, STATE, UNLOCKED, thread << 1) !== UNLOCKED) {
      if (!takeOverFromDead(this.words, thread)) throw new TryLockError('WouldBlock');
    }
    const guard = this.guard;
    guard.held = true;
    if (this.words[POISON] !== 0) throw new TryLockError('Poisoned', new PoisonError(guard));
    return guard;
  }

  /**
   * The awaitable twin of `lock()`, for threads that must not block (a
   * browser's main thread): it waits with `Atomics.waitAsync`. Several tasks of
   * one thread may wait for the same mutex; each gets its own guard.
   *
   * @throws {PoisonError} (as a rejection) if the mutex is poisoned.
   */
  async lockAsync(): Promise<MutexGuard<T>> {
    await this.acquireAsync();
    const guard = new MutexGuard(this);
    guard.held = true;
    if (this.words[POISON] !== 0) throw new PoisonError(guard);
    return guard;
  }

  /** Whether a thread panicked or died while holding the lock (and nobody cleared it since). */
  isPoisoned(): boolean {
    // Pairs with the stores in `abandon`, `takeOverFromDead` and `clearPoison`.
    return Atomics.load(this.words, POISON) !== 0;
  }

  /** Marks the data as repaired: `lock()` stops throwing `PoisonError`. */
  clearPoison(): void {
    // Read by the next lock() after its acquisition.
    Atomics.store(this.words, POISON, 0);
  }

  /**
   * The data, taken out: Rust's `into_inner`, for when this is the last
   * handle. (Other threads' handles still work: JavaScript cannot prove there
   * are none, so this locks, reads and unlocks.)
   *
   * @throws {PoisonError} holding the value, if the mutex is poisoned.
   */
  intoInner(): T {
    const guard = this.lockIgnoringPoison();
    const poisoned = this.words[POISON] !== 0;
    const value = this.storage.get();
    // Taken out, not changed: nothing to serialize back.
    this.storage.discard();
    this.unlock(guard);
    if (poisoned) throw new PoisonError(value);
    return value;
  }

  /**
   * The data, read under a short lock: Rust's `get_mut`, which needs exclusive
   * access to the mutex. A shared view or handle is returned itself (write
   * into it); an inline or cloned value is returned as a copy: change the data
   * through `lock()`.
   *
   * @throws {PoisonError} holding the value, if the mutex is poisoned.
   */
  getMut(): T {
    return this.intoInner();
  }

  /** @internal Locks, leaving the poison check to the caller. */
  lockIgnoringPoison(): MutexGuard<T> {
    const thread = currentThreadId();
    // Acquire: pairs with the exchange in `unlock`.
    if (Atomics.compareExchange(this.words, STATE, UNLOCKED, thread << 1) !== UNLOCKED) {
      lockContended(this.words, thread);
    }
    const guard = this.guard;
    guard.held = true;
    return guard;
  }

  /** @internal Releases the lock held by `guard` (which is marked released first). */
  unlock(guard: MutexGuard<T>): void {
    guard.held = false;
    if (this.storage.settles) {
      settleAndUnlock(this.storage, this.words);
    } else if ((Atomics.exchange(this.words, STATE, UNLOCKED) & WAITERS) !== 0) {
      // Release: publishes the data to the next acquirer's compare-exchange; wake one sleeper if any.
      Atomics.notify(this.words, STATE, 1);
    }
  }

  /** @internal Re-locks for `guard` after a condition-variable wait (may throw PoisonError). */
  relock(guard: MutexGuard<T>): MutexGuard<T> {
    const thread = currentThreadId();
    // Acquire: pairs with the exchange in `unlock`.
    if (Atomics.compareExchange(this.words, STATE, UNLOCKED, thread << 1) !== UNLOCKED) {
      lockContended(this.words, thread);
    }
    guard.held = true;
    if (this.words[POISON] !== 0) throw new PoisonError(guard);
    return guard;
  }

  /** @internal The awaitable twin of `relock`. */
  async relockAsync(guard: MutexGuard<T>): Promise<MutexGuard<T>> {
    await this.acquireAsync();
    guard.held = true;
    if (this.words[POISON] !== 0) throw new PoisonError(guard);
    return guard;
  }

  /**
   * @internal Waits for the lock with `Atomics.waitAsync`, then holds it (no
   * guard yet). A holder in this same thread is another task: it is waited for.
   */
  async acquireAsync(): Promise<void> {
    const words = this.words;
    const thread = currentThreadId();
    let want = thread << 1;
    for (;;) {
      const state = Atomics.load(words, STATE);
      if (state === UNLOCKED) {
        // Acquire: pairs with the exchange in `unlock`.
        if (Atomics.compareExchange(words, STATE, UNLOCKED, want) === UNLOCKED) return;
        continue;
      }
      // Announce that we sleep, so that `unlock` notifies; pairs with its exchange.
      if ((state & WAITERS) === 0 && Atomics.compareExchange(words, STATE, state, state | WAITERS) !== state) continue;
      // Woken by the notify in `unlock`; a timeout means: look at the owner's liveness.
      const result = waitAsync(words, STATE, state | WAITERS, LIVENESS_CHECK_MS);
      const outcome = result.async ? await result.value : result.value;
      if (outcome === 'timed-out' && takeOverFromDead(words, thread)) return;
      // Others may still sleep: keep the bit when we take the lock.
      want = (thread << 1) | WAITERS;
    }
  }
}

/** `unsafe impl<T: Send> Send for Mutex<T>`, `unsafe impl<T: Send> Sync for Mutex<T>`. */
export interface Mutex<T> extends Traits<'Mutex', T, 'T: Send', 'T: Send'>, Copy {}

/**
 * Proof that the lock is held: `.value` reads and writes the data, and
 * disposing the guard (`using`, or `guard[Symbol.dispose]()`) releases the
 * lock. A released guard throws `ReleasedError` when used. A guard stays in
 * the thread that locked (moving it is refused, by tsc and at run time), so no
 * other thread can unlock.
 *
 * When to use: it is what `lock()` returns; keep it in a `using` declaration.
 *
 * Cost: `lock()` reuses one guard per mutex per thread, so locking allocates
 * nothing and does no bookkeeping beyond the guard's `held` flag. (A guard kept past its release therefore comes back to life if the
 * same thread locks the same mutex again.)
 *
 * @example
 * ```ts
 * {
 *   using guard = mutex.lock();
 *   guard.value += 1;
 * } // released here
 * ```
 */
export class MutexGuard<T> implements Held, Disposable {
  /** @internal Whether the guard holds the lock now. */
  held = false;
  /** @internal The mutex it locks. */
  readonly mutex: Mutex<T>;
  /** @internal The mutex's data. */
  readonly storage: Storage<T>;

  /** @internal Guards are made by `Mutex` only. */
  constructor(mutex: Mutex<T>) {
    this.mutex = mutex;
    this.storage = mutex.storage;
    track(this);
  }

  /** The protected data (Rust's `Deref`/`DerefMut`). */
  get value(): T {
    if (!this.held) throw new ReleasedError();
    return this.storage.get();
  }
  set value(value: T) {
    if (!this.held) throw new ReleasedError();
    this.storage.set(value);
  }

  /** Releases the lock (Rust's `drop(guard)`); releasing twice does nothing. */
  [Symbol.dispose](): void {
    if (!this.held) return;
    // Disposed by an exception propagating out of its block: poison, as a Rust guard dropped while unwinding does.
    if (unwindState.unwinding) return this.abandon();
    this.held = false;
    if (this.storage.settles) {
      settleAndUnlock(this.storage, this.mutex.words);
    } else if ((Atomics.exchange(this.mutex.words, STATE, UNLOCKED) & WAITERS) !== 0) {
      // Release: publishes the data to the next acquirer's compare-exchange; wake one sleeper if any.
      Atomics.notify(this.mutex.words, STATE, 1);
    }
  }

  /**
   * @internal Called by the panic hook: poison, then release. A guard left
   * held by an earlier thread of the same worker is only forgotten: that
   * thread ended, so its lock was (or will be) taken over by a waiter.
   */
  abandon(): void {
    if (Atomics.load(this.mutex.words, STATE) >>> 1 !== currentThreadId()) {
      this.held = false;
      return;
    }
    // Read by the next lock() after it acquires the lock we release below.
    Atomics.store(this.mutex.words, POISON, 1);
    try {
      this.mutex.unlock(this);
    } catch {
      // The data may be unserializable; the lock is released anyway and stays poisoned.
    }
  }
}

/** `impl<T> !Send for MutexGuard<T>`, `unsafe impl<T: Sync> Sync for MutexGuard<T>`. */
export interface MutexGuard<T> extends Traits<'MutexGuard', T, 'never', 'T: Sync'> {}

/**
 * The slow path of `lock`: the word was not `UNLOCKED`. Throws on relock;
 * otherwise, as Rust's futex mutex does, spins (with `backOff` pauses) until
 * the lock looks free, and sleeps on the word with the `WAITERS` bit set only
 * when that spin ran out; after each wake-up it spins again. It wakes at least
 * every `LIVENESS_CHECK_MS` to take over (and poison) the lock of a dead owner.
 *
 * The spin ignores the `WAITERS` bit: a thread that was woken keeps the bit
 * when it takes the lock (others may still sleep), so the bit is set far more
 * often than anyone sleeps, and stopping the spin for it sent two threads that
 * take turns to sleep on every turn.
 */
function lockContended(words: Int32Array, thread: number): void {
  let state = Atomics.load(words, STATE);
  if (state >>> 1 === thread) throw new WouldDeadlockError();
  /** What to store when taking the lock: once we have slept, others may sleep too, so keep `WAITERS`. */
  let want = thread << 1;
  for (;;) {
    for (let spin = 0; spin < SPIN_LIMIT && state !== UNLOCKED; spin++) {
      backOff(spin);
      state = Atomics.load(words, STATE);
    }
    if (state === UNLOCKED) {
      // Acquire: pairs with the exchange in `unlock`.
      if (Atomics.compareExchange(words, STATE, UNLOCKED, want) === UNLOCKED) return;
    } else if ((state & WAITERS) !== 0 || Atomics.compareExchange(words, STATE, state, state | WAITERS) === state) {
      // Announced that we sleep (pairs with the exchange in `unlock`, which then notifies). Sleeps
      // only if the word still equals what we saw: no wake-up can be lost in between. An owner
      // that died never notifies, so only a timeout needs the liveness check.
      const woken = Atomics.wait(words, STATE, state | WAITERS, LIVENESS_CHECK_MS);
      if (woken === 'timed-out' && takeOverFromDead(words, thread)) return;
      want = (thread << 1) | WAITERS;
    }
    state = Atomics.load(words, STATE);
  }
}

/** The unlock of cloned data: serialize it back, then release (even if serializing throws). */
function settleAndUnlock(storage: Storage<unknown>, words: Int32Array): void {
  try {
    storage.settle();
  } finally {
    // Release: publishes the data to the next acquirer's compare-exchange; wake one sleeper if any.
    if ((Atomics.exchange(words, STATE, UNLOCKED) & WAITERS) !== 0) Atomics.notify(words, STATE, 1);
  }
}

/**
 * If the lock's owner has died (terminated, or ended without releasing), takes
 * the lock over and poisons it. Returns whether it did.
 */
function takeOverFromDead(words: Int32Array, thread: number): boolean {
  const state = Atomics.load(words, STATE);
  if (state === UNLOCKED || isThreadAlive(state >>> 1)) return false;
  // Acquire from the dead owner, keeping WAITERS: others may sleep on the word.
  if (Atomics.compareExchange(words, STATE, state, (thread << 1) | WAITERS) !== state) return false;
  // Read by lock() right after this acquisition, and by isPoisoned() anywhere.
  Atomics.store(words, POISON, 1);
  return true;
}

registerCodec<Mutex<unknown>, MutexWire>({
  module: import.meta.url,
  tag: 'sendsync:Mutex',
  type: Mutex,
  // Its storage checks each value as it is stored: nothing inside can fail `T: Send`.
  send: 'T: Send',
  sync: 'T: Send',
  encode(mutex, context) {
    return { memory: mutex.words.buffer as SharedArrayBuffer, storage: mutex.storage.encode(context) };
  },
  decode(wire, context) {
    decoding = { wire, context };
    return new Mutex<unknown>(undefined);
  },
});

// A guard never leaves its thread: moving or borrowing one is refused with rustc's E0277 wording.
refuseToSend<MutexGuard<unknown>>({
  type: MutexGuard,
  name: 'MutexGuard',
  param: (guard) => (guard.held ? [guard.storage.get()] : []),
});
