/**
 * The contract between a lock (`Mutex`, `RwLock`) and the storage of its
 * data (sync/storage.ts, and collections/in-lock.ts for a collection), apart
 * from either, so that both implementations depend on it and not on each
 * other.
 */

import type { CodecContext } from '../codec.js';

/** The structured-cloneable form of a storage, inside its lock's wire form. */
export interface StorageWire {
  /** Its kind: a `Tag` (internal/protocol.ts). */
  readonly kind: number;
  readonly memory: SharedArrayBuffer;
  readonly offset: number;
  readonly bytes?: SharedArrayBuffer;
  /** `SHARED`: the handle's wire form. */
  readonly handle?: unknown;
  /** `SERIALIZED`: the wire forms of the handle table's handles, by id. */
  readonly handles?: readonly unknown[];
}

/** Reads and writes a lock's data; only ever used by the thread holding the lock. */
export interface Storage<Value> {
  /** Whether `settle` has work to do (`SERIALIZED` data, a collection): lets a lock skip the call on its hot path. */
  readonly settles: boolean;
  /** `NUMBER` data's float slot, which the guards read and write directly (no call per access); undefined for the other kinds. */
  readonly numberSlot?: Float64Array;
  /** The current value (a `SERIALIZED` value is deserialized once per guard). */
  get(): Value;
  /** The value for a read guard, where it differs from `get`'s (a collection lends a read-only handle). */
  getShared?(): Value;
  /** The value taken out by `intoInner`, where it differs from `get`'s (a collection is copied out). */
  intoInner?(): Value;
  /** Replaces the value. */
  set(value: Value): void;
  /** End of a write guard: serialize back what may have changed. */
  settle(): void;
  /** End of a read guard: forget the deserialized copy. */
  discard(): void;
  /** The wire form, to cross threads. */
  encode(context: CodecContext): StorageWire;
  /**
   * The lock's last owner dropped it (see internal/drop-value.ts): gives up
   * the shared handles its value holds (an `Arc`'s count); left out where
   * the value holds none with a count.
   */
  drop?(): void;
}
