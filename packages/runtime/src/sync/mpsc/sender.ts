/** `Sender<T>`: a sending half of a channel (Rust's `std::sync::mpsc::Sender`). */

import type { Traits } from '@sendsync/marker';
import { SendError } from './errors.js';
import { Outcome } from './layout.js';
import type { Queue } from './queue.js';
import { SenderHandle } from './sender-handle.js';

let open: (queue: Queue, borrowed: boolean) => Sender<unknown>;

/**
 * A sending half of `channel()`: `send` never waits and never fails for lack
 * of room (the channel is unbounded). Clone it to give every producer its
 * own; the receiver is disconnected when the last one is dropped.
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
export class Sender<T> extends SenderHandle {
  static {
    open = (queue, borrowed) => new Sender(queue, borrowed);
  }

  /**
   * Sends `value` (a copy of it; numbers, strings and typed arrays without
   * building intermediate objects; library handles inside it are moved).
   * Throws `SendError` carrying `value` back once the receiver is gone.
   */
  send(value: T): void {
    if (this.live().send(value) !== Outcome.SENT) throw new SendError(value);
  }

  /** `send()` for code written against awaitable senders: it never waits, so it settles at once. */
  sendAsync(value: T): Promise<void> {
    // The executor runs now: the message is sent before this returns; a SendError rejects.
    return new Promise((resolve) => {
      this.send(value);
      resolve();
    });
  }

  /** @internal */
  protected handleName(): string {
    return 'Sender';
  }

  /** Another sender on the same channel. */
  clone(): Sender<T> {
    return new Sender(this.cloneCount(), false);
  }
}
/** `unsafe impl<T: Send> Send for Sender<T>`, `unsafe impl<T: Send> Sync for Sender<T>`. */
export interface Sender<T> extends Traits<'Sender', T, 'T: Send', 'T: Send'> {}

/** A sender on `queue` (for `channel()` and the codec); `borrowed`: lent, owning no count. */
export function openSender<T>(queue: Queue, borrowed: boolean): Sender<T> {
  return open(queue, borrowed) as Sender<T>;
}
