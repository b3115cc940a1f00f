/**
 * `Once`: run an initialisation exactly once, whichever thread gets there first.
 */

import type { Copy, Traits } from '@sendsync/marker';
import { registerCodec } from '../codec.js';
import { currentThreadId, isThreadAlive } from '../internal/thread-registry.js';
import { waitAsync } from './es2024.js';
import { PoisonError, WouldDeadlockError } from './poison.js';
import { LIVENESS_CHECK_MS } from '../sys/wait-policy.js';

/** Index of the state word. */
const STATE = 0;
/** Index of the running thread's id (0 when none). */
const RUNNER = 1;

/** State: not run yet. */
const INCOMPLETE = 0;
/** State: a thread runs the initialisation; others sleep on the word. */
const RUNNING = 1;
/** State: done; `callOnce` returns at once from now on. */
const COMPLETE = 2;
/** State: the initialisation threw (or its thread died); `callOnce` throws, `callOnceForce` may retry. */
const POISONED = 3;

/** The wire form of a `Once`: its words. */
interface OnceWire {
  readonly memory: SharedArrayBuffer;
}

/** Set by the codec while it rebuilds a `Once` from its wire form (the constructor reads it). */
let decoding: OnceWire | undefined;

/**
 * What `callOnceForce` tells its function, as Rust's `OnceState`.
 *
 * When to use: to repair what an earlier, panicked initialisation left.
 *
 * @example
 * ```ts
 * once.callOnceForce((state) => {
 *   if (state.isPoisoned()) console.log('retrying a failed initialisation');
 * });
 * ```
 */
export class OnceState {
  readonly #poisoned: boolean;
  /** @internal */
  constructor(poisoned: boolean) {
    this.#poisoned = poisoned;
  }
  /** Whether an earlier initialisation panicked. */
  isPoisoned(): boolean {
    return this.#poisoned;
  }
}

/**
 * A one-time initialisation, as Rust's `std::sync::Once`: the first thread to
 * call `callOnce(f)` runs `f`; the others wait until it is done; later calls
 * return at once. If `f` throws (or its thread dies), the `Once` is poisoned.
 *
 * When to use: global set-up that must happen once across all threads (for a
 * value, prefer `OnceLock`).
 *
 * @example
 * ```ts
 * import { Once } from '@sendsync/runtime/sync';
 *
 * const init = new Once();
 * init.callOnce(() => console.log('once'));
 * init.callOnce(() => console.log('never printed'));
 * init.isCompleted(); // true
 * // @ts-expect-error: takes a function
 * init.callOnce(42);
 * ```
 */
export class Once {
  /** @internal The state and the runner. */
  readonly words: Int32Array;

  /** A `Once` that has not run. */
  constructor() {
    const from = decoding;
    decoding = undefined;
    this.words = new Int32Array(from?.memory ?? new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  }

  /**
   * Runs `f` if no thread has completed it; waits if one is running it.
   *
   * @throws {PoisonError} if an earlier run threw.
   * @throws {WouldDeadlockError} if called from inside `f`.
   */
  callOnce(f: () => void): void {
    // Pairs with the store of COMPLETE in `run`, which published what f did.
    if (Atomics.load(this.words, STATE) === COMPLETE) return;
    this.callSlow(false, f);
  }

  /** As `callOnce`, but runs `f` even if the `Once` is poisoned (and clears the poison if `f` succeeds). */
  callOnceForce(f: (state: OnceState) => void): void {
    if (Atomics.load(this.words, STATE) === COMPLETE) return;
    this.callSlow(true, f);
  }

  /** The awaitable twin of `callOnce`: waits for a running initialisation without blocking. */
  async callOnceAsync(f: () => void): Promise<void> {
    for (;;) {
      const state = Atomics.load(this.words, STATE);
      if (state !== RUNNING) return this.callOnce(f);
      if (this.runnerDied()) continue;
      const result = waitAsync(this.words, STATE, RUNNING, LIVENESS_CHECK_MS);
      if (result.async) await result.value;
    }
  }

  /** Whether an initialisation has completed. */
  isCompleted(): boolean {
    return Atomics.load(this.words, STATE) === COMPLETE;
  }

  /** Blocks until an initialisation has completed (Rust's `Once::wait`). @throws {PoisonError} if one threw. */
  wait(): void {
    for (;;) {
      const state = Atomics.load(this.words, STATE);
      if (state === COMPLETE) return;
      if (state === POISONED) throw new PoisonError(undefined);
      if (state === RUNNING && this.runnerDied()) continue;
      Atomics.wait(this.words, STATE, state, LIVENESS_CHECK_MS);
    }
  }

  /** The slow path: run, wait for the runner, or report poison. */
  private callSlow(force: boolean, f: (state: OnceState) => void): void {
    const words = this.words;
    for (;;) {
      const state = Atomics.load(words, STATE);
      if (state === COMPLETE) return;
      if (state === INCOMPLETE || state === POISONED) {
        if (state === POISONED && !force) throw new PoisonError(undefined);
        if (Atomics.compareExchange(words, STATE, state, RUNNING) !== state) continue;
        this.run(f, state === POISONED);
        return;
      }
      if (Atomics.load(words, RUNNER) === currentThreadId()) throw new WouldDeadlockError();
      if (this.runnerDied()) continue;
      // Woken by the notify in `run` when the state leaves RUNNING.
      Atomics.wait(words, STATE, RUNNING, LIVENESS_CHECK_MS);
    }
  }

  /** Runs `f` as the one runner, then publishes COMPLETE or POISONED and wakes the waiters. */
  private run(f: (state: OnceState) => void, poisoned: boolean): void {
    const words = this.words;
    // Read by waiters checking the runner's liveness.
    Atomics.store(words, RUNNER, currentThreadId());
    try {
      f(new OnceState(poisoned));
    } catch (error) {
      Atomics.store(words, RUNNER, 0);
      Atomics.store(words, STATE, POISONED);
      Atomics.notify(words, STATE);
      throw error;
    }
    Atomics.store(words, RUNNER, 0);
    // Release: publishes what f did to every later load that sees COMPLETE.
    Atomics.store(words, STATE, COMPLETE);
    Atomics.notify(words, STATE);
  }

  /** If the runner has died, poisons the `Once` (waking the waiters) and returns true. */
  private runnerDied(): boolean {
    const runner = Atomics.load(this.words, RUNNER);
    if (runner === 0 || isThreadAlive(runner)) return false;
    if (Atomics.compareExchange(this.words, RUNNER, runner, 0) !== runner) return false;
    Atomics.store(this.words, STATE, POISONED);
    Atomics.notify(this.words, STATE);
    return true;
  }
}

/** `unsafe impl Send for Once`, `unsafe impl Sync for Once`. */
export interface Once extends Traits<'Once', never, 'always', 'always'>, Copy {}

registerCodec<Once, OnceWire>({
  module: import.meta.url,
  tag: 'sendsync:Once',
  type: Once,
  send: 'always',
  sync: 'always',
  encode(once) {
    return { memory: once.words.buffer as SharedArrayBuffer };
  },
  decode(wire) {
    decoding = wire;
    return new Once();
  },
});
