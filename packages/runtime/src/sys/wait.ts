/**
 * The two drivers of every wait: `block` (the thread sleeps in
 * `Atomics.wait`) and `blockAsync` (it awaits `Atomics.waitAsync`).
 *
 * A primitive writes its waiting protocol once, as a state machine over its
 * shared words: a `Wait` whose `step(event)` looks at the words, moves them
 * (takes the lock, announces a sleeper, ...) and answers either `DONE` or a
 * request: `SLEEP` ("sleep while `words[index]` is `value`, at most `timeout`
 * ms") or `SPIN` ("look at `words[index]` while it is `value`", out of a
 * budget of `SPIN_LIMIT` looks per sleep, which `spinsLeft` shows). The
 * driver performs the request and calls `step` again with what happened
 * (`WOKEN`, `NOT_EQUAL`, `TIMED_OUT`, `SPUN`); the first call gets `START`.
 * So the blocking and the awaitable form of an operation share every line of
 * its protocol, and differ only in how they wait.
 *
 * How to write a wait for these drivers:
 *
 * ```ts
 * class ReadyWait extends Wait {
 *   constructor(readonly flag: Int32Array) { super(); }
 *   step(event: WaitEvent): WaitRequest {
 *     // Pairs with the store of 1 by the thread that makes it ready.
 *     if (Atomics.load(this.flag, 0) === 1) return DONE;
 *     return this.sleep(this.flag, 0, 0, Infinity);
 *   }
 * }
 * block(new ReadyWait(flag), 'waitReadyAsync');
 * await blockAsync(new ReadyWait(flag));
 * ```
 *
 * Rules: keep the fast path (no wait needed) inline in the primitive, before
 * any `Wait` is made, so that the uncontended operation allocates nothing;
 * `step` must be safe to call again after any event (a wake-up may be
 * spurious); a timeout is the wait's own business (keep a deadline and pass
 * the time left); a `SPIN` lasts microseconds, so the awaitable driver
 * spins too.
 */

import { blockingWait, waitAsync, waitAsyncAlive } from '../internal/block.js';
import { pause, SPIN_LIMIT } from './wait-policy.js';

/** What a `step` answers. */
export type WaitRequest = typeof DONE | typeof SLEEP | typeof SPIN;
/** The wait is over. */
export const DONE = 0;
/** Sleep while `words[index]` is `value`, at most `timeout` milliseconds. */
export const SLEEP = 1;
/** Spin while `words[index]` is `value`, out of the looks left (`spinsLeft`, at least one). */
export const SPIN = 2;

/** What happened since the last `step`. */
export type WaitEvent = typeof START | typeof WOKEN | typeof NOT_EQUAL | typeof TIMED_OUT | typeof SPUN;
/** The first call. */
export const START = 0;
/** A notify woke the sleep (or, rarely, a spurious wake-up). */
export const WOKEN = 1;
/** The word no longer held `value`: nothing slept. */
export const NOT_EQUAL = 2;
/** The sleep's timeout elapsed. */
export const TIMED_OUT = 3;
/** A spin ended (the word changed, or the looks ran out). */
export const SPUN = 4;

/** A waiting protocol: the state machine the drivers run. */
export abstract class Wait {
  /** The request's words. */
  words: Int32Array = EMPTY_WORDS;
  /** The request's word index. */
  index = 0;
  /** `SLEEP`: the value to sleep on; `SPIN`: the value to spin on. */
  value = 0;
  /** `SLEEP`: the longest sleep, in milliseconds (`Infinity`: no limit). */
  timeout = Infinity;
  /** Looks at the word that spins may still take before the next sleep (the drivers count them down, and refill them after each sleep). */
  spinsLeft = SPIN_LIMIT;

  /** Looks at the words after `event`, moves them, and says what comes next. */
  abstract step(event: WaitEvent): WaitRequest;

  /** Fills in a `SLEEP` request. */
  protected sleep(words: Int32Array, index: number, value: number, timeout: number): WaitRequest {
    this.words = words;
    this.index = index;
    this.value = value;
    this.timeout = timeout;
    return SLEEP;
  }

  /** Fills in a `SPIN` request (only while `spinsLeft` is above zero). */
  protected spin(words: Int32Array, index: number, value: number): WaitRequest {
    this.words = words;
    this.index = index;
    this.value = value;
    return SPIN;
  }
}

const EMPTY_WORDS = new Int32Array(0);

/**
 * Runs `wait` to its end, sleeping in `Atomics.wait`. `twin` names the
 * awaitable form, for the `WouldBlockError` raised where blocking is
 * impossible (a browser's main thread).
 */
export function block(wait: Wait, twin: string): void {
  let event: WaitEvent = START;
  for (;;) {
    const request = wait.step(event);
    if (request === DONE) return;
    if (request === SPIN) {
      spinWhile(wait);
      event = SPUN;
    } else {
      event = outcome(blockingWait(wait.words, wait.index, wait.value, wait.timeout, twin));
      wait.spinsLeft = SPIN_LIMIT;
    }
  }
}

/**
 * Runs `wait` to its end, awaiting `Atomics.waitAsync`. With `keepAlive`,
 * a timer keeps this thread's event loop alive while it sleeps (a pending
 * `waitAsync` alone does not, so a worker with nothing else to do would end).
 */
export async function blockAsync(wait: Wait, keepAlive = false): Promise<void> {
  let event: WaitEvent = START;
  for (;;) {
    const request = wait.step(event);
    if (request === DONE) return;
    if (request === SPIN) {
      spinWhile(wait);
      event = SPUN;
    } else {
      if (keepAlive) {
        event = outcome(await waitAsyncAlive(wait.words, wait.index, wait.value, wait.timeout));
      } else {
        const result = waitAsync(wait.words, wait.index, wait.value, wait.timeout);
        event = outcome(result.async ? await result.value : result.value);
      }
      wait.spinsLeft = SPIN_LIMIT;
    }
  }
}

/**
 * Looks at the spin request's word while it is its value, out of the wait's
 * looks left (each request takes at least one, so that a word that keeps
 * changing cannot make a wait spin forever). Both drivers spin: the spin
 * lasts microseconds, far less than a turn of the event loop, and a task
 * that gets the lock in it saves a `waitAsync`, its promise and the notify
 * that would settle it.
 */
function spinWhile(wait: Wait): void {
  const { words, index, value } = wait;
  let left = wait.spinsLeft;
  while (left > 0) {
    left--;
    // Loads only: a look shares the cache line with the holder, where a compare-exchange would take it.
    if (Atomics.load(words, index) !== value) break;
    pause();
  }
  wait.spinsLeft = left;
}

function outcome(result: 'ok' | 'not-equal' | 'timed-out'): WaitEvent {
  return result === 'ok' ? WOKEN : result === 'timed-out' ? TIMED_OUT : NOT_EQUAL;
}
