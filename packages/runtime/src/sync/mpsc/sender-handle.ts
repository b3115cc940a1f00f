/**
 * What `Sender` and `SyncSender` share: a handle that owns one count of its
 * channel's senders, and what moving, lending, cloning and dropping it do to
 * that count.
 */

import { DROPPED_CHANNEL_HANDLE, UseAfterDropError } from './errors.js';
import { BORROWED, hold, unhold } from './owners.js';
import { SENDERS, type Queue } from './queue.js';
import { forceWake } from './receiver.js';

let detach: (sender: SenderHandle) => Queue;
let share: (sender: SenderHandle) => Queue;

/**
 * The base of `Sender` and `SyncSender`: the queue, the count the handle
 * owns, and `clone`'s, `drop`'s and the codec's bookkeeping.
 */
export abstract class SenderHandle {
  #queue: Queue | undefined;
  /** The thread whose count in the owner table this handle is (see owners.ts). */
  readonly #owner: number;

  static {
    share = (sender) => sender.live();
    detach = (sender) => {
      const queue = sender.live();
      sender.#queue = undefined;
      // The count travels with the handle: off this thread's entry, still in SENDERS.
      unhold(queue.control, sender.#owner);
      return queue;
    };
  }

  /**
   * Made by the channel's constructor, `clone()` or when a sender crosses into
   * a thread; it owns one count of SENDERS, unless `borrowed` (lent to a
   * scoped thread).
   */
  constructor(queue: Queue, borrowed: boolean) {
    this.#queue = queue;
    this.#owner = borrowed ? BORROWED : hold(queue.control);
  }

  /** Drops this sender; the last one to go disconnects the receiver. Dropping twice does nothing. */
  drop(): void {
    const queue = this.#queue;
    if (queue === undefined) return;
    this.#queue = undefined;
    if (unhold(queue.control, this.#owner)) dropSender(queue);
  }

  /** The same as `drop()`, for `using`. */
  [Symbol.dispose](): void {
    this.drop();
  }

  /** The queue, or `UseAfterDropError` once dropped or moved. */
  protected live(): Queue {
    const queue = this.#queue;
    if (queue === undefined) throw new UseAfterDropError(DROPPED_CHANNEL_HANDLE);
    return queue;
  }

  /** `clone()`'s bookkeeping: the queue, with one more count of SENDERS for the new handle. */
  protected cloneCount(): Queue {
    const queue = this.live();
    // Read by the receiver before it sleeps; only the count matters.
    Atomics.add(queue.control, SENDERS, 1);
    return queue;
  }
}

/** Gives up one count of SENDERS; the last one wakes the receiver so that it sees the disconnection. */
function dropSender(queue: Queue): void {
  // Everything this sender published comes before; pairs with the receiver's load of SENDERS before it sleeps.
  if (Atomics.sub(queue.control, SENDERS, 1) === 1) forceWake(queue);
}

/** Moves a sender out of this thread (for its codec): its queue and its count, leaving the handle unusable. */
export function detachSender(sender: SenderHandle): Queue {
  return detach(sender);
}

/** Lends a sender to a scoped thread (for its codec): its queue; the handle stays here, with its count. */
export function lendSender(sender: SenderHandle): Queue {
  return share(sender);
}

/** A readiness test that is false once, then true: wait for the next release of slots. */
export function afterOneRelease(): () => boolean {
  let looked = false;
  return () => {
    const ready = looked;
    looked = true;
    return ready;
  };
}
