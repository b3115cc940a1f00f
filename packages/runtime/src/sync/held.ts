/**
 * The guards of this thread, so that a panic can poison the locks it holds.
 *
 * Rust poisons a lock when a guard is dropped during unwinding. JavaScript's
 * disposal cannot see an exception in flight, so instead every guard is
 * tracked (weakly: a guard nobody can reach any more is forgotten) from the
 * moment it is made, and the thread's panic hook abandons every guard that
 * still holds its lock when the thread's closure throws: the lock is poisoned
 * and released, and its waiters wake up. Guards are made once per lock per
 * thread (`lock()` reuses its guard), so tracking costs nothing when locking.
 *
 * A held guard that became unreachable is not found here; its lock is still
 * poisoned, by the waiters, once they see that the thread has ended.
 */

import { onPanic } from '../internal/panic-hooks.js';

/** A guard that a panic must poison (or, for a read guard, just release). */
export interface Held {
  /** Whether it holds its lock now. */
  readonly held: boolean;
  /** Called by the panic hook while `held`: poison (exclusive guards) and release. */
  abandon(): void;
}

const guards = new Set<WeakRef<Held>>();
const forget = new FinalizationRegistry<WeakRef<Held>>((ref) => guards.delete(ref));

/** Tracks a new guard of this thread (called once, when the guard is made). */
export function track(guard: Held): void {
  const ref = new WeakRef(guard);
  guards.add(ref);
  forget.register(guard, ref);
}

onPanic(() => {
  for (const ref of guards) {
    const guard = ref.deref();
    if (guard?.held === true) guard.abandon();
  }
});
