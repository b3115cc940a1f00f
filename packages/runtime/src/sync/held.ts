/**
 * The guards of this thread, so that a panic can poison the locks they hold.
 *
 * Rust poisons a lock when a guard is dropped during unwinding. JavaScript's
 * disposal cannot see an exception in flight, so instead a guard is
 * registered here the first time it locks in a thread, and the thread's panic
 * hook abandons every registered guard that still holds its lock when the
 * thread's closure throws: the lock is poisoned and released, and its
 * waiters wake up. `lock()` reuses one guard per lock per thread, so after
 * its first lock a guard costs one flag test per lock, and nothing per
 * release.
 *
 * The registry holds guards strongly, with no `WeakRef` or
 * `FinalizationRegistry` (whose targets outlive young-generation collections,
 * and whose clean-up never runs in a worker that blocks between threads). So
 * that it keeps nothing alive for long, it forgets the guards of a thread
 * when the next thread of the worker registers one, and drops the idle guards
 * whenever it has doubled since it last did (they register again if they
 * lock again): its size stays within twice the guards in use.
 */

import { onPanic } from '../internal/panic-hooks.js';
import { currentThreadId } from '../internal/thread-registry.js';

/** A guard that a panic must poison (or, for a read guard, just release). */
export interface Held {
  /** Whether it holds its lock now. */
  readonly held: boolean;
  /** The thread whose registry lists it, or 0 (set by the registry only). */
  registeredBy: number;
  /** Called by the panic hook while `held`: poison (exclusive guards) and release. */
  abandon(): void;
  /** Called when its thread ended holding it: the lock is the waiters' to take over now. */
  forget(): void;
}

/** The fewest guards the registry holds before it drops the idle ones. */
const MIN_LIMIT = 64;

/** The registered guards of thread `owner`. */
let registry: Held[] = [];
/** The size at which the registry drops its idle guards. */
let limit = MIN_LIMIT;
/** The thread whose guards are registered (a pooled worker runs one thread after another). */
let owner = 0;

/** Registers `guard`, which `thread` (the current thread) just locked with it; call when `registeredBy` is not `thread`. */
export function register(guard: Held, thread: number): void {
  if (thread !== owner) adopt(thread);
  if (registry.length >= limit) dropIdle();
  registry.push(guard);
  guard.registeredBy = thread;
}

/** A new thread runs on this worker: the guards the last one left are forgotten. */
function adopt(thread: number): void {
  const left = registry;
  registry = [];
  limit = MIN_LIMIT;
  owner = thread;
  for (const guard of left) {
    guard.registeredBy = 0;
    if (guard.held) guard.forget();
  }
}

/** Drops the guards that hold nothing now. */
function dropIdle(): void {
  const kept: Held[] = [];
  for (const guard of registry) {
    if (guard.held) kept.push(guard);
    else guard.registeredBy = 0;
  }
  registry = kept;
  limit = Math.max(MIN_LIMIT, 2 * kept.length);
}

onPanic(() => {
  const thread = currentThreadId();
  if (thread !== owner) adopt(thread);
  for (const guard of registry) if (guard.held) guard.abandon();
});
