/**
 * `Once`: run an initialisation exactly once, whichever thread gets there first.
 *
 * The layer above the word protocol (`sys/futex-once.ts`, shared with
 * `OnceLock`): running the function, the errors, the codec.
 */

import type { Traits } from '@sendsync/marker';
import { registerWordsCodec } from '../codec.js';
import { ownedHandles, type OwnedHandle } from './owned-handle.js';
import * as futex from '../sys/futex-once.js';
import { PoisonError, WouldDeadlockError } from './poison.js';

/** What `callOnce` asks of the protocol. */
const CALL: futex.OnceRequest = { run: true, force: false };
/** What `callOnceForce` asks of the protocol. */
const CALL_FORCE: futex.OnceRequest = { run: true, force: true };
/** What `wait` asks of the protocol. */
const WAIT: futex.OnceRequest = { run: false, force: false };

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
  /** @internal The words (`sys/futex-once.ts`). */
  readonly words: Int32Array;

  /** A `Once` that has not run. */
  constructor();
  /** @internal Adopts the memory of a `Once` from another thread (see `#fromWire`). */
  constructor(memory: SharedArrayBuffer);
  constructor(memory?: SharedArrayBuffer) {
    this.words = new Int32Array(memory ?? new SharedArrayBuffer(futex.WORDS * Int32Array.BYTES_PER_ELEMENT));
  }

  /** Rebuilds a `Once` over its words, in the thread that received it. */
  static #fromWire(memory: SharedArrayBuffer): Once {
    return new Once(memory);
  }

  static {
    registerWordsCodec(import.meta.url, 'Once', Once, (memory) => Once.#fromWire(memory));
    ownedHandles(Once);
  }

  /**
   * Runs `f` if no thread has completed it; waits if one is running it.
   *
   * @throws {PoisonError} if an earlier run threw.
   * @throws {WouldDeadlockError} if called from inside `f`.
   */
  callOnce(f: () => void): void {
    if (futex.isComplete(this.words)) return;
    this.run(futex.begin(this.words, CALL, 'callOnceAsync'), f);
  }

  /** As `callOnce`, but runs `f` even if the `Once` is poisoned (and clears the poison if `f` succeeds). */
  callOnceForce(f: (state: OnceState) => void): void {
    if (futex.isComplete(this.words)) return;
    this.run(futex.begin(this.words, CALL_FORCE, 'callOnceAsync'), f);
  }

  /** The awaitable twin of `callOnce`: waits for a running initialisation without blocking. */
  async callOnceAsync(f: () => void): Promise<void> {
    if (futex.isComplete(this.words)) return;
    this.run(await futex.beginAsync(this.words, CALL), f);
  }

  /** Whether an initialisation has completed. */
  isCompleted(): boolean {
    return futex.isComplete(this.words);
  }

  /**
   * Blocks until an initialisation has completed (Rust's `Once::wait`).
   *
   * @throws {PoisonError} if one threw.
   * @throws {WouldDeadlockError} if called from inside the initialisation.
   */
  wait(): void {
    if (!futex.isComplete(this.words)) this.run(futex.begin(this.words, WAIT, 'waitAsync'), noop);
  }

  /** The awaitable twin of `wait()`. @throws {PoisonError} (as a rejection) if an initialisation threw. */
  async waitAsync(): Promise<void> {
    if (!futex.isComplete(this.words)) this.run(await futex.beginAsync(this.words, WAIT), noop);
  }

  /** Acts on what the protocol answered: runs `f` as the one runner, or reports why not. */
  private run(outcome: number, f: (state: OnceState) => void): void {
    if (outcome === futex.FINISHED) return;
    if (outcome === futex.REFUSED_POISONED) throw new PoisonError(undefined);
    if (outcome === futex.REFUSED_REENTRANT) throw new WouldDeadlockError();
    let completed = false;
    try {
      f(new OnceState(outcome === futex.RUN_AFTER_POISON));
      completed = true;
    } finally {
      futex.end(this.words, completed);
    }
  }
}

function noop(): void {}

/** `unsafe impl Send for Once`, `unsafe impl Sync for Once`. */
export interface Once extends Traits<'Once', never, 'always', 'always'>, OwnedHandle {}
