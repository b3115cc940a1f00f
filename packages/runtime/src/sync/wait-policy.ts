/**
 * How long the blocking primitives spin, and how often a sleeping waiter looks
 * at the liveness of the thread it waits for.
 */

/**
 * Loads of the lock word before a contended lock goes to sleep: a short
 * critical section usually ends within this many iterations (about a
 * microsecond), which is much cheaper than an `Atomics.wait` round trip.
 */
export const SPIN_LIMIT = 100;

/**
 * A waiter whose lock is held by another thread sleeps at most this long
 * before it checks that the owner is still alive (`isThreadAlive`): a thread
 * terminated while holding a lock is noticed within this time, and the lock is
 * then taken over and poisoned. A notification wakes the waiter at once.
 */
export const LIVENESS_CHECK_MS = 20;
