/**
 * `Condvar`: waiting for a condition on data protected by a `Mutex`.
 *
 * Waiters sleep on a notification counter, not on a constant: a waiter reads
 * the counter while it still holds the mutex, and sleeps only if the counter
 * has not moved since, so a notification sent after it released the mutex is
 * never lost.
 */

import type { Copy, Traits } from '@sendsync/marker';
import { registerCodec } from '../codec.js';
import { waitAsync } from './es2024.js';
import type { MutexGuard } from './mutex.js';
import { ReleasedError } from './poison.js';

/** Index of the notification counter: every notify adds one (wrapping). */
const COUNTER = 0;
/** Index of the number of threads (and tasks) waiting, so that a notify without waiters costs no system call. */
const WAITERS = 1;

/** The wire form of a condition variable: its words. */
interface CondvarWire {
  readonly memory: SharedArrayBuffer;
}

/** Set by the codec while it rebuilds a condvar from its wire form (the constructor reads it). */
let decoding: CondvarWire | undefined;

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
 * `waitWhile`).
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
  /** @internal The counter and the waiter count. */
  readonly words: Int32Array;

  /** Creates a condition variable nobody waits on. */
  constructor() {
    const from = decoding;
    decoding = undefined;
    this.words = new Int32Array(from?.memory ?? new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  }

  /**
   * Releases the guard's mutex, sleeps until notified, locks again and
   * returns the guard (the same object).
   *
   * @throws {PoisonError} if the mutex was poisoned meanwhile (the error holds the guard).
   */
  wait<T>(guard: MutexGuard<T>): MutexGuard<T> {
    const seen = this.prepare(guard);
    // Sleeps only if no notify moved the counter since `prepare` read it (under the mutex).
    Atomics.wait(this.words, COUNTER, seen);
    Atomics.sub(this.words, WAITERS, 1);
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
   */
  waitTimeout<T>(guard: MutexGuard<T>, ms: number): [MutexGuard<T>, WaitTimeoutResult] {
    const seen = this.prepare(guard);
    const outcome = Atomics.wait(this.words, COUNTER, seen, ms);
    Atomics.sub(this.words, WAITERS, 1);
    return [guard.mutex.relock(guard), new WaitTimeoutResult(outcome === 'timed-out')];
  }

  /** As `waitWhile`, giving up after `ms` milliseconds in all. */
  waitTimeoutWhile<T>(guard: MutexGuard<T>, ms: number, condition: (value: T) => boolean): [MutexGuard<T>, WaitTimeoutResult] {
    const deadline = performance.now() + ms;
    while (condition(guard.value)) {
      const left = deadline - performance.now();
      if (left <= 0) return [guard, new WaitTimeoutResult(true)];
      [guard] = this.waitTimeout(guard, left);
    }
    return [guard, new WaitTimeoutResult(false)];
  }

  /** The awaitable twin of `wait`: sleeps with `Atomics.waitAsync`, then locks with `lockAsync`'s wait. */
  async waitAsync<T>(guard: MutexGuard<T>): Promise<MutexGuard<T>> {
    const seen = this.prepare(guard);
    const result = waitAsync(this.words, COUNTER, seen);
    if (result.async) await result.value;
    Atomics.sub(this.words, WAITERS, 1);
    return guard.mutex.relockAsync(guard);
  }

  /** The awaitable twin of `waitWhile`. */
  async waitWhileAsync<T>(guard: MutexGuard<T>, condition: (value: T) => boolean): Promise<MutexGuard<T>> {
    while (condition(guard.value)) guard = await this.waitAsync(guard);
    return guard;
  }

  /** The awaitable twin of `waitTimeout`. */
  async waitTimeoutAsync<T>(guard: MutexGuard<T>, ms: number): Promise<[MutexGuard<T>, WaitTimeoutResult]> {
    const seen = this.prepare(guard);
    const result = waitAsync(this.words, COUNTER, seen, ms);
    const outcome = result.async ? await result.value : result.value;
    Atomics.sub(this.words, WAITERS, 1);
    return [await guard.mutex.relockAsync(guard), new WaitTimeoutResult(outcome === 'timed-out')];
  }

  /** Wakes one waiter, if any. */
  notifyOne(): void {
    // Pairs with the load in `prepare`: a waiter that read the old count does not go to sleep.
    Atomics.add(this.words, COUNTER, 1);
    // Pairs with the add in `prepare`: a waiter counted there is sleeping or about to see the new count.
    if (Atomics.load(this.words, WAITERS) !== 0) Atomics.notify(this.words, COUNTER, 1);
  }

  /** Wakes every waiter. */
  notifyAll(): void {
    // Pairs with the load in `prepare`, as in `notifyOne`.
    Atomics.add(this.words, COUNTER, 1);
    if (Atomics.load(this.words, WAITERS) !== 0) Atomics.notify(this.words, COUNTER);
  }

  /** Counts this waiter, reads the counter while the mutex is still held, then releases the mutex. */
  private prepare<T>(guard: MutexGuard<T>): number {
    if (!guard.held) throw new ReleasedError();
    // Read by notify: counted before we read the counter, so a later notify will call Atomics.notify.
    Atomics.add(this.words, WAITERS, 1);
    // Pairs with the add in notify: any notify after this point changes the value we will sleep on.
    const seen = Atomics.load(this.words, COUNTER);
    guard.mutex.unlock(guard);
    return seen;
  }
}

/** `unsafe impl Send for Condvar`, `unsafe impl Sync for Condvar`. */
export interface Condvar extends Traits<'Condvar', never, 'always', 'always'>, Copy {}

registerCodec<Condvar, CondvarWire>({
  module: import.meta.url,
  tag: 'sendsync:Condvar',
  type: Condvar,
  send: 'always',
  sync: 'always',
  encode(condvar) {
    return { memory: condvar.words.buffer as SharedArrayBuffer };
  },
  decode(wire) {
    decoding = wire;
    return new Condvar();
  },
});
