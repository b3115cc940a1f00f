/**
 * The shared memory of one collection: its control words, its slots, and a
 * heap for the elements that do not fit in a slot.
 *
 * Every element sits in a 16-byte slot. Numbers, booleans, `null`,
 * `undefined` and bigints in the signed 64-bit range are stored in the slot
 * itself: writing or reading one allocates nothing (a bigint read allocates
 * the bigint). A string is stored as its UTF-16 code units in a heap block,
 * and any other Send data as its structured-clone bytes in a heap block: an
 * operation costs what its own elements cost, never what the collection holds.
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
import { assertSendAt, decodeInPlace, Encoder } from '../internal/wire.js';
import { growableSharedArrayBuffer, growSharedArrayBuffer } from '../sync/es2024.js';

// Slot tags (word 2 of a slot).
/** `undefined` (also an unused slot). */
const UNDEFINED = 0;
/** `null`. */
const NULL = 1;
/** `false`. */
const FALSE = 2;
/** `true`. */
const TRUE = 3;
/** A number, in the slot's 8-byte float. */
const NUMBER = 4;
/** A bigint in the signed 64-bit range, in the slot's 8 bytes. */
const BIGINT = 5;
/** A string: word 0 is its heap block, word 3 its length in UTF-16 code units. */
const STRING = 6;
/** Structured-clone bytes: word 0 is their heap block, word 3 their length. */
const CLONED = 7;
/** As `CLONED`, but the bytes are the wire form of values with codecs (a `Cell`): decode after reading. */
const ENCODED = 8;

/** Bytes per slot: an 8-byte payload, a tag word and an auxiliary word. */
export const SLOT_BYTES = 16;
/** Words (32-bit) per slot. */
const SLOT_WORDS = 4;

// Control words (indices into `meta`), shared by every thread holding the collection.
/** Elements held (a map's entries). */
export const LENGTH = 0;
/** A deque's first element; a hash table's occupied buckets (entries and tombstones). */
export const HEAD = 1;
/** Slots (a hash table: buckets) the slot buffer has room for. */
export const CAPACITY = 2;
/** The heap's bump pointer: blocks below it have been handed out at least once. */
const HEAP_TOP = 3;
/** First of the heap's free lists, one per block size class (2^class bytes). */
const FREE_LISTS = 8;
/** Size classes: 2^4 (16 bytes) to 2^30. */
const MIN_CLASS = 4;
const MAX_CLASS = 30;
/** Words in `meta`. */
const META_WORDS = FREE_LISTS + MAX_CLASS + 1;

/** Bytes before a heap block's contents: word 0 its size class, word 1 the next free block while free. */
const BLOCK_HEADER = 8;
/** Heap offset 0 is never a block, so that a free list can end in 0. */
const HEAP_START = 8;
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
  f64!: Float64Array;
  i64!: BigInt64Array;
  i32!: Int32Array;
  // Views of the heap, likewise.
  heapBytes!: Uint8Array;
  heapUnits!: Uint16Array;
  heapWords!: Int32Array;

  /** New memory with room for `capacity` slots. */
  static create(capacity: number): Core {
    const meta = new SharedArrayBuffer(META_WORDS * 4);
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
    const meta = new SharedArrayBuffer(META_WORDS * 4);
    new Int32Array(meta).set(this.meta);
    const slots = growableSharedArrayBuffer(this.slots.byteLength, MAX_BYTES);
    new Uint8Array(slots).set(new Uint8Array(this.slots));
    const heap = growableSharedArrayBuffer(this.heap.byteLength, MAX_BYTES);
    new Uint8Array(heap).set(new Uint8Array(this.heap));
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

  /** The element in slot `slot`. */
  read(slot: number): unknown {
    const word = slot * SLOT_WORDS;
    switch (this.i32[word + 2]) {
      case NUMBER:
        return this.f64[slot * 2];
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
      case STRING:
        return this.readString(this.i32[word], this.i32[word + 3]);
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
        i32[word + 2] = NUMBER;
        return;
      case 'boolean':
        i32[word + 2] = value ? TRUE : FALSE;
        return;
      case 'undefined':
        i32[word + 2] = UNDEFINED;
        return;
      case 'string':
        i32[word] = this.writeString(value);
        i32[word + 3] = value.length;
        i32[word + 2] = STRING;
        return;
      case 'bigint':
        if (BigInt.asIntN(64, value) === value) {
          this.i64[slot * 2] = value;
          i32[word + 2] = BIGINT;
          return;
        }
        break;
      case 'object':
        if (value === null) {
          i32[word + 2] = NULL;
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
    const tag = this.i32[word + 2];
    const block = this.i32[word];
    // `write` throws before it touches the slot.
    this.write(slot, value);
    if (tag >= STRING) this.freeBlock(block);
  }

  /** Releases what slot `slot` holds on the heap (its contents are then meaningless). */
  free(slot: number): void {
    const word = slot * SLOT_WORDS;
    if (this.i32[word + 2] >= STRING) this.freeBlock(this.i32[word]);
    this.i32[word + 2] = UNDEFINED;
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
    const tag = this.i32[word + 2];
    switch (typeof key) {
      case 'number': {
        if (tag !== NUMBER) return false;
        const held = this.f64[slot * 2];
        return held === key || (held !== held && key !== key);
      }
      case 'string': {
        if (tag !== STRING || this.i32[word + 3] !== key.length) return false;
        const units = this.heapUnits;
        const start = (this.i32[word] + BLOCK_HEADER) >> 1;
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

  private writeString(value: string): number {
    const block = this.allocate(value.length * 2);
    const units = this.heapUnits;
    const start = (block + BLOCK_HEADER) >> 1;
    for (let index = 0; index < value.length; index++) units[start + index] = value.charCodeAt(index);
    return block;
  }

  private readString(block: number, length: number): string {
    const start = (block + BLOCK_HEADER) >> 1;
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
    const encoder = new Encoder();
    const encoded = encoder.encode(value);
    let bytes: Uint8Array;
    try {
      bytes = serialize(encoded);
    } catch (cause) {
      // A shared handle (an atomic, a Mutex) lives in memory a slot cannot point to.
      throw new TypeError('element cannot be stored in a collection: shared handles and shared memory cannot be elements', { cause });
    }
    const block = this.allocate(bytes.length);
    this.heapBytes.set(bytes, block + BLOCK_HEADER);
    const word = slot * SLOT_WORDS;
    this.i32[word] = block;
    this.i32[word + 3] = bytes.length;
    this.i32[word + 2] = encoder.tags.size > 0 ? ENCODED : CLONED;
  }

  private readCloned(slot: number): unknown {
    const word = slot * SLOT_WORDS;
    const start = this.i32[word] + BLOCK_HEADER;
    // Read from a copy: element access through a view of a growable buffer takes V8's slow path.
    const value: unknown = deserialize(this.heapBytes.slice(start, start + this.i32[word + 3]));
    return this.i32[word + 2] === ENCODED ? decodeInPlace(value, new Set()) : value;
  }

  /** A heap block with room for `bytes` bytes: from its size class's free list, else from the top (growing the heap). */
  private allocate(bytes: number): number {
    const sizeClass = Math.max(MIN_CLASS, 32 - Math.clz32(bytes + BLOCK_HEADER - 1));
    if (sizeClass > MAX_CLASS) throw new RangeError('element too large for a collection');
    const meta = this.meta;
    const words = this.heapWords;
    const free = meta[FREE_LISTS + sizeClass];
    if (free !== 0) {
      meta[FREE_LISTS + sizeClass] = words[(free >> 2) + 1];
      return free;
    }
    const block = meta[HEAP_TOP];
    const end = block + 2 ** sizeClass;
    if (end > this.heapBytes.length) this.growHeap(end);
    meta[HEAP_TOP] = end;
    // Through the views as they are now: `growHeap` made new ones.
    this.heapWords[block >> 2] = sizeClass;
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

  private freeBlock(block: number): void {
    const sizeClass = this.heapWords[block >> 2];
    this.heapWords[(block >> 2) + 1] = this.meta[FREE_LISTS + sizeClass];
    this.meta[FREE_LISTS + sizeClass] = block;
  }
}
