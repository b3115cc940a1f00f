/**
 * The guards this thread holds, so that a panic can poison their locks.
 *
 * Rust poisons a lock when a guard is dropped during unwinding. JavaScript's
 * disposal cannot see an exception in flight, so instead every lock that is
 * acquired is listed here (in this thread's memory: guards never leave their
 * thread), and the thread's panic hook abandons whatever is still listed when
 * the thread's closure throws: the lock is poisoned and released, and its
 * waiters wake up. The list is a plain array with a length, so that holding
 * and releasing allocate nothing.
 */

import { onPanic } from '../internal/panic-hooks.js';

/** A held lock that a panic must poison (or, for a read guard, just release). */
export interface Held {
  /** Called by the panic hook: poison (for exclusive guards) and release. */
  abandon(): void;
}

const held: Held[] = [];
let heldCount = 0;

/** Lists `guard` as held by this thread (it was just acquired). */
export function hold(guard: Held): void {
  held[heldCount++] = guard;
}

/** Unlists `guard`; guards are usually released in reverse order, so the last slot is checked first. */
export function unhold(guard: Held): void {
  if (held[heldCount - 1] === guard) {
    held[--heldCount] = undefined as unknown as Held;
  } else {
    unholdOutOfOrder(guard);
  }
}

/** The slow case of `unhold`: the guard is not the most recent one. */
function unholdOutOfOrder(guard: Held): void {
  const index = held.lastIndexOf(guard, heldCount - 1);
  if (index < 0) return;
  held.copyWithin(index, index + 1, heldCount);
  held[--heldCount] = undefined as unknown as Held;
}

/** How many guards this thread holds (for tests and diagnostics). */
export function heldCountForTesting(): number {
  return heldCount;
}

onPanic(() => {
  // Most recent first, as unwinding would drop them.
  while (heldCount > 0) {
    const guard = held[heldCount - 1]!;
    guard.abandon(); // abandon() unholds the guard, so the count falls
    if (held[heldCount - 1] === guard) unhold(guard);
  }
});
