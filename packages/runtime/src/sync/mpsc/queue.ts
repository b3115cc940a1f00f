/**
 * The shared queue under every channel: a multi-producer, single-consumer ring
 * of 16-byte slots in one `SharedArrayBuffer`, in the manner of Dmitry
 * Vyukov's bounded queue (each slot has a sequence word saying when it is
 * published).
 *
 * A message is one record of one or more consecutive slots: a header (tag,
 * byte length) then its payload. Numbers, booleans, `null` and `undefined` take
 * one slot and build no object on either side; strings are copied as UTF-16
 * code units; typed arrays and `ArrayBuffer`s as raw bytes; anything else as
 * `v8.serialize` bytes (structured-clone semantics). A record never wraps: a
 * producer whose slots would cross the ring's end publishes them as a `PAD`
 * record and claims again from slot 0. A message larger than a quarter of the
 * ring crosses as a sequence of chunk records, one big message at a time.
 *
 * Producers claim slots with `Atomics.add` on `TAIL` (`trySend`, and a sender
 * in the receiver's own thread: a compare-and-swap, so that a full ring claims
 * nothing and can be refused instead of waited for), wait until the claim
 * is below `HEAD + capacity`, write the record, then publish it by storing
 * `position + 1` in its first slot's sequence word. The consumer waits for that
 * value at its head and reads the record; when it publishes its head in
 * `HEAD` it first puts `position` back in every word passed (a value no later
 * lap waits for). It publishes its head only every eighth of the ring (at
 * most `HEAD_BATCH` slots), whenever it finds the queue empty, and after each
 * message of a rendezvous, so that the common case costs each side one or two
 * atomic operations per message. A bounded channel adds a credit counter,
 * `IN_FLIGHT`: one `Atomics.add` per send, one `Atomics.sub` per receive.
 * Positions are 32-bit and wrap; all comparisons are on differences
 * (`(a - b) | 0`).
 *
 * Memory layout (Int32 words, then slots):
 *   control words   CONTROL_WORDS words, hot words 64 bytes apart
 *   sequence words  capacity words, one per slot
 *   slots           capacity × SLOT_BYTES bytes
 */

import { deserialize, serialize } from 'node:v8';
import { WouldBlockError, canBlock, waitAsyncAlive } from '../../internal/block.js';
import { Encoder, assertSendAt, decodeInPlace } from '../../internal/wire.js';
import { RingFullError } from './errors.js';
import { OWNERS, OWNER_WORDS, holdReceiver, receiverIsHere, receiverThreadEnded } from './owners.js';

/** Bytes per slot: a record header (tag, length) is 8, so a number fits in one slot. */
export const SLOT_BYTES = 16;
/** Bytes of the record header: tag (Int32) and payload byte length (Int32). */
const HEADER_BYTES = 8;

// Control word indexes. Words written by different sides sit on different cache lines.
/** Next position to claim; written by producers (add, or CAS for `trySend`). */
const TAIL = 0;
/** The consumer's position as last published (in batches); slots before HEAD + capacity are free. */
export const HEAD = 16;
/** Live `Sender`/`SyncSender` handles, wherever they are (moved ones included). */
export const SENDERS = 32;
/** One of the RECEIVER_* states below. */
export const RECEIVER = 48;
/** Futex word the consumer sleeps on; bumped by whoever wakes it. */
export const WAKE = 49;
/** Futex word blocked producers sleep on; bumped by the consumer when it frees slots. */
const SPACE = 64;
/** How many producers are blocked (the consumer notifies SPACE only when this is not 0). */
const SPACE_WAITERS = 65;
/** Messages sent and not yet received; bounded channels only. */
const IN_FLIGHT = 80;
/** The big-message lock: BIG_FREE or BIG_HELD. */
const BIG = 96;
/** How many times the consumer went to sleep (a statistic, for tests and tuning). */
export const SLEEPS = 112;
/** The slot count (a power of two), written once at creation. */
const CAPACITY = 113;
/** The bound of a sync channel, or UNBOUNDED; written once at creation. */
const BOUND = 114;
/** How many control words there are: the words above, then the owner table of `owners.ts`. */
const CONTROL_WORDS = OWNERS + OWNER_WORDS;
/** How long a blocked sender sleeps before it looks whether the receiver's thread ended. */
const OWNER_CHECK_MS = 100;

// States of the RECEIVER word.
/** The receiver exists and is not sleeping: producers need not wake it. */
export const RECEIVER_AWAKE = 0;
/** The receiver is (about to be) asleep on WAKE: the next producer wakes it. */
export const RECEIVER_SLEEPING = 1;
/** The receiver was dropped: sends fail. */
export const RECEIVER_GONE = 2;

// States of the BIG word.
/** No big message is being sent. */
const BIG_FREE = 0;
/** A producer is sending a big message as chunks. */
const BIG_HELD = 1;

/** The BOUND of a channel made by `channel()`. */
export const UNBOUNDED = -1;

// Record tags (the first Int32 of a record).
const TAG_UNDEFINED = 1;
const TAG_NULL = 2;
const TAG_FALSE = 3;
const TAG_TRUE = 4;
const TAG_NUMBER = 5;
const TAG_STRING = 6;
const TAG_SERIALIZED = 7;
const TAG_ARRAY_BUFFER = 8;
/** Slots given up by a producer whose claim crossed the ring's end; the length word counts them. */
const TAG_PAD = 9;
/** The first chunk of a big message: inner tag, total bytes, then bytes. */
const TAG_CHUNK_FIRST = 10;
/** A further chunk of the big message in progress. */
const TAG_CHUNK = 11;
/** Typed arrays: TAG_TYPED + their index in TYPED_ARRAYS. */
const TAG_TYPED = 16;

/** The typed array classes that cross as raw bytes, by tag offset. */
const TYPED_ARRAYS = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
] as const;

/** What `receive` returns when no whole message is available. */
export const NOTHING: unique symbol = Symbol('nothing');

// Results of a producer operation.
/** The message is in the queue. */
export const SENT = 0;
/** No room, and the caller asked not to wait. */
export const FULL = 1;
/** The receiver is gone. */
export const GONE = 2;
/** One of SENT, FULL, GONE. */
export type Outcome = typeof SENT | typeof FULL | typeof GONE;

/** How many slots the consumer moves before it publishes HEAD (at most an eighth of the ring). */
const HEAD_BATCH = 256;

/** The slots a record of `payloadBytes` takes. */
function slotsFor(payloadBytes: number): number {
  return (HEADER_BYTES + payloadBytes + SLOT_BYTES - 1) >>> 4;
}

/** The fewest slots a ring has (4 KiB): a 64-unit string, sent inline, must fit in a quarter of it. */
const MIN_SLOTS = 256;

/** The smallest power of two ≥ `n`, and ≥ MIN_SLOTS. */
function powerOfTwo(n: number): number {
  return 2 ** Math.ceil(Math.log2(Math.max(MIN_SLOTS, n)));
}

/**
 * One thread's view of a channel's shared memory, with the producer and
 * consumer operations. Every handle of a thread may share one for producing;
 * the receiver has its own (it holds the consumer's position and any big
 * message being reassembled).
 */
export class Queue {
  /** The shared memory. */
  readonly buffer: SharedArrayBuffer;
  /** The control words. */
  readonly control: Int32Array;
  /** Sequence words, one per slot. */
  readonly sequence: Int32Array;
  private readonly words: Int32Array;
  private readonly doubles: Float64Array;
  private readonly units: Uint16Array;
  private readonly bytes: Uint8Array;
  /** The slots as a Node `Buffer`, for its native UTF-16 decoding. */
  private readonly text: Buffer;
  private readonly capacity: number;
  private readonly mask: number;
  /** `UNBOUNDED`, or the bound of a sync channel. */
  readonly bound: number;
  /** The largest payload one record may carry; bigger messages go as chunks. */
  private readonly maxPayload: number;
  /** Slots the consumer moves between two stores of HEAD. */
  private readonly batch: number;

  // Producer scratch: the last claim (one thread, and no await between reserve and publish).
  private position = 0;
  private record = 0;
  /** The first position this thread has not yet seen free (HEAD + capacity when last read). */
  private limit: number;
  /** Whether the receiver was in this thread when `limit` was last read: sends then claim by CAS. */
  private receiverHere: boolean;
  /** The position after the last message published by this thread: rendezvous senders wait for HEAD to reach it. */
  end = 0;

  // Consumer state.
  /** The consumer's position. */
  private head: number;
  /** The consumer's position as last stored in HEAD. */
  private published: number;
  private pending: Uint8Array | undefined = undefined;
  private pendingTag = 0;
  private pendingFilled = 0;

  /** A view of `buffer`, which `Queue.create` laid out. */
  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.control = new Int32Array(buffer, 0, CONTROL_WORDS);
    this.capacity = this.control[CAPACITY];
    this.bound = this.control[BOUND];
    this.mask = this.capacity - 1;
    this.sequence = new Int32Array(buffer, CONTROL_WORDS * 4, this.capacity);
    const slots = CONTROL_WORDS * 4 + this.capacity * 4;
    this.words = new Int32Array(buffer, slots, this.capacity * (SLOT_BYTES / 4));
    this.doubles = new Float64Array(buffer, slots, this.capacity * (SLOT_BYTES / 8));
    this.units = new Uint16Array(buffer, slots, this.capacity * (SLOT_BYTES / 2));
    this.bytes = new Uint8Array(buffer, slots, this.capacity * SLOT_BYTES);
    this.text = Buffer.from(buffer, slots, this.capacity * SLOT_BYTES);
    this.maxPayload = (this.capacity / 4) * SLOT_BYTES - HEADER_BYTES;
    this.batch = Math.min(HEAD_BATCH, this.capacity >> 3);
    // Read once when a handle is (re)built: the position the receiver's previous thread published.
    this.head = this.published = Atomics.load(this.control, HEAD);
    this.limit = (this.head + this.capacity) | 0;
    this.receiverHere = receiverIsHere(this.control);
  }

  /** Fresh shared memory for a channel of `slots` slots (rounded up to a power of two), one sender, one receiver. */
  static create(slots: number, bound: number): SharedArrayBuffer {
    const capacity = powerOfTwo(slots);
    const buffer = new SharedArrayBuffer(CONTROL_WORDS * 4 + capacity * 4 + capacity * SLOT_BYTES);
    const control = new Int32Array(buffer, 0, CONTROL_WORDS);
    control[CAPACITY] = capacity;
    control[BOUND] = bound;
    control[SENDERS] = 1;
    holdReceiver(control);
    const sequence = new Int32Array(buffer, CONTROL_WORDS * 4, capacity);
    // Slot i holds a value ≡ i (mod capacity) except while published (≡ i + 1): no lap mistakes it for published.
    for (let i = 0; i < capacity; i++) sequence[i] = i;
    // Plain writes: the buffer reaches other threads only through postMessage, which publishes them.
    return buffer;
  }

  // ---------------------------------------------------------------- producer

  /**
   * Puts `value` in the queue. With `wait`, blocks while the ring is full;
   * without, returns FULL instead. Returns GONE once the receiver is gone.
   */
  send(value: unknown, wait: boolean): Outcome {
    if (typeof value === 'number') {
      if (!this.reserve(1, wait)) return this.refusal();
      const at = this.record << 2;
      this.words[at] = TAG_NUMBER;
      this.doubles[(at >> 1) + 1] = value;
      return this.publish();
    }
    if (typeof value === 'string' && value.length <= 64) {
      const length = value.length;
      if (!this.reserve(slotsFor(length << 1), wait)) return this.refusal();
      const at = this.record << 2;
      this.words[at] = TAG_STRING;
      this.words[at + 1] = length << 1;
      const units = this.units;
      const start = (at << 1) + 4;
      for (let i = 0; i < length; i++) units[start + i] = value.charCodeAt(i);
      return this.publish();
    }
    return this.sendOther(value, wait);
  }

  /** The slow kinds of `send`: constants, long strings, bytes and serialised values. */
  private sendOther(value: unknown, wait: boolean): Outcome {
    let tag: number;
    switch (value) {
      case undefined:
        tag = TAG_UNDEFINED;
        break;
      case null:
        tag = TAG_NULL;
        break;
      case false:
        tag = TAG_FALSE;
        break;
      case true:
        tag = TAG_TRUE;
        break;
      default:
        return this.sendBytes(value, wait);
    }
    if (!this.reserve(1, wait)) return this.refusal();
    const at = this.record << 2;
    this.words[at] = tag;
    this.words[at + 1] = 0;
    return this.publish();
  }

  /** Sends a value that crosses as bytes: a string, typed array, `ArrayBuffer` or serialised value. */
  private sendBytes(value: unknown, wait: boolean): Outcome {
    let tag: number;
    let source: Uint8Array;
    if (typeof value === 'string') {
      tag = TAG_STRING;
      const units = new Uint16Array(value.length);
      for (let i = 0; i < value.length; i++) units[i] = value.charCodeAt(i);
      source = new Uint8Array(units.buffer);
    } else if (ArrayBuffer.isView(value) && !(value instanceof DataView) && typedTag(value) !== 0) {
      tag = typedTag(value);
      source = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    } else if (value instanceof ArrayBuffer) {
      tag = TAG_ARRAY_BUFFER;
      source = new Uint8Array(value);
    } else {
      tag = TAG_SERIALIZED;
      // The backstop for `any`: what is not Send is refused (`Rc`, functions, ...); handles cross by their codecs.
      assertSendAt(value, 'value');
      source = serializeMessage(new Encoder().encode(value));
    }
    if (source.byteLength > this.maxPayload) return this.sendChunks(tag, source, wait);
    if (!this.reserve(slotsFor(source.byteLength), wait)) return this.refusal();
    const at = this.record << 2;
    this.words[at] = tag;
    this.words[at + 1] = source.byteLength;
    this.bytes.set(source, (at << 2) + HEADER_BYTES);
    return this.publish();
  }

  /**
   * Sends a message too big for one record as chunk records, holding the BIG
   * lock so that the consumer reassembles one big message at a time. Waits
   * for room even without `wait` once the first chunk is in.
   */
  private sendChunks(tag: number, source: Uint8Array, wait: boolean): Outcome {
    const control = this.control;
    // Pairs with the release below in another producer: one big message at a time.
    while (Atomics.compareExchange(control, BIG, BIG_FREE, BIG_HELD) !== BIG_FREE) {
      if (!wait) return FULL;
      mayBlock('sendAsync');
      if (Atomics.load(control, RECEIVER) === RECEIVER_GONE) return GONE;
      Atomics.wait(control, BIG, BIG_HELD, 50);
    }
    try {
      if (this.receiverHere || receiverIsHere(control)) {
        // The receiver cannot drain while this thread sends: all chunks must fit now, or none is sent.
        const tail = Atomics.load(control, TAIL);
        const free = (Atomics.load(control, HEAD) + this.capacity - tail) | 0;
        if (this.chunkSlots(tail, source.byteLength) > free) {
          if (!wait) return FULL;
          throw new RingFullError();
        }
      }
      const first = this.maxPayload - 8;
      if (!this.reserve(slotsFor(this.maxPayload), wait)) return this.refusal();
      let at = this.record << 2;
      this.words[at] = TAG_CHUNK_FIRST;
      this.words[at + 1] = this.maxPayload;
      this.words[at + 2] = tag;
      this.words[at + 3] = source.byteLength;
      this.bytes.set(source.subarray(0, first), (at << 2) + 16);
      if (this.publish() === GONE) return GONE;
      for (let offset = first; offset < source.byteLength; offset += this.maxPayload) {
        const chunk = source.subarray(offset, offset + this.maxPayload);
        if (!this.reserve(slotsFor(chunk.byteLength), true)) return GONE;
        at = this.record << 2;
        this.words[at] = TAG_CHUNK;
        this.words[at + 1] = chunk.byteLength;
        this.bytes.set(chunk, (at << 2) + HEADER_BYTES);
        if (this.publish() === GONE) return GONE;
      }
      return SENT;
    } finally {
      // Pairs with the compareExchange above in the next big sender.
      Atomics.store(control, BIG, BIG_FREE);
      Atomics.notify(control, BIG, 1);
    }
  }

  /** The slots the chunks of a `bytes`-byte message take from position `tail`, padding at the ring's end included. */
  private chunkSlots(tail: number, bytes: number): number {
    let position = tail;
    for (let offset = 0, size = this.maxPayload; offset < bytes + 8; offset += size) {
      const slots = slotsFor(Math.min(size, bytes + 8 - offset));
      // A claim that would cross the ring's end is given up as padding (see `reserve`).
      if ((position & this.mask) + slots > this.capacity) position = (position + slots) | 0;
      position = (position + slots) | 0;
    }
    return (position - tail) | 0;
  }

  /** Why the last `reserve` failed. */
  private refusal(): Outcome {
    return Atomics.load(this.control, RECEIVER) === RECEIVER_GONE ? GONE : FULL;
  }

  /**
   * Claims `slots` consecutive slots that do not cross the ring's end; sets
   * `position` and `record`. With `wait`, sleeps while the ring is full (or
   * throws `RingFullError` if the receiver is in this thread); without
   * (`trySend`), claims nothing and returns false. False when the receiver is
   * gone while waiting.
   */
  private reserve(slots: number, wait: boolean): boolean {
    const control = this.control;
    const mask = this.mask;
    for (;;) {
      let tail: number;
      if (wait && !this.receiverHere) {
        // Claims [tail, tail + slots); pairs with the other producers' claims (nothing else to publish).
        tail = Atomics.add(control, TAIL, slots);
        if (!this.room((tail + slots - 1) | 0, true)) return false;
      } else {
        // Pairs with the other producers' claims.
        tail = Atomics.load(control, TAIL);
        if (!this.room((tail + slots - 1) | 0, false)) {
          if (!wait) return false;
          // Blocking send with the receiver here: claim only what is free, and refuse to wait for ourselves.
          if (receiverIsHere(control) && Atomics.load(control, RECEIVER) !== RECEIVER_GONE) throw new RingFullError();
          this.receiverHere = false;
          continue;
        }
        // Claims [tail, tail + slots) only if nobody claimed since the load.
        if (Atomics.compareExchange(control, TAIL, tail, (tail + slots) | 0) !== tail) continue;
      }
      const index = tail & mask;
      this.position = tail;
      this.record = index;
      this.end = (tail + slots) | 0;
      if (index + slots <= this.capacity) return true;
      // The claim crosses the ring's end: give it up as padding and claim again.
      this.words[index << 2] = TAG_PAD;
      this.words[(index << 2) + 1] = slots;
      if (this.publish() === GONE) return false;
    }
  }

  /** Whether slot position `last` is free: below HEAD + capacity. Sleeps for it if `wait`. */
  private room(last: number, wait: boolean): boolean {
    if (((last - this.limit) | 0) < 0) return true;
    // Pairs with the consumer's store of HEAD: the slots before HEAD were read, and may be reused.
    this.limit = (Atomics.load(this.control, HEAD) + this.capacity) | 0;
    // Now and then (once per lap of the ring at most): a receiver whose thread ended is gone;
    // and is the receiver in this thread (then a full ring must not be waited for)?
    if (receiverThreadEnded(this.control)) Atomics.store(this.control, RECEIVER, RECEIVER_GONE);
    this.receiverHere = receiverIsHere(this.control);
    if (((last - this.limit) | 0) < 0) return true;
    if (!wait) return false;
    const ready = (): boolean => ((last - ((Atomics.load(this.control, HEAD) + this.capacity) | 0)) | 0) < 0;
    if (!this.waitForSpace(ready)) return false;
    this.limit = (Atomics.load(this.control, HEAD) + this.capacity) | 0;
    return true;
  }

  /** Publishes the record just reserved and written; wakes the receiver if it sleeps. */
  private publish(): Outcome {
    const position = this.position;
    const index = position & this.mask;
    // Publishes the record written above; pairs with the consumer's load in `receive`.
    Atomics.store(this.sequence, index, (position + 1) | 0);
    // After the publish, as the receiver sets SLEEPING before its last look: one of us sees the other.
    const state = Atomics.load(this.control, RECEIVER);
    if (state === RECEIVER_AWAKE) return SENT;
    return this.wakeReceiver(state);
  }

  /** The slow end of `publish`: wake a sleeping receiver, or report it gone. */
  private wakeReceiver(state: number): Outcome {
    if (state === RECEIVER_GONE) return GONE;
    const control = this.control;
    // Only the producer that flips SLEEPING to AWAKE notifies; pairs with the receiver's store of SLEEPING.
    if (Atomics.compareExchange(control, RECEIVER, RECEIVER_SLEEPING, RECEIVER_AWAKE) === RECEIVER_SLEEPING) {
      // Changes the word the receiver sleeps on (it read it before setting SLEEPING).
      Atomics.add(control, WAKE, 1);
      Atomics.notify(control, WAKE, 1);
    }
    return SENT;
  }

  /**
   * Sleeps until `ready()` or the receiver is gone. Announces itself in
   * SPACE_WAITERS before its last look at `ready()`, as the consumer publishes
   * HEAD before it looks at SPACE_WAITERS: one of the two sees the other.
   * Returns false if the receiver is gone.
   */
  waitForSpace(ready: () => boolean): boolean {
    const control = this.control;
    mayBlock('sendAsync');
    // Pairs with the consumer's load of SPACE_WAITERS after it frees or receives.
    Atomics.add(control, SPACE_WAITERS, 1);
    try {
      for (;;) {
        const epoch = Atomics.load(control, SPACE);
        if (ready()) return true;
        if (receiverThreadEnded(control)) Atomics.store(control, RECEIVER, RECEIVER_GONE);
        if (Atomics.load(control, RECEIVER) === RECEIVER_GONE) return false;
        Atomics.wait(control, SPACE, epoch, OWNER_CHECK_MS);
      }
    } finally {
      Atomics.sub(control, SPACE_WAITERS, 1);
    }
  }

  /** The awaitable twin of `waitForSpace`. */
  async waitForSpaceAsync(ready: () => boolean): Promise<boolean> {
    const control = this.control;
    Atomics.add(control, SPACE_WAITERS, 1);
    try {
      for (;;) {
        const epoch = Atomics.load(control, SPACE);
        if (ready()) return true;
        if (receiverThreadEnded(control)) Atomics.store(control, RECEIVER, RECEIVER_GONE);
        if (Atomics.load(control, RECEIVER) === RECEIVER_GONE) return false;
        await waitAsyncAlive(control, SPACE, epoch, OWNER_CHECK_MS);
      }
    } finally {
      Atomics.sub(control, SPACE_WAITERS, 1);
    }
  }

  /** Takes one message credit of a bounded channel; false (without taking it) when none is left. */
  tryAcquireCredit(): boolean {
    const control = this.control;
    // Optimistic: one atomic when there is room. Pairs with the consumer's Atomics.sub of IN_FLIGHT.
    if (Atomics.add(control, IN_FLIGHT, 1) < this.bound) return true;
    // Over the bound: give it back. Another sender may have failed meanwhile on our passing
    // excess; it then waits on `creditAvailable`, which it checks before sleeping.
    Atomics.sub(control, IN_FLIGHT, 1);
    this.wakeProducers();
    return false;
  }

  /** Gives back a credit taken for a message that was not sent. */
  releaseCredit(): void {
    // Pairs with `creditAvailable` in blocked senders, which may have seen our credit taken.
    Atomics.sub(this.control, IN_FLIGHT, 1);
    this.wakeProducers();
  }

  /** Whether room for a credit is there (for waiters; the credit itself is taken by `tryAcquireCredit`). */
  creditAvailable = (): boolean => Atomics.load(this.control, IN_FLIGHT) < this.bound;

  /** Whether the receiver has taken everything up to this thread's last message (rendezvous). */
  taken = (): boolean => ((Atomics.load(this.control, HEAD) - this.end) | 0) >= 0;

  /** Whether the queue is empty right now and the receiver sleeps in `recv` (a rendezvous `trySend` may hand over). */
  receiverWaiting(): boolean {
    return Atomics.load(this.control, RECEIVER) === RECEIVER_SLEEPING && Atomics.load(this.control, TAIL) === Atomics.load(this.control, HEAD);
  }

  // ---------------------------------------------------------------- consumer

  /** The next whole message, or NOTHING if none is published yet. */
  receive(): unknown {
    const words = this.words;
    for (;;) {
      const head = this.head;
      const index = head & this.mask;
      // Pairs with `publish`'s store: the record is written.
      if (Atomics.load(this.sequence, index) !== ((head + 1) | 0)) {
        if (this.head !== this.published) this.publishHead();
        return NOTHING;
      }
      const at = index << 2;
      const tag = words[at];
      let value: unknown;
      if (tag === TAG_NUMBER) {
        value = this.doubles[(at >> 1) + 1];
        this.head = (head + 1) | 0;
      } else if (tag === TAG_PAD) {
        this.head = (head + words[at + 1]) | 0;
        continue;
      } else {
        const length = words[at + 1];
        value = this.decode(tag, (at << 2) + HEADER_BYTES, length);
        this.head = (head + slotsFor(length)) | 0;
        if (value === NOTHING) continue;
      }
      if (this.bound > 0) {
        // Returns the message's credit; pairs with tryAcquireCredit's add.
        Atomics.sub(this.control, IN_FLIGHT, 1);
        if (((this.head - this.published) | 0) >= this.batch) this.publishHead();
        else this.wakeProducers();
      } else if (this.bound === 0 || ((this.head - this.published) | 0) >= this.batch) {
        // A rendezvous sender waits for HEAD to pass its message: publish at once.
        this.publishHead();
      }
      return value;
    }
  }

  /** Stores the consumer's position in HEAD and wakes producers waiting for room, credit or a rendezvous. */
  publishHead(): void {
    // Puts position p back in every sequence word passed (a value no lap waits for), in bulk and
    // behind the producers, rather than one store per message on the line they are writing.
    // Plain stores: they reach the producers of the next lap through the store of HEAD below.
    const sequence = this.sequence;
    const mask = this.mask;
    for (let position = this.published; position !== this.head; position = (position + 1) | 0) {
      sequence[position & mask] = position;
    }
    this.published = this.head;
    // Publishes that every slot before it was read; pairs with `room`'s and `taken`'s loads.
    Atomics.store(this.control, HEAD, this.head);
    this.wakeProducers();
  }

  /** Wakes blocked producers, if any (after a release: see `waitForSpace`). */
  wakeProducers(): void {
    const control = this.control;
    if (Atomics.load(control, SPACE_WAITERS) === 0) return;
    Atomics.add(control, SPACE, 1);
    Atomics.notify(control, SPACE);
  }

  /** Decodes a record's payload (at byte `offset`, `length` bytes); NOTHING for a chunk of an unfinished message. */
  private decode(tag: number, offset: number, length: number): unknown {
    switch (tag) {
      case TAG_STRING:
        return this.string(offset, length >> 1);
      case TAG_UNDEFINED:
        return undefined;
      case TAG_NULL:
        return null;
      case TAG_FALSE:
        return false;
      case TAG_TRUE:
        return true;
      case TAG_CHUNK_FIRST:
      case TAG_CHUNK:
        return this.chunk(tag, offset, length);
      default:
        return decodeBytes(tag, this.bytes.subarray(offset, offset + length));
    }
  }

  /** A string of `count` UTF-16 units at byte `offset`. */
  private string(offset: number, count: number): string {
    const u = this.units;
    const i = offset >> 1;
    // Short strings by hand (cheaper than a native call), longer ones natively.
    switch (count) {
      case 0:
        return '';
      case 1:
        return String.fromCharCode(u[i]);
      case 2:
        return String.fromCharCode(u[i], u[i + 1]);
      case 3:
        return String.fromCharCode(u[i], u[i + 1], u[i + 2]);
      case 4:
        return String.fromCharCode(u[i], u[i + 1], u[i + 2], u[i + 3]);
      default:
        return this.text.toString('utf16le', offset, offset + (count << 1));
    }
  }

  /** Adds a chunk to the big message being reassembled; the message once complete, else NOTHING. */
  private chunk(tag: number, offset: number, length: number): unknown {
    let pending = this.pending;
    if (tag === TAG_CHUNK_FIRST) {
      const words = this.words;
      this.pendingTag = words[(offset >> 2)];
      pending = this.pending = new Uint8Array(words[(offset >> 2) + 1]);
      pending.set(this.bytes.subarray(offset + 8, offset + length));
      this.pendingFilled = length - 8;
    } else {
      pending!.set(this.bytes.subarray(offset, offset + length), this.pendingFilled);
      this.pendingFilled += length;
    }
    if (this.pendingFilled < pending!.byteLength) return NOTHING;
    this.pending = undefined;
    const whole = pending!;
    return decodeBytes(this.pendingTag, whole);
  }

  /** Whether a big message is half reassembled (its remaining chunks are on their way). */
  get reassembling(): boolean {
    return this.pending !== undefined;
  }
}

/**
 * `v8.serialize`, except for shared memory: a `SharedArrayBuffer` reaches
 * another thread only through `postMessage`, so handles built on one (`Sender`,
 * `Mutex`, `Arc`, ...) cannot travel inside a channel's bytes. Move them into
 * the thread with `spawn(move(...))` instead.
 */
function serializeMessage(value: unknown): Uint8Array {
  try {
    return serialize(value);
  } catch (error) {
    if (error instanceof Error && /SharedArrayBuffer/.test(error.message)) {
      throw new TypeError('shared memory cannot be sent through a channel: move it into the thread instead');
    }
    throw error;
  }
}

/** Throws `WouldBlockError` naming `twin` on a thread that may not block (a browser's main thread). */
export function mayBlock(twin: string): void {
  if (!canBlock()) throw new WouldBlockError(`cannot block on this thread; use ${twin}`);
}

/** The tag of a typed array's class, or 0 for a subclass or unknown kind. */
function typedTag(view: ArrayBufferView): number {
  const index = (TYPED_ARRAYS as readonly unknown[]).indexOf(view.constructor);
  return index < 0 ? 0 : TAG_TYPED + index;
}

/** A value from bytes (copied out of shared memory, so the caller may free them). */
function decodeBytes(tag: number, bytes: Uint8Array): unknown {
  if (tag === TAG_SERIALIZED) return decodeInPlace(deserialize(bytes), new Set());
  if (tag === TAG_STRING) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf16le');
  const copy = bytes.slice().buffer;
  if (tag === TAG_ARRAY_BUFFER) return copy;
  const Typed = TYPED_ARRAYS[tag - TAG_TYPED];
  return new Typed(copy);
}
