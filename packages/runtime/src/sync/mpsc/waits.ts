/**
 * The channel's waits, each written once as a state machine for the drivers of
 * `sys/wait.ts` (`block` sleeps in `Atomics.wait`, `blockAsync` awaits): the
 * receiver waiting for a message (`recv`, `recvTimeout`, `recvAsync`, the
 * iterators), and a sync sender waiting for a credit or for the receiver to
 * take its message (a rendezvous).
 */

import { WouldBlockError, canBlock } from '../../internal/block.js';
import { DONE, START, NOT_EQUAL, Wait, type WaitEvent, type WaitRequest } from '../../sys/wait.js';
import { creditAvailable, taken, tryAcquireCredit } from './credit.js';
import { RECEIVER, Receiver, SENDERS, SLEEPS, SPACE, SPACE_WAITERS, WAKE } from './layout.js';
import { reclaim, receiverThreadDied } from './owners.js';
import { NOTHING, type Queue } from './queue.js';

/** Looks of `recv` at an empty queue before it sleeps (a few microseconds; blocking waits only). */
const SPINS = 200;
/** How long a receiver sleeps before it looks whether threads holding senders ended. */
const RECLAIM_MS = 100;
/** How long a blocked sender sleeps before it looks whether the receiver's thread ended. */
const OWNER_CHECK_MS = 100;

/** What a `RecvWait` ended with besides a message. */
export const RecvEnd = {
  /** The deadline passed. */
  TIMED_OUT: Symbol('timed out'),
  /** Every sender is gone and the queue is drained. */
  DISCONNECTED: Symbol('disconnected'),
  /** The receiver itself was dropped meanwhile (a pending `recvAsync`). */
  DROPPED: Symbol('dropped'),
} as const;

/**
 * The receiver waits for the next message: announces its sleep in RECEIVER
 * (SLEEPING) before its last look, as producers publish before they look at
 * RECEIVER, so that one of the two sees the other; sleeps on WAKE, which the
 * producer that flips SLEEPING back to AWAKE bumps. `result` is the message,
 * or one of `RecvEnd`.
 */
export class RecvWait extends Wait {
  result: unknown = NOTHING;

  /** `deadline` as `performance.now()` time (Infinity: none); `spin`: look a while before the first sleep. */
  constructor(
    readonly queue: Queue,
    readonly deadline: number,
    readonly spinFirst: boolean,
  ) {
    super();
  }

  step(event: WaitEvent): WaitRequest {
    const { queue } = this;
    const control = queue.control;
    if (event !== START) {
      if (event !== NOT_EQUAL) Atomics.add(control, SLEEPS, 1);
      // Back to AWAKE, unless a producer did it, or the receiver was dropped (GONE stays).
      if (Atomics.compareExchange(control, RECEIVER, Receiver.SLEEPING, Receiver.AWAKE) === Receiver.GONE) return this.#end(RecvEnd.DROPPED);
    } else if (this.spinFirst) {
      for (let i = 0; i < SPINS; i++) {
        const value = queue.receive();
        if (value !== NOTHING) return this.#end(value);
      }
    }
    const epoch = Atomics.load(control, WAKE);
    // Announce the sleep before the last look; pairs with the load of RECEIVER after each publish.
    Atomics.store(control, RECEIVER, Receiver.SLEEPING);
    // Senders held by threads that ended are dropped now (see owners.ts).
    const tracked = reclaim(control, () => queue.sendersGone());
    const value = queue.receive();
    if (value !== NOTHING) return this.#awake(value);
    // Pairs with the last sender's Atomics.sub in `drop`; it bumps WAKE after, so the sleep below cannot miss it.
    if (Atomics.load(control, SENDERS) === 0) {
      const last = queue.receive();
      return this.#awake(last === NOTHING ? RecvEnd.DISCONNECTED : last);
    }
    const left = this.deadline - performance.now();
    if (left <= 0) return this.#awake(RecvEnd.TIMED_OUT);
    queue.publishIdle();
    return this.sleep(control, WAKE, epoch, tracked ? Math.min(left, RECLAIM_MS) : left);
  }

  #awake(result: unknown): WaitRequest {
    Atomics.compareExchange(this.queue.control, RECEIVER, Receiver.SLEEPING, Receiver.AWAKE);
    return this.#end(result);
  }

  #end(result: unknown): WaitRequest {
    this.result = result;
    return DONE;
  }
}

/** What a sync sender waits for. */
export const Room = {
  /** A message credit of a bounded channel, which the wait takes. */
  CREDIT: 0,
  /** The receiver took everything this thread sent (a rendezvous). */
  TAKEN: 1,
} as const;

/**
 * A sync sender waits for room: announces itself in SPACE_WAITERS before its
 * last look, as the consumer publishes HEAD or returns a credit before it
 * looks at SPACE_WAITERS; sleeps on SPACE, which the consumer bumps.
 * `ok` is false when the receiver went away instead.
 */
export class SpaceWait extends Wait {
  ok = false;

  constructor(
    readonly queue: Queue,
    readonly room: (typeof Room)[keyof typeof Room],
  ) {
    super();
  }

  step(event: WaitEvent): WaitRequest {
    const { queue } = this;
    const control = queue.control;
    // Pairs with the consumer's load of SPACE_WAITERS after it frees or receives.
    if (event === START) Atomics.add(control, SPACE_WAITERS, 1);
    const epoch = Atomics.load(control, SPACE);
    // A credit is taken only when one looks free: a failed take bumps SPACE, which would wake this wait again.
    if (this.room === Room.CREDIT ? creditAvailable(queue) && tryAcquireCredit(queue) : taken(queue)) return this.#end(true);
    if (queue.receiverGone()) return this.#end(false);
    if (receiverThreadDied(control)) {
      // A terminated thread cannot say it ended: its receiver counts as dropped from now on.
      queue.markReceiverGone();
      return this.#end(false);
    }
    return this.sleep(control, SPACE, epoch, OWNER_CHECK_MS);
  }

  #end(ok: boolean): WaitRequest {
    Atomics.sub(this.queue.control, SPACE_WAITERS, 1);
    this.ok = ok;
    return DONE;
  }
}

/** Throws `WouldBlockError` naming `twin` on a thread that may not block (a browser's main thread). */
export function mayBlock(twin: string): void {
  if (!canBlock()) throw new WouldBlockError(`cannot block on this thread; use ${twin}`);
}
