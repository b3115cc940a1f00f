/**
 * The shared memory of one collection: its control words, its slots, and a
 * heap for the elements that do not fit in a slot.
 *
 * Every element sits in a 16-byte slot. Numbers, booleans, `null`,
 * `undefined` and bigints in the signed 64-bit range are stored in the slot
 * itself: writing or reading one allocates nothing (a bigint read allocates
 * the bigint), and so are strings of up to 8 Latin-1 characters (most words
 * and keys), as bytes. A longer string is stored as its UTF-16 code units in
 * a heap block, and any other Send data as its structured-clone bytes in a
 * heap block: an operation costs what its own elements cost, never what the
 * collection holds.
 *
 * A slot's words: 0 and 1 its 8-byte payload (a float64, a BigInt64, a
 * short string's bytes, or a heap block's offset then its length: code units
 * of a string, bytes of cloned data), 2 its tag (a `Tag` of the wire protocol, 0 while it holds
 * nothing), 3 the container's own (a hash table keeps the key's hash there).
 * A slot says everything about its block, so that freeing one reads nothing
 * from the heap: only a free block holds anything of the allocator's (its
 * first word links it into its free list).
 *
 * The slots and the heap are growable `SharedArrayBuffer`s: a buffer grown by
 * one thread is seen at its new length by every thread holding it, so growing
 * needs no message. Each thread reads them through fixed-length views
 * (length-tracking ones cost several times more per access), made again when
 * the control words say a buffer has grown past them: by this thread at once,
 * by another when this one next takes the lock (`refresh`). Only the thread
 * that holds the collection (it owns it, or holds the lock it lives in)
 * touches this memory, so plain reads and writes suffice; the lock's acquire
 * and release publish them.
 */

import { deserialize, serialize } from '../internal/serializer.js';
import protocol from '../internal/protocol.js';
import type { Codec } from '../codec.js';
import { assertSendAt, decodeInPlace, Encoder } from '../internal/wire.js';
import { growableSharedArrayBuffer, growSharedArrayBuffer } from '../sync/es2024.js';

/**
 * A slot's tags (word 2), from the protocol's one set: the primitives and
 * `SHORT_STRING` inline; `STRING`, `SERIALIZED` and `ENCODED` (serialized
 * wire form, to decode after reading) in a heap block. 0 is not a tag: the
 * slot holds nothing.
 */
const { UNDEFINED, NULL, FALSE, TRUE, NUMBER, BIGINT, SHORT_STRING, STRING, SERIALIZED, ENCODED } = protocol.Tag;
/** The longest string stored in a slot's payload, one byte per code unit. */
const SHORT_LENGTH = 8;
/** Word 2 of a slot that holds nothing (it reads as `undefined`). */
export const VACANT = 0;

/** Bytes per slot: an 8-byte payload, a tag word and the container's word. */
export const SLOT_BYTES = 16;
/** Words (32-bit) per slot. */
const SLOT_WORDS = 4;
/** Word of a slot: its heap block's length (of a `STRING`, `SERIALIZED` or `ENCODED` slot; word 0 is the block). */
const BLOCK_LENGTH = 1;
/** Word of a slot: its tag. */
const TAG = 2;

// Control words (indices into `meta`), shared by every thread holding the collection.
/** Elements held (a map's entries). */
export const LENGTH = 0;
/** A deque's first element; a hash table's occupied buckets (entries and tombstones). */
export const HEAD = 1;
/** Slots the slot buffer has room for. */
export const CAPACITY = 2;
/** The heap's bump pointer: blocks below it have been handed out at least once. */
const HEAP_TOP = 3;
/**
 * 1 once a lock that kept this memory below the top of its value dropped it
 * (a store left it out, or the lock's last owner went): each thread holding
 * the lock then lets go of its view of it (see sync/storage.ts's sweep).
 */
export const DROPPED = 4;
/** First of the heap's free lists, one per block size class (2^class bytes); a free block's first word is the next one. */
const FREE_LISTS = 8;
/** Size classes: 2^4 (16 bytes) to 2^30. */
const MIN_CLASS = 4;
const MAX_CLASS = 30;
/** Bytes of `meta`, one word per control word. */
const META_BYTES = (FREE_LISTS + MAX_CLASS + 1) * 4;

/** Heap offset 0 is never a block, so that a free list can end in 0. */
const HEAP_START = 16;
/** The most the slot buffer or the heap may grow to (reserved address space, not memory). */
export const MAX_BYTES = 2 ** 30;

/** The wire form of a collection's memory. */
export interface CoreWire {
  readonly meta: SharedArrayBuffer;
  readonly slots: SharedArrayBuffer;
  readonly heap: SharedArrayBuffer;
}

/** A collection's memory, as seen by one thread. */
export class Core {
  readonly meta: Int32Array;
  readonly slots: SharedArrayBuffer;
  readonly heap: SharedArrayBuffer;
  // Views of the slots, as long as the buffer was when they were made.
  u8!: Uint8Array;
  f64!: Float64Array;
  i64!: BigInt64Array;
  i32!: Int32Array;
  // Views of the heap, likewise.
  heapBytes!: Uint8Array;
  heapUnits!: Uint16Array;
  heapWords!: Int32Array;

  /** New memory with room for `capacity` slots. */
  static create(capacity: number): Core {
    const meta = new SharedArrayBuffer(META_BYTES);
    const slots = growableSharedArrayBuffer(capacity * SLOT_BYTES, MAX_BYTES);
    const heap = growableSharedArrayBuffer(HEAP_START, MAX_BYTES);
    const core = new Core({ meta, slots, heap });
    core.meta[CAPACITY] = capacity;
    core.meta[HEAP_TOP] = HEAP_START;
    return core;
  }

  constructor(wire: CoreWire) {
    this.meta = new Int32Array(wire.meta);
    this.slots = wire.slots;
    this.heap = wire.heap;
    this.viewSlots();
    this.viewHeap();
  }

  /**
   * Makes the views again if another thread grew a buffer past them (call
   * after taking the lock: its acquire makes the control words visible).
   */
  refresh(): void {
    if (this.meta[CAPACITY] * SLOT_BYTES > this.i32.byteLength) this.viewSlots();
    if (this.meta[HEAP_TOP] > this.heapBytes.length) this.viewHeap();
  }

  private viewSlots(): void {
    const bytes = this.slots.byteLength;
    this.u8 = new Uint8Array(this.slots, 0, bytes);
    this.f64 = new Float64Array(this.slots, 0, bytes / 8);
    this.i64 = new BigInt64Array(this.slots, 0, bytes / 8);
    this.i32 = new Int32Array(this.slots, 0, bytes / 4);
  }

  private viewHeap(): void {
    const bytes = this.heap.byteLength;
    this.heapBytes = new Uint8Array(this.heap, 0, bytes);
    this.heapUnits = new Uint16Array(this.heap, 0, bytes / 2);
    this.heapWords = new Int32Array(this.heap, 0, bytes / 4);
  }

  /** A copy of this memory (new buffers, the same contents): O(bytes held). */
  copy(): Core {
    const saved = new Uint8Array(this.savedBytes());
    this.saveTo(saved);
    return Core.load(saved);
  }

  /** How many bytes `saveTo` writes: the control words, the slots, the heap's used part. */
  savedBytes(): number {
    return META_BYTES + this.meta[CAPACITY] * SLOT_BYTES + this.meta[HEAP_TOP];
  }

  /**
   * Writes this memory's contents into `target` (`savedBytes()` long), for a
   * place no buffer can reach (a `OnceLock` set while other threads hold it).
   */
  saveTo(target: Uint8Array): void {
    const slotBytes = this.meta[CAPACITY] * SLOT_BYTES;
    target.set(new Uint8Array(this.meta.buffer, 0, META_BYTES));
    target.set(new Uint8Array(this.slots, 0, slotBytes), META_BYTES);
    target.set(new Uint8Array(this.heap, 0, this.meta[HEAP_TOP]), META_BYTES + slotBytes);
  }

  /** New memory (new buffers) holding what `saveTo` wrote into `saved`. */
  static load(saved: Uint8Array): Core {
    const meta = new SharedArrayBuffer(META_BYTES);
    new Uint8Array(meta).set(saved.subarray(0, META_BYTES));
    const words = new Int32Array(meta);
    const slotsEnd = META_BYTES + words[CAPACITY] * SLOT_BYTES;
    const heapEnd = slotsEnd + words[HEAP_TOP];
    const slots = growableSharedArrayBuffer(slotsEnd - META_BYTES, MAX_BYTES);
    new Uint8Array(slots).set(saved.subarray(META_BYTES, slotsEnd));
    const heap = growableSharedArrayBuffer(heapEnd - slotsEnd, MAX_BYTES);
    new Uint8Array(heap).set(saved.subarray(slotsEnd, heapEnd));
    return new Core({ meta, slots, heap });
  }

  wire(): CoreWire {
    return { meta: this.meta.buffer as SharedArrayBuffer, slots: this.slots, heap: this.heap };
  }

  /** Grows the slot buffer to hold `capacity` slots (the caller moves elements if its layout needs it). */
  growSlots(capacity: number): void {
    const bytes = capacity * SLOT_BYTES;
    if (bytes > MAX_BYTES) throw new RangeError(`collection too large (${MAX_BYTES / 2 ** 20} MiB of slots)`);
    growSharedArrayBuffer(this.slots, bytes);
    this.viewSlots();
    this.meta[CAPACITY] = capacity;
  }

  /** The element in slot `slot` (`undefined` if it holds nothing). */
  read(slot: number): unknown {
    const word = slot * SLOT_WORDS;
    switch (this.i32[word + TAG]) {
      case NUMBER:
        return this.f64[slot * 2];
      case VACANT:
      case UNDEFINED:
        return undefined;
      case NULL:
        return null;
      case FALSE:
        return false;
      case TRUE:
        return true;
      case BIGINT:
        return this.i64[slot * 2];
      case SHORT_STRING:
        return this.readShort(slot);
      case STRING:
        return this.readString(this.i32[word], this.i32[word + BLOCK_LENGTH]);
      default:
        return this.readCloned(slot);
    }
  }

  /** Writes `value` into slot `slot`, which holds nothing (else: `replace`); throws before touching the slot if it cannot. */
  write(slot: number, value: unknown): void {
    const word = slot * SLOT_WORDS;
    const i32 = this.i32;
    switch (typeof value) {
      case 'number':
        this.f64[slot * 2] = value;
        i32[word + TAG] = NUMBER;
        return;
      case 'boolean':
        i32[word + TAG] = value ? TRUE : FALSE;
        return;
      case 'undefined':
        i32[word + TAG] = UNDEFINED;
        return;
      case 'string':
        if (this.writeShort(slot, value)) {
          i32[word + TAG] = SHORT_STRING;
        } else {
          i32[word] = this.writeString(value);
          i32[word + BLOCK_LENGTH] = value.length;
          i32[word + TAG] = STRING;
        }
        return;
      case 'bigint':
        if (BigInt.asIntN(64, value) === value) {
          this.i64[slot * 2] = value;
          i32[word + TAG] = BIGINT;
          return;
        }
        break;
      case 'object':
        if (value === null) {
          i32[word + TAG] = NULL;
          return;
        }
        break;
    }
    this.writeCloned(slot, value);
  }

  /**
   * Replaces what slot `slot` holds with `value`. If `value` cannot be
   * stored, this throws before anything changes: the slot keeps its element.
   */
  replace(slot: number, value: unknown): void {
    const word = slot * SLOT_WORDS;
    const i32 = this.i32;
    const tag = i32[word + TAG];
    const block = i32[word];
    const length = i32[word + BLOCK_LENGTH];
    // `write` throws before it touches the slot.
    this.write(slot, value);
    if (holdsBlock(tag)) this.freeBlock(block, tag === STRING ? length * 2 : length);
  }

  /** Releases what slot `slot` holds on the heap; the slot then holds nothing. */
  free(slot: number): void {
    const word = slot * SLOT_WORDS;
    const i32 = this.i32;
    const tag = i32[word + TAG];
    if (holdsBlock(tag)) this.freeBlock(i32[word], tag === STRING ? i32[word + BLOCK_LENGTH] * 2 : i32[word + BLOCK_LENGTH]);
    i32[word + TAG] = VACANT;
  }

  /** Moves slot `from` to slot `to` (16 bytes; a heap block changes owner, it is not copied). */
  move(from: number, to: number): void {
    const i32 = this.i32;
    const source = from * SLOT_WORDS;
    const target = to * SLOT_WORDS;
    i32[target] = i32[source];
    i32[target + 1] = i32[source + 1];
    i32[target + 2] = i32[source + 2];
    i32[target + 3] = i32[source + 3];
  }

  /** Whether slot `slot` holds a string, number, bigint or boolean equal to `key` (SameValueZero). */
  equals(slot: number, key: unknown): boolean {
    const word = slot * SLOT_WORDS;
    const tag = this.i32[word + TAG];
    switch (typeof key) {
      case 'number': {
        if (tag !== NUMBER) return false;
        const held = this.f64[slot * 2];
        return held === key || (held !== held && key !== key);
      }
      case 'string': {
        if (tag === SHORT_STRING) return this.equalsShort(slot, key);
        if (tag !== STRING || this.i32[word + BLOCK_LENGTH] !== key.length) return false;
        const units = this.heapUnits;
        const start = this.i32[word] >> 1;
        for (let index = 0; index < key.length; index++) if (units[start + index] !== key.charCodeAt(index)) return false;
        return true;
      }
      case 'boolean':
        return tag === (key ? TRUE : FALSE);
      default:
        return tag === BIGINT && this.i64[slot * 2] === key;
    }
  }

  /** Frees every slot in `[from, to)` that holds a heap block. */
  freeRange(from: number, to: number): void {
    for (let slot = from; slot < to; slot++) this.free(slot);
  }

  /** Writes `value` as bytes into slot `slot`'s payload if it is short and Latin-1 (without NUL); returns whether it did. */
  private writeShort(slot: number, value: string): boolean {
    const length = value.length;
    if (length > SHORT_LENGTH) return false;
    for (let index = 0; index < length; index++) {
      const unit = value.charCodeAt(index);
      if (unit === 0 || unit > 0xff) return false;
    }
    // Checked first: `write` must throw (if the heap form cannot be stored) before it touches the slot.
    const word = slot * SLOT_WORDS;
    this.i32[word] = 0;
    this.i32[word + 1] = 0;
    const u8 = this.u8;
    const start = slot * SLOT_BYTES;
    for (let index = 0; index < length; index++) u8[start + index] = value.charCodeAt(index);
    return true;
  }

  private readShort(slot: number): string {
    const u8 = this.u8;
    const start = slot * SLOT_BYTES;
    let text = '';
    for (let index = 0; index < SHORT_LENGTH; index++) {
      const unit = u8[start + index];
      if (unit === 0) break;
      text += String.fromCharCode(unit);
    }
    return text;
  }

  /** Whether the short string in slot `slot` is `key` (every byte past the string's end is 0). */
  private equalsShort(slot: number, key: string): boolean {
    if (key.length > SHORT_LENGTH) return false;
    const u8 = this.u8;
    const start = slot * SLOT_BYTES;
    for (let index = 0; index < SHORT_LENGTH; index++) {
      const unit = u8[start + index];
      if (index < key.length ? unit === 0 || unit !== key.charCodeAt(index) : unit !== 0) return false;
    }
    return true;
  }

  private writeString(value: string): number {
    const block = this.allocate(value.length * 2);
    const units = this.heapUnits;
    const start = block >> 1;
    for (let index = 0; index < value.length; index++) units[start + index] = value.charCodeAt(index);
    return block;
  }

  private readString(block: number, length: number): string {
    const start = block >> 1;
    let text = '';
    // In chunks: `fromCharCode.apply` takes one argument per code unit.
    for (let from = 0; from < length; from += 8192) {
      const chunk = this.heapUnits.subarray(start + from, start + Math.min(length, from + 8192));
      text += String.fromCharCode.apply(null, chunk as unknown as number[]);
    }
    return text;
  }

  private writeCloned(slot: number, value: unknown): void {
    // Rc, guards, functions: refused in rustc's words, as a move would be.
    assertSendAt(value, 'element');
    const encoder = new Encoder(refuseChannelEnd);
    const encoded = encoder.encode(value);
    let bytes: Uint8Array;
    try {
      bytes = serialize(encoded);
    } catch (cause) {
      // A shared handle (an atomic, a Mutex) lives in memory a slot cannot point to.
      throw new TypeError('element cannot be stored in a collection: shared handles and shared memory cannot be elements', { cause });
    }
    const block = this.allocate(bytes.length);
    this.heapBytes.set(bytes, block);
    const word = slot * SLOT_WORDS;
    this.i32[word] = block;
    this.i32[word + BLOCK_LENGTH] = bytes.length;
    this.i32[word + TAG] = encoder.tags.size > 0 ? ENCODED : SERIALIZED;
  }

  private readCloned(slot: number): unknown {
    const word = slot * SLOT_WORDS;
    const start = this.i32[word];
    // Read from a copy: element access through a view of a growable buffer takes V8's slow path.
    const value: unknown = deserialize(this.heapBytes.slice(start, start + this.i32[word + BLOCK_LENGTH]));
    return this.i32[word + TAG] === ENCODED ? decodeInPlace(value, new Set()) : value;
  }

  /** A heap block with room for `bytes` bytes: from its size class's free list, else from the top (growing the heap). */
  private allocate(bytes: number): number {
    const sizeClass = classOf(bytes);
    if (sizeClass > MAX_CLASS) throw new RangeError('element too large for a collection');
    const meta = this.meta;
    const free = meta[FREE_LISTS + sizeClass];
    if (free !== 0) {
      meta[FREE_LISTS + sizeClass] = this.heapWords[free >> 2];
      return free;
    }
    const block = meta[HEAP_TOP];
    const end = block + 2 ** sizeClass;
    if (end > this.heapBytes.length) this.growHeap(end);
    meta[HEAP_TOP] = end;
    return block;
  }

  /** Makes the heap at least `end` bytes long (doubling it, so that growing is amortized O(1)), and views it. */
  private growHeap(end: number): void {
    const bytes = this.heap.byteLength;
    if (end > bytes) {
      if (end > MAX_BYTES) throw new RangeError(`collection too large (${MAX_BYTES / 2 ** 20} MiB of elements)`);
      growSharedArrayBuffer(this.heap, Math.min(MAX_BYTES, Math.max(end, bytes * 2)));
    }
    this.viewHeap();
  }

  /** Puts `block`, allocated for `bytes` bytes, on its class's free list (a write only: nothing is read from the block). */
  private freeBlock(block: number, bytes: number): void {
    const list = FREE_LISTS + classOf(bytes);
    this.heapWords[block >> 2] = this.meta[list];
    this.meta[list] = block;
  }
}

/** Whether a slot of tag `tag` owns a heap block. */
/**
 * For the encoder of an element: a channel end is refused before it moves.
 * An element's bytes are read, copied (`clone()`) and freed with no owner
 * to give its count to, so the end would lose or double its count.
 */
function refuseChannelEnd(_value: object, codec: Codec): boolean {
  if (codec.handle === 'heap') {
    const name = typeof codec.name === 'string' ? codec.name : codec.type.name;
    throw new TypeError(`\`${name}\` cannot be an element of a collection: it owns a count that an element cannot keep; put it in a plain array in a \`Mutex\`, or send it through a channel`);
  }
  return false;
}

function holdsBlock(tag: number): boolean {
  return tag === STRING || tag === SERIALIZED || tag === ENCODED;
}

/** The size class of a block for `bytes` bytes: the least power of two, at least 2^MIN_CLASS, that holds them. */
function classOf(bytes: number): number {
  return bytes <= 2 ** MIN_CLASS ? MIN_CLASS : 32 - Math.clz32(bytes - 1);
}
