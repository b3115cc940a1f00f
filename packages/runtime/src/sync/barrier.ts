/**
 * `Barrier`: lets a fixed number of threads wait for each other.
 */

import type { Copy, Traits } from '@sendsync/marker';
import { registerCodec } from '../codec.js';
import { waitAsync } from './es2024.js';

/** Index of the number of threads that arrived in the current round. */
const COUNT = 0;
/** Index of the round number: it moves when the last thread arrives, and waiters sleep on it. */
const GENERATION = 1;

/** The wire form of a barrier: its words and its size. */
interface BarrierWire {
  readonly memory: SharedArrayBuffer;
  readonly n: number;
}

/** Set by the codec while it rebuilds a barrier from its wire form (the constructor reads it). */
let decoding: BarrierWire | undefined;

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
 * import { Barrier } from '@sendsync/runtime/sync';
 *
 * const barrier = new Barrier(2);
 * const other = spawn(move(barrier), (barrier) => barrier.wait().isLeader());
 * const leader = barrier.wait().isLeader();
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

  /** A barrier for `n` threads (`n` of 0 or 1 never blocks). */
  constructor(n: number) {
    const from = decoding;
    decoding = undefined;
    this.words = new Int32Array(from?.memory ?? new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
    this.n = from?.n ?? n;
  }

  /** Blocks until `n` threads have arrived in this round. */
  wait(): BarrierWaitResult {
    const generation = this.arrive();
    if (generation === undefined) return new BarrierWaitResult(true);
    // Sleeps only while the round is unchanged: the leader's add wakes us, and a late sleep returns at once.
    while (Atomics.load(this.words, GENERATION) === generation) Atomics.wait(this.words, GENERATION, generation);
    return new BarrierWaitResult(false);
  }

  /** The awaitable twin of `wait()`. */
  async waitAsync(): Promise<BarrierWaitResult> {
    const generation = this.arrive();
    if (generation === undefined) return new BarrierWaitResult(true);
    while (Atomics.load(this.words, GENERATION) === generation) {
      const result = waitAsync(this.words, GENERATION, generation);
      if (result.async) await result.value;
    }
    return new BarrierWaitResult(false);
  }

  /** Counts this thread in; the last one resets the count and starts the next round (returns undefined). */
  private arrive(): number | undefined {
    // Read before arriving: the round cannot move until we (and the others) have arrived.
    const generation = Atomics.load(this.words, GENERATION);
    if (Atomics.add(this.words, COUNT, 1) + 1 < this.n) return generation;
    // Reset before the next round can start: waiters only leave after the add below.
    Atomics.store(this.words, COUNT, 0);
    // Pairs with the waiters' loads of GENERATION.
    Atomics.add(this.words, GENERATION, 1);
    Atomics.notify(this.words, GENERATION);
    return undefined;
  }
}

/** `unsafe impl Send for Barrier`, `unsafe impl Sync for Barrier`. */
export interface Barrier extends Traits<'Barrier', never, 'always', 'always'>, Copy {}

registerCodec<Barrier, BarrierWire>({
  module: import.meta.url,
  tag: 'sendsync:Barrier',
  type: Barrier,
  send: 'always',
  sync: 'always',
  encode(barrier) {
    return { memory: barrier.words.buffer as SharedArrayBuffer, n: barrier.n };
  },
  decode(wire) {
    decoding = wire;
    return new Barrier(wire.n);
  },
});
