/**
 * The channel ends a spawned thread holds, dropped when the thread ends (as
 * Rust drops a thread's values): its receivers, and its count of each
 * channel's senders. Without this, a channel whose ends both stayed in
 * threads that ended would keep its block of the heap until the process
 * exits: each end is noticed gone only by the other (owners.ts).
 */

import { currentThreadId, MAIN_THREAD_ID } from '../../internal/thread-registry.js';
import { onThreadEnd } from '../../internal/thread-end.js';
import { RECEIVER_OWNER } from './layout.js';
import { releaseThread } from './owners.js';
import type { Queue } from './queue.js';

/** The receivers' queues this thread held (each holds the consumer's position). */
const receivers = new Set<Queue>();
/** A queue per channel whose senders this thread counted in the owner table, by address. */
const senders = new Map<number, Queue>();

/** Records that this thread (a spawned one) holds the receiver of `queue`. */
export function heldReceiver(queue: Queue): void {
  if (currentThreadId() !== MAIN_THREAD_ID) receivers.add(queue);
}

/** Records that this thread (a spawned one) counts senders of `queue` in its owner table. */
export function heldSender(queue: Queue): void {
  if (currentThreadId() !== MAIN_THREAD_ID && !senders.has(queue.address)) senders.set(queue.address, queue);
}

onThreadEnd(() => {
  const id = currentThreadId();
  for (const queue of receivers) {
    // Still this thread's (not moved out, not freed and reused): dropped, publishing its place first.
    if (queue.isSameChannel() && Atomics.load(queue.control, RECEIVER_OWNER) === id) queue.dropReceiver();
  }
  receivers.clear();
  for (const queue of senders.values()) {
    if (queue.isSameChannel()) releaseThread(queue.control, id, () => queue.sendersGone());
  }
  senders.clear();
});
