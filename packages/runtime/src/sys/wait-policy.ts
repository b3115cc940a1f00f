/**
 * How long the blocking primitives spin, and how often a sleeping waiter looks
 * at the liveness of the thread it waits for.
 */

/**
 * Looks at the lock word before a contended lock goes to sleep, each after a
 * `backOff` pause: about 60 µs in all here, the cost of one sleep and wake-up
 * (`Atomics.wait` + `Atomics.notify`, about 46 µs). Spinning that long never
 * costs more than twice what sleeping at once would have, and a short critical
 * section ends well within it.
 */
export const SPIN_LIMIT = 100;

/** The longest `backOff` pause, in empty loop iterations (about 0.6 µs here). */
const MAX_PAUSE = 1024;

/**
 * Pauses before look number `spin` at a contended lock word: 1, 2, 4, ...
 * empty loop iterations, up to `MAX_PAUSE` (JavaScript has no pause
 * instruction). A waiter that looks less often leaves the cache line to the
 * holder, whose lock and unlock then stay as cheap as uncontended ones. In
 * `npm run bench` (contended), two threads fighting over a `Mutex` went from
 * 0.55-0.7 x the throughput of a raw futex mutex without the pauses to
 * 0.8-1.15 x with them (and with the spin after each wake-up, see `Mutex`).
 */
export function backOff(spin: number): void {
  for (let i = 0, pause = spin < 10 ? 1 << spin : MAX_PAUSE; i < pause; i++);
}

/**
 * A waiter whose lock is held by another thread sleeps at most this long
 * before it checks that the owner is still alive (`isThreadAlive`): a thread
 * terminated while holding a lock is noticed within this time, and the lock is
 * then taken over and poisoned. A notification wakes the waiter at once.
 */
export const LIVENESS_CHECK_MS = 20;
