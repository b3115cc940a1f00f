/**
 * The overflow chain: where the messages go that the ring does not take (it
 * is full, or the message is bigger than a quarter of it). One per channel,
 * in the shared heap (sys/heap.ts), so that every thread reaches it by
 * address: a chain of segments that producers append to under OVERFLOW_LOCK
 * and the consumer reads, freeing each segment once it read past it.
 *
 * A record carries the ring position its producer claimed, so the consumer
 * takes ring and chain messages in one order, the order of their claims.
 * Producers claim positions before they take the lock, so records are nearly
 * but not always in position order: the consumer looking for position p scans
 * the records after its cursor, takes the one for p and marks it TAKEN; the
 * cursor moves over taken records. A scan that found nothing remembers where
 * it ended and the least position it passed, so the next looks only at
 * records published since (until the consumer's position reaches one passed).
 *
 * Segment layout: word WRITTEN, the byte offset where published records end
 * (stored by the producer after it wrote them, loaded by the consumer); word
 * NEXT, the next segment's address (0 while this is the last); word SIZE, its
 * length; records from byte FIRST_RECORD. A record is a header of RECORD_HEADER bytes (position,
 * span of ring positions, tag, payload length, state) and its payload,
 * padded to 8 bytes.
 */

import { allocate, blockBytes, free, heapBuffer } from '../../sys/heap.js';
import { OVERFLOW_HEAD, OVERFLOW_HELD, OVERFLOW_LOCK, OVERFLOW_READ, OVERFLOW_TAIL } from './layout.js';
import { Tag } from './record.js';

/** The first segment; each next one doubles, up to MAX_SEGMENT_BYTES (or the size of the message). */
const FIRST_SEGMENT_BYTES = 16 * 1024;
/** The largest segment made for small messages. */
const MAX_SEGMENT_BYTES = 1024 * 1024;
/** Segment word: where published records end. */
const WRITTEN = 0;
/** Segment word: the next segment's address, or 0. */
const NEXT = 1;
/** Segment word: the segment's length in bytes (written once, when it is made). */
const SIZE = 2;
/** Where records start in a segment. */
const FIRST_RECORD = 16;
/** Bytes of a record's header. */
const RECORD_HEADER = 24;
/** Record header words. */
const POSITION = 0;
const SPAN = 1;
const TAG = 2;
const LENGTH = 3;
const STATE = 4;

/** States of a record's STATE word. */
const RecordState = {
  /** Published, not taken. */
  WAITING: 0,
  /** The consumer took it. */
  TAKEN: 1,
} as const;

/** The bytes a record of `length` payload bytes takes. */
function recordBytes(length: number): number {
  return RECORD_HEADER + ((length + 7) & ~7);
}

/**
 * Views of the heap as long as it was when made, made again once it grew
 * past them (fixed-length views of a growable buffer are as fast as any;
 * length-tracking ones take V8's slow path), and made on first use: a worker
 * adopts its heap first.
 */
let heapWords: Int32Array | undefined;
let heapBytes: Uint8Array | undefined;
let heapDoubles: Float64Array | undefined;
/** The bytes the views cover, as a number: a view's `byteLength` over a growable buffer asks the buffer each time. */
let heapCovered = 0;

/** The heap's words, covering `end` (a byte offset). */
function wordsTo(end: number): Int32Array {
  if (end > heapCovered) {
    const buffer = heapBuffer();
    const length = buffer.byteLength;
    heapWords = new Int32Array(buffer, 0, length >>> 2);
    heapBytes = new Uint8Array(buffer, 0, length);
    heapDoubles = new Float64Array(buffer, 0, length >>> 3);
    heapCovered = length;
  }
  return heapWords!;
}

/** The heap's float64 slots, covering `end` (for numbers). */
export function doublesTo(end: number): Float64Array {
  wordsTo(end);
  return heapDoubles!;
}

// ------------------------------------------------------------ producers

/**
 * Appends a record for ring `position` (spanning `span` positions) to the
 * chain of the channel whose control words are `control`: `number` when `tag`
 * is NUMBER, else `bytes` as its payload.
 */
export function append(control: Int32Array, position: number, span: number, tag: number, bytes: Uint8Array | undefined, number: number): void {
  const length = tag === Tag.NUMBER ? 8 : (bytes?.byteLength ?? 0);
  const size = recordBytes(length);
  const count = lock(control);
  try {
    // Only appenders write OVERFLOW_TAIL, under the lock: a plain read.
    let segment = control[OVERFLOW_TAIL] >>> 0;
    if (segment === 0) {
      segment = newSegment(size, FIRST_SEGMENT_BYTES);
      // Read by the consumer when it first looks (it looks only after OVERFLOW_LOCK's count moved).
      Atomics.store(control, OVERFLOW_HEAD, segment | 0);
      Atomics.store(control, OVERFLOW_READ, FIRST_RECORD);
      Atomics.store(control, OVERFLOW_TAIL, segment | 0);
    }
    let words = wordsTo(segment + FIRST_RECORD);
    // Only appenders write WRITTEN, under the lock: a plain read.
    let at = words[(segment >>> 2) + WRITTEN];
    if (at + size > words[(segment >>> 2) + SIZE]) {
      const next = newSegment(size, Math.min(MAX_SEGMENT_BYTES, (words[(segment >>> 2) + SIZE] + 8) * 2));
      words = wordsTo(next + FIRST_RECORD);
      // The old segment's WRITTEN is final (appends are under the lock); pairs with the consumer's load of NEXT.
      Atomics.store(words, (segment >>> 2) + NEXT, next | 0);
      Atomics.store(control, OVERFLOW_TAIL, next | 0);
      segment = next;
      at = FIRST_RECORD;
    }
    const record = segment + at;
    words = wordsTo(record + size);
    const word = record >>> 2;
    words[word + POSITION] = position;
    words[word + SPAN] = span;
    words[word + TAG] = tag;
    words[word + LENGTH] = length;
    words[word + STATE] = RecordState.WAITING;
    if (tag === Tag.NUMBER) doublesTo(record + size)[(record + RECORD_HEADER) >>> 3] = number;
    else if (length > 0) bytesTo(record + size).set(bytes!, record + RECORD_HEADER);
    // Publishes the record written above; pairs with the consumer's load of WRITTEN.
    Atomics.store(words, (segment >>> 2) + WRITTEN, at + size);
  } catch (error) {
    // Nothing was published (the heap could not grow): the count stays.
    unlock(control, count);
    throw error;
  }
  unlock(control, (count + 2) | 0);
}

/** A new, empty segment with room for a record of `size` bytes, at least `bytes` long. */
function newSegment(size: number, bytes: number): number {
  // The heap's blocks are powers of two with an 8-byte header: ask for a power of two less the header.
  const segment = allocate(Math.max(bytes - 8, FIRST_RECORD + size));
  const words = wordsTo(segment + FIRST_RECORD);
  words[(segment >>> 2) + WRITTEN] = FIRST_RECORD;
  words[(segment >>> 2) + NEXT] = 0;
  words[(segment >>> 2) + SIZE] = blockBytes(segment);
  return segment;
}

/**
 * The OVERFLOW_LOCK word as this thread last released it: the word to
 * compare-exchange first, right whenever this thread appended last to the
 * channel (one producer, the usual case), so that taking the lock needs no
 * load before the compare-exchange.
 */
let released = 0;

/** Takes the chain's lock; returns the word it held while free (the count of records published, shifted). */
function lock(control: Int32Array): number {
  let free = released;
  for (;;) {
    // Pairs with `unlock`'s store: the previous appender's writes are visible.
    const found = Atomics.compareExchange(control, OVERFLOW_LOCK, free, free | OVERFLOW_HELD);
    if (found === free) return free;
    // Another count, or held: an append is a copy and a few stores, so spin (a browser's main thread may not sleep).
    free = found & ~OVERFLOW_HELD;
  }
}

/** Releases the chain's lock, storing `word` (the count of records published, shifted, one more if this append published one). */
function unlock(control: Int32Array, word: number): void {
  // Publishes the record's WRITTEN (stored before) with its count; pairs with the consumer's load of the count and the next appender's compare-exchange.
  Atomics.store(control, OVERFLOW_LOCK, word);
  released = word;
}

/** The count of records published to the chain (31 bits, wrapping, as OVERFLOW_TAKEN): the consumer's look at OVERFLOW_LOCK. */
export function recordsPublished(control: Int32Array): number {
  // Pairs with `unlock`'s store, made after the records counted were published (held: the count before the append under way).
  return Atomics.load(control, OVERFLOW_LOCK) >>> 1;
}

// ------------------------------------------------------------ the consumer

/** The consumer's end of the chain (its cursor is in the control words too, for the receiver's next holder). */
export class OverflowReader {
  /** The segment of the cursor (0: the chain is not made yet). */
  #segment: number;
  /** The cursor: every record before it, in #segment, is taken. */
  #offset: number;
  /** Where the last fruitless scan ended (segment and offset), and the least position it passed. */
  #scannedSegment = 0;
  #scannedOffset = 0;
  #least = 0;
  /** A segment's WRITTEN as last loaded (it only grows: the records before it are published). */
  #writtenSegment = 0;
  #written = 0;

  // The record `find` found last: its span of ring positions, tag, payload length, and the payload's byte address in the heap.
  span = 0;
  tag = 0;
  length = 0;
  payload = 0;

  constructor(readonly control: Int32Array) {
    this.#segment = Atomics.load(control, OVERFLOW_HEAD) >>> 0;
    this.#offset = Atomics.load(control, OVERFLOW_READ);
  }

  /** Stores the cursor in the control words (the receiver's next holder starts there). */
  publish(): void {
    // Before the chain is made, OVERFLOW_HEAD is the first producer's to set.
    if (this.#segment === 0) return;
    Atomics.store(this.control, OVERFLOW_HEAD, this.#segment | 0);
    Atomics.store(this.control, OVERFLOW_READ, this.#offset);
  }

  /** Finds the record for ring `position` and marks it taken (its fields are this reader's `span`, `tag`, `length`, `payload`); false when none is published yet. */
  find(position: number): boolean {
    if (this.#segment === 0) {
      this.#segment = Atomics.load(this.control, OVERFLOW_HEAD) >>> 0;
      this.#offset = Atomics.load(this.control, OVERFLOW_READ);
      if (this.#segment === 0) return false;
    }
    let segment = this.#segment;
    let offset = this.#offset;
    let least = position;
    // Resume after the last fruitless scan while every record it passed is still ahead of `position`.
    if (this.#scannedSegment !== 0 && ((this.#least - position) | 0) > 0) {
      segment = this.#scannedSegment;
      offset = this.#scannedOffset;
      least = this.#least;
    }
    let atCursor = segment === this.#segment && offset === this.#offset;
    for (;;) {
      let words = wordsTo(segment + FIRST_RECORD);
      if (segment !== this.#writtenSegment || offset >= this.#written) {
        this.#writtenSegment = segment;
        // Pairs with the producer's store of WRITTEN: the records before it are written.
        this.#written = Atomics.load(words, (segment >>> 2) + WRITTEN);
      }
      if (offset >= this.#written) {
        // Pairs with the producer's store of NEXT, made after this segment's last WRITTEN.
        const next = Atomics.load(words, (segment >>> 2) + NEXT) >>> 0;
        if (next === 0 || offset < Atomics.load(words, (segment >>> 2) + WRITTEN)) break;
        if (atCursor) {
          this.#segment = next;
          this.#offset = FIRST_RECORD;
          // Published before the free: whoever reads the chain next (the channel's last end, freeing it) starts past it.
          this.publish();
          // Read to its end, every record taken: nobody reads or writes it again (its address may come back as another segment).
          free(segment);
          this.#writtenSegment = 0;
        }
        segment = next;
        offset = FIRST_RECORD;
        continue;
      }
      const record = segment + offset;
      words = wordsTo(record + RECORD_HEADER);
      const word = record >>> 2;
      const length = words[word + LENGTH];
      const size = recordBytes(length);
      if (words[word + STATE] === RecordState.TAKEN) {
        if (atCursor) this.#offset = offset + size;
      } else if (words[word + POSITION] === position) {
        words[word + STATE] = RecordState.TAKEN;
        if (atCursor) this.#offset = offset + size;
        if (((least - position) | 0) <= 0) this.#scannedSegment = 0;
        this.span = words[word + SPAN];
        this.tag = words[word + TAG];
        this.length = length;
        this.payload = record + RECORD_HEADER;
        return true;
      } else {
        if (((words[word + POSITION] - least) | 0) < 0 || least === position) least = words[word + POSITION];
        atCursor = false;
      }
      offset += size;
    }
    this.#scannedSegment = segment;
    this.#scannedOffset = offset;
    this.#least = least;
    return false;
  }

  /**
   * Puts back the record `find` found last, not taken after all (its value
   * cannot be read yet: see link.ts's `ParkedValueError`): the next `find`
   * of its position finds it again.
   */
  untake(): void {
    const record = this.payload - RECORD_HEADER;
    wordsTo(this.payload)[(record >>> 2) + STATE] = RecordState.WAITING;
    // The cursor passed it only if it stood at it.
    const size = recordBytes(this.length);
    if (this.#segment + this.#offset === record + size) this.#offset -= size;
  }

  /** Frees every segment (the channel is freed; its messages were taken or discarded). */
  freeAll(): void {
    let segment = this.#segment;
    while (segment !== 0) {
      const next = Atomics.load(wordsTo(segment + FIRST_RECORD), (segment >>> 2) + NEXT) >>> 0;
      free(segment);
      segment = next;
    }
    this.#segment = 0;
  }
}

/** The heap's bytes, covering `end` (for payloads). */
export function bytesTo(end: number): Uint8Array {
  wordsTo(end);
  return heapBytes!;
}
