/** `SyncSender<T>`: the sending half of a bounded channel (Rust's `std::sync::mpsc::SyncSender`). */

import type { Traits } from '@sendsync/marker';
import { block, blockAsync } from '../../sys/wait.js';
import { SendError, TrySendError } from './errors.js';
import { Outcome } from './layout.js';
import { receiverWaiting, releaseCredit, taken, tryAcquireCredit } from './credit.js';
import type { Queue } from './queue.js';
import { SenderHandle } from './sender-handle.js';
import { Room, SpaceWait, mayBlock } from './waits.js';

let open: (queue: Queue, borrowed: boolean) => SyncSender<unknown>;

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
  static {
    open = (queue, borrowed) => new SyncSender(queue, borrowed);
  }

  /**
   * Sends `value`, blocking while the channel is full (for a rendezvous: until
   * the receiver took it). Throws `SendError` carrying `value` back once the
   * receiver is gone.
   */
  send(value: T): void {
    const queue = this.live();
    if (queue.bound > 0 && !tryAcquireCredit(queue)) blockFor(queue, Room.CREDIT, value);
    put(queue, value);
    if (queue.bound === 0 && !taken(queue)) blockFor(queue, Room.TAKEN, value);
  }

  /**
   * Sends `value` only if that needs no waiting: a free place in the buffer,
   * or, for a rendezvous, a receiver already blocked in `recv`. Otherwise
   * throws `TrySendError` (`full` or `disconnected`) carrying `value` back.
   */
  trySend(value: T): void {
    const queue = this.live();
    if (queue.receiverGone()) throw new TrySendError('disconnected', value);
    if (queue.bound === 0 ? !receiverWaiting(queue) : !tryAcquireCredit(queue)) throw new TrySendError('full', value);
    if (queue.send(value) === Outcome.SENT) return;
    if (queue.bound > 0) releaseCredit(queue);
    throw new TrySendError('disconnected', value);
  }

  /** The awaitable twin of `send()`: resolves once sent (for a rendezvous: received), rejects with `SendError`. */
  async sendAsync(value: T): Promise<void> {
    const queue = this.live();
    if (queue.bound > 0 && !tryAcquireCredit(queue)) await awaitFor(queue, Room.CREDIT, value);
    put(queue, value);
    if (queue.bound === 0 && !taken(queue)) await awaitFor(queue, Room.TAKEN, value);
  }

  /** @internal */
  protected handleName(): string {
    return 'SyncSender';
  }

  /** Another sender on the same channel. */
  clone(): SyncSender<T> {
    return new SyncSender(this.cloneCount(), false);
  }
}
/** `unsafe impl<T: Send> Send for SyncSender<T>`, `unsafe impl<T: Send> Sync for SyncSender<T>`. */
export interface SyncSender<T> extends Traits<'SyncSender', T, 'T: Send', 'T: Send'> {}

/** A sync sender on `queue` (for `syncChannel()` and the codec); `borrowed`: lent, owning no count. */
export function openSyncSender<T>(queue: Queue, borrowed: boolean): SyncSender<T> {
  return open(queue, borrowed) as SyncSender<T>;
}

/** Puts `value` in the queue once its credit is held; `SendError` (the credit given back) once the receiver is gone. */
function put(queue: Queue, value: unknown): void {
  if (queue.send(value) === Outcome.SENT) return;
  if (queue.bound > 0) releaseCredit(queue);
  throw new SendError(value);
}

/** Sleeps until `room`; `SendError` once the receiver is gone. */
function blockFor(queue: Queue, room: SpaceWait['room'], value: unknown): void {
  mayBlock('sendAsync');
  const wait = new SpaceWait(queue, room);
  block(wait, 'sendAsync');
  if (!wait.ok) throw new SendError(value);
}

/** Awaits `room`; `SendError` once the receiver is gone. */
async function awaitFor(queue: Queue, room: SpaceWait['room'], value: unknown): Promise<void> {
  const wait = new SpaceWait(queue, room);
  await blockAsync(wait, true);
  if (!wait.ok) throw new SendError(value);
}
