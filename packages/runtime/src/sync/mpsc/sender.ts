/** `Sender<T>`: a sending half of a channel (Rust's `std::sync::mpsc::Sender`). */

import type { Traits } from '@sendsync/marker';
import { SendError } from './errors.js';
import { GONE, type Queue, SENT } from './queue.js';
import { SenderHandle, afterOneRelease } from './sender-handle.js';

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
export class Sender<T> extends SenderHandle {
  /** Made by `channel()`, `clone()` or when a sender crosses into a thread (see `SenderHandle`). */
  constructor(queue: Queue, borrowed = false) {
    super(queue, borrowed);
  }

  /**
   * Sends `value` (a copy of it; numbers, strings and typed arrays without
   * building intermediate objects). Throws `SendError` carrying `value` back
   * once the receiver is gone.
   */
  send(value: T): void {
    const queue = this.live();
    if (queue.send(value, true) !== SENT) throw new SendError(value);
  }

  /**
   * The awaitable twin of `send()`, for a thread that may not block: it awaits
   * room when the ring is full instead of sleeping. Rejects with `SendError`.
   */
  async sendAsync(value: T): Promise<void> {
    const queue = this.live();
    for (;;) {
      const outcome = queue.send(value, false);
      if (outcome === SENT) return;
      if (outcome === GONE || !(await queue.waitForSpaceAsync(afterOneRelease()))) throw new SendError(value);
    }
  }

  /** Another sender on the same channel. */
  clone(): Sender<T> {
    return new Sender(this.cloneCount());
  }
}
/** `unsafe impl<T: Send> Send for Sender<T>`, `unsafe impl<T: Send> Sync for Sender<T>`. */
export interface Sender<T> extends Traits<'Sender', T, 'T: Send', 'T: Send'> {}
