/**
 * How long the blocking primitives spin, and how often a sleeping waiter looks
 * at the liveness of the thread it waits for.
 */

/**
 * How many times a contended lock looks at its word before it sleeps, while
 * the word shows a holder and no sleeper: Rust's futex locks spin 100 times
 * too, each look after a `pause` instruction (`SPIN_PAUSE` here). So the spin
 * lasts a few microseconds: longer than most critical sections, far shorter
 * than a sleep and wake-up (`Atomics.wait` + `Atomics.notify`, tens of
 * microseconds). Spinning longer costs the holder: each look pulls the cache
 * line back from it, and with more threads than cores a spinner takes the
 * core the holder needs to finish.
 */
export const SPIN_LIMIT = 100;

/**
 * The pause after each look of a spin, in empty loop iterations (about 20 ns
 * here, an x86 `pause` instruction's length, which Rust's `spin_loop` hint
 * emits and JavaScript lacks). Without it a look at a word nobody writes is
 * a cache hit of a nanosecond or two, and 100 looks end before a critical
 * section of a few hundred nanoseconds (a queue's push and pop) does.
 */
const SPIN_PAUSE = 32;

/** Pauses between two looks of a spin (see `SPIN_PAUSE`). */
export function pause(): void {
  for (let i = 0; i < SPIN_PAUSE; i++);
}

/**
 * A waiter whose lock is held by another thread sleeps at most this long
 * before it checks that the owner is still alive (`isThreadAlive`): a thread
 * terminated while holding a lock is noticed within this time, and the lock is
 * then taken over and poisoned. A notification wakes the waiter at once.
 */
export const LIVENESS_CHECK_MS = 20;
