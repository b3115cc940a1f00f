/**
 * `Barrier`: lets a fixed number of threads wait for each other.
 *
 * Two words: the threads counted in this round, and the round number, which
 * the last thread of a round moves and the others sleep on (`RoundWait`).
 */

import type { Traits } from '@sendsync/marker';
import { registerWordsCodec } from '../codec.js';
import { ownedHandles, type OwnedHandle } from './owned-handle.js';
import { block, blockAsync, DONE, Wait, type WaitEvent, type WaitRequest } from '../sys/wait.js';

// The words.
/** Index of the number of threads that arrived in the current round. */
const COUNT = 0;
/** Index of the round number: it moves when the last thread arrives, and waiters sleep on it. */
const GENERATION = 1;
/** Index of how many threads each round waits for: fixed at creation, so that a thread receiving the barrier reads it. */
const SIZE = 2;
/** How many words a barrier has. */
const WORDS = 3;
/** The most threads a round may wait for (the count is a 32-bit word). */
const MAX_THREADS = 0x7fffffff;

/**
 * What `Barrier.wait` returns, as Rust's `BarrierWaitResult`.
 *
 * When to use: let exactly one thread per round do the round's bookkeeping.
 *
 * @example
 * ```ts
 * if (barrier.wait().isLeader()) console.log('round done');
 * ```
 */
export class BarrierWaitResult {
  readonly #leader: boolean;
  /** @internal */
  constructor(leader: boolean) {
    this.#leader = leader;
  }
  /** True for exactly one thread of each round (the last to arrive). */
  isLeader(): boolean {
    return this.#leader;
  }
}

/**
 * A barrier, as Rust's `std::sync::Barrier`: `wait()` blocks until `n`
 * threads have called it, then releases them all; it can be reused for the
 * next round.
 *
 * When to use: phases of a parallel computation that must all finish before
 * the next one starts.
 *
 * @example
 * ```ts
 * import { spawn, move } from '@sendsync/runtime';
 * import { Arc, Barrier } from '@sendsync/runtime/sync';
 *
 * const barrier = new Arc(new Barrier(2)); // shared as in Rust: `Arc<Barrier>`
 * const other = spawn(move(barrier.clone()), (barrier) => barrier.value.wait().isLeader());
 * const leader = barrier.value.wait().isLeader();
 * leader !== other.join(); // exactly one leader
 * // @ts-expect-error: the size is a number
 * new Barrier('2');
 * ```
 */
export class Barrier {
  /** @internal The count and the generation. */
  readonly words: Int32Array;
  /** @internal How many threads each round waits for. */
  readonly n: number;

  /**
   * A barrier for `n` threads (`n` of 0 or 1 never blocks, as in Rust).
   *
   * @throws {TypeError} unless `n` is an integer from 0 to 2^31 - 1.
   */
  constructor(n: number);
  /** @internal Adopts the memory of a barrier from another thread (see `#fromWire`). */
  constructor(n: number, memory: SharedArrayBuffer);
  constructor(n: number, memory?: SharedArrayBuffer) {
    if (!Number.isInteger(n) || n < 0 || n > MAX_THREADS) {
      const got = typeof n === 'number' ? String(n) : typeof n;
      throw new TypeError(`Barrier takes the number of threads to wait for, an integer >= 0 (got ${got})`);
    }
    this.words = new Int32Array(memory ?? new SharedArrayBuffer(WORDS * Int32Array.BYTES_PER_ELEMENT));
    // A new barrier's size, for the threads it is sent to (the move's message publishes it).
    if (memory === undefined) this.words[SIZE] = n;
    this.n = n;
  }

  /** Rebuilds a barrier over its words, in the thread that received it. */
  static #fromWire(memory: SharedArrayBuffer): Barrier {
    return new Barrier(new Int32Array(memory)[SIZE], memory);
  }

  static {
    registerWordsCodec(import.meta.url, 'Barrier', Barrier, (memory) => Barrier.#fromWire(memory));
    ownedHandles(Barrier);
  }

  /** Blocks until `n` threads have arrived in this round. */
  wait(): BarrierWaitResult {
    const round = this.arrive();
    if (round !== undefined) block(round, 'waitAsync');
    return new BarrierWaitResult(round === undefined);
  }

  /** The awaitable twin of `wait()`. */
  async waitAsync(): Promise<BarrierWaitResult> {
    const round = this.arrive();
    if (round !== undefined) await blockAsync(round);
    return new BarrierWaitResult(round === undefined);
  }

  /**
   * Counts this thread in. The last one resets the count, starts the next
   * round and returns undefined (it is the leader); the others get the wait
   * for the round to end.
   */
  private arrive(): RoundWait | undefined {
    // Read before arriving: the round cannot move until we (and the others) have arrived.
    const generation = Atomics.load(this.words, GENERATION);
    if (Atomics.add(this.words, COUNT, 1) + 1 < this.n) return new RoundWait(this.words, generation);
    // Reset before the next round can start: waiters only leave after the add below.
    Atomics.store(this.words, COUNT, 0);
    // Pairs with the waiters' loads of GENERATION in `RoundWait`.
    Atomics.add(this.words, GENERATION, 1);
    Atomics.notify(this.words, GENERATION);
    return undefined;
  }
}

/** `unsafe impl Send for Barrier`, `unsafe impl Sync for Barrier`. */
export interface Barrier extends Traits<'Barrier', never, 'always', 'always'>, OwnedHandle {}

/** Sleeps until the round `generation` ends (the leader's add moves the word; a late sleep returns at once). */
class RoundWait extends Wait {
  constructor(
    readonly barrierWords: Int32Array,
    readonly generation: number,
  ) {
    super();
  }

  step(_event: WaitEvent): WaitRequest {
    // Pairs with the leader's add of GENERATION.
    if (Atomics.load(this.barrierWords, GENERATION) !== this.generation) return DONE;
    return this.sleep(this.barrierWords, GENERATION, this.generation, Infinity);
  }
}
