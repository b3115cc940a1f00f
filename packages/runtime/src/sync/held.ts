/**
 * The guards this thread holds, so that a panic can poison their locks.
 *
 * Rust poisons a lock when a guard is dropped during unwinding. JavaScript's
 * disposal cannot see an exception in flight, so instead every acquisition
 * pushes its guard on this thread's stack of held guards and every release
 * takes it off (guards are released in reverse order nearly always, so that
 * is the top), and the thread's panic hook abandons what is still on the
 * stack when the thread's closure throws: each lock is poisoned and
 * released, and its waiters wake up.
 *
 * The stack holds only guards that hold their lock now, so bookkeeping
 * allocates nothing per guard and keeps nothing alive past its release (no
 * `WeakRef` or `FinalizationRegistry`, whose targets outlive young-generation
 * collections and whose clean-up never runs in a worker that blocks between
 * threads).
 */

import { onPanic } from '../internal/panic-hooks.js';
import { currentThreadId } from '../internal/thread-registry.js';

/** A guard that a panic must poison (or, for a read guard, just release). */
export interface Held {
  /** Whether it holds its lock now. */
  readonly held: boolean;
  /** Called by the panic hook while `held`: poison (exclusive guards) and release. */
  abandon(): void;
  /** Called when its thread ended without releasing it: the lock is the waiters' to take over now. */
  forget(): void;
}

/** The held guards of thread `owner`, oldest first; slots from `depth` on are empty. */
const holding: (Held | undefined)[] = [];
/** How many guards `holding` lists. */
let depth = 0;
/** The thread whose guards `holding` lists (a pooled worker runs one thread after another). */
let owner = 0;

/** Records that `guard` now holds its lock, for `thread` (the current thread). */
export function hold(guard: Held, thread: number): void {
  if (thread !== owner) adopt(thread);
  holding[depth++] = guard;
}

/** Records that `guard` released its lock. */
export function release(guard: Held): void {
  if (depth > 0 && holding[depth - 1] === guard) holding[--depth] = undefined;
  else releaseOutOfOrder(guard);
}

/** A release that is not the most recent hold's (or of a guard no longer listed: nothing to do). */
function releaseOutOfOrder(guard: Held): void {
  if (depth === 0) return;
  const index = holding.lastIndexOf(guard, depth - 1);
  if (index === -1) return;
  holding.copyWithin(index, index + 1, depth);
  holding[--depth] = undefined;
}

/** A new thread runs on this worker: the guards the last one left held are forgotten. */
function adopt(thread: number): void {
  const left = takeAll();
  owner = thread;
  for (const guard of left) guard.forget();
}

/** Empties the stack, returning what it listed. */
function takeAll(): Held[] {
  const listed = holding.slice(0, depth) as Held[];
  holding.fill(undefined, 0, depth);
  depth = 0;
  return listed;
}

onPanic(() => {
  const thread = currentThreadId();
  if (thread !== owner) adopt(thread);
  for (const guard of takeAll()) if (guard.held) guard.abandon();
});
