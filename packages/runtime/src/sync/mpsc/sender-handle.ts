/**
 * What `Sender` and `SyncSender` share: a handle that owns one count of its
 * channel's senders, and what moving, lending, cloning and dropping it do to
 * that count. A sender is its channel's address in the shared heap: it
 * crosses as a number, inside messages and locks' values too.
 */

import { droppedError, lentAt, movedError, refuseLent, type Lendable } from '../../use-after-drop-error.js';
import { SENDERS } from './layout.js';
import { MAIN_THREAD_ID } from '../../internal/thread-registry.js';
import { BORROWED, hold, unhold } from './owners.js';
import type { Queue } from './queue.js';
import { heldSender } from './thread-ends.js';

/** The wire form of a sender: its channel's address, and whether it is lent (a borrow) rather than moved. */
export interface SenderWire {
  readonly address: number;
  readonly borrowed?: true;
}

/** What a sender owns, for `collected` to give back once its handle is garbage-collected undropped. */
interface Owned {
  readonly queue: Queue;
  readonly owner: number;
}

/** Gives back the count of a sender collected without `drop()` (a thread that ends drops its senders as Rust does; so does the collector). */
function collected({ queue, owner }: Owned): void {
  if (unhold(queue.control, owner) && Atomics.sub(queue.control, SENDERS, 1) === 1) queue.sendersGone();
}

const undropped = new FinalizationRegistry<Owned>(collected);

let detach: (sender: SenderHandle) => Queue;
let queueOf: (sender: SenderHandle) => Queue;
let intoBytes: (sender: SenderHandle) => void;

/**
 * The base of `Sender` and `SyncSender`: the queue, the count the handle
 * owns, and `clone`'s, `drop`'s and the codecs' bookkeeping.
 */
export abstract class SenderHandle implements Lendable {
  /** @internal Where an `Arc`'s data lends this handle, if it does (see `lentAt`): it is not dropped nor moved by hand then. */
  [lentAt]: string | undefined = undefined;
  #queue: Queue | undefined;
  /** The thread whose count in the owner table this handle is (see owners.ts), or BORROWED. */
  readonly #owner: number;
  /** Whether a move took the handle's count (its queue is gone then too): a use says E0382, not "dropped". */
  #moved = false;

  static {
    queueOf = (sender) => sender.live();
    detach = (sender) => {
      const queue = sender.live();
      sender.#queue = undefined;
      sender.#moved = true;
      undropped.unregister(sender);
      // The count travels with the handle: off this thread's entry, still in SENDERS.
      unhold(queue.control, sender.#owner);
      return queue;
    };
    intoBytes = (sender) => {
      // A lent sender's bytes own a count of their own, as a clone.
      if (sender.#owner === BORROWED) Atomics.add(sender.live().control, SENDERS, 1);
      else detach(sender);
    };
  }

  /** A handle on `queue`; it owns one count of SENDERS, unless `borrowed` (lent to a scoped thread, or by a lock's value). */
  protected constructor(queue: Queue, borrowed: boolean) {
    this.#queue = queue;
    this.#owner = borrowed ? BORROWED : hold(queue.control);
    if (this.#owner !== BORROWED && this.#owner !== MAIN_THREAD_ID) heldSender(queue);
    // A spawned thread's senders are dropped when it ends (owners.ts); untracked ones (the main thread's, past the owner table), when collected.
    if (this.#owner === MAIN_THREAD_ID) undropped.register(this, { queue, owner: this.#owner }, this);
  }

  /**
   * Drops this sender; the last one to go disconnects the receiver. Dropping
   * twice does nothing; dropping a moved sender throws (its count went with
   * it: rustc's E0382).
   */
  drop(): void {
    const queue = this.#queue;
    if (queue === undefined) {
      if (this.#moved) throw movedError(this.handleName(), 'tx.clone()');
      return;
    }
    refuseLent(this);
    this.#queue = undefined;
    undropped.unregister(this);
    // Everything this sender published comes before; pairs with the receiver's load of SENDERS before it sleeps.
    collected({ queue, owner: this.#owner });
  }

  /** The same as `drop()`, for `using`; nothing once the sender moved (Rust does not drop a moved value). */
  [Symbol.dispose](): void {
    if (!this.#moved) this.drop();
  }

  /** The queue, or `UseAfterDropError` once dropped or moved. */
  protected live(): Queue {
    const queue = this.#queue;
    if (queue === undefined) throw this.#moved ? movedError(this.handleName(), 'tx.clone()') : droppedError(`\`${this.handleName()}\``);
    return queue;
  }

  /** The handle's type, for messages: `Sender` or `SyncSender`. */
  protected abstract handleName(): string;

  /** `clone()`'s bookkeeping: the queue, with one more count of SENDERS for the new handle. */
  protected cloneCount(): Queue {
    const queue = this.live();
    // Read by the receiver before it sleeps; only the count matters.
    Atomics.add(queue.control, SENDERS, 1);
    return queue;
  }
}

/** Moves a sender out of this thread (its count goes with the wire form or the bytes holding it); the handle is left unusable. */
export function detachSender(sender: SenderHandle): Queue {
  return detach(sender);
}

/** The queue of a live sender (`UseAfterDropError` once dropped or moved). */
export function senderQueue(sender: SenderHandle): Queue {
  return queueOf(sender);
}

/** Moves a sender into bytes written where they stay (a message, a lock's value): they own its count now (a lent one's: a new count). */
export function moveSenderIntoBytes(sender: SenderHandle): void {
  intoBytes(sender);
}
