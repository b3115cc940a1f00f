/**
 * How the data inside a `Mutex`, `RwLock`, `OnceLock` lives in shared memory.
 *
 * The representation is chosen once, from the initial value, and never
 * changes; its kind is a `Tag` of the wire protocol (internal/protocol.ts):
 *
 * | kind      | for                                   | where                                | cost of an access                          |
 * |-----------|---------------------------------------|--------------------------------------|--------------------------------------------|
 * | `NUMBER`  | a `number`                            | an 8-byte float slot beside the lock | one memory read or write, no allocation    |
 * | `BIGINT`  | a `bigint` in the signed 64-bit range | an 8-byte slot beside the lock       | one read or write (a bigint is allocated)  |
 * | `BOOLEAN` | a `boolean`                           | a 4-byte slot beside the lock        | one memory read or write, no allocation    |
 * | `SHARED`  | a typed array / `DataView` over a `SharedArrayBuffer`, or a shared handle (a value whose codec is Sync: an atomic, a `Mutex`, a `SharedStruct`, ...) | where it already is | none: read and written in place; it cannot be replaced |
 * | `COLLECTION` | a `Vec`, `VecDeque`, `HashMap` or `HashSet` (`@sendsync/runtime/collections`) | its own shared memory, moved into the lock | none: each guard is lent a handle, revoked on release; operations cost O(1) in its size |
 * | `SERIALIZED` | anything else that is Send: structured-cloneable data, and values whose codec copies them (`Cell`, `RefCell`) | a growable `SharedArrayBuffer` of serialized bytes (codec'd values in their wire form) | first read per guard: deserialize; release after a read or write: serialize back |
 *
 * A `SERIALIZED` value is deserialized on the first `.value` access under a guard
 * (later accesses under the same guard reuse that copy, so in-place mutation
 * such as `guard.value.push(x)` works) and serialized back when the guard is
 * released, if it was read as an object or assigned. Values that do not fit the
 * chosen kind (a string into a `NUMBER` lock) are rejected with a `TypeError`.
 * Values holding library handles (a `Mutex` inside an array in a `Mutex`) or
 * views over a `SharedArrayBuffer` cannot be `SERIALIZED`: they are refused, since
 * serializing them would silently turn shared memory into a private copy.
 */

import { DefaultSerializer, deserialize } from 'node:v8';
import { codecFor, type CodecContext } from '../codec.js';
import { assertSendAt, decodeInPlace, Encoder } from '../internal/wire.js';
import { growableSharedArrayBuffer, growSharedArrayBuffer } from './es2024.js';
import { SharedStruct } from './shared-struct.js';
import type { Storage, StorageWire } from './storage-types.js';
import { collectionStorage, decodeCollectionStorage, isCollection } from '../collections/in-lock.js';
import protocol from '../internal/protocol.js';

export type { Storage, StorageWire } from './storage-types.js';

/**
 * The storage kinds, as tags: an inline float slot, an inline signed 64-bit
 * slot, an inline Int32 slot (0 or 1); serialized bytes in a growable shared
 * buffer; a value that is shared memory already, kept as is; a collection,
 * whose memory moves into the lock (each guard is lent a handle).
 */
const { NUMBER, BIGINT, BOOLEAN, SERIALIZED, SHARED, COLLECTION } = protocol.Tag;

/** Bytes a lock reserves beside its words for an inline value (8-aligned). */
export const INLINE_BYTES = 8;
/** Offset of the serialized bytes in a `SERIALIZED` buffer; word 0 holds their length, word 1 `ENCODED` or 0. */
const SERIALIZED_HEADER = 8;
/** Header word 1: the bytes hold the value's wire form (it contains values with codecs), to decode after reading. */
const ENCODED = 1;
/** How deep `needsCodec` looks before assuming the worst (cyclic or very deep data). */
const CODEC_SCAN_DEPTH = 32;
/** The least a `SERIALIZED` buffer starts with: room for a small value to grow without a copy. */
const SERIALIZED_MIN_BYTES = 64;
/** The most a `SERIALIZED` buffer may grow to (it is reserved, not committed). */
const SERIALIZED_MAX_BYTES = 64 * 1024 * 1024;

/** Picks the representation for `value`, placing inline kinds in `memory` at `offset`. */
export function createStorage<Value>(value: Value, memory: SharedArrayBuffer, offset: number): Storage<Value> {
  switch (typeof value) {
    case 'number':
      return new NumberStorage(memory, offset, value) as unknown as Storage<Value>;
    case 'bigint':
      return new BigIntStorage(memory, offset, value) as unknown as Storage<Value>;
    case 'boolean':
      return new BooleanStorage(memory, offset, value) as unknown as Storage<Value>;
    case 'object':
      if (value === null) break;
      // Checked before a handle is kept as it is: an `Arc<Rc<number>>` is refused like the `Rc`.
      assertSendAt(value, 'value');
      if (isShared(value)) return new SharedStorage(memory, offset, value);
      if (isCollection(value)) return collectionStorage(COLLECTION, value, memory, offset);
      return SerializedStorage.create(memory, offset, value);
  }
  // Functions, symbols: refused in rustc's words, as a move would be.
  assertSendAt(value, 'value');
  return SerializedStorage.create(memory, offset, value);
}

/** Rebuilds a storage from its wire form, in the receiving thread. */
export function decodeStorage<Value>(wire: StorageWire, context: CodecContext): Storage<Value> {
  switch (wire.kind) {
    case NUMBER:
      return new NumberStorage(wire.memory, wire.offset) as unknown as Storage<Value>;
    case BIGINT:
      return new BigIntStorage(wire.memory, wire.offset) as unknown as Storage<Value>;
    case BOOLEAN:
      return new BooleanStorage(wire.memory, wire.offset) as unknown as Storage<Value>;
    case SHARED:
      return new SharedStorage(wire.memory, wire.offset, context.decode(wire.handle) as Value);
    case COLLECTION:
      return decodeCollectionStorage(wire);
    default:
      return new SerializedStorage<Value>(wire.memory, wire.offset, wire.bytes!);
  }
}

/**
 * Whether a value is shared memory already: a view over a `SharedArrayBuffer`,
 * a `SharedStruct`, or a handle whose codec is Sync (a `Cell`'s codec copies
 * its value: it is cloned instead).
 */
function isShared(value: object): boolean {
  if (ArrayBuffer.isView(value)) return value.buffer instanceof SharedArrayBuffer;
  if (value instanceof SharedStruct) return true;
  const codec = codecFor(value);
  return codec !== undefined && codec.sync !== 'never';
}

/**
 * The inline kinds: a value in a slot beside the lock's words. Nothing to
 * settle or discard: reads and writes go straight to shared memory.
 */
abstract class InlineStorage<Value> implements Storage<Value> {
  readonly settles = false;
  readonly memory: SharedArrayBuffer;
  readonly offset: number;
  /** `NUMBER`, `BIGINT` or `BOOLEAN`. */
  readonly kind: number;

  constructor(kind: number, memory: SharedArrayBuffer, offset: number) {
    this.kind = kind;
    this.memory = memory;
    this.offset = offset;
  }
  abstract get(): Value;
  abstract set(value: Value): void;
  settle(): void {}
  discard(): void {}
  encode(): StorageWire {
    return { kind: this.kind, memory: this.memory, offset: this.offset };
  }
}

/** `NUMBER`: one float slot. */
class NumberStorage extends InlineStorage<number> {
  readonly slot: Float64Array;

  constructor(memory: SharedArrayBuffer, offset: number, initial?: number) {
    super(NUMBER, memory, offset);
    this.slot = new Float64Array(memory, offset, 1);
    if (initial !== undefined) this.slot[0] = initial;
  }
  get(): number {
    return this.slot[0];
  }
  set(value: number): void {
    if (typeof value !== 'number') throw new TypeError('value does not fit this lock (number expected)');
    this.slot[0] = value;
  }
}

/** `BIGINT`: one signed 64-bit slot. */
class BigIntStorage extends InlineStorage<bigint> {
  readonly slot: BigInt64Array;

  constructor(memory: SharedArrayBuffer, offset: number, initial?: bigint) {
    super(BIGINT, memory, offset);
    this.slot = new BigInt64Array(memory, offset, 1);
    if (initial !== undefined) this.set(initial);
  }
  get(): bigint {
    return this.slot[0];
  }
  set(value: bigint): void {
    if (typeof value !== 'bigint') throw new TypeError('value does not fit this lock (bigint expected)');
    if (BigInt.asIntN(64, value) !== value) throw new RangeError('bigint does not fit in 64 bits');
    this.slot[0] = value;
  }
}

/** `BOOLEAN`: one 32-bit slot holding 0 or 1. */
class BooleanStorage extends InlineStorage<boolean> {
  readonly slot: Int32Array;

  constructor(memory: SharedArrayBuffer, offset: number, initial?: boolean) {
    super(BOOLEAN, memory, offset);
    this.slot = new Int32Array(memory, offset, 1);
    if (initial !== undefined) this.slot[0] = initial ? 1 : 0;
  }
  get(): boolean {
    return this.slot[0] !== 0;
  }
  set(value: boolean): void {
    if (typeof value !== 'boolean') throw new TypeError('value does not fit this lock (boolean expected)');
    this.slot[0] = value ? 1 : 0;
  }
}

/** `SHARED`: the value is itself shared memory; it is handed out as is and never replaced. */
class SharedStorage<Value> implements Storage<Value> {
  readonly settles = false;
  readonly memory: SharedArrayBuffer;
  readonly offset: number;
  readonly value: Value;

  constructor(memory: SharedArrayBuffer, offset: number, value: Value) {
    this.memory = memory;
    this.offset = offset;
    this.value = value;
  }
  get(): Value {
    return this.value;
  }
  set(): void {
    throw new TypeError('a shared value cannot be replaced: write into it');
  }
  settle(): void {}
  discard(): void {}
  encode(context: CodecContext): StorageWire {
    return { kind: SHARED, memory: this.memory, offset: this.offset, handle: context.encode(this.value) };
  }
}

/** No deserialized copy is cached (a unique marker, since `undefined` is a valid value). */
const NONE: unique symbol = Symbol('none');

/** `SERIALIZED`: serialized bytes in a growable shared buffer; word 0 of the buffer is their length. */
class SerializedStorage<Value> implements Storage<Value> {
  readonly settles = true;
  readonly memory: SharedArrayBuffer;
  readonly offset: number;
  readonly bytes: SharedArrayBuffer;
  /** Word 0: the length of the bytes; word 1: ENCODED or 0. */
  readonly header: Int32Array;
  /** The copy deserialized under the current guard, or NONE. */
  cache: Value | typeof NONE = NONE;
  /** Whether the copy may differ from the bytes (it was assigned, or handed out as an object). */
  dirty = false;

  static create<Value>(memory: SharedArrayBuffer, offset: number, value: Value): SerializedStorage<Value> {
    const wireForm = needsCodec(value, 0);
    const serialized = serializeValue(value, wireForm);
    const bytes = growableSharedArrayBuffer(capacityFor(serialized.length), SERIALIZED_MAX_BYTES);
    const storage = new SerializedStorage<Value>(memory, offset, bytes);
    storage.write(serialized, wireForm);
    return storage;
  }

  constructor(memory: SharedArrayBuffer, offset: number, bytes: SharedArrayBuffer) {
    this.memory = memory;
    this.offset = offset;
    this.bytes = bytes;
    this.header = new Int32Array(bytes, 0, 2);
  }
  get(): Value {
    if (this.cache === NONE) {
      // The bytes were written by the previous holder before it released the lock we now hold.
      const value: unknown = deserialize(new Uint8Array(this.bytes, SERIALIZED_HEADER, this.header[0]));
      // Values with a codec (a Cell) were stored in their wire form: rebuild them.
      this.cache = (this.header[1] === ENCODED ? decodeInPlace(value, new Set()) : value) as Value;
    }
    const value = this.cache;
    if (typeof value === 'object' && value !== null) this.dirty = true;
    return value;
  }
  set(value: Value): void {
    this.cache = value;
    this.dirty = true;
  }
  settle(): void {
    if (this.dirty) {
      this.dirty = false;
      const value = this.cache as Value;
      this.cache = NONE;
      // The value may have been replaced or changed through the guard: an `Rc` put in must not arrive as `{}`.
      assertSendAt(value, 'value');
      this.store(value);
    } else {
      this.cache = NONE;
    }
  }
  discard(): void {
    this.dirty = false;
    this.cache = NONE;
  }
  encode(): StorageWire {
    return { kind: SERIALIZED, memory: this.memory, offset: this.offset, bytes: this.bytes };
  }
  /** Serializes `value` into the buffer (the caller holds the lock). */
  store(value: unknown): void {
    const wireForm = needsCodec(value, 0);
    this.write(serializeValue(value, wireForm), wireForm);
  }
  /** Copies serialized bytes in, growing the buffer if needed; `wireForm`: they hold a value's wire form (the caller holds the lock). */
  write(encoded: Uint8Array, wireForm: boolean): void {
    const needed = SERIALIZED_HEADER + encoded.length;
    if (needed > this.bytes.byteLength) {
      if (needed > SERIALIZED_MAX_BYTES) throw new RangeError('value too large for a lock (64 MiB)');
      growSharedArrayBuffer(this.bytes, Math.min(SERIALIZED_MAX_BYTES, Math.max(needed, this.bytes.byteLength * 2)));
    }
    new Uint8Array(this.bytes, SERIALIZED_HEADER, encoded.length).set(encoded);
    this.header[0] = encoded.length;
    this.header[1] = wireForm ? ENCODED : 0;
  }
}

/**
 * V8's structured-clone serializer, refusing views over shared memory: Node's
 * default one would copy their bytes silently, turning a shared view (or a
 * library handle, which holds one) into an unshared copy.
 */
class LocalOnlySerializer extends DefaultSerializer {
  /** Called by V8 for typed arrays and DataViews. */
  _writeHostObject(object: object): void {
    if (ArrayBuffer.isView(object) && object.buffer instanceof SharedArrayBuffer) {
      throw new TypeError('shared memory inside cloned data');
    }
    (DefaultSerializer.prototype as unknown as { _writeHostObject(object: object): void })._writeHostObject.call(this, object);
  }
}

/**
 * Serializes with V8's structured-clone format, in its wire form when
 * `wireForm` (the value holds values with a codec: see `needsCodec`); shared
 * handles, shared views and functions are refused with a TypeError.
 */
function serializeValue(value: unknown, wireForm: boolean): Uint8Array {
  try {
    const serializer = new LocalOnlySerializer();
    serializer.writeHeader();
    serializer.writeValue(wireForm ? new Encoder().encode(value) : value);
    return serializer.releaseBuffer();
  } catch (cause) {
    throw new TypeError('value cannot be stored in shared memory', { cause });
  }
}

/**
 * Whether `value` holds an object with a codec (a `Cell`), which must be
 * stored in its wire form; plain data is serialized as it is, with no copy.
 */
function needsCodec(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (depth > CODEC_SCAN_DEPTH) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'object' && item !== null && needsCodec(item, depth + 1)) return true;
    return false;
  }
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === Object.prototype || prototype === null) {
    for (const key of Object.keys(value)) if (needsCodec((value as Record<string, unknown>)[key], depth + 1)) return true;
    return false;
  }
  if (value instanceof Map) {
    for (const [key, item] of value) if (needsCodec(key, depth + 1) || needsCodec(item, depth + 1)) return true;
    return false;
  }
  if (value instanceof Set) {
    for (const item of value) if (needsCodec(item, depth + 1)) return true;
    return false;
  }
  return codecFor(value) !== undefined;
}

/** The initial size of a `SERIALIZED` buffer: room for the value and some growth. */
function capacityFor(length: number): number {
  if (SERIALIZED_HEADER + length > SERIALIZED_MAX_BYTES) throw new RangeError('value too large for a lock (64 MiB)');
  return Math.min(SERIALIZED_MAX_BYTES, Math.max(SERIALIZED_MIN_BYTES, 2 ** Math.ceil(Math.log2(SERIALIZED_HEADER + length))));
}

/**
 * For `OnceLock`, whose kind is only known when it is set: writes `value` into
 * memory made in advance (an inline slot at `offset` of `memory`, and a
 * growable byte buffer `bytes` made by `onceBytes`), and returns its kind.
 * Shared handles cannot be set this way: their memory cannot reach the other
 * threads after they started.
 */
export function writeOnce(value: unknown, memory: SharedArrayBuffer, offset: number, bytes: SharedArrayBuffer): number {
  switch (typeof value) {
    case 'number':
      new NumberStorage(memory, offset, value);
      return NUMBER;
    case 'bigint':
      new BigIntStorage(memory, offset, value);
      return BIGINT;
    case 'boolean':
      new BooleanStorage(memory, offset, value);
      return BOOLEAN;
  }
  // Shared handles are refused by the serializer: their memory cannot reach threads that already run.
  assertSendAt(value, 'value');
  new SerializedStorage(memory, offset, bytes).store(value);
  return SERIALIZED;
}

/** Reads back what `writeOnce` wrote (a cloned value is deserialized: call once per thread and keep it). */
export function readOnce<Value>(kind: number, memory: SharedArrayBuffer, offset: number, bytes: SharedArrayBuffer): Value {
  switch (kind) {
    case NUMBER:
      return new NumberStorage(memory, offset).get() as Value;
    case BIGINT:
      return new BigIntStorage(memory, offset).get() as Value;
    case BOOLEAN:
      return new BooleanStorage(memory, offset).get() as Value;
    default:
      return new SerializedStorage<Value>(memory, offset, bytes).get();
  }
}

/** The byte buffer a `OnceLock` makes in advance for a cloned value. */
export function onceBytes(): SharedArrayBuffer {
  return growableSharedArrayBuffer(SERIALIZED_MIN_BYTES, SERIALIZED_MAX_BYTES);
}
