/** `SyncSender<T>`: the sending half of a bounded channel (Rust's `std::sync::mpsc::SyncSender`). */

import type { Traits } from '@sendsync/marker';
import { SendError, TrySendError } from './errors.js';
import { FULL, GONE, type Queue, RECEIVER, RECEIVER_GONE, SENT } from './queue.js';
import { SenderHandle, afterOneRelease } from './sender-handle.js';

/**
 * A sending half of `syncChannel(bound)`: `send` blocks while `bound` messages
 * wait to be received (back-pressure); with a bound of 0 every `send` waits
 * until the receiver has taken its message (a rendezvous).
 *
 * Use it when producers must not run ahead of the consumer. `trySend` never
 * blocks; `sendAsync` awaits instead of blocking. It is `Send` and `Sync` when
 * `T` is `Send`.
 *
 * @example
 * ```ts
 * const [tx, rx] = syncChannel<Uint8Array>(2);
 * tx.send(frame1);
 * tx.send(frame2);
 * tx.trySend(frame3); // TrySendError: sending on a full channel
 * ```
 */
export class SyncSender<T> extends SenderHandle {
  /** Made by `syncChannel()`, `clone()` or when a sender crosses into a thread (see `SenderHandle`). */
  constructor(queue: Queue, borrowed = false) {
    super(queue, borrowed);
  }

  /**
   * Sends `value`, blocking while the channel is full (for a rendezvous: until
   * the receiver took it). Throws `SendError` carrying `value` back once the
   * receiver is gone.
   */
  send(value: T): void {
    const queue = this.live();
    if (queue.bound > 0 && !queue.tryAcquireCredit()) acquireCreditBlocking(queue, value);
    if (queue.send(value, true) !== SENT) throw new SendError(value);
    if (queue.bound === 0 && !queue.taken() && !queue.waitForSpace(queue.taken)) throw new SendError(value);
  }

  /**
   * Sends `value` only if that needs no waiting: a free place in the buffer,
   * or, for a rendezvous, a receiver already blocked in `recv`. Otherwise
   * throws `TrySendError` (`full` or `disconnected`) carrying `value` back.
   */
  trySend(value: T): void {
    const queue = this.live();
    if (Atomics.load(queue.control, RECEIVER) === RECEIVER_GONE) throw new TrySendError('disconnected', value);
    if (queue.bound === 0) {
      if (!queue.receiverWaiting()) throw new TrySendError('full', value);
    } else if (!queue.tryAcquireCredit()) {
      throw new TrySendError('full', value);
    }
    const outcome = queue.send(value, false);
    if (outcome === SENT) return;
    if (queue.bound > 0) queue.releaseCredit();
    throw new TrySendError(outcome === FULL ? 'full' : 'disconnected', value);
  }

  /** The awaitable twin of `send()`: resolves once sent (for a rendezvous: received), rejects with `SendError`. */
  async sendAsync(value: T): Promise<void> {
    const queue = this.live();
    if (queue.bound > 0) {
      while (!queue.tryAcquireCredit()) {
        if (!(await queue.waitForSpaceAsync(queue.creditAvailable))) throw new SendError(value);
      }
    }
    for (;;) {
      const outcome = queue.send(value, false);
      if (outcome === SENT) break;
      if (outcome === GONE || !(await queue.waitForSpaceAsync(afterOneRelease()))) throw new SendError(value);
    }
    if (queue.bound === 0 && !(await queue.waitForSpaceAsync(queue.taken))) throw new SendError(value);
  }

  /** Another sender on the same channel. */
  clone(): SyncSender<T> {
    return new SyncSender(this.cloneCount());
  }
}
/** `unsafe impl<T: Send> Send for SyncSender<T>`, `unsafe impl<T: Send> Sync for SyncSender<T>`. */
export interface SyncSender<T> extends Traits<'SyncSender', T, 'T: Send', 'T: Send'> {}

/** The slow path of a bounded `send`: sleep until a credit is free, or throw `SendError` once the receiver is gone. */
function acquireCreditBlocking(queue: Queue, value: unknown): void {
  do {
    if (!queue.waitForSpace(queue.creditAvailable)) throw new SendError(value);
  } while (!queue.tryAcquireCredit());
}
