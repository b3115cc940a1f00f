/**
 * A collection inside a `Mutex` or `RwLock`: the lock keeps the
 * collection's memory, and each guard is lent a handle over it, revoked when
 * the guard releases the lock, so that no handle outlives the guard it came
 * from; a read guard's handle is read-only, since other readers share it.
 * Nothing is copied on lock or release.
 */

import type { CodecContext } from '../codec.js';
import type { Storage, StorageWire } from '../sync/storage-types.js';
import { Core, type CoreWire } from './core.js';
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

/**
 * What must be Sync of a value that threads share through readers (an
 * `RwLock`'s read guards, a `OnceLock`'s `get`): the value, unless it is a
 * collection, which each reader reaches through a read-only handle, its
 * elements copied as each is read (the run-time side of `ReadShared`).
 */
export function readSharedParts(value: unknown): unknown[] {
  return isCollection(value) ? [] : [value];
}

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
