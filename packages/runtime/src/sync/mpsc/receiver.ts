/** `Receiver<T>`: the receiving half of a channel (Rust's `std::sync::mpsc::Receiver`). */

import type { Traits } from '@sendsync/marker';
import type { CodecContext } from '../../codec.js';
import { moveOnCommit } from '../../internal/wire.js';
import { currentThreadId } from '../../internal/thread-registry.js';
import { block, blockAsync } from '../../sys/wait.js';
import { checkDuration } from '../../sys/duration.js';
import { RecvError, RecvTimeoutError, TryRecvError } from './errors.js';
import { droppedError, lentAt, movedError, moveInPlace, refuseLent, type Lendable, type MovableInPlace, type UseAfterDropError } from '../../use-after-drop-error.js';
import { IN_LOCK, IN_TRANSIT, SENDERS, SLEEPS } from './layout.js';
import { ParkedValueError, type Inbox, type InboxWire } from './link.js';
import { holdReceiver, reclaim, releaseReceiver, releaseReceiverFrom } from './owners.js';
import { NOTHING, type Queue } from './queue.js';
import { RecvEnd, RecvWait } from './waits.js';
import { heldReceiver } from './thread-ends.js';

/** The wire form of a receiver moved into a thread: its channel's address and its inbox. */
export interface ReceiverWire {
  readonly address: number;
  /** Its inbox's ports and pending values; none when it crossed as its heap form (see `CodecContext.portless`). */
  readonly inbox?: InboxWire;
}

/**
 * Drops the channel's receiver once its handle is garbage-collected undropped
 * (what a thread's end does in Rust), unless the channel was freed meanwhile
 * (its senders saw the receiver's thread end): its memory may be another's now.
 */
const undropped = new FinalizationRegistry<Queue>((queue) => {
  if (queue.isSameChannel()) queue.dropReceiver();
});

/** A receiver's constructor's `inbox` when a move within its thread made it: the inbox is already this thread's, and the channel's receiver is held. */
const SAME_THREAD = Symbol('same thread');

let open: (queue: Queue, inbox: Inbox | undefined) => Receiver<unknown>;
let queueOf: (receiver: Receiver<unknown>) => Queue;
let detach: (receiver: Receiver<unknown>, context: CodecContext) => ReceiverWire;
let detachAsBytes: (receiver: Receiver<unknown>, kept: boolean) => void;

/**
 * The receiving half of a channel: takes the messages of every sender, in the
 * order each sender sent them.
 *
 * Use `recv()` to block (after a brief spin the thread really sleeps, on
 * `Atomics.wait`), `recvAsync()` / `for await` where blocking is not allowed,
 * `tryRecv()` / `tryIter()` to poll, `for (const x of rx)` to drain until every
 * sender is gone. In a browser, a message holding shared memory of its own
 * (an `Arc`, a `Mutex`, an atomic, a collection) sent from another thread is
 * taken only by `recvAsync()` / `for await`: the others throw
 * `WouldBlockError` naming `recvAsync` and leave it first in the channel.
 * It is `Send` when `T` is (it can be moved to the thread that consumes) and
 * never `Sync`: there is one consumer.
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
export class Receiver<T> implements Lendable, MovableInPlace {
  /** @internal Where an `Arc`'s data lends this handle, if it does (see `lentAt`): it is not dropped nor moved by hand then. */
  [lentAt]: string | undefined = undefined;
  #queue: Queue | undefined;
  /** Whether a move took the receiver (its queue is gone then too): a use says E0382, not "dropped". */
  #moved = false;

  static {
    open = (queue, inbox) => new Receiver(queue, inbox);
    queueOf = (receiver) => receiver.#live();
    detach = (receiver, context) => {
      const queue = receiver.#live();
      assertOwned(queue);
      // The next owner starts from HEAD: publish every message taken here (this handle goes on from there if the move is refused).
      queue.publishHead();
      const inbox = queue.inbox!.leaving(queue.control, context.transfer);
      moveOnCommit(context, () => {
        receiver.#queue = undefined;
        receiver.#moved = true;
        undropped.unregister(receiver);
        releaseReceiverFrom(queue.control, currentThreadId(), IN_TRANSIT);
        inbox.leave();
      });
      return { address: queue.address, inbox: inbox.wire };
    };
    detachAsBytes = (receiver, kept) => {
      // Never a receiver lent by a lock's value: its id refused it (`assertOwned`).
      const queue = receiver.#live();
      receiver.#queue = undefined;
      receiver.#moved = true;
      undropped.unregister(receiver);
      queue.publishHead();
      queue.inbox!.leaveAsBytes();
      releaseReceiver(queue.control, kept ? IN_LOCK : IN_TRANSIT);
    };
  }

  /**
   * Made by `channel()`, `syncChannel()` or when a receiver crosses into a
   * thread (through `openReceiver`): it reads `inbox` here; without one, it
   * is lent by a lock's value and used by whichever thread holds the lock.
   */
  private constructor(queue: Queue, inbox: Inbox | undefined | typeof SAME_THREAD) {
    this.#queue = queue;
    if (inbox === SAME_THREAD) {
      undropped.register(this, queue, this);
      return;
    }
    if (inbox === undefined) {
      queue.shared = true;
      return;
    }
    queue.inbox = inbox;
    holdReceiver(queue.control);
    heldReceiver(queue);
    undropped.register(this, queue, this);
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
    reclaim(queue.control, () => queue.sendersGone());
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
    for (;;) {
      try {
        const queue = this.#live();
        const value = queue.receive();
        if (value !== NOTHING) return value as T;
        const wait = new RecvWait(queue, Infinity, false);
        await blockAsync(wait, true);
        if (wait.result === RecvEnd.DROPPED) throw this.#unusable();
        if (wait.result === RecvEnd.DISCONNECTED) throw new RecvError();
        return wait.result as T;
      } catch (error) {
        // In a browser: the next message's value waits at the courier, and the message stays first until it is here.
        if (!(error instanceof ParkedValueError)) throw error;
        await error.fetch();
      }
    }
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
   * nothing; dropping a receiver lent by a lock's value only lets go of it
   * (the lock keeps it); dropping a moved receiver throws (it went where it
   * moved: rustc's E0382).
   */
  drop(): void {
    const queue = this.#queue;
    if (queue === undefined) {
      if (this.#moved) throw this.#unusable();
      return;
    }
    refuseLent(this);
    this.#queue = undefined;
    if (queue.shared) return;
    undropped.unregister(this);
    queue.dropReceiver();
  }

  /** The same as `drop()`, for `using`; nothing once the receiver moved (Rust does not drop a moved value). */
  [Symbol.dispose](): void {
    if (!this.#moved) this.drop();
  }

  /**
   * @internal A move into an `Arc`'s data, which stays in this thread (see
   * `moveInPlace`): the data gets a receiver of its own over the same
   * channel and inbox (every message, taken or not, stays where it is), and
   * this one is left moved.
   */
  [moveInPlace](commit: boolean): Receiver<T> {
    const queue = this.#live();
    assertOwned(queue);
    if (!commit) return this;
    this.#queue = undefined;
    this.#moved = true;
    undropped.unregister(this);
    return new Receiver<T>(queue, SAME_THREAD);
  }

  /** The queue, or `UseAfterDropError` once dropped or moved. */
  #live(): Queue {
    if (this.#queue === undefined) throw this.#unusable();
    return this.#queue;
  }

  /** The error for a use once dropped or moved (rustc's E0382 for the latter). */
  #unusable(): UseAfterDropError {
    return this.#moved ? movedError('Receiver', undefined) : droppedError('`Receiver`');
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

/** A `TypeError` for a receiver lent by a lock's value (read through a guard): it cannot move, as a Rust borrow cannot. */
export function assertOwned(queue: Queue): void {
  if (queue.shared) {
    throw new TypeError("a Receiver lent by a lock's value cannot move out of it: it stays the lock's; receive through the guard, or move the lock");
  }
}

/** A receiver of `queue`, reading `inbox` in this thread, or lent by a lock's value when there is none (for `channel()` and the codecs). */
export function openReceiver<T>(queue: Queue, inbox: Inbox | undefined): Receiver<T> {
  return open(queue, inbox) as Receiver<T>;
}

/** How many times a receiver's channel had its receiver go to sleep (for tests and tuning). */
export function receiverSleeps(receiver: Receiver<unknown>): number {
  return Atomics.load(queueOf(receiver).control, SLEEPS);
}

/** The queue of a live receiver (`UseAfterDropError` once dropped or moved). */
export function receiverQueue(receiver: Receiver<unknown>): Queue {
  return queueOf(receiver);
}

/**
 * Moves a receiver into a thread (for its codec): its wire form, its inbox's
 * ports added to the context's `transfer`. The handle is left unusable once
 * the move can no longer be refused (see `moveOnCommit`): a spawn that fails
 * leaves it receiving here, every message still there.
 */
export function detachReceiver(receiver: Receiver<unknown>, context: CodecContext): ReceiverWire {
  return detach(receiver, context);
}

/**
 * Moves a receiver into bytes (a message, or a lock's value when `kept`),
 * once they are written where they stay; the handle is left unusable.
 */
export function moveReceiverIntoBytes(receiver: Receiver<unknown>, kept: boolean): void {
  detachAsBytes(receiver, kept);
}
