/**
 * Which threads hold a channel's senders, so that a thread that ends (returns,
 * panics or is terminated) without dropping its senders still disconnects
 * the receiver, as Rust drops a thread's values when it ends.
 *
 * SENDERS (in `queue.ts`) counts every live sender. Beside it, a table of
 * OWNER_SLOTS entries `[thread id, count]` says how many of them each spawned
 * thread holds. Only the owning thread changes its entry while it runs; once
 * the thread registry says it ended, the receiver reclaims the entry and takes
 * its count off SENDERS. The main thread is never tracked (it does not end
 * before the process), nor are threads past the table's size (their senders
 * must be dropped explicitly).
 *
 * The receiver is tracked the same way, in RECEIVER_OWNER: a sender that finds
 * its thread ended treats the receiver as gone.
 */

import { isMainThread } from 'node:worker_threads';
import { currentThreadId, isThreadAlive } from '../../internal/thread-registry.js';

/** The main thread's id, by the registry's contract. */
const MAIN_THREAD_ID = 1;

/** The owner of a borrowed handle (in a scoped thread): it owns no count, and its drop changes nothing. */
export const BORROWED = 0;

/** The first word of the owner table in the control words. */
export const OWNERS = 128;
/** How many threads the table tracks at once. */
const OWNER_SLOTS = 64;
/** Words the table takes. */
export const OWNER_WORDS = OWNER_SLOTS * 2;
/** Entries in use; the receiver scans the table only when this is not 0. */
export const TRACKED = 115;
/** The thread that holds the receiver. */
export const RECEIVER_OWNER = 116;

// States of an entry's id word (besides a thread id).
/** The entry is free. */
const FREE = 0;
/** The receiver is reclaiming the entry of an ended thread. */
const RECLAIMING = -1;

/**
 * Records one more sender held by the current thread; returns the owner to
 * remember in the handle (MAIN_THREAD_ID when untracked).
 */
export function hold(control: Int32Array): number {
  const id = currentThreadId();
  if (id === MAIN_THREAD_ID) return MAIN_THREAD_ID;
  let free = -1;
  for (let entry = OWNERS; entry < OWNERS + OWNER_WORDS; entry += 2) {
    const owner = Atomics.load(control, entry);
    if (owner === id) {
      // Only this thread changes its own entry; read by the receiver's reclaim.
      Atomics.add(control, entry + 1, 1);
      return id;
    }
    if (owner === FREE && free < 0) free = entry;
  }
  for (let entry = free; entry >= 0 && entry < OWNERS + OWNER_WORDS; entry += 2) {
    // Claims a free entry; pairs with other threads' claims and the receiver's reclaim.
    if (Atomics.compareExchange(control, entry, FREE, id) === FREE) {
      Atomics.add(control, TRACKED, 1);
      Atomics.add(control, entry + 1, 1);
      return id;
    }
  }
  return MAIN_THREAD_ID;
}

/**
 * Records that the current thread gave up a sender it held as `owner`.
 * False when that count was already reclaimed (a handle of an ended thread,
 * used later by another thread of the same worker): SENDERS must not move.
 */
export function unhold(control: Int32Array, owner: number): boolean {
  if (owner === MAIN_THREAD_ID) return true;
  if (owner === BORROWED) return false;
  if (owner !== currentThreadId()) return false;
  for (let entry = OWNERS; entry < OWNERS + OWNER_WORDS; entry += 2) {
    if (Atomics.load(control, entry) !== owner) continue;
    if (Atomics.sub(control, entry + 1, 1) === 1) {
      Atomics.store(control, entry, FREE);
      Atomics.sub(control, TRACKED, 1);
    }
    return true;
  }
  return true;
}

/**
 * In the receiver: takes the senders of ended threads off SENDERS. Returns
 * whether some live thread is still tracked (the receiver then sleeps with a
 * timeout, to look again).
 */
export function reclaim(control: Int32Array, senders: number): boolean {
  if (Atomics.load(control, TRACKED) === 0) return false;
  let live = false;
  for (let entry = OWNERS; entry < OWNERS + OWNER_WORDS; entry += 2) {
    const owner = Atomics.load(control, entry);
    if (owner <= FREE) continue;
    if (isThreadAlive(owner)) {
      live = true;
      continue;
    }
    // An ended thread never touches its entry again: only this CAS races, with nobody.
    if (Atomics.compareExchange(control, entry, owner, RECLAIMING) !== owner) continue;
    const count = Atomics.exchange(control, entry + 1, 0);
    Atomics.store(control, entry, FREE);
    Atomics.sub(control, TRACKED, 1);
    // Pairs with the receiver's load of SENDERS before it sleeps.
    if (count > 0) Atomics.sub(control, senders, count);
  }
  return live;
}

/** Records the current thread as the receiver's. */
export function holdReceiver(control: Int32Array): void {
  Atomics.store(control, RECEIVER_OWNER, currentThreadId());
}

/** Whether the receiver is held by the current thread (which then must not wait for it). */
export function receiverIsHere(control: Int32Array): boolean {
  const id = currentThreadId();
  // A worker not started by `spawn` also reports the main thread's id: its identity is unknown.
  return Atomics.load(control, RECEIVER_OWNER) === id && (id !== MAIN_THREAD_ID || isMainThread);
}

/** Whether the receiver's thread ended (the receiver then counts as dropped). */
export function receiverThreadEnded(control: Int32Array): boolean {
  const owner = Atomics.load(control, RECEIVER_OWNER);
  return owner !== MAIN_THREAD_ID && owner !== 0 && !isThreadAlive(owner);
}
