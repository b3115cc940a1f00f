/**
 * The word protocol of `Once` and `OnceLock`, as Rust's
 * `sys/sync/once/futex.rs`: one state word, which the first caller moves to
 * `RUNNING` while it runs the initialisation and then to `COMPLETE` (or
 * `POISONED` if it panicked); the others sleep on the word meanwhile
 * (`OnceWait`, run by the blocking or the awaitable driver). The runner's
 * thread id is kept beside it, so that waiters notice a runner that died.
 */

import { currentThreadId, isThreadAlive } from '../internal/thread-registry.js';
import { block, blockAsync, DONE, Wait, type WaitEvent, type WaitRequest } from './wait.js';
import { LIVENESS_CHECK_MS } from './wait-policy.js';

// The words.
/** Index of the state word. */
const STATE = 0;
/** Index of the running thread's id (0 when none). */
const RUNNER = 1;
/** How many words the protocol uses. */
export const WORDS = 2;

// The states of the state word.
/** Not run yet. */
const INCOMPLETE = 0;
/** A thread runs the initialisation; others sleep on the word. */
const RUNNING = 1;
/** Done, for good. */
const COMPLETE = 2;
/** The initialisation panicked (or its thread died); a forced call may run it again. */
const POISONED = 3;

// What `begin` answers.
/** Someone completed the initialisation: nothing to run. */
export const FINISHED = 0;
/** This thread runs the initialisation now, and must call `end`. */
export const RUN = 1;
/** As `RUN`, after an earlier run panicked. */
export const RUN_AFTER_POISON = 2;
/** An earlier run panicked, and the call is not forced. */
export const REFUSED_POISONED = 3;
/** This thread runs the initialisation already: waiting for it would never end. */
export const REFUSED_REENTRANT = 4;

/** What a call wants: run the initialisation if nobody has, or only wait until it is done. */
export interface OnceRequest {
  /** Run it if nobody has (else: only wait for it to complete). */
  readonly run: boolean;
  /** Ignore poison: run again (or wait for a run) after a panicked run. */
  readonly force: boolean;
}

/** Whether the initialisation completed (pairs with the store of COMPLETE in `end`, which published its work). */
export function isComplete(words: Int32Array): boolean {
  return Atomics.load(words, STATE) === COMPLETE;
}

/**
 * Waits until the initialisation is complete, or (`request.run`) until this
 * thread may run it; says which (`FINISHED`, `RUN`, ...).
 */
export function begin(words: Int32Array, request: OnceRequest, twin: string): number {
  const wait = new OnceWait(words, request, true);
  block(wait, twin);
  return wait.outcome;
}

/** The awaitable form of `begin` (a runner in this same thread is another task: it is waited for). */
export async function beginAsync(words: Int32Array, request: OnceRequest): Promise<number> {
  const wait = new OnceWait(words, request, false);
  await blockAsync(wait);
  return wait.outcome;
}

/** Ends this thread's run: `completed`, or panicked (poisoned); wakes the waiters. */
export function end(words: Int32Array, completed: boolean): void {
  Atomics.store(words, RUNNER, 0);
  // Release: publishes what the initialisation did to every load that sees COMPLETE.
  Atomics.store(words, STATE, completed ? COMPLETE : POISONED);
  Atomics.notify(words, STATE);
}

/** Looks at the state until the call can go on: it is done, it runs, or it is refused. */
class OnceWait extends Wait {
  /** What the wait ended with (see `begin`). */
  outcome = FINISHED;

  constructor(
    readonly onceWords: Int32Array,
    readonly request: OnceRequest,
    /** Whether the caller blocks its thread, so that a run by this same thread can never end. */
    readonly blocking: boolean,
  ) {
    super();
  }

  step(_event: WaitEvent): WaitRequest {
    const words = this.onceWords;
    for (;;) {
      // Pairs with the stores in `end` and `runnerDied`.
      const state = Atomics.load(words, STATE);
      if (state === COMPLETE) return this.finish(FINISHED);
      if (state === POISONED && !this.request.force) return this.finish(REFUSED_POISONED);
      if (state === RUNNING) {
        if (this.blocking && Atomics.load(words, RUNNER) === currentThreadId()) return this.finish(REFUSED_REENTRANT);
        if (runnerDied(words)) continue;
      } else if (this.request.run) {
        if (Atomics.compareExchange(words, STATE, state, RUNNING) !== state) continue;
        // Read by waiters checking the runner's liveness.
        Atomics.store(words, RUNNER, currentThreadId());
        return this.finish(state === INCOMPLETE ? RUN : RUN_AFTER_POISON);
      }
      // Woken by the notify in `end` (or `runnerDied`) when the state moves; the timeout is for the runner's liveness.
      return this.sleep(words, STATE, state, LIVENESS_CHECK_MS);
    }
  }

  private finish(outcome: number): WaitRequest {
    this.outcome = outcome;
    return DONE;
  }
}

/** If the runner has died, poisons the state (waking the waiters) and returns true. */
function runnerDied(words: Int32Array): boolean {
  const runner = Atomics.load(words, RUNNER);
  if (runner === 0 || isThreadAlive(runner)) return false;
  // Exactly one waiter wins the exchange and poisons.
  if (Atomics.compareExchange(words, RUNNER, runner, 0) !== runner) return false;
  Atomics.store(words, STATE, POISONED);
  Atomics.notify(words, STATE);
  return true;
}
