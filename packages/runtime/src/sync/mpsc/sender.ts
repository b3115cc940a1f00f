/** `Sender<T>`: a sending half of a channel (Rust's `std::sync::mpsc::Sender`). */

import type { Traits } from '@sendsync/marker';
import { BORROWED, hold, unhold } from './owners.js';
import { SendError, UseAfterDropError, DROPPED_CHANNEL_HANDLE } from './errors.js';
import { GONE, Queue, SENDERS, SENT } from './queue.js';
import { forceWake } from './receiver.js';

let detach: (sender: Sender<unknown>) => Queue;
let share: (sender: Sender<unknown>) => Queue;

/**
 * A sending half of `channel()`: `send` never waits for the receiver to take
 * the message (only, briefly, for room when the ring is full: see `channel`).
 * Clone it to give every producer its own; the receiver is disconnected when
 * the last one is dropped.
 *
 * Use one per producing thread, moved in with `move(tx.clone())`. It is
 * `Send` and `Sync` when `T` is `Send`.
 *
 * @example
 * ```ts
 * const [tx, rx] = channel<string>();
 * for (let i = 0; i < 4; i++) spawn(move(tx.clone(), i), (tx, i) => tx.send(`hi from ${i}`));
 * tx.drop(); // keep only the threads' senders: `for (... of rx)` ends when they are gone
 * // @ts-expect-error: `Rc<number>` cannot be sent between threads safely
 * channel<Rc<number>>()[0].send(new Rc(1));
 * ```
 */
export class Sender<T> {
  #queue: Queue | undefined;
  /** The thread whose count in the owner table this handle is (see owners.ts). */
  readonly #owner: number;

  static {
    share = (sender) => {
      if (sender.#queue === undefined) throw new UseAfterDropError(DROPPED_CHANNEL_HANDLE);
      return sender.#queue;
    };
    detach = (sender) => {
      const queue = sender.#queue;
      if (queue === undefined) throw new UseAfterDropError(DROPPED_CHANNEL_HANDLE);
      sender.#queue = undefined;
      // The count travels with the handle: off this thread's entry, still in SENDERS.
      unhold(queue.control, sender.#owner);
      return queue;
    };
  }

  /**
   * Made by `channel()`, `clone()` or when a sender crosses into a thread; it
   * owns one count of SENDERS, unless `borrowed` (lent to a scoped thread).
   */
  constructor(queue: Queue, borrowed = false) {
    this.#queue = queue;
    this.#owner = borrowed ? BORROWED : hold(queue.control);
  }

  /**
   * Sends `value` (a copy of it; numbers, strings and typed arrays without
   * building intermediate objects). Throws `SendError` carrying `value` back
   * once the receiver is gone.
   */
  send(value: T): void {
    const queue = this.#queue;
    if (queue === undefined) throw new UseAfterDropError(DROPPED_CHANNEL_HANDLE);
    if (queue.send(value, true) !== SENT) throw new SendError(value);
  }

  /**
   * The awaitable twin of `send()`, for a thread that may not block: it awaits
   * room when the ring is full instead of sleeping. Rejects with `SendError`.
   */
  async sendAsync(value: T): Promise<void> {
    const queue = this.#queue;
    if (queue === undefined) throw new UseAfterDropError(DROPPED_CHANNEL_HANDLE);
    for (;;) {
      const outcome = queue.send(value, false);
      if (outcome === SENT) return;
      if (outcome === GONE || !(await queue.waitForSpaceAsync(afterOneRelease()))) throw new SendError(value);
    }
  }

  /** Another sender on the same channel. */
  clone(): Sender<T> {
    const queue = this.#queue;
    if (queue === undefined) throw new UseAfterDropError(DROPPED_CHANNEL_HANDLE);
    // Read by the receiver before it sleeps; only the count matters.
    Atomics.add(queue.control, SENDERS, 1);
    return new Sender(queue);
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
}
/** `unsafe impl<T: Send> Send for Sender<T>`, `unsafe impl<T: Send> Sync for Sender<T>`. */
export interface Sender<T> extends Traits<'Sender', T, 'T: Send', 'T: Send'> {}

/** A readiness test that is false once, then true: wait for the next release of slots. */
export function afterOneRelease(): () => boolean {
  let looked = false;
  return () => {
    const ready = looked;
    looked = true;
    return ready;
  };
}

/** Gives up one count of SENDERS; the last one wakes the receiver so that it sees the disconnection. */
export function dropSender(queue: Queue): void {
  // Everything this sender published comes before; pairs with the receiver's load of SENDERS before it sleeps.
  if (Atomics.sub(queue.control, SENDERS, 1) === 1) forceWake(queue);
}

/** Moves a sender out of this thread (for its codec): its queue and its count, leaving the handle unusable. */
export function detachSender(sender: Sender<unknown>): Queue {
  return detach(sender);
}

/** Lends a sender to a scoped thread (for its codec): its queue; the handle stays here, with its count. */
export function lendSender(sender: Sender<unknown>): Queue {
  return share(sender);
}
