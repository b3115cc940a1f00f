/** `Receiver<T>`: the receiving half of a channel (Rust's `std::sync::mpsc::Receiver`). */

import type { Traits } from '@sendsync/marker';
import { block, blockAsync } from '../../sys/wait.js';
import { checkDuration } from '../../sys/duration.js';
import { RecvError, RecvTimeoutError, TryRecvError, UseAfterDropError, DROPPED_CHANNEL_HANDLE } from './errors.js';
import { RECEIVER, Receiver as ReceiverState, SENDERS, SLEEPS, WAKE } from './layout.js';
import { Inbox, type InboxWire } from './link.js';
import { holdReceiver, reclaim, releaseReceiver } from './owners.js';
import { NOTHING, Queue } from './queue.js';
import { RecvEnd, RecvWait } from './waits.js';

let open: (queue: Queue, inbox: Inbox) => Receiver<unknown>;
let queueOf: (receiver: Receiver<unknown>) => Queue;
let detach: (receiver: Receiver<unknown>, transfer: unknown[]) => { buffer: SharedArrayBuffer; inbox: InboxWire };

/**
 * The receiving half of a channel: takes the messages of every sender, in the
 * order each sender sent them.
 *
 * Use `recv()` to block (after a brief spin the thread really sleeps, on
 * `Atomics.wait`), `recvAsync()` / `for await` where blocking is not allowed,
 * `tryRecv()` / `tryIter()` to poll, `for (const x of rx)` to drain until every
 * sender is gone. It is `Send` when `T` is (it can be moved to the thread that
 * consumes) and never `Sync`: there is one consumer.
 *
 * @example
 * ```ts
 * const [tx, rx] = channel<number>();
 * spawn(move(tx), (tx) => { for (let i = 0; i < 3; i++) tx.send(i); tx.drop(); });
 * for (const n of rx) console.log(n); // 0 1 2, then the loop ends: every sender is gone
 * // @ts-expect-error: `Receiver<number>` cannot be shared between threads safely
 * scope((s) => s.spawn(borrow(rx), (rx) => rx.recv()));
 * ```
 */
export class Receiver<T> {
  #queue: Queue | undefined;

  static {
    open = (queue, inbox) => new Receiver(queue, inbox);
    queueOf = (receiver) => receiver.#live();
    detach = (receiver, transfer) => {
      const queue = receiver.#live();
      receiver.#queue = undefined;
      // The next owner starts from HEAD: publish every message taken here.
      queue.publishHead();
      releaseReceiver(queue.control);
      return { buffer: queue.buffer, inbox: queue.inbox!.toWire(transfer) };
    };
  }

  /** Made by `channel()`, `syncChannel()` or when a receiver crosses into a thread (through `openReceiver`). */
  private constructor(queue: Queue, inbox: Inbox) {
    this.#queue = queue;
    queue.inbox = inbox;
    holdReceiver(queue.control);
  }

  /**
   * The next message, sleeping until one comes; throws `RecvError` once every
   * sender is gone and nothing is left.
   */
  recv(): T {
    const next = this.#next(Infinity);
    if (next === RecvEnd.DISCONNECTED) throw new RecvError();
    return next as T;
  }

  /** The next message if one is there; else throws `TryRecvError` (`empty` or `disconnected`). */
  tryRecv(): T {
    const queue = this.#live();
    const value = queue.receive();
    if (value !== NOTHING) return value as T;
    reclaim(queue.control);
    if (Atomics.load(queue.control, SENDERS) !== 0) throw new TryRecvError('empty');
    // Every sender is gone: anything they sent before dropping is visible now.
    const last = queue.receive();
    if (last !== NOTHING) return last as T;
    throw new TryRecvError('disconnected');
  }

  /**
   * Like `recv()`, waiting at most `milliseconds` (a finite number ≥ 0, else a
   * `TypeError`); throws `RecvTimeoutError` (`timeout` or `disconnected`).
   */
  recvTimeout(milliseconds: number): T {
    const timeout = checkDuration(milliseconds, 'recvTimeout', 'recv()');
    const next = this.#next(performance.now() + timeout);
    if (next === RecvEnd.DISCONNECTED) throw new RecvTimeoutError('disconnected');
    if (next === RecvEnd.TIMED_OUT) throw new RecvTimeoutError('timeout');
    return next as T;
  }

  /** The awaitable twin of `recv()`: resolves with the next message, rejects with `RecvError`. */
  async recvAsync(): Promise<T> {
    const queue = this.#live();
    const value = queue.receive();
    if (value !== NOTHING) return value as T;
    const wait = new RecvWait(queue, Infinity, false);
    await blockAsync(wait, true);
    if (wait.result === RecvEnd.DROPPED) throw new UseAfterDropError(DROPPED_CHANNEL_HANDLE);
    if (wait.result === RecvEnd.DISCONNECTED) throw new RecvError();
    return wait.result as T;
  }

  /** Every message until every sender is gone (blocking between them). */
  *[Symbol.iterator](): Iterator<T> {
    for (;;) {
      const value = this.#next(Infinity);
      if (value === RecvEnd.DISCONNECTED) return;
      yield value as T;
    }
  }

  /** Every message until every sender is gone, awaiting between them. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      try {
        yield await this.recvAsync();
      } catch (error) {
        if (error instanceof RecvError) return;
        throw error;
      }
    }
  }

  /** The messages already there, without waiting. */
  *tryIter(): Generator<T, void, undefined> {
    for (;;) {
      const value = this.#live().receive();
      if (value === NOTHING) return;
      yield value as T;
    }
  }

  /**
   * Drops the receiver: senders' `send` fails from now on (blocked ones wake
   * and fail too) and anything still queued is discarded. Dropping twice does
   * nothing.
   */
  drop(): void {
    const queue = this.#queue;
    if (queue === undefined) return;
    this.#queue = undefined;
    // Read by every producer before each send and by blocked producers before they sleep.
    Atomics.store(queue.control, RECEIVER, ReceiverState.GONE);
    queue.inbox?.close();
    queue.wakeProducers();
    forceWake(queue);
  }

  /** The same as `drop()`, for `using`. */
  [Symbol.dispose](): void {
    this.drop();
  }

  /** The queue, or `UseAfterDropError` once dropped or moved. */
  #live(): Queue {
    if (this.#queue === undefined) throw new UseAfterDropError(DROPPED_CHANNEL_HANDLE);
    return this.#queue;
  }

  /** The next message, or `RecvEnd.DISCONNECTED` / `TIMED_OUT`, sleeping until `deadline` if need be. */
  #next(deadline: number): unknown {
    const queue = this.#live();
    const value = queue.receive();
    if (value !== NOTHING) return value;
    const wait = new RecvWait(queue, deadline, true);
    block(wait, 'recvAsync');
    return wait.result;
  }
}
/** `unsafe impl<T: Send> Send for Receiver<T>`, `impl<T> !Sync for Receiver<T>`. */
export interface Receiver<T> extends Traits<'Receiver', T, 'T: Send', 'never'> {}

/** A receiver of `queue`, reading `inbox` (for `channel()` and the codec). */
export function openReceiver<T>(queue: Queue, inbox: Inbox): Receiver<T> {
  return open(queue, inbox) as Receiver<T>;
}

/** Wakes a receiver sleeping on WAKE (the last sender's drop, or the receiver's own drop for a pending `recvAsync`). */
export function forceWake(queue: Queue): void {
  // Changes the word the receiver sleeps on; it read WAKE before its last look.
  Atomics.add(queue.control, WAKE, 1);
  Atomics.notify(queue.control, WAKE);
}

/** How many times a receiver's channel had its receiver go to sleep (for tests and tuning). */
export function receiverSleeps(receiver: Receiver<unknown>): number {
  return Atomics.load(queueOf(receiver).control, SLEEPS);
}

/** Bytes of lane segments posted to a receiver and not yet read past (for tests of memory given back as it drains). */
export function receiverLaneBytes(receiver: Receiver<unknown>): number {
  const inbox = queueOf(receiver).inbox!;
  inbox.drain();
  return inbox.heldBytes();
}

/** Moves a receiver out of this thread (for its codec): its wire form, and what to transfer into `transfer`; the handle is left unusable. */
export function detachReceiver(receiver: Receiver<unknown>, transfer: unknown[]): { buffer: SharedArrayBuffer; inbox: InboxWire } {
  return detach(receiver, transfer);
}
