/**
 * A collection inside a `Mutex` or `RwLock`: the lock keeps the
 * collection's memory, and each guard is lent a handle over it, revoked when
 * the guard releases the lock, so that no handle outlives the guard it came
 * from; a read guard's handle is read-only, since other readers share it.
 * Nothing is copied on lock or release. As the lock's whole value, the
 * collection is the lock's storage (`CollectionStorage`); below the top of
 * a cloned value, an entry of the lock's handle table (`KeptCollection`,
 * lent by sync/storage.ts).
 */

import { registerCodec, type CodecContext } from '../codec.js';
import type { Storage, StorageWire } from '../sync/storage-types.js';
import { Core, DROPPED, type CoreWire } from './core.js';
import { adopt, Collection, LENT, LENT_SHARED, OWNED, type HandleState } from './handle.js';
import { HashMap } from './hash-map.js';
import { HashSet } from './hash-set.js';
import { VecDeque } from './vec-deque.js';
import { Vec } from './vec.js';

/** What a lock's storage carries for a collection across threads: its memory and its class (see `classIndex`). */
interface InLockWire {
  readonly core: CoreWire;
  readonly type: number;
}

/** The collection classes: a collection's memory, wherever it travels, names its class by its index here (minifiers rename classes). */
const classes: readonly (new () => Collection)[] = [Vec, VecDeque, HashMap, HashSet] as (new () => Collection)[];

/** The index of a collection's class in `classes`. */
export function classIndex(collection: Collection): number {
  return classes.indexOf(collection.constructor as new () => Collection);
}

/** The class of index `index` (from `classIndex`, in another thread). */
export function classAt(index: number): new () => Collection {
  const type = classes[index];
  if (type === undefined) throw new TypeError(`no collection class ${index} in this thread`);
  return type;
}

/** Whether `value` is a collection handle (it is then stored by `collectionStorage`). */
export function isCollection(value: unknown): value is Collection {
  return value instanceof Collection;
}

/** How deep `readSharedParts` looks for collections inside plain data (as `ReadShared` does). */
const READ_SHARED_DEPTH = 6;

/**
 * What must be Sync of a value that threads share through readers (an
 * `RwLock`'s read guards, a `OnceLock`'s `get`): the value, except the
 * collections in it (at the top, or inside plain objects and arrays), which
 * each reader reaches through a read-only handle, their elements copied as
 * each is read (the run-time side of `ReadShared`).
 */
export function readSharedParts(value: unknown): unknown[] {
  const parts: unknown[] = [];
  collectReadShared(value, parts, 0);
  return parts;
}

/** Adds to `parts` what readers of `value` share, leaving out its collections. */
function collectReadShared(value: unknown, parts: unknown[], depth: number): void {
  if (isCollection(value)) return;
  // Plain data that holds no collection stays whole: a refusal then names it as it is.
  if (depth >= READ_SHARED_DEPTH || !holdsCollection(value, depth)) {
    parts.push(value);
    return;
  }
  for (const item of plainChildren(value)!) collectReadShared(item, parts, depth + 1);
}

/** Whether plain data `value` holds a collection, within `READ_SHARED_DEPTH`. */
function holdsCollection(value: unknown, depth: number): boolean {
  if (isCollection(value)) return true;
  if (depth >= READ_SHARED_DEPTH) return false;
  const children = plainChildren(value);
  return children !== undefined && children.some((item) => holdsCollection(item, depth + 1));
}

/** The items of an array, the property values of a plain object; undefined for anything else. */
function plainChildren(value: unknown): unknown[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) return value as unknown[];
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === Object.prototype || prototype === null ? Object.values(value) : undefined;
}

/**
 * A collection that a lock keeps below the top of its value (`Mutex<{
 * queue: VecDeque<number> }>`, `Mutex<Vec<number>[]>`): an entry of the
 * lock's handle table (sync/storage.ts), holding the memory that moved in
 * and its class. Every thread holding the lock holds one over the same
 * memory (its wire form travels in the lock's, or through the courier for
 * one stored after the lock crossed). Each guard is lent a handle over it
 * (`lend`), revoked when the guard is released; nothing is copied.
 */
export class KeptCollection {
  /** The collection's class, as `classIndex` numbers it. */
  readonly type: number;
  readonly core: Core;

  constructor(type: number, core: Core) {
    this.type = type;
    this.core = core;
  }

  /**
   * A handle over the memory for the current guard: `LENT` (a write guard,
   * a `Mutex`'s), `LENT_SHARED` (a read guard), `FROZEN` (a `OnceLock`'s
   * value), or `OWNED`: a copy in new memory (a lock's `intoInner`, since
   * other threads may still reach this memory through the lock).
   */
  lend(state: HandleState): Collection {
    if (state === OWNED) return adopt(classAt(this.type), this.core.copy(), OWNED);
    // Another thread may have grown the memory while it held the lock.
    this.core.refresh();
    return adopt(classAt(this.type), this.core, state);
  }

  /** Whether the lock dropped this memory (in some thread): this thread lets go of it too. */
  get dropped(): boolean {
    // Pairs with the store in `Symbol.dispose`, made under the lock this thread holds now.
    return Atomics.load(this.core.meta, DROPPED) !== 0;
  }

  /** The lock dropped it (a store left it out, or the lock's last owner went): every thread holding the lock lets go of it. */
  [Symbol.dispose](): void {
    Atomics.store(this.core.meta, DROPPED, 1);
  }
}

registerCodec<KeptCollection, InLockWire>({
  module: import.meta.url,
  tag: 'sendsync:KeptCollection',
  // A lock's table entry, shared by every thread holding the lock; never in a user's hands.
  handle: 'shared',
  type: KeptCollection,
  encode: (kept) => ({ core: kept.core.wire(), type: kept.type }),
  decode: (wire) => new KeptCollection(wire.type, new Core(wire.core)),
  send: 'always',
  sync: 'always',
});

/** A lock's storage for `collection`, which moves into the lock (the handle given is unusable from now on). */
export function collectionStorage<Value>(kind: number, collection: Collection, memory: SharedArrayBuffer, offset: number): Storage<Value> {
  const type = collection.constructor as new () => Collection;
  return new CollectionStorage<Value>(kind, memory, offset, type, collection.take());
}

/** Rebuilds the storage from its wire form (`handle` of `StorageWire`), in the receiving thread. */
export function decodeCollectionStorage<Value>(wire: StorageWire): Storage<Value> {
  const { core, type } = wire.handle as InLockWire;
  return new CollectionStorage<Value>(wire.kind, wire.memory, wire.offset, classAt(type), new Core(core));
}

/** The storage: the memory, and the handle lent to the current guard if it asked for one. */
class CollectionStorage<Value> implements Storage<Value> {
  /** Release must revoke the lent handle. */
  readonly settles = true;
  readonly kind: number;
  readonly memory: SharedArrayBuffer;
  readonly offset: number;
  readonly type: new () => Collection;
  readonly core: Core;
  /** The handle lent under the current guard, made on its first `.value`. */
  lent: Collection | undefined = undefined;

  constructor(kind: number, memory: SharedArrayBuffer, offset: number, type: new () => Collection, core: Core) {
    this.kind = kind;
    this.memory = memory;
    this.offset = offset;
    this.type = type;
    this.core = core;
  }
  get(): Value {
    return this.lend(LENT);
  }
  getShared(): Value {
    return this.lend(LENT_SHARED);
  }
  intoInner(): Value {
    // A copy: other threads may still hold the lock, and reach this memory through it.
    return adopt(this.type, this.core.copy(), OWNED) as Value;
  }
  /** The handle lent under the current guard, made on its first `.value`. */
  private lend(state: HandleState): Value {
    let lent = this.lent;
    if (lent === undefined) {
      // The first `.value` under this guard: another thread may have grown the memory while it held the lock.
      this.core.refresh();
      // A new handle per guard: one kept from an earlier guard stays revoked.
      lent = this.lent = adopt(this.type, this.core, state);
    }
    return lent as Value;
  }
  set(): void {
    throw new TypeError('a collection in a lock cannot be replaced: change it in place (clear it, then fill it)');
  }
  settle(): void {
    this.discard();
  }
  discard(): void {
    const lent = this.lent;
    if (lent !== undefined) {
      this.lent = undefined;
      lent.revoke();
    }
  }
  encode(_context: CodecContext): StorageWire {
    const wire: InLockWire = { core: this.core.wire(), type: classes.indexOf(this.type) };
    return { kind: this.kind, memory: this.memory, offset: this.offset, handle: wire };
  }
}
