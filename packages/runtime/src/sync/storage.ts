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
 * | `SERIALIZED` | anything else that is Send: structured-cloneable data, values whose codec copies them (`Cell`, `RefCell`), and shared handles at any depth inside them | a growable `SharedArrayBuffer` of the portable serializer's bytes (codec'd values in their wire form; shared handles as ids into the lock's handle table) | first read per guard: deserialize; release after a read or write: serialize back |
 *
 * A `SERIALIZED` value is deserialized on the first `.value` access under a guard
 * (later accesses under the same guard reuse that copy, so in-place mutation
 * such as `guard.value.push(x)` works) and serialized back when the guard is
 * released, if it was read as an object or assigned. Values that do not fit the
 * chosen kind (a string into a `NUMBER` lock) are rejected with a `TypeError`.
 *
 * Shared handles inside a `SERIALIZED` value (an `Arc` in an object in a
 * `Mutex`: every codec marked `shared`) are not bytes: their shared memory
 * reaches another thread only through `postMessage`. So the bytes hold an id
 * into the lock's *handle table*, which travels in the lock's wire form: each
 * thread that holds the lock holds the table's handles too. A handle joins the
 * table when a value holding it is stored. Before the lock first crosses to
 * another thread, it is simply added (the wire form carries it); after, the
 * threads already holding the lock cannot be handed its memory by a message
 * (one may be blocked, waiting for the lock), so it takes the next entry
 * (ENTRIES, under the lock) and its wire form is kept at the courier
 * (internal/courier.ts), from which each thread copies it when it first
 * reads that entry; on a host without the courier it is refused with a
 * `TypeError`. A handle in the table belongs to the lock (its counts are the
 * lock's): one taken out of the value is lent, not given (clone it to keep
 * it). As in Rust, the lock drops it (`Symbol.dispose`: an `Arc`'s count
 * goes down) when a store leaves it out of the value, or when the lock's last
 * owner drops the lock (an `Arc`'s last handle, see internal/drop-value.ts);
 * its entry is then released, and taken back from the courier. Channel ends live in the shared heap (sys/heap.ts): the bytes hold
 * their numbers (no table), and every thread reads them; an end moves into
 * the lock when a value holding it is stored, and is lent when read back;
 * the lock's last owner drops the ends its value holds (a `Receiver` in an
 * `Arc<Mutex<..>>` whose last handle went: its senders see the disconnection).
 * A `JoinHandle` moves in as a shared slot kept in the table (thread/join-slot.ts: any thread holding the
 * lock may join it, once); a guard that reads it and leaves it out hands it to the reader, as Rust's `take()`.
 *
 * Collections below the top level (`{ queue: VecDeque<number> }`, a
 * `Vec<number>[]`) are table entries too: a collection stored moves in (the
 * caller's handle is left moved once the bytes are written) and the table
 * keeps its memory as a `KeptCollection` (collections/in-lock.ts), a shared
 * handle every thread holding the lock holds, reaching them as any entry
 * does. A read of the value lends a handle over that memory per guard
 * (`lendAs`: read-only under a read guard, for good in a `OnceLock`, a copy
 * for `intoInner`), revoked when the guard is released; a lent handle stored
 * back keeps its entry. A store that leaves one out, or the lock's last
 * owner, releases its entry: the memory is marked dropped, DROPS counts it,
 * and every other thread lets go of its view when it next reads the value
 * (`sweep`), so the buffers become garbage in every thread.
 * Bare views over a `SharedArrayBuffer` are refused: copying them would make
 * shared memory private.
 */

import { codecFor, isOwning, moveOut, readHeapHandle, type Codec, type CodecContext, type Owning } from '../codec.js';
import { deserialize, serialize, type HostObjects } from '../internal/serializer.js';
import { assertSendAt, decodeInPlace, Encoder, loadCodec } from '../internal/wire.js';
import { growableSharedArrayBuffer, growSharedArrayBuffer } from './es2024.js';
import { ReleasedError } from './poison.js';
import { copyParked, courierAvailable, fetchParked, park } from '../internal/courier.js';
import { SharedStruct } from './shared-struct.js';
import type { Storage, StorageWire } from './storage-types.js';
import { classIndex, collectionStorage, decodeCollectionStorage, isCollection, KeptCollection } from '../collections/in-lock.js';
import { FROZEN, LENT, LENT_SHARED, OWNED, type Collection, type HandleState } from '../collections/handle.js';
import protocol from '../internal/protocol.js';
import { unusableError } from '../use-after-drop-error.js';

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
/** The tag of `JoinHandle`'s codec: the one handle with a single owner that a lock's value may hold (see `keepInTable`). */
const JOIN_HANDLE_TAG = 'sendsync:JoinHandle';
/** The module registering the channel ends' codecs (heap handles, which a lock's bytes may hold). */
const CHANNEL_MODULE = new URL('./mpsc/channel.js', import.meta.url).href;
/** Offset of the serialized bytes in a `SERIALIZED` buffer, after its header words (LENGTH, FORM, CROSSED, ENTRIES, TABLE_KEY, FIRST_PARKED, HELD_ENDS, DROPS; 8-aligned). */
const SERIALIZED_HEADER = 40;
/** Header word: the length of the serialized bytes. */
const LENGTH = 0;
/** Header word: `ENCODED` or 0. */
const FORM = 1;
/** Header word: 1 once the lock's wire form was made (it crossed to another thread): new handles join the table through the courier. */
const CROSSED = 2;
/** Header word: the handle table's entries, once it crossed (before, the one thread holding the lock counts them). */
const ENTRIES = 3;
/** Header words (two): the table's random name at the courier, written when it crossed. */
const TABLE_KEY = 4;
/** Header word: the table's entries when it crossed; those from it on were parked at the courier (the others travel in the lock's wire form). */
const FIRST_PARKED = 6;
/** Header word: 1 once the value held a channel end (a heap handle): the lock's last owner then looks for the ends to drop. */
const HELD_ENDS = 7;
/** Header word: how many collections the lock dropped (see `KeptCollection`): a thread that sees it change lets go of its views of them (`HandleTable.sweep`). */
const DROPS = 8;
/** FORM: the bytes hold the value's wire form (it contains values with codecs), to decode after reading. */
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
      // A handle owning a count moves in: the lock holds its count from now on (Rust's `Mutex::new(arc)`).
      if (isShared(value)) return new SharedStorage(memory, offset, isOwning(value) ? (value[moveOut]() as Value) : value);
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
      return new SerializedStorage<Value>(wire.memory, wire.offset, wire.bytes!, (wire.handles ?? []).map((handle) => (handle === undefined ? undefined : (context.decode(handle) as object))));
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
  // A channel end is bytes in the lock's value (it is an address), not a handle kept as it is; nor is a
  // `JoinHandle`, which moves in as a slot that a store may replace (see `keepInTable`).
  return codec !== undefined && codec.handle !== 'heap' && codec.tag !== JOIN_HANDLE_TAG && codec.sync !== 'never';
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
  readonly numberSlot: Float64Array;

  constructor(memory: SharedArrayBuffer, offset: number, initial?: number) {
    super(NUMBER, memory, offset);
    this.numberSlot = new Float64Array(memory, offset, 1);
    if (initial !== undefined) this.numberSlot[0] = initial;
  }
  get(): number {
    return this.numberSlot[0];
  }
  set(value: number): void {
    if (typeof value !== 'number') throw new TypeError('value does not fit this lock (number expected)');
    this.numberSlot[0] = value;
  }
}

/**
 * A number guard's read of its lock's `NUMBER` slot (`numberSlot`): the
 * guards of `Mutex<number>` and `RwLock<number>` read it themselves, with no
 * call into the storage.
 *
 * It runs while the lock is held, where under contention each instruction
 * costs throughput several times over, so it is a flag test and a load, and
 * the throw is out of line (`released`): V8 then inlines the read whole into
 * the caller's loop.
 */
export function readNumber(held: boolean, slot: Float64Array): number {
  if (!held) released();
  return slot[0];
}

/**
 * A number guard's write: a number goes to the slot; anything else, or a
 * released guard, takes the out-of-line path (`writeRefused`), as small as
 * `readNumber` for the same reason. (`value += 1` is known to be a number,
 * so the type test costs nothing there.)
 */
export function writeNumber(held: boolean, slot: Float64Array, storage: Storage<number>, value: number): void {
  if (held && typeof value === 'number') slot[0] = value;
  else writeRefused(held, storage, value);
}

/** A released guard's use: `ReleasedError`. */
function released(): never {
  throw new ReleasedError();
}

/** The rare paths of `writeNumber`: a released guard, or a value the storage refuses with its message. */
function writeRefused(held: boolean, storage: Storage<number>, value: unknown): void {
  if (!held) released();
  storage.set(value as number);
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
  /** The lock's last owner dropped it: so is the handle it holds (an `Arc`'s count goes down). */
  drop(): void {
    dropHandle(this.value as object);
  }
  encode(context: CodecContext): StorageWire {
    return { kind: SHARED, memory: this.memory, offset: this.offset, handle: context.encode(this.value) };
  }
}

/** No deserialized copy is cached (a unique marker, since `undefined` is a valid value). */
const NONE: unique symbol = Symbol('none');

/**
 * A lock's handle table in one thread: the shared handles inside its value,
 * by id (the same ids in every thread), for the serializer (see the top of
 * this file). Heap handles (channel ends) need no table: they are written as
 * their numbers (odd ids; table ids are even), and the lock's value owns
 * them once stored; read back, each is lent.
 */
class HandleTable implements HostObjects {
  /** This thread's handles, by id; undefined (or a hole) for an entry released, or not yet copied from the courier. */
  readonly handles: (object | undefined)[];
  /** The id of each handle. */
  readonly #ids = new Map<object, number>();
  /** The header words of the lock's bytes (CROSSED). */
  readonly #header: Int32Array;
  /** Heap handles lent by this table (read back from the bytes), with their ids: stored again, they are the lock's already (dropped or not). */
  readonly #lent = new WeakMap<object, number>();
  /** Heap handles written by the store in progress and new to the lock: they move in once the bytes are written. */
  #moving: object[] = [];
  /** Handles owning a count (an `Arc`) that the store in progress added to the table: they move in once the bytes are written (see `Owning`). */
  #movingIn: Owning[] = [];
  /** The channel ends lent by this table that the store in progress wrote back (heap numbers): the others the bytes held are dropped once it is in place. */
  #endsKept: number[] = [];
  /** Entries that the store in progress wrote (their ids halved): the others that the bytes held are released once it is in place. */
  readonly #written = new Set<number>();
  /** The first entry the store in progress added, or -1: a failed store takes them back. */
  #firstAdded = -1;
  /** Where `read` notes the entries and ends that the bytes being read hold (see `SerializedStorage.get`), or undefined. */
  reading: Held | undefined;
  /** How `read` hands out a collection the table keeps: lent to a write guard (`LENT`), a read guard (`LENT_SHARED`), a `OnceLock`'s readers (`FROZEN`), or copied out (`OWNED`: `intoInner`). */
  lendAs: HandleState = LENT;
  /** The collection handles lent under the current guard, with their entries: revoked when it is released; stored again, they keep their entries. */
  readonly #lentCollections = new Map<Collection, number>();
  /** Collections that the store in progress added: they move in once the bytes are written (the caller's handles are left moved). */
  #collectionsIn: Collection[] = [];
  /** DROPS when this thread last let go of the collections the lock dropped. */
  #seenDrops = 0;

  constructor(header: Int32Array, handles: (object | undefined)[]) {
    this.#header = header;
    this.handles = handles;
    for (let id = 0; id < handles.length; id++) {
      const handle = handles[id];
      if (handle !== undefined) this.#ids.set(handle, id);
    }
  }

  write(value: object): number {
    if (isCollection(value)) return this.#writeCollection(value) * 2;
    const lent = this.#lent.get(value);
    if (lent !== undefined) {
      this.#endsKept.push((lent - 1) / 2);
      return lent;
    }
    const codec = codecFor(value);
    if (codec?.heap !== undefined) {
      const id = codec.heap.id(value) * 2 + 1;
      this.#moving.push(value);
      // Under the lock; read by the lock's last owner, after every holder released it.
      this.#header[HELD_ENDS] = 1;
      return id;
    }
    // Anything else was encoded before (a Cell's wire form) or is data.
    if (codec?.handle !== 'shared') return -1;
    // A handle left moved or dropped is refused before the bytes are written.
    const unusable = unusableError(value);
    if (unusable !== undefined) throw unusable;
    let entry = this.#ids.get(value);
    if (entry === undefined) {
      // Pairs with `close`'s store: once the table crossed, the threads holding the lock reach a new handle only through the courier.
      if (Atomics.load(this.#header, CROSSED) !== 0) entry = this.#joinCrossed(value, codec);
      else {
        entry = this.handles.push(value) - 1;
        this.#ids.set(value, entry);
      }
      if (this.#firstAdded < 0) this.#firstAdded = entry;
      if (isOwning(value)) this.#movingIn.push(value);
    }
    this.#written.add(entry);
    return entry * 2;
  }

  /**
   * A collection in a stored value: one lent under the current guard keeps
   * its entry; an owned one takes a new entry (a `KeptCollection` over its
   * memory, which moves in once the bytes are written); anything else (a
   * handle lent by another lock, a `OnceLock`'s, a moved or released one) is
   * refused in its own words before anything moves.
   */
  #writeCollection(collection: Collection): number {
    const lent = this.#lentCollections.get(collection);
    if (lent !== undefined) {
      // Throws once its guard was released (a handle kept from an earlier guard).
      collection.live();
      this.#written.add(lent);
      return lent;
    }
    let entry = this.#ids.get(collection);
    if (entry === undefined) {
      const kept = new KeptCollection(classIndex(collection), collection.movable());
      // Pairs with `close`'s store, as for a shared handle: once the table crossed, a new entry reaches the other threads through the courier
      // (refused where there is none, naming the collection's own type).
      if (Atomics.load(this.#header, CROSSED) !== 0) entry = this.#joinCrossed(kept, codecFor(collection)!);
      else {
        entry = this.handles.push(kept) - 1;
        this.#ids.set(kept, entry);
      }
      // The same collection twice in one value is one entry.
      this.#ids.set(collection, entry);
      if (this.#firstAdded < 0) this.#firstAdded = entry;
      this.#collectionsIn.push(collection);
    }
    this.#written.add(entry);
    return entry;
  }

  /** Revokes the collection handles lent under the guard being released: a use from now on throws `ReleasedError`. */
  revokeLent(): void {
    if (this.#lentCollections.size === 0) return;
    for (const handle of this.#lentCollections.keys()) handle.revoke();
    this.#lentCollections.clear();
  }

  /**
   * Lets go of the collections the lock dropped since this thread last
   * looked (the caller holds the lock): another thread's store left them
   * out, and their memory is garbage once no thread holds a view of it.
   */
  sweep(): void {
    const drops = this.#header[DROPS];
    if (drops === this.#seenDrops) return;
    this.#seenDrops = drops;
    for (let entry = 0; entry < this.handles.length; entry++) {
      const handle = this.handles[entry];
      if (handle instanceof KeptCollection && handle.dropped) {
        this.handles[entry] = undefined;
        this.#ids.delete(handle);
      }
    }
  }

  /** Whether the lock's value may hold a handle of the table: the table ever had one. */
  holdsAny(): boolean {
    return this.handles.length > 0 || this.#header[ENTRIES] > 0;
  }

  /**
   * A handle new to a table that crossed: it takes the next entry (the
   * caller holds the lock) and its wire form is kept at the courier, where
   * every thread holding the lock copies it when it first reads that entry.
   * `codec` names it in the refusal (a `KeptCollection` is named by its
   * collection's).
   */
  #joinCrossed(value: object, codec: Codec): number {
    if (!courierAvailable()) {
      throw new TypeError(
        `\`${nameOf(codec)}\` is new to this lock, which other threads already hold: they could not reach its shared memory on this host; put the handle in the lock before the lock leaves its thread, or send it through a channel`,
      );
    }
    const entry = this.#header[ENTRIES];
    park(this.#entryKey(entry), new Encoder().encode(value));
    // Read under the lock by the next holder: the lock's release publishes it.
    this.#header[ENTRIES] = entry + 1;
    this.handles[entry] = value;
    this.#ids.set(value, entry);
    return entry;
  }

  /** Whether `entry` waits at the courier: added after the table crossed. */
  #parked(entry: number): boolean {
    return Atomics.load(this.#header, CROSSED) !== 0 && entry >= this.#header[FIRST_PARKED];
  }

  /** The courier's key for a table entry. */
  #entryKey(entry: number): string {
    return `lock:${this.#header[TABLE_KEY]}:${this.#header[TABLE_KEY + 1]}#${entry}`;
  }

  read(id: number): unknown {
    if ((id & 1) === 0) {
      const entry = id / 2;
      this.reading?.entries.add(entry);
      const handle = this.handles[entry] ?? this.#copyEntry(entry);
      return handle instanceof KeptCollection ? this.#lend(handle, entry) : handle;
    }
    this.reading?.ends.push((id - 1) / 2);
    // A thread that never loaded the channels' module has it loaded now (a bundle's workers hold it already).
    loadCodec('sendsync:Sender', CHANNEL_MODULE);
    const handle = readHeapHandle((id - 1) / 2, false);
    this.#lent.set(handle, id);
    return handle;
  }

  /**
   * The bytes written by a store are in place: the handles new to the lock
   * are its now (the caller's are left moved), and what the bytes held
   * before (`before`) that the store left out goes, as Rust drops a value
   * replaced in a lock: entries are released, channel ends dropped (a
   * replaced `Receiver`'s senders see the disconnection).
   */
  commit(before: Held): void {
    const moving = this.#moving;
    this.#moving = [];
    for (const handle of moving) codecFor(handle)!.heap!.move(handle, true);
    if (this.#movingIn.length > 0) this.#moveIn();
    if (this.#collectionsIn.length > 0) this.#takeCollections();
    if (before.entries.size > 0) for (const entry of before.entries) if (!this.#written.has(entry)) this.release(entry);
    if (this.#written.size > 0) this.#written.clear();
    if (before.ends.length > 0) dropEnds(leftOut(before.ends, this.#endsKept));
    if (this.#endsKept.length > 0) this.#endsKept = [];
    this.#firstAdded = -1;
  }

  /** The handles owning a count that the store added move in: the table keeps their successors, and the caller's are left moved. */
  #moveIn(): void {
    for (const handle of this.#movingIn) {
      const entry = this.#ids.get(handle)!;
      const successor = handle[moveOut]();
      this.#ids.delete(handle);
      this.#ids.set(successor, entry);
      this.handles[entry] = successor;
    }
    this.#movingIn = [];
  }

  /** The collections that the store added move in: their memory is the lock's, and the caller's handles are left moved (E0382 on a later use). */
  #takeCollections(): void {
    for (const collection of this.#collectionsIn) {
      collection.take();
      this.#ids.delete(collection);
    }
    this.#collectionsIn = [];
  }

  /** A store failed: nothing moves, and the entries it added are taken back (the caller still holds the lock: nobody saw them). */
  abandon(): void {
    this.#moving = [];
    this.#movingIn = [];
    this.#endsKept = [];
    this.#written.clear();
    for (const collection of this.#collectionsIn) this.#ids.delete(collection);
    this.#collectionsIn = [];
    const first = this.#firstAdded;
    if (first < 0) return;
    this.#firstAdded = -1;
    for (let entry = first; entry < this.handles.length; entry++) {
      // Its wire form went to the courier before the store failed: taken back, unread.
      if (this.#parked(entry)) fetchParked(this.#entryKey(entry));
      const handle = this.handles[entry];
      if (handle !== undefined) this.#ids.delete(handle);
    }
    this.handles.length = first;
    if (Atomics.load(this.#header, CROSSED) !== 0) this.#header[ENTRIES] = first;
  }

  /**
   * The lock drops the handle of `entry`, which its value no longer holds
   * (the caller holds the lock, or is the lock's last owner): its count goes
   * down once, for the lock, and the entry's wire form, if it waits at the
   * courier, is taken back. Ids are never reused: no bytes name it again.
   */
  release(entry: number): void {
    let handle = this.handles[entry];
    if (this.#parked(entry)) {
      const wire = fetchParked(this.#entryKey(entry));
      handle ??= decodeInPlace(wire, new Set()) as object;
    }
    // Left out of the table's wire form from now on.
    this.handles[entry] = undefined;
    if (handle === undefined) return;
    this.#ids.delete(handle);
    // The other threads holding the lock let go of a dropped collection's memory when they next take it (`sweep`).
    if (handle instanceof KeptCollection) this.#header[DROPS]++;
    dropHandle(handle);
  }

  /** A handle over the collection of `entry` for the reader (see `lendAs`); one lent to a guard is revoked when the guard is released. */
  #lend(kept: KeptCollection, entry: number): Collection {
    const handle = kept.lend(this.lendAs);
    if (this.lendAs === LENT || this.lendAs === LENT_SHARED) this.#lentCollections.set(handle, entry);
    return handle;
  }

  /** A handle another thread added after the table crossed: copied from the courier, this thread's from now on. */
  #copyEntry(entry: number): unknown {
    const handle = decodeInPlace(copyParked(this.#entryKey(entry)), new Set()) as object;
    this.handles[entry] = handle;
    this.#ids.set(handle, entry);
    return handle;
  }

  /** The table's wire form; from now on a new handle joins it through the courier. */
  close(context: CodecContext): unknown[] {
    if (Atomics.load(this.#header, CROSSED) === 0) {
      this.#header[ENTRIES] = this.handles.length;
      this.#header[FIRST_PARKED] = this.handles.length;
      // Through private memory: a browser's getRandomValues refuses a view of shared memory.
      this.#header.set(crypto.getRandomValues(new Int32Array(2)), TABLE_KEY);
      // Publishes ENTRIES and TABLE_KEY with it; pairs with the load in `write`.
      Atomics.store(this.#header, CROSSED, 1);
    }
    // Entries this thread has not copied yet stay holes: the receiving thread copies each when it first reads it.
    return this.handles.map((handle) => (handle === undefined ? undefined : context.encode(handle)));
  }
}

/** `SERIALIZED`: serialized bytes in a growable shared buffer (see the header words above), and the lock's handle table. */
class SerializedStorage<Value> implements Storage<Value> {
  readonly settles = true;
  readonly memory: SharedArrayBuffer;
  readonly offset: number;
  readonly bytes: SharedArrayBuffer;
  /** The header words (LENGTH, FORM, CROSSED). */
  readonly header: Int32Array;
  readonly table: HandleTable;
  /** The copy deserialized under the current guard, or NONE. */
  cache: Value | typeof NONE = NONE;
  /** Whether the copy may differ from the bytes (it was assigned, or handed out as an object). */
  dirty = false;

  static create<Value>(memory: SharedArrayBuffer, offset: number, value: Value): SerializedStorage<Value> {
    const storage = new SerializedStorage<Value>(memory, offset, growableSharedArrayBuffer(SERIALIZED_MIN_BYTES, SERIALIZED_MAX_BYTES), []);
    storage.store(value);
    return storage;
  }

  constructor(memory: SharedArrayBuffer, offset: number, bytes: SharedArrayBuffer, handles: (object | undefined)[]) {
    this.memory = memory;
    this.offset = offset;
    this.bytes = bytes;
    this.header = new Int32Array(bytes, 0, SERIALIZED_HEADER / 4);
    this.table = new HandleTable(this.header, handles);
  }
  /** The entries and ends the bytes hold, as the read under the current guard found them (see `store`); undefined if it did not read. */
  live: Held | undefined;

  get(): Value {
    if (this.cache === NONE) {
      // Collections another thread's store dropped: let go of them here too.
      this.table.sweep();
      // What the bytes hold, for the store that may follow: nothing to note when they never held a handle.
      // (A table that never had an entry holds no entry id: its bytes read none, and no set is made for them.)
      const live = this.#mayHold() ? { entries: this.table.holdsAny() ? new Set<number>() : NOTHING_HELD.entries, ends: [] } : NOTHING_HELD;
      if (live !== NOTHING_HELD) this.table.reading = live;
      // The bytes were written by the previous holder before it released the lock we now hold.
      // Read from a copy: element access through a view of a growable buffer takes V8's slow path.
      const value: unknown = deserialize(new Uint8Array(this.bytes, SERIALIZED_HEADER, this.header[LENGTH]).slice(), this.table);
      this.table.reading = undefined;
      this.live = live;
      // Values with a codec (a Cell) were stored in their wire form: rebuild them.
      this.cache = (this.header[FORM] === ENCODED ? decodeInPlace(value, new Set()) : value) as Value;
    }
    const value = this.cache;
    if (typeof value === 'object' && value !== null) this.dirty = true;
    return value;
  }
  /** For a read guard: as `get`, the collections in the value lent read-only. */
  getShared(): Value {
    return this.#getAs(LENT_SHARED);
  }
  /** For `intoInner`: as `get`, the collections in the value copied out (other threads may still reach the lock's). */
  intoInner(): Value {
    return this.#getAs(OWNED);
  }
  /** For a `OnceLock`'s readers: as `get`, the collections in the value read-only for good. */
  getFrozen(): Value {
    return this.#getAs(FROZEN);
  }
  #getAs(state: HandleState): Value {
    this.table.lendAs = state;
    try {
      return this.get();
    } finally {
      this.table.lendAs = LENT;
    }
  }
  set(value: Value): void {
    this.cache = value;
    this.dirty = true;
  }
  settle(): void {
    try {
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
    } finally {
      this.live = undefined;
      // Written back (or refused): the handles lent under the guard end with it.
      this.table.revokeLent();
    }
  }
  discard(): void {
    this.dirty = false;
    this.cache = NONE;
    this.live = undefined;
    this.table.revokeLent();
  }
  /** The lock's last owner dropped it: every entry its value holds is released, and every channel end in it dropped. */
  drop(): void {
    this.discard();
    if (!this.#mayHold()) return;
    const held = this.#held();
    for (const entry of held.entries) this.table.release(entry);
    // As Rust drops a `Mutex<Receiver<T>>`'s receiver with it: its senders see the disconnection.
    dropEnds(held.ends);
  }

  encode(context: CodecContext): StorageWire {
    return { kind: SERIALIZED, memory: this.memory, offset: this.offset, bytes: this.bytes, handles: this.table.close(context) };
  }
  /** Serializes `value` into the buffer, growing it if needed (the caller holds the lock). */
  store(value: unknown): void {
    // What the bytes hold now, before they are overwritten: what the new value leaves out goes.
    const before = this.live ?? (this.#mayHold() ? this.#held() : NOTHING_HELD);
    this.live = undefined;
    const wireForm = needsCodec(value, 0);
    const encoder = wireForm ? lockEncoder() : undefined;
    let encoded: Uint8Array;
    try {
      encoded = serializeValue(encoder !== undefined ? encoder.encode(value) : value, this.table);
      const needed = SERIALIZED_HEADER + encoded.length;
      if (needed > this.bytes.byteLength) {
        if (needed > SERIALIZED_MAX_BYTES) throw new RangeError('value too large for a lock (64 MiB)');
        growSharedArrayBuffer(this.bytes, Math.min(SERIALIZED_MAX_BYTES, Math.max(needed, this.bytes.byteLength * 2)));
      }
    } catch (error) {
      this.table.abandon();
      encoder?.abandonMoves();
      throw error;
    }
    new Uint8Array(this.bytes, SERIALIZED_HEADER, encoded.length).set(encoded);
    this.header[LENGTH] = encoded.length;
    this.header[FORM] = wireForm ? ENCODED : 0;
    // A `JoinHandle` stored is left moved (its codec moves it at the commit, see thread/join-handle.ts).
    encoder?.commitMoves();
    this.table.commit(before);
  }

  /** Whether the bytes may hold a handle: the table ever had one, or the value held a channel end. */
  #mayHold(): boolean {
    return this.table.holdsAny() || this.header[HELD_ENDS] !== 0;
  }

  /** What the bytes hold, read off them without building their handles (a store that did not read first, the last owner's drop). */
  #held(): Held {
    const entries = new Set<number>();
    const ends: number[] = [];
    const noting: HostObjects = {
      write: () => -1,
      read(id) {
        if ((id & 1) === 0) entries.add(id / 2);
        else ends.push((id - 1) / 2);
        return {};
      },
    };
    deserialize(new Uint8Array(this.bytes, SERIALIZED_HEADER, this.header[LENGTH]).slice(), noting);
    return { entries, ends };
  }
}

/** What a lock's bytes hold: table entries, and channel ends as heap numbers (one per count held: a channel's senders may repeat). */
interface Held {
  readonly entries: Set<number>;
  readonly ends: number[];
}

/** What the bytes of a lock that never held a handle hold. */
const NOTHING_HELD: Held = { entries: new Set(), ends: [] };

/** `ends` without one occurrence of each of `kept` (the channel ends a store wrote back). */
function leftOut(ends: readonly number[], kept: readonly number[]): number[] {
  const gone = [...ends];
  for (const end of kept) {
    const at = gone.indexOf(end);
    if (at >= 0) gone.splice(at, 1);
  }
  return gone;
}

/** Drops channel ends a lock's value held and no longer holds (as heap numbers): each owned the count its bytes held. */
function dropEnds(ends: readonly number[]): void {
  if (ends.length === 0) return;
  // A thread that never loaded the channels' module (a store that did not read first) has it loaded now.
  loadCodec('sendsync:Sender', CHANNEL_MODULE);
  for (const end of ends) (readHeapHandle(end, true) as Disposable)[Symbol.dispose]();
}

/** Drops a handle that a lock held: one with a count gives it up (`Symbol.dispose`: an `Arc`, a `Weak`); others have nothing to give. */
function dropHandle(handle: object): void {
  if (Symbol.dispose in handle) (handle as Disposable)[Symbol.dispose]();
}

/** A codec's type as messages name it (`Arc`, `Receiver`). */
function nameOf(codec: Codec): string {
  return typeof codec.name === 'string' ? codec.name : codec.type.name;
}

/**
 * For the encoder of a lock's value: which codec'd values stay as they are,
 * for the handle table (shared handles), and which cannot be in it at all
 * (owner handles: refused before their codec moves them out of this thread),
 * but a `JoinHandle`, whose codec encodes it as a slot for the table.
 */
function keepInTable(value: object, codec: Codec): boolean {
  if (codec.handle === 'shared' || codec.handle === 'heap') return true;
  // A `JoinHandle` moves in as a shared slot, which its wire form holds for the table (see thread/join-slot.ts).
  if (codec.tag === JOIN_HANDLE_TAG) return false;
  // A collection moves into the lock's table; each guard is lent a handle over its memory (`HandleTable.write`).
  if (isCollection(value)) return true;
  if (codec.handle === 'owner') {
    throw new TypeError(
      `\`${nameOf(codec)}\` cannot be inside a lock's value: it has one owner, and every thread holding the lock would hold it; move it into a thread, or send it through a channel`,
    );
  }
  return false;
}

/** The encoder of a lock's value: shared handles stay for the table, and codecs know where their wire form goes. */
function lockEncoder(): Encoder {
  const encoder = new Encoder(keepInTable);
  encoder.inLock = true;
  return encoder;
}

/**
 * Serializes with the portable serializer, shared handles as ids into
 * `table`; what cannot be stored (a function, shared memory outside a
 * handle, a channel end) is refused with a TypeError saying why.
 */
function serializeValue(value: unknown, table: HostObjects): Uint8Array {
  try {
    return serialize(value, table);
  } catch (cause) {
    const why = cause instanceof Error ? `: ${cause.message}` : '';
    throw new TypeError(`value cannot be stored in shared memory${why}`, { cause });
  }
}

/**
 * Whether `value` holds an object whose codec is not a shared handle's (a
 * `Cell`, which must be stored in its wire form; a `Receiver`, which the
 * encoder refuses); plain data and shared handles are serialized as they
 * are, with no copy.
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
  // A collection goes to the table as it is, as a shared handle does.
  if (isCollection(value)) return false;
  const codec = codecFor(value);
  return codec !== undefined && codec.handle !== 'shared' && codec.handle !== 'heap';
}

/**
 * For `OnceLock`, whose kind is only known when it is set: writes `value` into
 * memory made in advance (an inline slot at `offset` of `memory`, and a
 * growable byte buffer `bytes` made by `onceBytes`), and returns its kind.
 * Shared handles cannot be set this way: their memory cannot reach the other
 * threads after they started (`onceBytes` closes the handle table).
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
  assertSendAt(value, 'value');
  new SerializedStorage(memory, offset, bytes, []).store(value);
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
      return new SerializedStorage<Value>(memory, offset, bytes, []).getFrozen();
  }
}

/**
 * The owner of a `OnceLock` dropped it: so are the handles that `writeOnce`
 * stored as `kind` (a cloned value's channel ends and `Arc`s), as Rust drops
 * a `OnceLock<T>`'s `T`. A number, bigint or boolean holds none.
 */
export function dropOnce(kind: number, memory: SharedArrayBuffer, offset: number, bytes: SharedArrayBuffer): void {
  if (kind === SERIALIZED) new SerializedStorage(memory, offset, bytes, []).drop();
}

/** The byte buffer a `OnceLock` makes in advance for a cloned value. */
export function onceBytes(): SharedArrayBuffer {
  const bytes = growableSharedArrayBuffer(SERIALIZED_MIN_BYTES, SERIALIZED_MAX_BYTES);
  // The value is set after the lock is shared: a handle joins its table through the courier.
  const header = new Int32Array(bytes, 0, SERIALIZED_HEADER / 4);
  header.set(crypto.getRandomValues(new Int32Array(2)), TABLE_KEY);
  header[CROSSED] = 1;
  return bytes;
}
