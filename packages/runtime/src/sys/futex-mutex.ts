/**
 * The word protocol of `Mutex`, as Rust's `sys/sync/mutex/futex.rs`: one
 * `lock` (the inline fast path), one `LockContended` (the slow path, a
 * `Wait` run by the blocking or the awaitable driver), one `unlock`.
 *
 * One 32-bit lock word holds the whole state (the owner's thread id and a
 * "someone sleeps" bit), so that lock and unlock are a single compare-exchange
 * and a single exchange, like a raw three-state futex mutex, while the lock
 * still knows who holds it: relocking on the same thread is an error, and a
 * waiter notices when the owner died and takes the lock over, poisoned.
 */

import { isThreadAlive } from '../internal/thread-registry.js';
import { poison } from './poison-flag.js';
import { block, blockAsync, DONE, SPUN, TIMED_OUT, Wait, type WaitEvent, type WaitRequest } from './wait.js';
import { LIVENESS_CHECK_MS } from './wait-policy.js';

// The words.
/** Index of the lock word. */
const STATE = 0;
/** Index of the poison flag (see `poison-flag.ts`). */
export const POISON = 1;
/** How many words a mutex has. */
export const WORDS = 2;

// The states of the lock word, and how they move:
//
//   UNLOCKED ──lock (compare-exchange)──▶ owned(t) ──unlock (exchange)──▶ UNLOCKED
//   owned(t) ──a waiter that spun in vain announces its sleep──▶ owned(t) | WAITERS
//   owned(t) | WAITERS ──unlock (exchange, then notify one)──▶ UNLOCKED
//   UNLOCKED ──a thread that has slept locks──▶ owned(t) | WAITERS (others may still sleep)
//   owned(dead) [| WAITERS] ──a waiter takes over, poisoning──▶ owned(t) | WAITERS
//
// A contended `lock` (`LockContended`) spins while the word shows a holder and
// no sleeper (a holder alone usually releases within the spin), until the
// word changes; it then tries once to take the lock, and sleeps if it fails
// (as Rust's does): a waiter that kept spinning through the holder's next
// holds would take the lock in turns with it, moving the word's cache line
// from core to core at every hold. It sleeps at once when the word shows
// sleepers: they are queued for the lock already, and a newcomer that spun
// past them would make them wait longer still.
/** Nobody holds the lock. */
const UNLOCKED = 0;
/** Bit 0: a thread may be sleeping on the word; the unlocker must notify. */
const WAITERS = 1;
// Bits 1..31: the owner's thread id (`state >>> 1`), nonzero while locked.

/** The lock word of `thread` holding the lock. */
function owned(thread: number): number {
  return thread << 1;
}

/**
 * Takes the lock for `thread`, waiting as long as it takes (a lock taken over
 * from a dead owner is poisoned). Returns false, without waiting, if `thread`
 * holds the lock already: that wait would never end.
 */
export function lock(words: Int32Array, thread: number): boolean {
  // Acquire: pairs with the exchange in `unlock`, which published the previous holder's writes.
  const seen = Atomics.compareExchange(words, STATE, UNLOCKED, owned(thread));
  return seen === UNLOCKED || waitForLock(words, thread, seen);
}

/** The slow path of `lock`, out of line so that the fast path stays small enough to inline; `seen` is the word its compare-exchange found. */
function waitForLock(words: Int32Array, thread: number, seen: number): boolean {
  // Only this thread can release a hold of its own, so the word the compare-exchange found still says so.
  if (seen >>> 1 === thread) return false;
  block(new LockContended(words, thread), 'lockAsync');
  return true;
}

/**
 * The awaitable form of `lock`. A holder in this same thread is another task
 * of it: it is waited for, not refused.
 */
export async function lockAsync(words: Int32Array, thread: number): Promise<void> {
  // Acquire: pairs with the exchange in `unlock`.
  if (Atomics.compareExchange(words, STATE, UNLOCKED, owned(thread)) === UNLOCKED) return;
  await blockAsync(new LockContended(words, thread));
}

/** Takes the lock if it is free (or its owner died: then poisoned); returns whether it did. */
export function tryLock(words: Int32Array, thread: number): boolean {
  // Acquire: pairs with the exchange in `unlock`.
  return Atomics.compareExchange(words, STATE, UNLOCKED, owned(thread)) === UNLOCKED || takeOverFromDead(words, thread);
}

/** Releases the lock, waking one sleeper if any. */
export function unlock(words: Int32Array): void {
  // Release: publishes the holder's writes to the next acquirer's compare-exchange.
  if ((Atomics.exchange(words, STATE, UNLOCKED) & WAITERS) !== 0) Atomics.notify(words, STATE, 1);
}

/** Whether `thread` holds the lock now. */
export function heldBy(words: Int32Array, thread: number): boolean {
  return Atomics.load(words, STATE) >>> 1 === thread;
}

/**
 * The slow path of `lock`: the word was not `UNLOCKED`. As Rust's futex
 * mutex, it spins (at most `SPIN_LIMIT` looks) while the word shows a holder
 * and no sleeper, tries once to take the lock when the spin ends, then
 * announces itself (`WAITERS`) and sleeps on the word; after a wake-up it
 * spins again only if the word shows no sleeper by then. It
 * wakes at least every `LIVENESS_CHECK_MS` to take over (and poison) the lock
 * of a dead owner.
 */
class LockContended extends Wait {
  /** What to store when taking the lock: once this thread has announced a sleep, others may sleep too, so keep `WAITERS`. */
  #want: number;

  constructor(
    readonly lockWords: Int32Array,
    readonly thread: number,
  ) {
    super();
    this.#want = owned(thread);
  }

  step(event: WaitEvent): WaitRequest {
    const words = this.lockWords;
    // A sleep timed out: an owner that died never notifies, so only then is its liveness checked.
    if (event === TIMED_OUT && takeOverFromDead(words, this.thread)) return DONE;
    for (;;) {
      const state = Atomics.load(words, STATE);
      if (state === UNLOCKED) {
        // Acquire: pairs with the exchange in `unlock`, which published the previous holder's writes.
        if (Atomics.compareExchange(words, STATE, UNLOCKED, this.#want) === UNLOCKED) return DONE;
      } else if ((state & WAITERS) === 0 && event !== SPUN && this.spinsLeft > 0) {
        // A holder and no sleeper: it will likely release within the spin, which ends at any change
        // (after a spin, the word moved on to another holder: sleep rather than spin through its hold).
        return this.spin(words, STATE, state);
      } else if ((state & WAITERS) !== 0 || Atomics.compareExchange(words, STATE, state, state | WAITERS) === state) {
        // Announced that we sleep (pairs with the exchange in `unlock`, which then notifies). The
        // sleep happens only if the word still equals what we saw: no wake-up is lost in between.
        this.#want = owned(this.thread) | WAITERS;
        return this.sleep(words, STATE, state | WAITERS, LIVENESS_CHECK_MS);
      }
      // The word moved under a compare-exchange: look again.
    }
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
  if (Atomics.compareExchange(words, STATE, state, owned(thread) | WAITERS) !== state) return false;
  poison(words, POISON);
  return true;
}
