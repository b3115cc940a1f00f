/**
 * `Condvar`: waiting for a condition on data protected by a `Mutex`.
 *
 * The layer above the word protocol (`sys/futex-condvar.ts`: the counter
 * waiters sleep on), as Rust's `sync/poison/condvar.rs`: releasing and
 * retaking the mutex around the wait, the timeouts, the one mutex a
 * condition variable serves, the codec.
 */

import type { Traits } from '@sendsync/marker';
import { registerWordsCodec } from '../codec.js';
import { ownedHandles, type OwnedHandle } from './owned-handle.js';
import { checkDuration } from '../sys/duration.js';
import * as futex from '../sys/futex-condvar.js';
import type { Mutex, MutexGuard } from './mutex.js';
import { ReleasedError } from './poison.js';

/** Byte offset of the identity of the mutex this condition variable serves (0 until first used), after the words. */
const MUTEX_OFFSET = futex.WORDS * Int32Array.BYTES_PER_ELEMENT;
/** How many bytes a condition variable has. */
const BYTES = MUTEX_OFFSET + BigInt64Array.BYTES_PER_ELEMENT;

/**
 * Whether a timed wait ended because the time ran out, as Rust's `WaitTimeoutResult`.
 *
 * When to use: it is what `waitTimeout` returns beside the guard.
 *
 * @example
 * ```ts
 * const [guard, result] = condvar.waitTimeout(mutex.lock(), 100);
 * if (result.timedOut()) console.log('nobody notified');
 * guard[Symbol.dispose]();
 * ```
 */
export class WaitTimeoutResult {
  readonly #timedOut: boolean;
  /** @internal */
  constructor(timedOut: boolean) {
    this.#timedOut = timedOut;
  }
  /** True if the wait ended because the timeout elapsed (not because of a notification). */
  timedOut(): boolean {
    return this.#timedOut;
  }
}

/**
 * A condition variable, as Rust's `std::sync::Condvar`: `wait(guard)`
 * atomically releases the mutex and sleeps until notified, then locks again.
 * Wake-ups may be spurious: always wait in a loop on the condition (or use
 * `waitWhile`). A condition variable serves one mutex: the first one it is
 * used with; using it with another is a `TypeError`, as it is Rust's panic.
 *
 * When to use: a thread must wait until data behind a mutex reaches some state
 * (a queue becomes non-empty), and several threads may wait.
 *
 * @example
 * ```ts
 * import { Condvar, Mutex } from '@sendsync/runtime/sync';
 *
 * const queue = new Mutex<number[]>([]);
 * const notEmpty = new Condvar();
 * // consumer
 * let q = queue.lock();
 * q = notEmpty.waitWhile(q, (items) => items.length === 0);
 * const item = q.value.shift();
 * q[Symbol.dispose]();
 * // producer
 * { using p = queue.lock(); p.value.push(1); }
 * notEmpty.notifyOne();
 * // @ts-expect-error: wait takes a guard, not the mutex
 * notEmpty.wait(queue);
 * ```
 */
export class Condvar {
  /** @internal The counter and the waiter count (`sys/futex-condvar.ts`), then the mutex's identity. */
  readonly words: Int32Array;
  /** The mutex this handle has been seen to serve (checked once per handle and mutex handle). */
  #mutex: Mutex<unknown> | undefined;

  /** Creates a condition variable nobody waits on. */
  constructor();
  /** @internal Adopts the memory of a condition variable from another thread (see `#fromWire`). */
  constructor(memory: SharedArrayBuffer);
  constructor(memory?: SharedArrayBuffer) {
    this.words = new Int32Array(memory ?? new SharedArrayBuffer(BYTES), 0, futex.WORDS);
  }

  /** Rebuilds a condition variable over its memory, in the thread that received it. */
  static #fromWire(memory: SharedArrayBuffer): Condvar {
    return new Condvar(memory);
  }

  static {
    registerWordsCodec(import.meta.url, 'Condvar', Condvar, (memory) => Condvar.#fromWire(memory));
    ownedHandles(Condvar);
  }

  /**
   * Releases the guard's mutex, sleeps until notified, locks again and
   * returns the guard (the same object).
   *
   * @throws {PoisonError} if the mutex was poisoned meanwhile: the lock is
   * released again (see `PoisonError`), and the error's `intoInner()` takes it
   * and gives the guard back (the forms with a timeout throw the same error,
   * holding the guard only, not the timeout's result).
   * @throws {TypeError} if this condition variable was used with another mutex.
   */
  wait<T>(guard: MutexGuard<T>): MutexGuard<T> {
    futex.wait(this.words, this.prepare(guard), Infinity);
    return guard.mutex.relock(guard);
  }

  /** Waits while `condition(value)` is true, then returns the guard, which holds the lock. */
  waitWhile<T>(guard: MutexGuard<T>, condition: (value: T) => boolean): MutexGuard<T> {
    while (condition(guard.value)) guard = this.wait(guard);
    return guard;
  }

  /**
   * As `wait`, giving up after `ms` milliseconds: returns the guard and
   * whether the time ran out, as Rust's `wait_timeout`.
   *
   * @param ms - a finite number of milliseconds, at least 0; anything else is
   * a `TypeError` (Rust's `Duration` is finite: wait without a limit with `wait`).
   */
  waitTimeout<T>(guard: MutexGuard<T>, ms: number): [MutexGuard<T>, WaitTimeoutResult] {
    const timeout = checkDuration(ms, 'waitTimeout', 'wait()');
    const timedOut = futex.wait(this.words, this.prepare(guard), timeout);
    return [guard.mutex.relock(guard), new WaitTimeoutResult(timedOut)];
  }

  /** As `waitWhile`, giving up after `ms` milliseconds in all (`ms` as for `waitTimeout`). */
  waitTimeoutWhile<T>(guard: MutexGuard<T>, ms: number, condition: (value: T) => boolean): [MutexGuard<T>, WaitTimeoutResult] {
    const deadline = performance.now() + checkDuration(ms, 'waitTimeoutWhile', 'waitWhile()');
    while (condition(guard.value)) {
      const left = deadline - performance.now();
      if (left <= 0) return [guard, new WaitTimeoutResult(true)];
      [guard] = this.waitTimeout(guard, left);
    }
    return [guard, new WaitTimeoutResult(false)];
  }

  /** The awaitable twin of `wait`: sleeps with `Atomics.waitAsync`, then locks with `lockAsync`'s wait. */
  async waitAsync<T>(guard: MutexGuard<T>): Promise<MutexGuard<T>> {
    await futex.waitAsync(this.words, this.prepare(guard), Infinity);
    return guard.mutex.relockAsync(guard);
  }

  /** The awaitable twin of `waitWhile`. */
  async waitWhileAsync<T>(guard: MutexGuard<T>, condition: (value: T) => boolean): Promise<MutexGuard<T>> {
    while (condition(guard.value)) guard = await this.waitAsync(guard);
    return guard;
  }

  /** The awaitable twin of `waitTimeout` (`ms` as for `waitTimeout`). */
  async waitTimeoutAsync<T>(guard: MutexGuard<T>, ms: number): Promise<[MutexGuard<T>, WaitTimeoutResult]> {
    const timeout = checkDuration(ms, 'waitTimeoutAsync', 'waitAsync()');
    const timedOut = await futex.waitAsync(this.words, this.prepare(guard), timeout);
    return [await guard.mutex.relockAsync(guard), new WaitTimeoutResult(timedOut)];
  }

  /** Wakes one waiter, if any. */
  notifyOne(): void {
    futex.notify(this.words, 1);
  }

  /** Wakes every waiter. */
  notifyAll(): void {
    futex.notify(this.words, Infinity);
  }

  /** Checks the guard and its mutex, counts this waiter, then releases the mutex; returns the counter to sleep on. */
  private prepare<T>(guard: MutexGuard<T>): number {
    if (!guard.held) throw new ReleasedError();
    this.serve(guard.mutex);
    const seen = futex.prepare(this.words);
    guard.mutex.unlock(guard);
    return seen;
  }

  /**
   * Records `mutex` as the one this condition variable serves, or throws if
   * it serves another (Rust panics: two mutexes would let a notify fall
   * between a waiter's check of its condition and its sleep).
   */
  private serve(mutex: Mutex<unknown>): void {
    if (this.#mutex === mutex) return;
    const id = mutex.id();
    // The first mutex recorded wins, in every thread; pairs with this same exchange in others.
    const served = Atomics.compareExchange(new BigInt64Array(this.words.buffer, MUTEX_OFFSET, 1), 0, 0n, id);
    if (served !== 0n && served !== id) throw new TypeError('attempted to use a condition variable with two mutexes');
    this.#mutex = mutex;
  }
}

/** `unsafe impl Send for Condvar`, `unsafe impl Sync for Condvar`. */
export interface Condvar extends Traits<'Condvar', never, 'always', 'always'>, OwnedHandle {}
