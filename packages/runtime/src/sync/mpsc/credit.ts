/**
 * The room of a sync channel, in messages: its credits (IN_FLIGHT, at most
 * the bound) and, for a rendezvous (bound 0), whether the receiver took a
 * sender's last message. The consumer's side (returning a credit, publishing
 * HEAD) is in `Queue.took`.
 */

import { HEAD, IN_FLIGHT, RECEIVER, Receiver, TAIL } from './layout.js';
import type { Queue } from './queue.js';

/** Takes one message credit of a bounded channel; false (without taking it) when none is left. */
export function tryAcquireCredit(queue: Queue): boolean {
  const control = queue.control;
  // Optimistic: one atomic when there is room. Pairs with the consumer's Atomics.sub of IN_FLIGHT.
  if (Atomics.add(control, IN_FLIGHT, 1) < queue.bound) return true;
  // Over the bound: give it back. Another sender may have failed meanwhile on our passing
  // excess; it then waits on `creditAvailable`, which it checks before sleeping.
  Atomics.sub(control, IN_FLIGHT, 1);
  queue.wakeProducers();
  return false;
}

/** Gives back a credit taken for a message that was not sent. */
export function releaseCredit(queue: Queue): void {
  // Pairs with `creditAvailable` in blocked senders, which may have seen our credit taken.
  Atomics.sub(queue.control, IN_FLIGHT, 1);
  queue.wakeProducers();
}

/** Whether a credit looks free (for waiters; the credit itself is taken by `tryAcquireCredit`). */
export function creditAvailable(queue: Queue): boolean {
  return Atomics.load(queue.control, IN_FLIGHT) < queue.bound;
}

/** Whether the receiver has taken everything up to this thread's last message (rendezvous). */
export function taken(queue: Queue): boolean {
  // Pairs with the consumer's store of HEAD, which a rendezvous publishes after every message.
  return ((Atomics.load(queue.control, HEAD) - queue.end) | 0) >= 0;
}

/** Whether the queue is empty right now and the receiver sleeps in `recv` (a rendezvous `trySend` may hand over). */
export function receiverWaiting(queue: Queue): boolean {
  const control = queue.control;
  return Atomics.load(control, RECEIVER) === Receiver.SLEEPING && Atomics.load(control, TAIL) === Atomics.load(control, HEAD);
}
