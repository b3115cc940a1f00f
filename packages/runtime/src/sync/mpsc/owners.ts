/**
 * Which threads hold a channel's senders, so that a thread that ends (returns,
 * panics or is terminated) without dropping its senders still disconnects
 * the receiver, as Rust drops a thread's values when it ends.
 *
 * SENDERS (see `layout.ts`) counts every live sender. Beside it, a table of
 * OWNER_SLOTS entries `[thread id, count]` says how many of them each spawned
 * thread holds. Only the owning thread changes its entry while it runs; once
 * the thread registry says it ended, the receiver reclaims the entry and takes
 * its count off SENDERS. The main thread is never tracked (it does not end
 * before the process), nor are threads past the table's size (their senders
 * must be dropped explicitly).
 *
 * The receiver is tracked the same way, in RECEIVER_OWNER: a sender that finds
 * its thread ended treats the receiver as gone (not while it crosses, nor
 * while a lock's value holds it: no thread to watch then).
 */

import { MAIN_THREAD_ID, currentThreadId, isThreadAlive, isThreadRunning } from '../../internal/thread-registry.js';
import { IN_LOCK, IN_TRANSIT, OWNERS, OWNER_SLOTS, OwnerEntry, RECEIVER_OWNER, SENDERS, TRACKED } from './layout.js';

/** The owner of a borrowed handle (in a scoped thread): it owns no count, and its drop changes nothing. */
export const BORROWED = 0;

/** The owner of a handle in the main thread, or past the table's size: untracked. */
const UNTRACKED = MAIN_THREAD_ID;
/** The end of the owner table. */
const OWNERS_END = OWNERS + OWNER_SLOTS * 2;

/**
 * Records one more sender held by the current thread; returns the owner to
 * remember in the handle (MAIN_THREAD_ID when untracked).
 */
export function hold(control: Int32Array): number {
  const id = currentThreadId();
  if (id === MAIN_THREAD_ID) return UNTRACKED;
  let free = -1;
  for (let entry = OWNERS; entry < OWNERS_END; entry += 2) {
    const owner = Atomics.load(control, entry);
    if (owner === id) {
      // Only this thread changes its own entry; read by the receiver's reclaim.
      Atomics.add(control, entry + 1, 1);
      return id;
    }
    if (owner === OwnerEntry.FREE && free < 0) free = entry;
  }
  for (let entry = free; entry >= 0 && entry < OWNERS_END; entry += 2) {
    // Claims a free entry; pairs with other threads' claims and the receiver's reclaim.
    if (Atomics.compareExchange(control, entry, OwnerEntry.FREE, id) === OwnerEntry.FREE) {
      Atomics.add(control, TRACKED, 1);
      Atomics.add(control, entry + 1, 1);
      return id;
    }
  }
  return UNTRACKED;
}

/**
 * Records that the current thread gave up a sender it held as `owner`.
 * False when that count was already reclaimed (a handle of an ended thread,
 * used later by another thread of the same worker): SENDERS must not move.
 */
export function unhold(control: Int32Array, owner: number): boolean {
  if (owner === UNTRACKED) return true;
  if (owner === BORROWED) return false;
  if (owner !== currentThreadId()) return false;
  for (let entry = OWNERS; entry < OWNERS_END; entry += 2) {
    if (Atomics.load(control, entry) !== owner) continue;
    if (Atomics.sub(control, entry + 1, 1) === 1) {
      Atomics.store(control, entry, OwnerEntry.FREE);
      Atomics.sub(control, TRACKED, 1);
    }
    return true;
  }
  return true;
}

/**
 * In the receiver: takes the senders of ended threads off SENDERS, calling
 * `last` when that leaves none. Returns whether some live thread is still
 * tracked (the receiver then sleeps with a timeout, to look again).
 */
export function reclaim(control: Int32Array, last: () => void): boolean {
  if (Atomics.load(control, TRACKED) === 0) return false;
  let live = false;
  for (let entry = OWNERS; entry < OWNERS_END; entry += 2) {
    const owner = Atomics.load(control, entry);
    if (owner <= OwnerEntry.FREE) continue;
    if (isThreadAlive(owner)) {
      live = true;
      continue;
    }
    // An ended thread never touches its entry again: only this CAS races, with nobody.
    if (Atomics.compareExchange(control, entry, owner, OwnerEntry.RECLAIMING) !== owner) continue;
    const count = Atomics.exchange(control, entry + 1, 0);
    Atomics.store(control, entry, OwnerEntry.FREE);
    Atomics.sub(control, TRACKED, 1);
    // Pairs with the receiver's load of SENDERS before it sleeps.
    if (count > 0 && Atomics.sub(control, SENDERS, count) === count) last();
  }
  return live;
}

/**
 * As thread `id` ends: takes its senders off SENDERS (as `reclaim` would,
 * later, for an ended thread), calling `last` when that leaves none.
 */
export function releaseThread(control: Int32Array, id: number, last: () => void): void {
  for (let entry = OWNERS; entry < OWNERS_END; entry += 2) {
    // Only this thread changes its own entry while it runs; pairs with `reclaim`'s CAS, which never takes a running thread's.
    if (Atomics.load(control, entry) !== id) continue;
    const count = Atomics.exchange(control, entry + 1, 0);
    Atomics.store(control, entry, OwnerEntry.FREE);
    Atomics.sub(control, TRACKED, 1);
    // Pairs with the receiver's load of SENDERS before it sleeps.
    if (count > 0 && Atomics.sub(control, SENDERS, count) === count) last();
    return;
  }
}

/** Records the current thread as the receiver's. */
export function holdReceiver(control: Int32Array): void {
  Atomics.store(control, RECEIVER_OWNER, currentThreadId());
}

/** Whether the receiver's thread ended (the receiver then counts as dropped). */
export function receiverThreadEnded(control: Int32Array): boolean {
  // A plain read (every send calls this): holdReceiver's store in the thread that took the receiver last
  // happens before whatever told the senders where it went (the move's message, a lock).
  const owner = control[RECEIVER_OWNER];
  return owner > MAIN_THREAD_ID && !isThreadRunning(owner);
}

/** Whether the receiver's thread ended, looking at its operating-system thread too (slow: for waits). */
export function receiverThreadDied(control: Int32Array): boolean {
  const owner = Atomics.load(control, RECEIVER_OWNER);
  return owner > MAIN_THREAD_ID && !isThreadAlive(owner);
}

/** Records that the receiver is on its way to another thread, or in a lock's value (`IN_LOCK`): no thread to watch. */
export function releaseReceiver(control: Int32Array, where: typeof IN_TRANSIT | typeof IN_LOCK): void {
  Atomics.store(control, RECEIVER_OWNER, where);
}

/**
 * Records that the receiver held by thread `from` is on its way to another
 * thread, unless its next holder recorded itself first (the move is
 * committed after the message that carries it left: see `moveOnCommit`).
 */
export function releaseReceiverFrom(control: Int32Array, from: number, where: typeof IN_TRANSIT): void {
  // Pairs with the next holder's `holdReceiver`: whichever runs second leaves its value.
  Atomics.compareExchange(control, RECEIVER_OWNER, from, where);
}
