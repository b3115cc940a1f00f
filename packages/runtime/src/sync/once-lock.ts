/**
 * `OnceLock<T>`: a value written once, by whichever thread gets there first.
 *
 * The layer above the word protocol of `Once` (`sys/futex-once.ts`): the
 * value's storage, the per-thread cache, the codec.
 */

import type { Traits } from '@sendsync/marker';
import { registerCodec } from '../codec.js';
import { ownedHandleMade, ownedHandles, type OwnedHandle } from './owned-handle.js';
import type { ReadShared } from '../collections/handle.js';
import { isCollection, readSharedParts } from '../collections/in-lock.js';
import { getCollectionOnce, setCollectionOnce } from '../collections/in-once-lock.js';
import protocol from '../internal/protocol.js';
import { typeNameOf } from '../internal/type-name.js';
import { assertSync } from '../internal/wire.js';
import * as futex from '../sys/futex-once.js';
import { WouldDeadlockError } from './poison.js';
import { dropOnce, INLINE_BYTES, onceBytes, readOnce, writeOnce } from './storage.js';

/** The kind of a collection's value: its contents saved in the byte buffer (`collections/in-once-lock.ts`); other kinds are storage.ts's. */
const { COLLECTION, SERIALIZED } = protocol.Tag;

/** Index of the value's storage kind (see storage.ts), after the protocol's words; valid once complete. */
const KIND = futex.WORDS;
/** How many words a `OnceLock` has. */
const WORDS = KIND + 1;
/** Byte offset of the inline value slot, after the words (8-aligned). */
const DATA_OFFSET = 16;

/** The wire form of a `OnceLock`: its words and inline slot, and its byte buffer. */
interface OnceLockWire {
  readonly memory: SharedArrayBuffer;
  readonly bytes: SharedArrayBuffer;
}

/** What `getOrInit` asks of the protocol: run the initialiser, again after one that threw. */
const INIT: futex.OnceRequest = { run: true, force: true };
/** What `wait` asks of the protocol: wait until set, past initialisers that threw. */
const WAIT: futex.OnceRequest = { run: false, force: true };

/** Nothing read yet in this thread (a unique marker: `undefined` may be the value). */
const NONE: unique symbol = Symbol('none');

/**
 * A cell written at most once, as Rust's `std::sync::OnceLock`: `get()` is
 * `undefined` until some thread `set`s it or `getOrInit` initialises it; then
 * every thread reads the same value, forever.
 *
 * When to use: a lazily computed value shared by all threads (a parsed
 * configuration, a table).
 *
 * What `T` may be, and what it costs: a number, bigint or boolean (inline);
 * a collection (`Vec`, `VecDeque`, `HashMap`, `HashSet`), which moves in and
 * is read-only from then on (copied once when set, and once per other thread
 * on its first read); other structured-cloneable data (serialized once when
 * set, deserialized once per thread on its first read). Shared handles cannot
 * be set (their memory cannot reach threads that already run): put them in
 * the `OnceLock`'s place from the start, or behind a `Mutex`. If the initialiser throws (or its
 * thread dies) the cell stays empty and another caller may initialise it.
 * The waiting is `Once`'s (`sys/futex-once.ts`), forced past a failed
 * initialiser, as Rust's `OnceLock` is a `Once` beside a value.
 *
 * @example
 * ```ts
 * import { OnceLock } from '@sendsync/runtime/sync';
 *
 * const table = new OnceLock<number[]>();
 * table.getOrInit(() => [1, 2, 3]); // computed here
 * table.getOrInit(() => []); // [1, 2, 3]: already set
 * table.set([4]); // false
 * // @ts-expect-error: the value has the cell's type
 * table.set('x');
 * ```
 */
export class OnceLock<T> {
  /** @internal The protocol's words and the kind word, then the inline slot. */
  readonly words: Int32Array;
  /** @internal The byte buffer for a cloned value. */
  readonly bytes: SharedArrayBuffer;
  /** @internal The value as read in this thread, or NONE. */
  cached: T | typeof NONE = NONE;

  /** An empty cell. */
  constructor();
  /** @internal Adopts the memory of a `OnceLock` from another thread (see `#fromWire`). */
  constructor(memory: SharedArrayBuffer, bytes: SharedArrayBuffer);
  constructor(memory?: SharedArrayBuffer, bytes?: SharedArrayBuffer) {
    this.words = new Int32Array(memory ?? new SharedArrayBuffer(DATA_OFFSET + INLINE_BYTES), 0, WORDS);
    this.bytes = bytes ?? onceBytes();
    // Made by a thread's closure, it is the thread's: dropped (with what it holds) when the thread ends.
    if (memory === undefined) ownedHandleMade(this, ownedValue(this));
  }

  /** Rebuilds a `OnceLock` from its wire form, in the thread that received it. */
  static #fromWire(wire: OnceLockWire): OnceLock<unknown> {
    return new OnceLock<unknown>(wire.memory, wire.bytes);
  }

  static {
    registerCodec<OnceLock<unknown>, OnceLockWire>({
      module: import.meta.url,
      tag: 'sendsync:OnceLock',
      handle: 'shared',
      type: OnceLock,
      send: 'T: Send',
      sync: 'T: Send + Sync',
      param: (cell) => sharedParts(cell.get()),
      encode(cell, context) {
        // The run-time backstop for `unsafe impl<T: Send + Sync> Sync for OnceLock<T>` (once a value is set).
        if (context.borrowing === true) {
          const value = cell.get();
          try {
            assertSync(sharedParts(value), 'value');
          } catch {
            throw new TypeError(`\`OnceLock<${typeNameOf(value)}>\` cannot be shared between threads safely`);
          }
        }
        return { memory: cell.words.buffer as SharedArrayBuffer, bytes: cell.bytes };
      },
      decode: (wire) => OnceLock.#fromWire(wire),
    });
    // Moved, it is left moved; dropped (or ended with its owning thread), the handles its value holds go too.
    ownedHandles<OnceLock<unknown>>(OnceLock, { value: ownedValue });
  }

  /** The value, or `undefined` while the cell is empty (or being initialised). */
  get(): T | undefined {
    if (this.cached !== NONE) return this.cached;
    return futex.isComplete(this.words) ? this.read() : undefined;
  }

  /** Sets the value if the cell is empty; returns whether it did (Rust's `Ok(())`). Waits for a running initialiser. */
  set(value: T): boolean {
    let stored = false;
    this.getOrInit(() => {
      stored = true;
      return value;
    });
    return stored;
  }

  /**
   * The value, computing it with `f` first if the cell is empty; concurrent
   * callers wait for the one that runs `f`.
   *
   * @throws {WouldDeadlockError} if called from inside `f`.
   */
  getOrInit(f: () => T): T {
    if (this.cached !== NONE) return this.cached;
    if (futex.isComplete(this.words)) return this.read();
    const outcome = futex.begin(this.words, INIT, 'waitAsync');
    if (outcome === futex.REFUSED_REENTRANT) throw new WouldDeadlockError();
    return outcome === futex.FINISHED ? this.read() : this.initialise(f);
  }

  /**
   * Blocks until the cell is set, then returns the value.
   *
   * @throws {WouldDeadlockError} if called from inside the initialiser.
   */
  wait(): T {
    if (this.cached !== NONE) return this.cached;
    if (!futex.isComplete(this.words) && futex.begin(this.words, WAIT, 'waitAsync') === futex.REFUSED_REENTRANT) {
      throw new WouldDeadlockError();
    }
    return this.read();
  }

  /** The awaitable twin of `wait()`. */
  async waitAsync(): Promise<T> {
    if (this.cached !== NONE) return this.cached;
    if (!futex.isComplete(this.words)) await futex.beginAsync(this.words, WAIT);
    return this.read();
  }

  /** The value, taken out (Rust's `into_inner`): `undefined` if empty. */
  intoInner(): T | undefined {
    return this.get();
  }

  /** Runs `f` as the one initialiser, then publishes the value (or leaves the cell empty if `f` throws). */
  private initialise(f: () => T): T {
    let completed = false;
    try {
      let value = f();
      // Published by `end`'s store of the state.
      if (isCollection(value)) {
        value = setCollectionOnce(value, this.bytes) as T;
        Atomics.store(this.words, KIND, COLLECTION);
      } else {
        const kind = writeOnce(value, this.words.buffer as SharedArrayBuffer, DATA_OFFSET, this.bytes);
        Atomics.store(this.words, KIND, kind);
        // The handles inside moved into the cell (the ones given are left moved): read the cell's own back.
        if (kind === SERIALIZED && typeof value === 'object' && value !== null) value = readOnce<T>(kind, this.words.buffer as SharedArrayBuffer, DATA_OFFSET, this.bytes);
      }
      completed = true;
      this.cached = value;
      return value;
    } finally {
      futex.end(this.words, completed);
    }
  }

  /** Reads the published value once in this thread, and keeps it. */
  private read(): T {
    const kind = Atomics.load(this.words, KIND);
    const value = kind === COLLECTION ? (getCollectionOnce(this.bytes) as T) : readOnce<T>(kind, this.words.buffer as SharedArrayBuffer, DATA_OFFSET, this.bytes);
    this.cached = value;
    return value;
  }
}

/**
 * `unsafe impl<T: Send> Send for OnceLock<T>`, `unsafe impl<T: Send + Sync> Sync for OnceLock<T>`:
 * a collection in it is read-only, so `OnceLock<Vec<number>>` is Sync (see `ReadShared`).
 */
export interface OnceLock<T> extends Traits<'OnceLock', ReadShared<T>, 'T: Send', 'T: Send + Sync'>, OwnedHandle {}

/**
 * The value a `OnceLock` owns, for its drop (see `OwnedHandleParts.value`):
 * read from the cell's own fields, since a dropped cell's methods throw.
 */
function ownedValue(cell: OnceLock<unknown>): { drop(): void } {
  return {
    drop() {
      cell.cached = NONE;
      if (futex.isComplete(cell.words)) dropOnce(Atomics.load(cell.words, KIND), cell.words.buffer as SharedArrayBuffer, DATA_OFFSET, cell.bytes);
    },
  };
}

/** What must be Sync of the cell's value for the cell to be shared (nothing while it is empty). */
function sharedParts(value: unknown): unknown[] {
  return value === undefined ? [] : readSharedParts(value);
}
