/**
 * `JoinSlot`: the right to join a thread while a lock's value holds its
 * `JoinHandle` (`Mutex<JoinHandle<T> | null>`, `Mutex<JoinHandle<T>[]>`,
 * an `RwLock`'s or `OnceLock`'s value), shared by every thread that holds
 * the lock.
 *
 * A `JoinHandle` has one owner; a lock's value is read by whichever thread
 * holds the lock. So the handle moves into the lock as an `Arc` does: the
 * lock's handle table keeps this slot (a shared handle: one word and the
 * thread's mailbox), and each guard that reads the value is lent a
 * `JoinHandle` over it. Whoever joins first (from any thread) claims the slot
 * with a compare-exchange on its `CLAIM` word and takes the outcome; any
 * other `join()` throws `JoinedError`. The thread's result waits where any
 * thread can fetch it: at the courier (see protocol.ts' `Route.COURIER`,
 * switched as the handle moves in), or in the mailbox's data area for a
 * primitive.
 *
 * The lock drops the slot (`Symbol.dispose`) when a store leaves it out of
 * the value or the lock's last owner drops the lock: that detaches the
 * thread (its result is dropped, its worker ends after the run), unless the
 * handle lent over it under the guard that left it out is still held (see
 * `reader`): that handle then owns the thread, as a value moved out of a
 * Rust lock (`guard.take()`, `vec.pop()`) does.
 */

import { registerCodec } from '../codec.js';
import { abandonRun, collect } from '../internal/pool.js';
import protocol from '../internal/protocol.js';
import { adoptHandedOff, waitDone, type Outcome, type WorkerRecord } from '../internal/worker-record.js';
import { fetchParked } from '../internal/courier.js';
import { dropHeld } from '../internal/drop-value.js';
import { decodeOwned } from '../internal/wire.js';
import { decodeThrown } from '../internal/thrown.js';
import type { ResultMessage } from '../internal/task.js';

/** `CLAIM`: nobody joined the thread nor detached it yet. */
const FREE = 0;
/** `CLAIM`: a `join()` took the outcome. */
const JOINED = 1;
/** `CLAIM`: the slot was dropped unjoined: the thread is detached. */
const DROPPED = 2;

/** The slot's word: who took the thread (`FREE`, `JOINED`, `DROPPED`). */
const CLAIM = 0;

const { STATE } = protocol.Word;
const { DONE } = protocol.State;

/** A handle lent over a slot, which takes the thread over when the store that left the slot out read it (see `reader`). */
export interface LentReader {
  /** The slot left the lock's value: true if this handle owns the thread from now on (it is still held, neither joined nor dropped). */
  takeOver(): boolean;
}

/** The slot on the wire (a lock's handle table entry): its word and, while the thread may run, its mailbox. */
interface JoinSlotWire {
  readonly words: SharedArrayBuffer;
  readonly id: number;
  readonly mailbox: SharedArrayBuffer | undefined;
}

/** What a claimed slot hands its joiner: the running thread's worker record, or the outcome collected before it moved in. */
export type Claimed = { readonly record: WorkerRecord } | { readonly panicked: boolean; readonly value: unknown };

export class JoinSlot {
  readonly #words: Int32Array;
  /** The thread's id: its result waits at the courier under `RESULT_KEY` and it. */
  readonly id: number;
  /** The thread's mailbox while it may run; undefined when its outcome was collected before the handle moved in (it waits at the courier). */
  readonly mailbox: SharedArrayBuffer | undefined;
  /**
   * The handle this thread's last read of the lock's value was lent over
   * this slot, until a store writes it back into the value (then the lock
   * keeps it) or the slot leaves the value (then it takes the thread over,
   * see `LentReader`).
   */
  reader: LentReader | undefined;

  /** @internal The slot of thread `id`, new (`words` undefined) or received. */
  constructor(id: number, mailbox: SharedArrayBuffer | undefined, words?: SharedArrayBuffer) {
    this.id = id;
    this.mailbox = mailbox;
    this.#words = new Int32Array(words ?? new SharedArrayBuffer(4));
  }

  /** Whether a `join()` or a drop took the thread already. */
  get taken(): boolean {
    return Atomics.load(this.#words, CLAIM) !== FREE;
  }

  /** Whether a drop detached the thread. */
  get dropped(): boolean {
    return Atomics.load(this.#words, CLAIM) === DROPPED;
  }

  /** Whether the thread has ended; never blocks. */
  isFinished(): boolean {
    // A thread taken ended or was detached: its worker may run another thread since.
    if (this.taken || this.mailbox === undefined) return true;
    // Pairs with the worker's store of DONE.
    return Atomics.load(new Int32Array(this.mailbox), STATE) === DONE;
  }

  /** Claims the thread for `outcome`'s `join()`: what it joins with, or undefined when another join or a drop came first. */
  claim(outcome: Outcome): Claimed | undefined {
    // Pairs with the other claimants' CAS, in any thread: exactly one of them wins.
    if (Atomics.compareExchange(this.#words, CLAIM, FREE, JOINED) !== FREE) return undefined;
    if (this.mailbox !== undefined) return { record: adoptHandedOff({ mailbox: this.mailbox }, outcome) };
    return this.#fetchOutcome();
  }

  /**
   * Detaches the thread, unless it was taken already: its result is dropped
   * (its `Arc`s' counts go back) where it is, and its worker ends (see
   * pool.ts' `abandonRun`).
   */
  detach(): void {
    // Pairs with the claimants' CAS: a join that won keeps the thread.
    if (Atomics.compareExchange(this.#words, CLAIM, FREE, DROPPED) !== FREE) return;
    if (this.mailbox === undefined) {
      const outcome = this.#fetchOutcome();
      if (!outcome.panicked) dropHeld(outcome.value);
      return;
    }
    const words = new Int32Array(this.mailbox);
    if (!abandonRun(words)) return;
    // The thread claimed its result for a joiner first: it is reporting it; this slot takes it and drops it.
    const record = adoptHandedOff({ mailbox: this.mailbox }, DROPS_RESULT);
    waitDone(record);
    collect(record);
  }

  /** The lock's value left the slot out, or the lock was dropped: the handle lent under that guard takes the thread, or it is detached. */
  [Symbol.dispose](): void {
    const reader = this.reader;
    this.reader = undefined;
    if (reader?.takeOver() === true) return;
    this.detach();
  }

  /** The outcome collected before the handle moved in, parked at the courier (see join-handle.ts' `wireOf`). */
  #fetchOutcome(): { readonly panicked: boolean; readonly value: unknown } {
    const message = fetchParked(protocol.RESULT_KEY + this.id) as ResultMessage;
    if (message.panic !== undefined) return { panicked: true, value: decodeThrown(message.panic) };
    return { panicked: false, value: decodeOwned(message.value) };
  }

  /** @internal The codec's view. */
  static wireOf(slot: JoinSlot): JoinSlotWire {
    return { words: slot.#words.buffer as SharedArrayBuffer, id: slot.id, mailbox: slot.mailbox };
  }
}
/** A slot is shared memory: Send and Sync, as the `JoinHandle` it stands for. */
registerCodec<JoinSlot, JoinSlotWire>({
  module: import.meta.url,
  tag: 'sendsync:JoinSlot',
  handle: 'shared',
  type: JoinSlot,
  send: 'always',
  sync: 'always',
  encode: (slot) => JoinSlot.wireOf(slot),
  decode: (wire) => new JoinSlot(wire.id, wire.mailbox, wire.words),
});

/** The outcome of a run detached after it claimed its result: the result is dropped where it is collected. */
const DROPS_RESULT: Outcome = {
  settle(panicked, value) {
    if (!panicked) dropHeld(value);
  },
  exited() {},
};
