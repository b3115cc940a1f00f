/**
 * The shared queue under every channel: a multi-producer, single-consumer ring
 * of 16-byte slots, in the manner of Dmitry Vyukov's bounded queue (each slot
 * starts with a sequence word saying when it is published), overflowing into a chain
 * of segments (`overflow.ts`) so that no send ever waits for room: the
 * channel is unbounded, as std's list flavour.
 *
 * Producers claim positions with `Atomics.add` on TAIL. A claim below
 * `HEAD + capacity` is a record of one or more consecutive ring slots (a
 * header: the first slot's sequence word, tag and byte length; then the
 * payload, over the following slots' sequence words too; see `record.ts`), published
 * by storing `position + 1` in its first slot's sequence word; a claim that
 * would cross the ring's end is published as a `PAD` record and claimed again.
 * A claim past the free slots and a message bigger than a quarter of the
 * ring go to the channel's overflow chain instead (`overflow.ts`), as a
 * record that names its position; a message holding handles with shared
 * memory of their own is such a record too, its value travelling beside it
 * (`link.ts`). The consumer takes positions in order: from the ring when the
 * slot is published, else from the chain's record of that position.
 *
 * The consumer publishes its head in HEAD only every eighth of the ring (at
 * most HEAD_BATCH slots), before it sleeps or stops, and after each
 * message of a rendezvous, so that the common case costs each side one or two
 * atomic operations per message; when it does, it first puts `position` back
 * in every sequence word passed (a value no later lap waits for). A bounded
 * channel adds a credit counter, IN_FLIGHT: one `Atomics.add` per send, one
 * `Atomics.sub` per receive. Positions are 32-bit and wrap; comparisons are
 * on differences (`(a - b) | 0`). The control words are listed in `layout.ts`.
 *
 * Memory layout: one block of the shared heap (sys/heap.ts), so that a
 * channel is an address any thread can use: CONTROL_WORDS control words,
 * then the slots, from the next 64-byte boundary (a slot never straddles two
 * cache lines). A sequence word shares its slot's line with the message: a
 * consumer that keeps up with its producer looks at the slot it is about to
 * read, and a message moves between the cores as one line, not two.
 */

import {
  BOUND,
  CAPACITY,
  CONTROL_WORDS,
  HEAD,
  IN_FLIGHT,
  ENDS,
  KEY,
  OVERFLOW_COUNT_MASK,
  OVERFLOW_TAKEN,
  Outcome,
  RECEIVER,
  Receiver,
  SENDERS,
  SPACE,
  SPACE_WAITERS,
  TAIL,
  WAKE,
} from './layout.js';
import { ParkedValueError, dropHandles, portedRoute, portedValue, type Inbox } from './link.js';
import { holdReceiver, receiverThreadEnded } from './owners.js';
import { allocate, free, heapBuffer } from '../../sys/heap.js';
import { utf16Decoder, type Utf16Decoder } from '../../internal/utf16.js';
import { OverflowReader, append, bytesTo, doublesTo, recordsPublished } from './overflow.js';
import { Tag, commitHandles, constantOf, constantTag, fromBytes, heapHandlesTaken, toBytes, type Bytes, type Ported } from './record.js';

/** Bytes per slot: a record header (tag, length) is 8, so a number fits in one slot. */
export const SLOT_BYTES = 16;
/** Word of a slot: its sequence word (`position + 1` once the record at `position` is published). */
const SEQUENCE = 0;
/** Word of a record's first slot: its tag. */
const TAG = 1;
/** Word of a record's first slot: its payload's byte length (a number's slot holds the number there instead). */
const LENGTH = 2;
/** Bytes of a ring record's header: sequence word, tag and payload byte length (Int32 each). */
const HEADER_BYTES = 12;
/** Float64 of a slot (counted in doubles from the slot's start) holding a number. */
const NUMBER_SLOT = 1;
/** Where a channel's slots start: cache lines are 64 bytes. */
const LINE_BYTES = 64;
/** The longest string written in place, unit by unit (longer ones are converted natively). */
const INLINE_STRING = 64;
/** How many slots the consumer moves before it publishes HEAD (at most an eighth of the ring). */
const HEAD_BATCH = 256;
/** While the ring is full, how many positions a producer claims between two looks at HEAD. */
const HEAD_LOOKS = 64;
/** The fewest slots a ring has (4 KiB): a 64-unit string, sent inline, must fit in a quarter of it. */
const MIN_SLOTS = 256;
/** The most slots a ring has (256 MiB): messages beyond it go to the overflow chain. */
const MAX_SLOTS = 1 << 24;

/** The payload of a message that has none. */
const NO_BYTES = new Uint8Array(0);

/** What `receive` returns when no whole message is available. */
export const NOTHING: unique symbol = Symbol('nothing');

/** The slots a ring record of `payloadBytes` takes. */
function slotsFor(payloadBytes: number): number {
  return (HEADER_BYTES + payloadBytes + SLOT_BYTES - 1) >>> 4;
}

/** Where the slots of the channel at `address` start: after its control words, on the next cache line. */
function slotsAt(address: number): number {
  const end = address + CONTROL_WORDS * 4;
  // `& 63` keeps the low bits of addresses past 2^31 too.
  return end + ((LINE_BYTES - (end & (LINE_BYTES - 1))) & (LINE_BYTES - 1));
}

/**
 * One handle's view of a channel's shared memory, with the producer and
 * consumer operations; the receiver's holds the consumer's position.
 */
export class Queue {
  /** The channel's block in the shared heap. */
  readonly address: number;
  /** The control words (see `layout.ts`). */
  readonly control: Int32Array;
  /** The key naming this channel in every thread (see `link.ts`). */
  readonly key: string;
  private readonly words: Int32Array;
  private readonly doubles: Float64Array;
  private readonly units: Uint16Array;
  private readonly bytes: Uint8Array;
  /** Strings out of the slots' code units (natively where the host can). */
  private readonly text: Utf16Decoder;
  private readonly capacity: number;
  private readonly mask: number;
  /** `UNBOUNDED`, or the bound of a sync channel. */
  readonly bound: number;
  /** The largest payload a ring record carries; bigger messages go to the overflow chain. */
  private readonly maxPayload: number;
  /** Slots the consumer moves between two stores of HEAD. */
  private readonly batch: number;

  // Producer state.
  /** The first position this thread has not yet seen free (HEAD + capacity when last read). */
  private limit: number;
  /** While the ring is full: the position from which `room` loads HEAD again. */
  private nextLook = 0;
  /** The position after the last message sent by this thread: rendezvous senders wait for HEAD to reach it. */
  end = 0;

  // Consumer state.
  /** The messages holding shared memory that reached the receiver (the receiver's queue only, in the thread holding it). */
  inbox: Inbox | undefined = undefined;
  /**
   * Whether the consumer's state lives only in the control words: a
   * receiver in a lock's value, used by whichever thread holds the lock,
   * reads it before each receive and publishes it after.
   */
  shared = false;
  /** The consumer's position. */
  private head: number;
  /** The consumer's position as last stored in HEAD. */
  private published: number;
  /**
   * The position from which the sequence words passed are still to be put
   * back (from `published` to `head`): positions taken from the chain while
   * nothing was left to put back are skipped, as their slots were not written.
   */
  private restored: number;
  /** Overflow records taken, as OVERFLOW_TAKEN will say once published. */
  private overflowTaken: number;
  /** The count of records published (`recordsPublished`) as last loaded. */
  private overflowSeen: number;
  /** Whether the last message taken came from the overflow chain: the next is looked for there first. */
  private chained = false;
  /** The consumer's end of the overflow chain. */
  private overflow: OverflowReader;

  /** A view of the channel at `address`, which `Queue.create` laid out. */
  constructor(address: number) {
    const buffer = heapBuffer();
    this.address = address;
    this.control = new Int32Array(buffer, address, CONTROL_WORDS);
    this.capacity = this.control[CAPACITY];
    this.bound = this.control[BOUND];
    this.key = `${this.control[KEY]}:${this.control[KEY + 1]}`;
    this.mask = this.capacity - 1;
    const slots = slotsAt(address);
    this.words = new Int32Array(buffer, slots, this.capacity * (SLOT_BYTES / 4));
    this.doubles = new Float64Array(buffer, slots, this.capacity * (SLOT_BYTES / 8));
    this.units = new Uint16Array(buffer, slots, this.capacity * (SLOT_BYTES / 2));
    this.bytes = new Uint8Array(buffer, slots, this.capacity * SLOT_BYTES);
    this.text = utf16Decoder(this.units);
    this.maxPayload = (this.capacity / 4) * SLOT_BYTES - HEADER_BYTES;
    this.batch = Math.min(HEAD_BATCH, this.capacity >> 3);
    // Read when a handle is (re)built: where the receiver's previous holder stopped.
    this.head = this.published = this.restored = Atomics.load(this.control, HEAD);
    this.overflowTaken = this.overflowSeen = Atomics.load(this.control, OVERFLOW_TAKEN);
    this.overflow = new OverflowReader(this.control);
    this.limit = (this.head + this.capacity) | 0;
  }

  /** A new channel in the shared heap, with a ring of `ringBytes` (rounded up to a power of two), one sender, one receiver: its address. */
  static create(ringBytes: number, bound: number): number {
    const capacity = 2 ** Math.ceil(Math.log2(Math.min(MAX_SLOTS, Math.max(MIN_SLOTS, ringBytes / SLOT_BYTES))));
    const address = allocate(CONTROL_WORDS * 4 + LINE_BYTES + capacity * SLOT_BYTES);
    const control = new Int32Array(heapBuffer(), address, CONTROL_WORDS);
    control.fill(0);
    control[CAPACITY] = capacity;
    control[BOUND] = bound;
    control[SENDERS] = 1;
    control[ENDS] = 2;
    // Through private memory: a browser's getRandomValues refuses a view of shared memory.
    control.set(crypto.getRandomValues(new Int32Array(2)), KEY);
    holdReceiver(control);
    const words = new Int32Array(heapBuffer(), slotsAt(address), capacity * (SLOT_BYTES / 4));
    // Slot i's sequence word holds a value ≡ i (mod capacity) except while published (≡ i + 1): no lap mistakes it for published.
    for (let i = 0; i < capacity; i++) words[(i << 2) + SEQUENCE] = i;
    // Plain writes: the address reaches other threads inside a message or a lock's value, whose publication carries them.
    return address;
  }

  // ---------------------------------------------------------------- producer

  /** Puts `value` in the queue, never waiting; GONE (sending nothing) once the receiver is gone. */
  send(value: unknown): Outcome {
    if (this.receiverGone()) return Outcome.GONE;
    if (typeof value === 'number') {
      const tail = Atomics.add(this.control, TAIL, 1);
      this.end = (tail + 1) | 0;
      if (!this.room(tail)) {
        append(this.control, tail, 1, Tag.NUMBER, undefined, value);
        return this.wakeReceiver();
      }
      const at = (tail & this.mask) << 2;
      this.words[at + TAG] = Tag.NUMBER;
      this.doubles[(at >> 1) + NUMBER_SLOT] = value;
      return this.publish(tail);
    }
    if (typeof value === 'string' && value.length <= INLINE_STRING) {
      const length = value.length;
      const slots = slotsFor(length << 1);
      const tail = this.claim(slots);
      if (this.overflowed) return this.sendToOverflow(toBytes(value) as Bytes, tail, slots);
      const at = (tail & this.mask) << 2;
      this.words[at + TAG] = Tag.STRING;
      this.words[at + LENGTH] = length << 1;
      const units = this.units;
      const start = (at << 1) + (HEADER_BYTES >> 1);
      for (let i = 0; i < length; i++) units[start + i] = value.charCodeAt(i);
      return this.publish(tail);
    }
    const tag = constantTag(value);
    if (tag === 0) return this.sendBytes(value);
    const tail = this.claim(1);
    if (this.overflowed) return this.sendToOverflow({ tag, bytes: NO_BYTES }, tail, 1);
    const at = (tail & this.mask) << 2;
    this.words[at + TAG] = tag;
    this.words[at + LENGTH] = 0;
    return this.publish(tail);
  }

  /** Sends a value that crosses as bytes (channel ends in it as addresses), or beside a record when it holds other shared memory. */
  private sendBytes(value: unknown): Outcome {
    const message = toBytes(value);
    if (!('tag' in message)) return this.sendPorted(message);
    let outcome: Outcome;
    if (message.bytes.byteLength > this.maxPayload) {
      const position = Atomics.add(this.control, TAIL, 1);
      this.end = (position + 1) | 0;
      outcome = this.sendToOverflow(message, position, 1);
    } else {
      const slots = slotsFor(message.bytes.byteLength);
      const tail = this.claim(slots);
      if (this.overflowed) {
        outcome = this.sendToOverflow(message, tail, slots);
      } else {
        const at = (tail & this.mask) << 2;
        this.words[at + TAG] = message.tag;
        this.words[at + LENGTH] = message.bytes.byteLength;
        this.bytes.set(message.bytes, (at << 2) + HEADER_BYTES);
        outcome = this.publish(tail);
      }
    }
    // The message is in the channel: the counts of the handles in it are the message's now.
    if (message.handles !== undefined) commitHandles(message.handles);
    return outcome;
  }

  /** Sends a message holding shared memory: its value goes to the receiver by the route `link.ts` finds, then its record. */
  private sendPorted(message: Ported): Outcome {
    const deliver = portedRoute(this.control, this.key, message);
    const position = Atomics.add(this.control, TAIL, 1);
    this.end = (position + 1) | 0;
    append(this.control, position, 1, Tag.PORTED, deliver(position), 0);
    return this.wakeReceiver();
  }

  /** Whether the last `claim` found no room in the ring: its positions go to the overflow chain. */
  private overflowed = false;

  /**
   * Claims `slots` consecutive positions: their first. When they are free
   * ring slots, not crossing the ring's end, `overflowed` is false; when the
   * ring has no room for them, true (the message goes to the overflow chain).
   */
  private claim(slots: number): number {
    for (;;) {
      // Claims [tail, tail + slots); pairs with the other producers' claims (nothing else to publish).
      const tail = Atomics.add(this.control, TAIL, slots);
      this.end = (tail + slots) | 0;
      this.overflowed = !this.room((tail + slots - 1) | 0);
      if (this.overflowed) return tail;
      const index = tail & this.mask;
      if (index + slots <= this.capacity) return tail;
      // The claim crosses the ring's end: give it up as padding and claim again.
      this.words[(index << 2) + TAG] = Tag.PAD;
      this.words[(index << 2) + LENGTH] = slots;
      this.publish(tail);
    }
  }

  /** Sends `message` to the overflow chain, at ring `position`, spanning `span` positions. */
  private sendToOverflow(message: Bytes, position: number, span: number): Outcome {
    append(this.control, position, span, message.tag, message.bytes, 0);
    return this.wakeReceiver();
  }

  /**
   * Whether ring position `last` is free: below HEAD + capacity. While the
   * ring is full, HEAD is looked at again only every HEAD_LOOKS positions:
   * a burst past a ring the consumer does not drain (it has not started)
   * saves an atomic load per message, and a message that goes to the chain
   * while the ring has room again is received in its order all the same.
   */
  private room(last: number): boolean {
    if (((last - this.limit) | 0) < 0) return true;
    // Within HEAD_LOOKS before the next look (positions wrap: a look long past is no reason to wait).
    const ahead = (this.nextLook - last) | 0;
    if (ahead > 0 && ahead <= HEAD_LOOKS) return false;
    // Pairs with the consumer's store of HEAD: the slots before HEAD were read, and may be reused.
    this.limit = (Atomics.load(this.control, HEAD) + this.capacity) | 0;
    this.nextLook = (last + HEAD_LOOKS) | 0;
    return ((last - this.limit) | 0) < 0;
  }

  /** Whether the receiver was dropped, or its thread ended (then it counts as dropped from now on). */
  receiverGone(): boolean {
    // A plain read, as every send makes it (an atomic load is several times dearer): the receiver's exchange
    // in `dropReceiver` happens before any send that learned of the drop (a join, a message), which sees it;
    // a send racing the drop may see either, as in Rust. The load after the publish (`wakeReceiver`) is atomic.
    if (this.control[RECEIVER] === Receiver.GONE) return true;
    if (!receiverThreadEnded(this.control)) return false;
    this.markReceiverGone();
    return true;
  }

  // ---------------------------------------------------------------- lifetime

  /** Whether the channel's block still holds this channel (its key): false once it was freed and used again. */
  isSameChannel(): boolean {
    return `${this.control[KEY]}:${this.control[KEY + 1]}` === this.key;
  }

  /** Marks the receiver gone (its thread ended without dropping it); the call that does gives up its end. */
  markReceiverGone(): void {
    if (Atomics.exchange(this.control, RECEIVER, Receiver.GONE) !== Receiver.GONE) this.releaseEnd();
  }

  /**
   * The receiver is dropped: sends fail from now on (blocked ones wake and
   * fail too), the messages queued are dropped as Rust drops them (handles
   * inside give their counts back), and it gives up its end.
   */
  dropReceiver(): void {
    // Read by every producer before each send and by blocked producers before they sleep.
    if (Atomics.exchange(this.control, RECEIVER, Receiver.GONE) === Receiver.GONE) return;
    this.inbox?.close();
    this.inbox = undefined;
    this.discard();
    this.wakeProducers();
    this.wakeConsumer();
    this.releaseEnd();
  }

  /** The last sender is gone: the receiver wakes to see it, and the senders give up their end. */
  sendersGone(): void {
    this.wakeConsumer();
    // A receiver whose thread ended is gone too: nobody else would look.
    if (receiverThreadEnded(this.control)) this.markReceiverGone();
    this.releaseEnd();
  }

  /**
   * One end of the channel is gone: the senders' (the last of them) or the
   * receiver's. The one that comes second frees the channel: the messages
   * nobody will receive are dropped, then its memory goes back to the heap.
   */
  private releaseEnd(): void {
    // Pairs with the other end's release: the second sees everything the first did.
    if (Atomics.sub(this.control, ENDS, 1) !== 1) return;
    const last = new Queue(this.address);
    last.discard();
    last.overflow.freeAll();
    free(this.address);
  }

  /** Takes and drops every message published (messages holding shared memory that no inbox holds are gone already). */
  private discard(): void {
    for (let value = this.receive(); value !== NOTHING; value = this.receive()) dropHandles(value, new Set());
    this.publishIdle();
  }

  /** Wakes a receiver sleeping on WAKE (the last sender's drop, or the receiver's own drop for a pending `recvAsync`). */
  wakeConsumer(): void {
    // Changes the word the receiver sleeps on; it read WAKE before its last look.
    Atomics.add(this.control, WAKE, 1);
    Atomics.notify(this.control, WAKE);
  }

  /** Publishes the ring record at `position`, just written; wakes the receiver if it sleeps. */
  private publish(position: number): Outcome {
    // Publishes the record written above; pairs with the consumer's load in `receive`.
    Atomics.store(this.words, ((position & this.mask) << 2) + SEQUENCE, (position + 1) | 0);
    return this.wakeReceiver();
  }

  /** After a publish: wakes a sleeping receiver. */
  private wakeReceiver(): Outcome {
    // After the publish, as the receiver sets SLEEPING before its last look: one of us sees the other.
    const state = Atomics.load(this.control, RECEIVER);
    // GONE since the look before the send: the message is in the channel, which drops it (Rust's send races so too).
    if (state !== Receiver.SLEEPING) return Outcome.SENT;
    // Only the producer that flips SLEEPING to AWAKE notifies; pairs with the receiver's store of SLEEPING.
    if (Atomics.compareExchange(this.control, RECEIVER, Receiver.SLEEPING, Receiver.AWAKE) === Receiver.SLEEPING) {
      // Changes the word the receiver sleeps on (it read it before setting SLEEPING).
      Atomics.add(this.control, WAKE, 1);
      Atomics.notify(this.control, WAKE, 1);
    }
    return Outcome.SENT;
  }

  // ---------------------------------------------------------------- consumer

  /** The next whole message, or NOTHING if none is published yet. */
  receive(): unknown {
    if (this.shared) this.resume();
    const words = this.words;
    for (;;) {
      const head = this.head;
      if (this.chained) {
        // While the consumer reads a backlog in the chain, the next message is there too: its record is read
        // without an atomic load while it is among those known published, where the ring's look takes one.
        const value = this.receiveFromOverflow(head);
        if (value !== NOTHING) return value;
        this.chained = false;
      }
      const at = (head & this.mask) << 2;
      // Pairs with `publish`'s store: the record is written.
      if (Atomics.load(words, at + SEQUENCE) !== ((head + 1) | 0)) return this.receiveFromOverflow(head);
      const tag = words[at + TAG];
      let value: unknown;
      if (tag === Tag.NUMBER) {
        value = this.doubles[(at >> 1) + NUMBER_SLOT];
        this.head = (head + 1) | 0;
      } else if (tag === Tag.PAD) {
        this.head = (head + words[at + LENGTH]) | 0;
        continue;
      } else {
        const length = words[at + LENGTH];
        const taken = heapHandlesTaken();
        value = tag === Tag.STRING ? this.string((at << 2) + HEADER_BYTES, length >> 1) : length === 0 ? constantOf(tag) : fromBytes(tag, this.bytes.subarray((at << 2) + HEADER_BYTES, (at << 2) + HEADER_BYTES + length));
        this.head = (head + slotsFor(length)) | 0;
        if (heapHandlesTaken() !== taken) return this.tookHandles(value);
      }
      this.took();
      return value;
    }
  }

  /** `receive` when position `head` is not published in the ring: from the overflow chain's record of it, else NOTHING. */
  private receiveFromOverflow(head: number): unknown {
    // The records counted at the last look are published: look again only once every one was taken.
    if (this.overflowSeen === this.overflowTaken) this.overflowSeen = recordsPublished(this.control);
    if (this.overflowSeen !== this.overflowTaken) {
      const overflow = this.overflow;
      if (overflow.find(head)) {
        const { span, tag, length, payload } = overflow;
        let value: unknown;
        const taken = heapHandlesTaken();
        if (tag === Tag.NUMBER) value = doublesTo(payload + 8)[payload >>> 3];
        // Without an inbox (the channel is being freed), an inbox's value is gone with it; one at the courier is fetched, to be dropped.
        else if (tag === Tag.PORTED) value = this.portedValue(head, length);
        else if (tag < Tag.NUMBER) value = constantOf(tag);
        else value = fromBytes(tag, bytesTo(payload + length).subarray(payload, payload + length));
        this.head = (head + span) | 0;
        // The ring slots of these positions were not written this lap: their sequence words need not be put back.
        if (this.restored === head) this.restored = this.head;
        this.overflowTaken = (this.overflowTaken + 1) & OVERFLOW_COUNT_MASK;
        this.chained = true;
        // A value fetched from the courier is this thread's now, as channel ends taken out of a message are.
        if (tag === Tag.PORTED || heapHandlesTaken() !== taken) return this.tookHandles(value);
        this.took();
        return value;
      }
    }
    return NOTHING;
  }

  /** The value of the PORTED record at `head`; a record whose value cannot be read yet stays first (see link.ts). */
  private portedValue(head: number, payload: number): unknown {
    try {
      return portedValue(this.inbox, this.control, this.key, head, payload);
    } catch (error) {
      if (error instanceof ParkedValueError) this.overflow.untake();
      throw error;
    }
  }

  /** A receiver in a lock: the consumer's state as its last holder published it. */
  private resume(): void {
    this.head = this.published = this.restored = Atomics.load(this.control, HEAD);
    this.overflowTaken = this.overflowSeen = Atomics.load(this.control, OVERFLOW_TAKEN);
    this.overflow = new OverflowReader(this.control);
  }

  /** The consumer's bookkeeping after it took a message: the credit, and HEAD when due. */
  private took(): void {
    if (this.bound > 0) {
      // Returns the message's credit; pairs with `tryAcquireCredit`'s add (credit.ts).
      Atomics.sub(this.control, IN_FLIGHT, 1);
      if (this.shared || ((this.head - this.published) | 0) >= this.batch) this.publishHead();
      else this.wakeProducers();
    } else if (this.bound === 0 || this.shared || ((this.head - this.published) | 0) >= this.batch) {
      // A rendezvous sender waits for HEAD to pass its message, a lock's next holder starts from HEAD: publish at once.
      this.publishHead();
    }
  }

  /**
   * `took` for a message that held channel ends, publishing HEAD at once: the
   * ends are this thread's now, and whoever frees the channel drops the
   * messages from HEAD on (`discard`), so a HEAD left behind a message whose
   * ends were taken (its thread then ended) would drop them a second time.
   */
  private tookHandles(value: unknown): unknown {
    this.took();
    if (this.head !== this.published) this.publishHead();
    return value;
  }

  /**
   * The consumer found the queue empty and is about to sleep, or stops: it
   * publishes its place if it moved. Not at every empty look: a receiver
   * that keeps up with a producer finds the queue empty after nearly every
   * message, and a store per message to the sequence words and HEAD would
   * pull their lines away from the producer writing them.
   */
  publishIdle(): void {
    if (this.head !== this.published) this.publishHead();
  }

  /** Stores the consumer's position in HEAD and wakes producers waiting for credit or a rendezvous. */
  publishHead(): void {
    // Puts position p back in every sequence word passed (a value no lap waits for), in bulk and
    // behind the producers, rather than one store per message on the line they are writing.
    // Plain stores: they reach the producers of the next lap through the store of HEAD below.
    const words = this.words;
    const mask = this.mask;
    for (let position = this.restored; position !== this.head; position = (position + 1) | 0) {
      words[((position & mask) << 2) + SEQUENCE] = position;
    }
    this.restored = this.published = this.head;
    // Read only by the receiver's next holder, which is given the channel by a message or a lock that publishes them.
    Atomics.store(this.control, OVERFLOW_TAKEN, this.overflowTaken);
    this.overflow.publish();
    // Publishes that every slot before it was read; pairs with `room`'s and `taken`'s loads.
    Atomics.store(this.control, HEAD, this.head);
    this.wakeProducers();
  }

  /** Wakes blocked producers, if any (after a release: see `SpaceWait`). */
  wakeProducers(): void {
    const control = this.control;
    if (Atomics.load(control, SPACE_WAITERS) === 0) return;
    Atomics.add(control, SPACE, 1);
    Atomics.notify(control, SPACE);
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
        return this.text(i, count);
    }
  }
}
