/**
 * `JoinHandle`: the owned permission to join a thread, as in `std::thread`.
 */

import type { Traits } from '@sendsync/marker';
import { registerCodec, type CodecContext } from '../codec.js';
import { abandonRun, collect, handOff } from '../internal/pool.js';
import {
  adoptHandedOff,
  isDone,
  waitDone,
  waitDoneAsync,
  type HandedOff,
  type Outcome,
  type WorkerRecord,
} from '../internal/worker-record.js';
import { canBlock } from '../internal/block.js';
import { dropHeld, ownHeld } from '../internal/drop-value.js';
import { madeByThread, ownedByThread, type ThreadOwned } from '../internal/thread-owned.js';
import protocol from '../internal/protocol.js';
import { Encoder, moveOnCommit } from '../internal/wire.js';
import { decodeThrown, encodeThrown, type ThrownWire } from '../internal/thrown.js';
import { PanicError } from './panic-error.js';
import { JoinSlot, type LentReader } from './join-slot.js';
import { courierAvailable, park } from '../internal/courier.js';
import { Thread } from './thread.js';

/** The thread runs (or its result was not collected yet). */
const RUNNING = 0;
/** It returned; the result waits for `join()`. */
const RETURNED = 1;
/** It panicked; the error waits for `join()`. */
const PANICKED = 2;
/** `join()` took the outcome. */
const JOINED = 3;
/** The handle was moved to another thread. */
const MOVED = 4;
/** The handle was dropped unjoined: the thread is detached, and its result dropped. */
const DROPPED = 5;

const { ROUTE } = protocol.Word;
const { PORT, ON_PORT, COURIER } = protocol.Route;
const { DETACH } = protocol.Word;
const { WANTED, REPORTED, DETACHED } = protocol.Detach;

/** Thrown by a second `join()` of the same handle (Rust's `join` consumes the handle). */
export class JoinedError extends Error {
  override readonly name = 'JoinedError';
}

/**
 * A thread's worker ended before its closure returned (`process.exit`, a
 * crash): the `cause` of the `PanicError` that `join()` throws.
 */
export class ThreadExitError extends Error {
  override readonly name = 'ThreadExitError';
}

/**
 * Returned by `spawn`: `join()` waits for the thread and returns its result,
 * or throws its panic as a `PanicError`. Dropping the handle (`drop()`,
 * `using`, or the end of the thread that owns it) detaches the thread: it
 * runs on, does not keep the process alive, and its result is dropped (the
 * counts of the `Arc`s in it go back), as Rust drops a detached thread's
 * result when it finishes. A scope's handles are joined by the scope:
 * dropping one changes nothing. Send and Sync:
 * moved into a thread, sent through a channel (whatever route the message
 * takes, the courier's included) or returned from a thread, it takes the
 * right to join with it; a move that is refused leaves it joinable here.
 * Received from another thread and dropped there, it lets the thread's
 * worker end after the run.
 *
 * Stored in a lock's value (`Mutex<JoinHandle<T> | null>`,
 * `Mutex<JoinHandle<T>[]>`, an `RwLock`'s or `OnceLock`'s value), it moves
 * in (the handle stored is left moved), and each guard that reads the
 * value is lent a handle over the same thread (see join-slot.ts): any
 * thread holding the lock may `join()` it, and exactly one `join()`
 * anywhere gets the outcome (the others throw `JoinedError`). Rust's
 * `guard.take()` reads `const handle = guard.value; guard.value = null;`:
 * a handle read under a guard and left out of the value by that guard's
 * store is the reader's from then on; one overwritten unread, or left in
 * the value when the lock's last owner drops the lock, is dropped by the
 * lock (its thread detached).
 *
 * @example
 * ```ts
 * const handle = spawn(() => 6 * 7);
 * handle.join(); // 42
 * ```
 */
export class JoinHandle<T> implements Outcome, ThreadOwned {
  #record: WorkerRecord | undefined;
  #state = RUNNING;
  #value: unknown;
  readonly #id: number;
  readonly #name: string | undefined;
  #thread: Thread | undefined;
  /** Whether a scope joins the thread: dropping the handle then detaches nothing. */
  #scoped = false;
  /** Received from another thread: no pool of this thread collects its run (see pool.ts' `abandonRun`). */
  #handedOff = false;
  /** Where it `MOVED`: said by a later use. */
  #movedTo = 'to another thread';
  /**
   * Its thread is joined through a lock's slot (see join-slot.ts): the
   * handle was read out of a lock's value (lent by the lock, unless
   * `#ownsSlot`), or moved on from there. Until it is joined, its state
   * stays `RUNNING` with no record.
   */
  #slot: JoinSlot | undefined;
  /** Whether this handle owns the slot's thread (it left the lock's value, see `#takeOver`): otherwise the lock lends it. */
  #ownsSlot = false;
  /** A lent handle's `drop()`: if the lock then leaves the slot out, its thread is detached, not taken over. */
  #dropWanted = false;
  /** The slot a lock lends this handle over, kept once it is joined: a store writes it back, and the lock keeps it. */
  #lentFrom: JoinSlot | undefined;
  /** What the slot calls when it leaves the lock's value (see join-slot.ts' `reader`). */
  #reader: LentReader | undefined;

  /** @internal Made by `spawn`. */
  constructor(id: number, name: string | undefined) {
    this.#id = id;
    this.#name = name;
  }

  /** @internal A scope's thread: the scope joins it (see scope.ts). */
  scoped(): void {
    this.#scoped = true;
  }

  /** @internal The worker the thread runs on, once dispatched. */
  attach(record: WorkerRecord): void {
    if (this.#state !== RUNNING) return;
    this.#record = record;
    // A thread's end drops the handles it made and did not join (see thread-owned.ts).
    madeByThread(this);
  }

  /** @internal The pool delivers the outcome (on this thread). */
  settle(panicked: boolean, value: unknown): void {
    if (this.#state === DROPPED) {
      // Dropped unjoined after its thread claimed the result for it: the result goes with the handle.
      if (!panicked) dropHeld(value);
      return;
    }
    this.#state = panicked ? PANICKED : RETURNED;
    this.#value = value;
  }

  /** @internal The pool reports that the thread's worker ended first (on this thread). */
  exited(code: number, error: unknown): void {
    this.settle(true, error ?? new ThreadExitError(exitMessage(code)));
  }

  /**
   * Waits for the thread to end and returns its result; throws `PanicError`
   * (the thread's error as `cause`) if it panicked. Blocks this thread:
   * use `joinAsync()` where blocking is impossible.
   */
  join(): T {
    if (this.#slot !== undefined) this.#claimSlot();
    if (this.#state === RUNNING) {
      const record = this.#record!;
      waitDone(record);
      if (record.current === this) collect(record);
    }
    return this.#take();
  }

  /**
   * The awaitable twin of `join()`: never blocks. On the main thread, a
   * pending `joinAsync()` keeps the process alive while the main module still
   * evaluates (a top-level `await` may wait for it), not after it is done:
   * the process then ends, as a Rust process ends when `main` returns.
   */
  async joinAsync(): Promise<T> {
    if (this.#slot !== undefined) this.#claimSlot();
    if (this.#state === RUNNING) {
      const record = this.#record!;
      await waitDoneAsync(record, this);
      if (record.current === this) collect(record);
    }
    return this.#take();
  }

  /** Whether the thread has ended (returned or panicked); never blocks. */
  isFinished(): boolean {
    if (this.#slot !== undefined) return this.#slot.isFinished();
    return this.#state !== RUNNING || isDone(this.#record!);
  }

  /** @internal Whether the handle still holds its thread (for a thread's end, see thread-owned.ts): neither joined, moved nor dropped. */
  get live(): boolean {
    // A handle a lock lends is the lock's: it holds nothing of its own.
    if (this.#slot !== undefined) return this.#ownsSlot;
    return this.#state === RUNNING || this.#state === RETURNED || this.#state === PANICKED;
  }

  /**
   * Drops the handle unjoined: detaches the thread (see the class's
   * comment). Its result is dropped where it is: by the thread as it ends,
   * or here if it has ended (a thread that was already reporting its result
   * when the handle was dropped is waited for, briefly, where this thread may
   * block; else the pool collects it later). Nothing happens to a handle
   * joined, moved or dropped already, nor to a scope's handle.
   */
  drop(): void {
    const slot = this.#slot;
    if (slot !== undefined) {
      // Lent by a lock, which keeps the thread: dropped, the handle only gives up taking it over (see `#takeOver`).
      if (!this.#ownsSlot) this.#dropWanted = true;
      else {
        this.#slot = undefined;
        this.#state = DROPPED;
        slot.detach();
      }
      return;
    }
    if (!this.live || this.#scoped) return;
    const state = this.#state;
    const value = this.#value;
    const record = this.#record;
    this.#state = DROPPED;
    this.#value = undefined;
    this.#record = undefined;
    if (state === RETURNED) dropHeld(value);
    if (state !== RUNNING) return;
    if (record!.current !== this || !this.#detachRun(record!)) return;
    // The thread claimed its result for a joiner first: this handle takes it and drops it (settle, above).
    if (isDone(record!)) collect(record!);
    else if (canBlock()) {
      waitDone(record!);
      if (record!.current === this) collect(record!);
    }
  }

  /**
   * Detaches the run on `record`; true when the thread claimed its result
   * for a joiner first (the caller then collects it and drops it). A run
   * received from another thread is no pool's here: its worker ends after
   * it (see pool.ts' `abandonRun`).
   */
  #detachRun(record: WorkerRecord): boolean {
    if (this.#handedOff) return abandonRun(record.box.words);
    // Pairs with the worker's CAS before it reports (worker-main.ts' `resultDetached`): whoever comes first decides.
    return Atomics.compareExchange(record.box.words, DETACH, WANTED, DETACHED) === REPORTED;
  }

  /** As `drop()`: `using handle = spawn(...)` detaches the thread at the end of the block unless joined. */
  [Symbol.dispose](): void {
    this.drop();
  }

  /** @internal Whether `join()` or `joinAsync()` already took the outcome. */
  isJoined(): boolean {
    return this.#state === JOINED;
  }

  /** The handle of the thread, to read its id and name or to unpark it. */
  thread(): Thread {
    if (this.#thread === undefined) {
      const slot = this.#slot;
      const words = slot === undefined ? this.#record?.box.words : slot.mailbox !== undefined && !slot.taken ? new Int32Array(slot.mailbox) : undefined;
      // A thread that ended keeps an identity but nothing to unpark: a word of its own.
      this.#thread =
        words !== undefined && this.#state === RUNNING
          ? new Thread(this.#id, this.#name, words, protocol.Word.PARK)
          : new Thread(this.#id, this.#name, endedWord(), 0);
    }
    return this.#thread;
  }

  /**
   * @internal The codec's view of the handle. A running thread's worker goes
   * with it: its mailbox, and its port, by which a result that is not plain
   * bytes comes, unless the wire form goes where no port can
   * (`context.portless`: on Node, a value waiting for its receiver at the
   * courier, whose lines are named channels). Then that result comes through
   * the courier instead (see protocol.ts' `Route`): the handle claims the
   * route word for it, unless the worker claimed it first, posting its
   * result on the port; the thread is then returning, and the handle waits
   * for it and carries its outcome. Why not a port to the courier for every
   * worker, which would carry the port: it costs each new worker a
   * `MessageChannel` and a post (70 to 90 µs), against some 7.5 µs for a
   * warm spawn; this costs nothing until a handle leaves that way.
   *
   * Nothing moves until the encoding commits (see `moveOnCommit`): a move
   * refused later (another capture, a worker that fails to start) leaves the
   * handle joinable here. Meanwhile its record is marked as leaving, so that
   * the pool does not collect the thread's result off the port that the wire
   * form names.
   */
  static wireOf(handle: JoinHandle<unknown>, context: CodecContext): JoinHandleWire {
    if (handle.#slot !== undefined) return handle.#slotWire(context);
    // Joined under the guard that lent it (`guard.value.join()`): written back, the lock keeps the slot, claimed.
    if (handle.#lentFrom !== undefined && context.inLock === true) return { id: handle.#id, name: handle.#name, slot: context.encode(handle.#lentFrom), lent: true };
    const state = handle.#state;
    if (state === JOINED || state === MOVED || state === DROPPED) throw new JoinedError('thread already joined');
    if (context.inLock === true) return JoinHandle.#moveIntoLock(handle, context);
    const wire: JoinHandleWire = { id: handle.#id, name: handle.#name };
    if (state === RUNNING) {
      const record = handle.#record!;
      if (record.current === handle) {
        if (context.portless === true && !routeToCourier(record.box.words)) waitDone(record);
        if (isDone(record)) collect(record);
      }
    }
    if (handle.#state === RUNNING) {
      const record = handle.#record!;
      const mailbox = record.box.words.buffer as SharedArrayBuffer;
      // Pairs with the CAS that set it (this thread's, now or in a move refused before).
      const withPort = Atomics.load(record.box.words, ROUTE) !== COURIER;
      if (withPort) {
        wire.running = { mailbox, port: record.port! };
        context.transfer.push(record.port!);
      } else {
        wire.running = { mailbox };
      }
      record.leaving = true;
      moveOnCommit(
        context,
        () => {
          handOff(record, withPort);
          handle.#leave();
        },
        () => {
          record.leaving = false;
        },
      );
      return wire;
    }
    if (handle.#state === PANICKED) {
      wire.panic = encodeThrown(handle.#value);
      moveOnCommit(context, () => handle.#leave());
      return wire;
    }
    // Its own encoding: the handles in the result move with it (a codec's nested values are not moved by the outer one).
    const encoder = new Encoder();
    encoder.portless = context.portless === true;
    wire.value = encoder.encode(handle.#value);
    for (const item of encoder.transfer) if (!context.transfer.includes(item)) context.transfer.push(item);
    moveOnCommit(
      context,
      () => {
        encoder.commitMoves();
        handle.#leave();
      },
      () => encoder.abandonMoves(),
    );
    return wire;
  }

  /** @internal A handle received from another thread. */
  static fromWire(wire: JoinHandleWire, decode: (value: unknown) => unknown): JoinHandle<unknown> {
    const handle = new JoinHandle<unknown>(wire.id, wire.name);
    if (wire.slot !== undefined) {
      const slot = decode(wire.slot) as JoinSlot;
      handle.#slot = slot;
      if (wire.lent === true) {
        // Read out of a lock's value: lent by the lock, and this thread's if the store that follows leaves it out.
        handle.#lentFrom = slot;
        handle.#reader ??= { takeOver: () => handle.#takeOver() };
        slot.reader = handle.#reader;
      } else {
        handle.#ownsSlot = true;
        ownedByThread(handle);
      }
      return handle;
    }
    // This thread's now: its end drops it unless joined (see thread-owned.ts).
    ownedByThread(handle);
    if (wire.running !== undefined) {
      handle.#record = adoptHandedOff(wire.running, handle);
      handle.#handedOff = true;
    }
    else if (wire.panic !== undefined) handle.settle(true, decodeThrown(wire.panic));
    else {
      const value = decode(wire.value);
      // The result is this thread's, as a result it collected itself is: its end drops what is not joined.
      ownHeld(value);
      handle.settle(false, value);
    }
    return handle;
  }

  /** The move committed: the handle is left moved, its thread and outcome the receiver's (or a lock's, `to`). */
  #leave(to = 'to another thread'): void {
    this.#state = MOVED;
    this.#movedTo = to;
    this.#record = undefined;
    this.#value = undefined;
    this.#slot = undefined;
    this.#ownsSlot = false;
  }

  /**
   * The wire form of a handle joined through a slot. Into a lock's value
   * (back into the one that lent it, or moved into one): the slot, for the
   * lock's table. Elsewhere, only a handle that owns its thread moves
   * (rustc's E0507 for one a lock lends).
   */
  #slotWire(context: CodecContext): JoinHandleWire {
    const slot = this.#slot!;
    const wire: JoinHandleWire = { id: this.#id, name: this.#name, slot: context.encode(slot) };
    if (context.inLock === true) wire.lent = true;
    if (!this.#ownsSlot) {
      if (context.inLock !== true) {
        throw new TypeError(
          "cannot move out of a `JoinHandle` that a lock's value lends (E0507): leave it out of the value under the guard first (`const handle = guard.value; guard.value = null;`), then move it",
        );
      }
      // Written back into the value: the lock keeps it, and this read takes nothing over.
      if (slot.reader === this.#reader) slot.reader = undefined;
      return wire;
    }
    moveOnCommit(context, () => this.#leave(context.inLock === true ? "into a lock's value" : 'to another thread'));
    return wire;
  }

  /**
   * A handle stored into a lock's value moves in as a slot that every
   * thread holding the lock shares (see join-slot.ts), once the store is in
   * place (`moveOnCommit`): a running thread's result is routed to the
   * courier (see protocol.ts' `Route`), where any thread can fetch it, and
   * its worker leaves this thread's pool; an outcome collected already is
   * parked at the courier under the same key.
   */
  static #moveIntoLock(handle: JoinHandle<unknown>, context: CodecContext): JoinHandleWire {
    if (!courierAvailable()) {
      throw new TypeError(
        "`JoinHandle` cannot be inside a lock's value on this host: its thread's result would wait at the courier, which a thread here cannot read without awaiting; send the handle through a channel",
      );
    }
    const id = handle.#id;
    if (handle.#state === RUNNING) {
      const record = handle.#record!;
      if (record.current === handle) {
        // The worker claimed the port first: it is returning; its result is collected here.
        if (!routeToCourier(record.box.words)) waitDone(record);
        if (isDone(record)) collect(record);
      }
    }
    const into = "into a lock's value";
    if (handle.#state === RUNNING) {
      const record = handle.#record!;
      record.leaving = true;
      const slot = new JoinSlot(id, record.box.words.buffer as SharedArrayBuffer);
      moveOnCommit(
        context,
        () => {
          handOff(record, false);
          handle.#leave(into);
        },
        () => {
          record.leaving = false;
        },
      );
      return { id, name: handle.#name, slot: context.encode(slot), lent: true };
    }
    const key = protocol.RESULT_KEY + id;
    const slot = new JoinSlot(id, undefined);
    if (handle.#state === PANICKED) {
      const panic = encodeThrown(handle.#value);
      moveOnCommit(context, () => {
        park(key, { panic });
        handle.#leave(into);
      });
    } else {
      // Its own encoding, for the courier's lines (no port): the handles in the result move with it.
      const encoder = new Encoder();
      encoder.portless = true;
      const value = encoder.encode(handle.#value);
      moveOnCommit(
        context,
        () => {
          park(key, { value }, encoder.transfer);
          encoder.commitMoves();
          handle.#leave(into);
        },
        () => encoder.abandonMoves(),
      );
    }
    return { id, name: handle.#name, slot: context.encode(slot), lent: true };
  }

  /** Joins through the slot: claims the thread (any other join, in any thread, then throws `JoinedError`). */
  #claimSlot(): void {
    const slot = this.#slot!;
    const claimed = slot.claim(this);
    if (claimed === undefined) throw new JoinedError(slot.dropped ? 'thread handle dropped' : 'thread already joined');
    this.#slot = undefined;
    this.#ownsSlot = false;
    if ('record' in claimed) {
      this.#record = claimed.record;
      // No pool of this thread's collects the run: dropped before it is joined (a join that could not block), it abandons it.
      this.#handedOff = true;
    }
    else this.settle(claimed.panicked, claimed.value);
  }

  /** The slot left the lock's value under the guard this handle was read under: it owns the thread now, unless it was dropped or joined. */
  #takeOver(): boolean {
    const slot = this.#slot;
    if (slot === undefined || this.#ownsSlot || this.#dropWanted || slot.taken) return false;
    this.#ownsSlot = true;
    this.#lentFrom = undefined;
    // This thread's, as a value moved out of the lock: its end drops it unless joined (see thread-owned.ts).
    ownedByThread(this);
    return true;
  }

  #take(): T {
    const state = this.#state;
    if (state === JOINED) throw new JoinedError('thread already joined');
    if (state === MOVED) throw new JoinedError(`thread handle moved ${this.#movedTo}`);
    if (state === DROPPED) throw new JoinedError('thread handle dropped');
    const value = this.#value;
    this.#state = JOINED;
    this.#value = undefined;
    this.#record = undefined;
    if (state === PANICKED) throw new PanicError(value, this.#id, this.#name);
    return value as T;
  }
}
/** `impl<T> Send for JoinHandle<T>`, `impl<T> Sync for JoinHandle<T>`. */
export interface JoinHandle<T> extends Traits<'JoinHandle', T, 'always', 'always'> {}

/** A `JoinHandle` on the wire: its thread's worker while it runs (its port too, unless the result comes through the courier), otherwise its outcome. */
interface JoinHandleWire {
  readonly id: number;
  readonly name: string | undefined;
  running?: HandedOff;
  value?: unknown;
  panic?: ThrownWire;
  /** In a lock's value, or moved on from there: the slot every thread holding it shares (see join-slot.ts). */
  slot?: unknown;
  /** The slot in a lock's value: a handle decoded from it is lent by the lock. */
  lent?: boolean;
}

// Moving a handle moves the right to join: the thread's worker leaves the spawner's pool with it.
registerCodec<JoinHandle<unknown>, JoinHandleWire>({
  module: import.meta.url,
  tag: 'sendsync:JoinHandle',
  handle: 'owner',
  type: JoinHandle,
  send: 'always',
  sync: 'always',
  encode: (handle, context) => JoinHandle.wireOf(handle, context),
  decode: (wire, context) => JoinHandle.fromWire(wire, (value) => context.decode(value)),
});

/** What a `ThreadExitError` says for a run that ended `EXITED` with `code` in its mailbox (see internal/protocol.ts). */
function exitMessage(code: number): string {
  if (code === protocol.OUT_OF_MEMORY) {
    return (
      "the thread's worker ran out of memory under its heap limit (Builder.heapLimit), before or while the thread ran: " +
      'a worker needs about 5 MiB to start, and the thread needs its own memory besides; raise the limit'
    );
  }
  if (code === protocol.DIED) return "the thread's worker died before the thread returned (terminated, or out of memory)";
  return `thread exited with code ${code}`;
}

let endedWords: Int32Array | undefined;

/** The park word of ended threads: no generation matches it, so unparking them does nothing. */
function endedWord(): Int32Array {
  endedWords ??= new Int32Array(new SharedArrayBuffer(4));
  return endedWords;
}

/** Claims the thread's result message for the courier (see protocol.ts' `Route`); false when the worker claimed the port first. */
function routeToCourier(words: Int32Array): boolean {
  // Pairs with the worker's CAS before it posts a result (worker-main.ts' `resultRoute`): one of them wins.
  return Atomics.compareExchange(words, ROUTE, PORT, COURIER) !== ON_PORT;
}
