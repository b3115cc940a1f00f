/**
 * What `Sender` and `SyncSender` share: a handle that owns one count of its
 * channel's senders and a place in its thread's link, and what moving,
 * lending, cloning and dropping it do to them.
 */

import type { Port, Transferable } from '../../host/host.js';
import { DROPPED_CHANNEL_HANDLE, UseAfterDropError } from './errors.js';
import { SENDERS } from './layout.js';
import { Link } from './link.js';
import { BORROWED, hold, unhold } from './owners.js';
import type { Queue } from './queue.js';
import { forceWake } from './receiver.js';

/** The wire form of a sender: its shared memory, its port to the receiver, and whether it is lent (a borrow) rather than moved. */
export interface SenderWire {
  readonly buffer: SharedArrayBuffer;
  readonly port: Port;
  readonly borrowed?: true;
}

let detach: (sender: SenderHandle, transfer: Transferable[]) => SenderWire;
let lend: (sender: SenderHandle, transfer: Transferable[]) => SenderWire;

/**
 * The base of `Sender` and `SyncSender`: the queue, the count the handle
 * owns, and `clone`'s, `drop`'s and the codec's bookkeeping.
 */
export abstract class SenderHandle {
  #queue: Queue | undefined;
  /** The thread whose count in the owner table this handle is (see owners.ts). */
  readonly #owner: number;

  static {
    lend = (sender, transfer) => {
      const queue = sender.live();
      const port = queue.link!.handOver();
      transfer.push(port);
      return { buffer: queue.buffer, port, borrowed: true };
    };
    detach = (sender, transfer) => {
      const queue = sender.live();
      const port = queue.link!.handOver();
      transfer.push(port);
      sender.#queue = undefined;
      queue.link!.leave();
      // The count travels with the handle: off this thread's entry, still in SENDERS.
      unhold(queue.control, sender.#owner);
      return { buffer: queue.buffer, port };
    };
  }

  /**
   * A handle on `queue`, joining this thread's link (with `port` when the
   * handle just arrived with one); it owns one count of SENDERS, unless
   * `borrowed` (lent to a scoped thread).
   */
  protected constructor(queue: Queue, port: Port | undefined, borrowed: boolean) {
    this.#queue = queue;
    queue.link = Link.join(queue.key, port);
    this.#owner = borrowed ? BORROWED : hold(queue.control);
  }

  /** Drops this sender; the last one to go disconnects the receiver. Dropping twice does nothing. */
  drop(): void {
    const queue = this.#queue;
    if (queue === undefined) return;
    this.#queue = undefined;
    queue.link!.leave();
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

/** Moves a sender out of this thread (for its codec): its wire form, its port added to `transfer`; the handle is left unusable. */
export function detachSender(sender: SenderHandle, transfer: Transferable[]): SenderWire {
  return detach(sender, transfer);
}

/** Lends a sender to a scoped thread (for its codec): a wire form with a port of its own; the handle stays here, with its count. */
export function lendSender(sender: SenderHandle, transfer: Transferable[]): SenderWire {
  return lend(sender, transfer);
}
