/**
 * A lane: where the messages go that the ring does not take (it is full, or
 * the message is bigger than a quarter of it, or it carries shared memory).
 * One lane per channel per thread that sends, written by that thread only
 * and read by the receiver: a single-producer, single-consumer log of
 * records in a chain of segments, each a `SharedArrayBuffer` of its own.
 *
 * A record carries the ring position its producer claimed, so the receiver
 * takes ring and lane messages in one order, the order of their claims. A
 * segment reaches the receiver through the thread's link port (`link.ts`),
 * posted before the first record that needs it is published; the receiver
 * lets go of a segment once it has read past it, and the producer once it
 * writes into the next, so the memory of a drained lane is given back.
 *
 * Segment layout: word 0 is WRITTEN, the byte offset where published records
 * end (stored by the producer after it wrote them, loaded by the receiver);
 * records start at byte 8. A record is a 16-byte header (position, span of
 * ring positions, tag, payload length) and its payload, padded to 8 bytes.
 */

import type { Transferable } from '../../host/host.js';
import { Tag, constantOf, fromBytes, fromPorted } from './record.js';

/** The first segment of a lane; each next one doubles, up to MAX_SEGMENT_BYTES (or the size of the message). */
const FIRST_SEGMENT_BYTES = 64 * 1024;
/** The largest segment made for small messages. */
const MAX_SEGMENT_BYTES = 1024 * 1024;
/** Where records start in a segment. */
const FIRST_RECORD = 8;
/** Bytes of a record's header. */
const HEADER = 16;
/** The word of a segment holding WRITTEN. */
const WRITTEN = 0;

/** What a thread posts to the receiver through its link port about a lane. */
export interface LaneMessage {
  readonly lane: number;
  /** The lane's next segment (its first, for a new lane). */
  readonly segment?: SharedArrayBuffer;
  /** The wire form of the next `PORTED` record's message. */
  readonly ported?: unknown;
}

/** The bytes a record of `length` payload bytes takes. */
function recordBytes(length: number): number {
  return HEADER + ((length + 7) & ~7);
}

/** Typed views of one segment. */
class Segment {
  readonly words: Int32Array;
  readonly doubles: Float64Array;
  readonly bytes: Uint8Array;
  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
    this.doubles = new Float64Array(buffer);
    this.bytes = new Uint8Array(buffer);
  }
}

/** The producer's end of a lane. */
export class LaneWriter {
  #segment: Segment;
  #offset = FIRST_RECORD;
  readonly #post: (message: LaneMessage, transfer?: readonly Transferable[]) => void;

  /** A new lane named `id` among the channel's lanes; its first segment is posted with `post` (the link port's `postMessage`). */
  constructor(
    readonly id: number,
    post: (message: LaneMessage, transfer?: readonly Transferable[]) => void,
  ) {
    this.#post = post;
    this.#segment = new Segment(new SharedArrayBuffer(FIRST_SEGMENT_BYTES));
    post({ lane: this.id, segment: this.#segment.buffer });
  }

  /** Appends a number. */
  number(position: number, span: number, value: number): void {
    const at = this.#reserve(8);
    this.#segment.doubles[(at + HEADER) >> 3] = value;
    this.#publish(at, position, span, Tag.NUMBER, 8);
  }

  /** Appends a message of `tag` with `bytes` as its payload. */
  bytes(position: number, span: number, tag: number, bytes: Uint8Array): void {
    const at = this.#reserve(bytes.byteLength);
    this.#segment.bytes.set(bytes, at + HEADER);
    this.#publish(at, position, span, tag, bytes.byteLength);
  }

  /** Appends a message that goes through the port: its wire form first, then its record. */
  ported(position: number, span: number, wire: unknown, transfer: readonly Transferable[]): void {
    this.#post({ lane: this.id, ported: wire }, transfer);
    const at = this.#reserve(0);
    this.#publish(at, position, span, Tag.PORTED, 0);
  }

  /** Room for a record of `length` payload bytes: its offset, in this segment or the next. */
  #reserve(length: number): number {
    const at = this.#offset;
    const size = recordBytes(length);
    // Leaves room for the NEXT record at the end of every segment.
    if (at + size + HEADER <= this.#segment.buffer.byteLength) return at;
    const old = this.#segment;
    const bytes = Math.max(Math.min(old.buffer.byteLength * 2, MAX_SEGMENT_BYTES), FIRST_RECORD + size + HEADER);
    this.#segment = new Segment(new SharedArrayBuffer(bytes));
    this.#offset = FIRST_RECORD;
    // Posted before NEXT is published: a receiver that reads NEXT finds the segment in its port.
    this.#post({ lane: this.id, segment: this.#segment.buffer });
    const words = old.words;
    words[(at >> 2) + 2] = Tag.NEXT;
    // Publishes NEXT; pairs with the receiver's load of WRITTEN in `peek`.
    Atomics.store(words, WRITTEN, at + HEADER);
    return FIRST_RECORD;
  }

  /** Writes the header of the record at `at` and publishes it. */
  #publish(at: number, position: number, span: number, tag: number, length: number): void {
    const words = this.#segment.words;
    const word = at >> 2;
    words[word] = position;
    words[word + 1] = span;
    words[word + 2] = tag;
    words[word + 3] = length;
    this.#offset = at + recordBytes(length);
    // Publishes the record written above; pairs with the receiver's load of WRITTEN in `peek`.
    Atomics.store(words, WRITTEN, this.#offset);
  }
}

/** The wire form of a lane's reader, for a receiver that moves to another thread. */
export interface LaneWire {
  readonly id: number;
  readonly segments: readonly SharedArrayBuffer[];
  readonly offset: number;
  readonly ported: readonly unknown[];
}

/** The receiver's end of a lane. */
export class LaneReader {
  /** Segments posted and not yet reached, oldest first. */
  readonly #segments: SharedArrayBuffer[] = [];
  /** Wire forms of PORTED messages posted and not yet taken, oldest first. */
  readonly ported: unknown[] = [];
  #segment: Segment | undefined;
  #offset = FIRST_RECORD;

  constructor(readonly id: number) {}

  /** A reader that resumes where `wire` stopped. */
  static fromWire(wire: LaneWire): LaneReader {
    const reader = new LaneReader(wire.id);
    reader.#segments.push(...wire.segments);
    reader.ported.push(...wire.ported);
    if (reader.#segments.length > 0) reader.#segment = new Segment(reader.#segments.shift()!);
    reader.#offset = wire.offset;
    return reader;
  }

  /** This reader's wire form. */
  toWire(): LaneWire {
    const segments = this.#segment === undefined ? [...this.#segments] : [this.#segment.buffer, ...this.#segments];
    return { id: this.id, segments, offset: this.#offset, ported: this.ported };
  }

  /** Adds a segment the lane's producer posted. */
  addSegment(segment: SharedArrayBuffer): void {
    if (this.#segment === undefined) this.#segment = new Segment(segment);
    else this.#segments.push(segment);
  }

  /** The ring position of the next published record, or undefined (none yet, or its segment is still in the port). */
  peek(): number | undefined {
    for (;;) {
      const segment = this.#segment;
      if (segment === undefined) return undefined;
      // Pairs with the producer's store of WRITTEN: the records before it are written.
      if (this.#offset >= Atomics.load(segment.words, WRITTEN)) return undefined;
      const word = this.#offset >> 2;
      if (segment.words[word + 2] !== Tag.NEXT) return segment.words[word];
      const next = this.#segments.shift();
      if (next === undefined) return undefined;
      this.#segment = new Segment(next);
      this.#offset = FIRST_RECORD;
    }
  }

  /** Whether the next record is a PORTED one whose message has not been drained from the port yet. */
  needsPort(): boolean {
    const segment = this.#segment!;
    return segment.words[(this.#offset >> 2) + 2] === Tag.PORTED && this.ported.length === 0;
  }

  /** Takes the record `peek` found: its span of ring positions, and sets `value`. */
  take(): { span: number; value: unknown } {
    const segment = this.#segment!;
    const at = this.#offset;
    const word = at >> 2;
    const span = segment.words[word + 1];
    const tag = segment.words[word + 2];
    const length = segment.words[word + 3];
    this.#offset = at + recordBytes(length);
    let value: unknown;
    if (tag === Tag.NUMBER) value = segment.doubles[(at + HEADER) >> 3];
    else if (tag === Tag.PORTED) value = fromPorted(this.ported.shift());
    else if (tag < Tag.NUMBER) value = constantOf(tag);
    else value = fromBytes(tag, segment.bytes.subarray(at + HEADER, at + HEADER + length));
    return { span, value };
  }

  /** Bytes of shared memory this reader holds (for tests of memory given back). */
  heldBytes(): number {
    let bytes = this.#segment?.buffer.byteLength ?? 0;
    for (const segment of this.#segments) bytes += segment.byteLength;
    return bytes;
  }
}
