/** `Receiver<T>`: the receiving half of a channel (Rust's `std::sync::mpsc::Receiver`). */

import type { Traits } from '@sendsync/marker';
import { RecvError, RecvTimeoutError, TryRecvError, UseAfterDropError, DROPPED_CHANNEL_HANDLE } from './errors.js';
import { holdReceiver, reclaim } from './owners.js';
import { NOTHING, Queue, RECEIVER, RECEIVER_AWAKE, RECEIVER_GONE, RECEIVER_SLEEPING, SENDERS, SLEEPS, WAKE, mayBlock } from './queue.js';
import { waitAsyncAlive } from '../../internal/block.js';

/** Spins of `recv` on an empty queue before it sleeps (a few microseconds). */
const SPINS = 200;
/** How long a receiver sleeps before it looks whether threads holding senders ended. */
const RECLAIM_MS = 100;
/** What `#wait` returns when the deadline passed. */
const TIMED_OUT: unique symbol = Symbol('timed out');
/** What `#wait` returns when every sender is gone and the queue is drained. */
const DISCONNECTED: unique symbol = Symbol('disconnected');

let queueOf: (receiver: Receiver<unknown>) => Queue;
let detach: (receiver: Receiver<unknown>) => Queue;

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
    queueOf = (receiver) => {
      if (receiver.#queue === undefined) throw new UseAfterDropError(DROPPED_CHANNEL_HANDLE);
      return receiver.#queue;
    };
    detach = (receiver) => {
      const queue = queueOf(receiver);
      receiver.#queue = undefined;
      // The next owner starts from HEAD: publish every message taken here.
      queue.publishHead();
      return queue;
    };
  }

  /** Made by `channel()`, `syncChannel()` or when a receiver crosses into a thread. */
  constructor(queue: Queue) {
    this.#queue = queue;
    holdReceiver(queue.control);
  }

  /**
   * The next message, sleeping until one comes; throws `RecvError` once every
   * sender is gone and nothing is left.
   */
  recv(): T {
    const queue = this.#live();
    const value = queue.receive();
    if (value !== NOTHING) return value as T;
    const next = this.#wait(queue, Infinity);
    if (next === DISCONNECTED) throw new RecvError();
    return next as T;
  }

  /** The next message if one is there; else throws `TryRecvError` (`empty` or `disconnected`). */
  tryRecv(): T {
    const queue = this.#live();
    const value = queue.receive();
    if (value !== NOTHING) return value as T;
    // The rest of a big message is on its way from a sender that holds the big-message lock.
    if (queue.reassembling) return this.recv();
    reclaim(queue.control, SENDERS);
    if (Atomics.load(queue.control, SENDERS) !== 0) throw new TryRecvError('empty');
    // Every sender is gone: anything they sent before dropping is visible now.
    const last = queue.receive();
    if (last !== NOTHING) return last as T;
    throw new TryRecvError('disconnected');
  }

  /** Like `recv()`, waiting at most `milliseconds`; throws `RecvTimeoutError` (`timeout` or `disconnected`). */
  recvTimeout(milliseconds: number): T {
    const queue = this.#live();
    const value = queue.receive();
    if (value !== NOTHING) return value as T;
    const next = this.#wait(queue, performance.now() + milliseconds);
    if (next === DISCONNECTED) throw new RecvTimeoutError('disconnected');
    if (next === TIMED_OUT) throw new RecvTimeoutError('timeout');
    return next as T;
  }

  /** The awaitable twin of `recv()`: resolves with the next message, rejects with `RecvError`. */
  async recvAsync(): Promise<T> {
    const queue = this.#live();
    const control = queue.control;
    for (;;) {
      const value = queue.receive();
      if (value !== NOTHING) return value as T;
      const epoch = Atomics.load(control, WAKE);
      // As in #wait: announce, look once more, then wait.
      Atomics.store(control, RECEIVER, RECEIVER_SLEEPING);
      const tracked = reclaim(control, SENDERS);
      const last = queue.receive();
      if (last !== NOTHING || Atomics.load(control, SENDERS) === 0) {
        Atomics.store(control, RECEIVER, RECEIVER_AWAKE);
        if (last !== NOTHING) return last as T;
        const final = queue.receive();
        if (final !== NOTHING) return final as T;
        throw new RecvError();
      }
      if ((await waitAsyncAlive(control, WAKE, epoch, tracked ? RECLAIM_MS : undefined)) !== 'not-equal') {
        Atomics.add(control, SLEEPS, 1);
      }
      if (this.#queue === undefined) throw new UseAfterDropError(DROPPED_CHANNEL_HANDLE);
      Atomics.compareExchange(control, RECEIVER, RECEIVER_SLEEPING, RECEIVER_AWAKE);
    }
  }

  /** Every message until every sender is gone (blocking between them). */
  *[Symbol.iterator](): Iterator<T> {
    for (;;) {
      const queue = this.#live();
      let value = queue.receive();
      if (value === NOTHING) value = this.#wait(queue, Infinity);
      if (value === DISCONNECTED) return;
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
    const control = queue.control;
    // Read by every producer after each publish and by blocked producers before they sleep.
    Atomics.store(control, RECEIVER, RECEIVER_GONE);
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

  /** The slow path of every blocking receive: spin, then sleep on WAKE until a message, the deadline or disconnection. */
  #wait(queue: Queue, deadline: number): unknown {
    for (let i = 0; i < SPINS; i++) {
      const value = queue.receive();
      if (value !== NOTHING) return value;
    }
    mayBlock('recvAsync');
    const control = queue.control;
    for (;;) {
      const epoch = Atomics.load(control, WAKE);
      // Announce the sleep before the last look; pairs with the load of RECEIVER in `publish`.
      Atomics.store(control, RECEIVER, RECEIVER_SLEEPING);
      // Senders held by threads that ended are dropped now (see owners.ts).
      const tracked = reclaim(control, SENDERS);
      const value = queue.receive();
      if (value !== NOTHING) {
        Atomics.store(control, RECEIVER, RECEIVER_AWAKE);
        return value;
      }
      // Pairs with the last sender's Atomics.sub in `drop`; it bumps WAKE after, so the wait below cannot miss it.
      if (Atomics.load(control, SENDERS) === 0 && !queue.reassembling) {
        Atomics.store(control, RECEIVER, RECEIVER_AWAKE);
        const final = queue.receive();
        return final === NOTHING ? DISCONNECTED : final;
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        Atomics.store(control, RECEIVER, RECEIVER_AWAKE);
        return TIMED_OUT;
      }
      const timeout = tracked ? Math.min(left, RECLAIM_MS) : left;
      if (Atomics.wait(control, WAKE, epoch, timeout === Infinity ? undefined : timeout) !== 'not-equal') {
        Atomics.add(control, SLEEPS, 1);
      }
      Atomics.store(control, RECEIVER, RECEIVER_AWAKE);
    }
  }
}
/** `unsafe impl<T: Send> Send for Receiver<T>`, `impl<T> !Sync for Receiver<T>`. */
export interface Receiver<T> extends Traits<'Receiver', T, 'T: Send', 'never'> {}

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

/** Moves a receiver out of this thread (for its codec): its queue, leaving the handle unusable. */
export function detachReceiver(receiver: Receiver<unknown>): Queue {
  return detach(receiver);
}
