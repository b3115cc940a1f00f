/**
 * The word protocol of `Condvar`, as Rust's `sys/sync/condvar/futex.rs`:
 * waiters sleep on a notification counter, not on a constant. A waiter reads
 * the counter while it still holds the mutex (`prepare`), and sleeps only if
 * the counter has not moved since (`CondvarWait`), so a notification sent
 * after it released the mutex is never lost.
 */

import { block, blockAsync, DONE, START, TIMED_OUT, Wait, type WaitEvent, type WaitRequest } from './wait.js';

// The words.
/** Index of the notification counter: every notify adds one (wrapping). */
const COUNTER = 0;
/** Index of the number of threads (and tasks) waiting, so that a notify without waiters costs no system call. */
const WAITERS = 1;
/** How many words a condition variable has. */
export const WORDS = 2;

/**
 * Counts a waiter and returns the counter, read while the caller still holds
 * the mutex; the caller then releases the mutex and calls `wait` or
 * `waitAsync` with what this returned.
 */
export function prepare(words: Int32Array): number {
  // Read by notify: counted before we read the counter, so a later notify will call Atomics.notify.
  Atomics.add(words, WAITERS, 1);
  // Pairs with the add in notify: any notify after this point changes the value we will sleep on.
  return Atomics.load(words, COUNTER);
}

/** Sleeps until a notify moves the counter from `seen`, at most `timeout` ms; returns whether the time ran out. */
export function wait(words: Int32Array, seen: number, timeout: number): boolean {
  const wait = new CondvarWait(words, seen, timeout);
  block(wait, 'waitAsync');
  return wait.timedOut;
}

/** The awaitable form of `wait`. */
export async function waitAsync(words: Int32Array, seen: number, timeout: number): Promise<boolean> {
  const wait = new CondvarWait(words, seen, timeout);
  await blockAsync(wait);
  return wait.timedOut;
}

/** Wakes `count` waiters (`Infinity`: all), if any wait. */
export function notify(words: Int32Array, count: number): void {
  // Pairs with the load in `prepare`: a waiter that read the old count does not go to sleep.
  Atomics.add(words, COUNTER, 1);
  // Pairs with the add in `prepare`: a waiter counted there is sleeping or about to see the new count.
  if (Atomics.load(words, WAITERS) !== 0) Atomics.notify(words, COUNTER, count);
}

/** One sleep on the counter (a wake-up may be spurious: callers wait in a loop on their condition). */
class CondvarWait extends Wait {
  /** Whether the sleep ended because the time ran out. */
  timedOut = false;

  constructor(
    readonly condvarWords: Int32Array,
    readonly seen: number,
    readonly limit: number,
  ) {
    super();
  }

  step(event: WaitEvent): WaitRequest {
    // Sleeps only if no notify moved the counter since `prepare` read it (under the mutex).
    if (event === START) return this.sleep(this.condvarWords, COUNTER, this.seen, this.limit);
    Atomics.sub(this.condvarWords, WAITERS, 1);
    this.timedOut = event === TIMED_OUT;
    return DONE;
  }
}
