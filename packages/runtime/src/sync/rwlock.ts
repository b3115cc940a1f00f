/**
 * `RwLock<T>`: many readers or one writer, writers not starved, with poisoning.
 *
 * The layer above the word protocol (`sys/futex-rwlock.ts`, where the state
 * word's states and the waits are), as Rust's `sync/poison/rwlock.rs`: the
 * guards, the poison flag, the data's storage, the codec.
 */

import type { Traits } from '@sendsync/marker';
import { refuseToSend, registerCodec, type CodecContext } from '../codec.js';
import type { ReadShared } from '../collections/handle.js';
import { readSharedParts } from '../collections/in-lock.js';
import { typeNameOf } from '../internal/type-name.js';
import { assertSync } from '../internal/wire.js';
import { currentThreadId } from '../internal/thread-registry.js';
import { UNWIND, unwindState } from '../internal/unwinding.js';
import * as futex from '../sys/futex-rwlock.js';
import { clearPoison, isPoisoned, poison, poisonedUnderLock } from '../sys/poison-flag.js';
import { register, type Held } from './held.js';
import { PoisonError, ReleasedError, takeInner, TryLockError, WouldDeadlockError } from './poison.js';
import { ownedHandleMade, ownedHandles, type OwnedHandle } from './owned-handle.js';
import { createStorage, decodeStorage, INLINE_BYTES, readNumber, writeNumber, type Storage, type StorageWire } from './storage.js';

/** Byte offset of the inline data, after the words (8-aligned). */
const DATA_OFFSET = Math.ceil((futex.WORDS * Int32Array.BYTES_PER_ELEMENT) / 8) * 8;

/** The wire form of a reader-writer lock: its words and its data. */
interface RwLockWire {
  readonly memory: SharedArrayBuffer;
  readonly storage: StorageWire;
  readonly unshareable: string | undefined;
}

/**
 * A reader-writer lock protecting a value of type `T`, as Rust's
 * `std::sync::RwLock`: any number of threads may read at once (`read()`), or
 * one may write (`write()`). A waiting writer stops new readers, so writers are
 * not starved by a stream of readers.
 *
 * When to use: data read far more often than it is written.
 *
 * What `T` may be, and what each costs: as for `Mutex` (inline numbers,
 * bigints, booleans; shared views in place; other data deserialized on first
 * access under a guard, and for a write guard serialized back on release). A
 * read guard's value is a copy for cloned data: changing it changes nothing.
 *
 * Poisoning: as `Mutex`, for write guards only (a panicking reader does not
 * poison, as in Rust). A writer terminated while it holds the lock is noticed
 * by the waiters, which poison the lock. A reader terminated while it holds a
 * read lock is noticed by a waiting writer, which gives its shares back
 * (without poisoning: a reader changed nothing); readers are tracked in 16
 * slots by thread id, and a reader that finds no free slot is not tracked.
 *
 * @example
 * ```ts
 * import { RwLock } from '@sendsync/runtime/sync';
 *
 * const config = new RwLock({ retries: 3 });
 * { using r = config.read(); r.value.retries; }
 * { using w = config.write(); w.value = { retries: 5 }; }
 * // @ts-expect-error: a read guard cannot replace the data
 * config.read().value = { retries: 0 };
 * ```
 */
export class RwLock<T> {
  /** @internal The words (`sys/futex-rwlock.ts`). */
  readonly words: Int32Array;
  /** @internal The data. */
  readonly storage: Storage<T>;
  /**
   * @internal The type name of the data if it is not Sync (an `RwLock<Cell<number>>`
   * may be moved but not borrowed by scoped threads), from the initial value.
   */
  readonly unshareable: string | undefined;
  /** @internal The write guard of this thread (one at most is live). */
  readonly writeGuard: RwLockWriteGuard<T>;
  /** @internal A read guard of this thread, reused when not live. */
  readGuard: RwLockReadGuard<T>;
  /** @internal Read guards this thread holds on this lock (to refuse a self-deadlock). */
  readsHeld = 0;
  /** @internal The thread for which `slot` was claimed (a pooled worker runs several threads). */
  slotThread = 0;
  /** @internal This thread's reader slot (word index), or UNTRACKED. */
  slot = futex.UNTRACKED;

  /** Creates an unlocked lock holding `value`. */
  constructor(value: T);
  /** @internal Adopts the memory and the decoded data of a lock from another thread (see `#fromWire`). */
  constructor(value: undefined, memory: SharedArrayBuffer, storage: Storage<T>, unshareable: string | undefined);
  constructor(value: T, memory?: SharedArrayBuffer, storage?: Storage<T>, unshareable?: string) {
    if (memory === undefined || storage === undefined) {
      memory = new SharedArrayBuffer(DATA_OFFSET + INLINE_BYTES);
      storage = createStorage(value, memory, DATA_OFFSET);
      unshareable = notSyncName(value);
      ownedHandleMade(this, storage);
    }
    this.words = new Int32Array(memory, 0, futex.WORDS);
    this.storage = storage;
    this.unshareable = unshareable;
    this.writeGuard = this.#newWriteGuard();
    this.readGuard = this.#newReadGuard();
  }

  /** A read guard for this lock: a `NumberReadGuard` for a number. */
  #newReadGuard(): RwLockReadGuard<T> {
    const slot = this.storage.numberSlot;
    return slot === undefined ? new RwLockReadGuard(this) : (new NumberReadGuard(this as RwLock<number>, slot) as RwLockReadGuard<unknown> as RwLockReadGuard<T>);
  }

  /** A write guard for this lock: a `NumberWriteGuard` for a number. */
  #newWriteGuard(): RwLockWriteGuard<T> {
    const slot = this.storage.numberSlot;
    return slot === undefined ? new RwLockWriteGuard(this) : (new NumberWriteGuard(this as RwLock<number>, slot) as RwLockWriteGuard<unknown> as RwLockWriteGuard<T>);
  }

  /** Rebuilds a lock from its wire form, in the thread that received it. */
  static #fromWire(wire: RwLockWire, context: CodecContext): RwLock<unknown> {
    return new RwLock<unknown>(undefined, wire.memory, decodeStorage(wire.storage, context), wire.unshareable);
  }

  static {
    registerCodec<RwLock<unknown>, RwLockWire>({
      module: import.meta.url,
      tag: 'sendsync:RwLock',
      handle: 'shared',
      type: RwLock,
      // Its storage checks each value for Send as it is stored, and remembers one that is not Sync.
      send: 'T: Send',
      sync: 'T: Send + Sync',
      param: (lock) => (lock.unshareable === undefined ? [] : [lock.storage.get()]),
      encode(lock, context) {
        // The run-time backstop for `unsafe impl<T: Send + Sync> Sync for RwLock<T>`.
        if (context.borrowing === true && lock.unshareable !== undefined) {
          throw new TypeError(`\`RwLock<${lock.unshareable}>\` cannot be shared between threads safely`);
        }
        return { memory: lock.words.buffer as SharedArrayBuffer, storage: lock.storage.encode(context), unshareable: lock.unshareable };
      },
      decode: (wire, context) => RwLock.#fromWire(wire, context),
    });
    // Moved, it is left moved; dropped (or ended with its owning thread), the handles its value holds go too.
    ownedHandles<RwLock<unknown>>(RwLock, {
      successor(lock) {
        const next = new RwLock<unknown>(undefined, lock.words.buffer as SharedArrayBuffer, lock.storage, lock.unshareable);
        // The reader slot this thread claimed stays this thread's, in the handle that owns the lock now.
        next.slot = lock.slot;
        next.slotThread = lock.slotThread;
        return next;
      },
      value: (lock) => lock.storage,
    });
  }

  /**
   * Blocks until no writer holds or waits for the lock, then shares it.
   *
   * @throws {PoisonError} if poisoned; the share is released again (see
   * `PoisonError`), and the error's `intoInner()` takes one and gives the guard.
   * @throws {WouldDeadlockError} if this thread holds the write lock, or holds a read lock while a writer waits.
   */
  read(): RwLockReadGuard<T> {
    const thread = currentThreadId();
    if (!futex.read(this.words, thread, this.readsHeld > 0)) throw new WouldDeadlockError();
    const guard = this.readAcquired(this.idleReadGuard(), thread);
    if (poisonedUnderLock(this.words, futex.POISON)) throw this.readPoisoned(guard, true);
    return guard;
  }

  /**
   * Blocks until nobody reads or writes, then holds the lock alone.
   *
   * @throws {PoisonError} if poisoned; the lock is released again (see
   * `PoisonError`), and the error's `intoInner()` takes it and gives the guard.
   * @throws {WouldDeadlockError} if this thread already holds the lock.
   */
  write(): RwLockWriteGuard<T> {
    const thread = currentThreadId();
    if (!futex.write(this.words, thread, this.readsHeld > 0)) throw new WouldDeadlockError();
    const guard = this.writeAcquired(this.writeGuard, thread);
    if (poisonedUnderLock(this.words, futex.POISON)) throw this.writePoisoned(guard, true);
    return guard;
  }

  /** Shares the lock if no writer holds or waits for it, without waiting. @throws {TryLockError} */
  tryRead(): RwLockReadGuard<T> {
    const thread = currentThreadId();
    if (!futex.tryRead(this.words, thread)) throw new TryLockError('WouldBlock');
    const guard = this.readAcquired(this.idleReadGuard(), thread);
    if (poisonedUnderLock(this.words, futex.POISON)) throw new TryLockError('Poisoned', this.readPoisoned(guard, false));
    return guard;
  }

  /** Holds the lock alone if it is free, without waiting. @throws {TryLockError} */
  tryWrite(): RwLockWriteGuard<T> {
    const thread = currentThreadId();
    if (!futex.tryWrite(this.words, thread)) throw new TryLockError('WouldBlock');
    const guard = this.writeAcquired(this.writeGuard, thread);
    if (poisonedUnderLock(this.words, futex.POISON)) throw new TryLockError('Poisoned', this.writePoisoned(guard, false));
    return guard;
  }

  /** The awaitable twin of `read()` (each call gets its own guard). */
  async readAsync(): Promise<RwLockReadGuard<T>> {
    const thread = currentThreadId();
    await futex.readAsync(this.words, thread);
    const guard = this.readAcquired(this.#newReadGuard(), thread);
    if (poisonedUnderLock(this.words, futex.POISON)) throw this.readPoisoned(guard, true);
    return guard;
  }

  /** The awaitable twin of `write()` (each call gets its own guard). */
  async writeAsync(): Promise<RwLockWriteGuard<T>> {
    const thread = currentThreadId();
    await futex.writeAsync(this.words, thread);
    const guard = this.writeAcquired(this.#newWriteGuard(), thread);
    if (poisonedUnderLock(this.words, futex.POISON)) throw this.writePoisoned(guard, true);
    return guard;
  }

  /** Whether a writer panicked or died while holding the lock. */
  isPoisoned(): boolean {
    return isPoisoned(this.words, futex.POISON);
  }

  /** Marks the data as repaired. */
  clearPoison(): void {
    clearPoison(this.words, futex.POISON);
  }

  /** The data, taken out (locks, reads, unlocks). @throws {PoisonError} holding the value, if poisoned. */
  intoInner(): T {
    return takeInner(() => this.write(), this.storage);
  }

  /** This thread's read guard if it is idle, else a new one (a thread may hold several shares). */
  private idleReadGuard(): RwLockReadGuard<T> {
    const guard = this.readGuard;
    return guard.held ? (this.readGuard = this.#newReadGuard()) : guard;
  }

  /** After a share was taken by `thread`: the guard and its reader slot (the caller checks the poison). */
  private readAcquired(guard: RwLockReadGuard<T>, thread: number): RwLockReadGuard<T> {
    guard.held = true;
    if (guard.registeredBy !== thread) register(guard, thread);
    this.readsHeld++;
    if (this.slotThread !== thread) {
      this.slotThread = thread;
      this.slot = futex.claimSlot(this.words, thread);
    }
    guard.slot = this.slot;
    futex.countShare(this.words, this.slot);
    return guard;
  }

  /** After the write lock was taken by `thread`: the guard (the caller checks the poison). */
  private writeAcquired(guard: RwLockWriteGuard<T>, thread: number): RwLockWriteGuard<T> {
    guard.held = true;
    if (guard.registeredBy !== thread) register(guard, thread);
    return guard;
  }

  /**
   * Releases the share just taken for `guard` and returns the `PoisonError` to
   * throw, whose `intoInner()` shares the lock again for `guard`, ignoring the
   * poison: waiting as `read()` (`blocking`) or trying once as `tryRead()`. The
   * error holds no lock: see `Mutex`'s `#poisoned`.
   */
  private readPoisoned(guard: RwLockReadGuard<T>, blocking: boolean): PoisonError<RwLockReadGuard<T>> {
    this.unlockRead(guard);
    return new PoisonError(guard, () => {
      if (guard.held) return guard;
      const thread = currentThreadId();
      if (blocking ? !futex.read(this.words, thread, this.readsHeld > 0) : !futex.tryRead(this.words, thread)) {
        throw blocking ? new WouldDeadlockError() : new TryLockError('WouldBlock');
      }
      return this.readAcquired(guard, thread);
    });
  }

  /** As `readPoisoned`, for the write lock. */
  private writePoisoned(guard: RwLockWriteGuard<T>, blocking: boolean): PoisonError<RwLockWriteGuard<T>> {
    this.unlockWrite(guard);
    return new PoisonError(guard, () => {
      if (guard.held) return guard;
      const thread = currentThreadId();
      if (blocking ? !futex.write(this.words, thread, this.readsHeld > 0) : !futex.tryWrite(this.words, thread)) {
        throw blocking ? new WouldDeadlockError() : new TryLockError('WouldBlock');
      }
      return this.writeAcquired(guard, thread);
    });
  }

  /** @internal Releases a read guard's share. */
  unlockRead(guard: RwLockReadGuard<T>): void {
    guard.held = false;
    this.readsHeld--;
    this.storage.discard();
    futex.unlockRead(this.words, guard.slot);
  }

  /** @internal Releases the write lock of `guard`, writing cloned data back. */
  unlockWrite(guard: RwLockWriteGuard<T>): void {
    guard.held = false;
    try {
      this.storage.settle();
    } finally {
      futex.unlockWrite(this.words);
    }
  }
}

/** `unsafe impl<T: Send> Send for RwLock<T>`, `unsafe impl<T: Send + Sync> Sync for RwLock<T>`. */
export interface RwLock<T> extends Traits<'RwLock', ReadShared<T>, 'T: Send', 'T: Send + Sync'>, OwnedHandle {}

/** The type name of `value` if readers may not share it (checked as a borrow would be), else undefined. */
function notSyncName(value: unknown): string | undefined {
  try {
    assertSync(readSharedParts(value), 'value');
    return undefined;
  } catch {
    return typeNameOf(value);
  }
}

/**
 * A shared hold on an `RwLock`: `.value` reads the data; disposing releases
 * the share.
 *
 * When to use: it is what `read()` returns; keep it in a `using` declaration.
 *
 * @example
 * ```ts
 * using config = lock.read();
 * config.value.retries;
 * ```
 */
export class RwLockReadGuard<T> implements Held, Disposable {
  /** @internal Whether the guard holds a share now. */
  held = false;
  /** @internal The thread whose registry of guards lists it (`held.ts`), or 0. */
  registeredBy = 0;
  /** @internal The reader slot its share is counted in, or UNTRACKED. */
  slot = futex.UNTRACKED;
  /** @internal The lock. */
  readonly lock: RwLock<T>;

  /** @internal Made by `RwLock` only. */
  constructor(lock: RwLock<T>) {
    this.lock = lock;
  }

  /** The protected data, read-only (for cloned data: a copy). */
  get value(): Readonly<T> {
    if (!this.held) throw new ReleasedError();
    const storage = this.lock.storage;
    return storage.getShared === undefined ? storage.get() : storage.getShared();
  }

  /** Releases the share; releasing twice does nothing. */
  [Symbol.dispose](): void {
    if (this.held) this.lock.unlockRead(this);
  }

  /** @internal A panic leaves this guard's `using` block in a closure the bundler plugin lifted (see `UNWIND`): release now. */
  [UNWIND](): void {
    if (this.held) this.abandon();
  }

  /** @internal Called by the panic hook: a reader's panic does not poison; just release. */
  abandon(): void {
    this.lock.unlockRead(this);
  }

  /** @internal Its thread ended holding it: a waiting writer gives its share back when it sees that. */
  forget(): void {
    this.held = false;
  }
}

/** `impl<T> !Send for RwLockReadGuard<T>`, `unsafe impl<T: Sync> Sync for RwLockReadGuard<T>`. */
export interface RwLockReadGuard<T> extends Traits<'RwLockReadGuard', T, 'never', 'T: Sync'> {}

/**
 * The exclusive hold on an `RwLock`: `.value` reads and writes the data;
 * disposing releases the lock.
 *
 * When to use: it is what `write()` returns; keep it in a `using` declaration.
 *
 * @example
 * ```ts
 * using config = lock.write();
 * config.value = { retries: 5 };
 * ```
 */
export class RwLockWriteGuard<T> implements Held, Disposable {
  /** @internal Whether the guard holds the lock now. */
  held = false;
  /** @internal The thread whose registry of guards lists it (`held.ts`), or 0. */
  registeredBy = 0;
  /** @internal The lock. */
  readonly lock: RwLock<T>;

  /** @internal Made by `RwLock` only. */
  constructor(lock: RwLock<T>) {
    this.lock = lock;
  }

  /** The protected data. */
  get value(): T {
    if (!this.held) throw new ReleasedError();
    return this.lock.storage.get();
  }
  set value(value: T) {
    if (!this.held) throw new ReleasedError();
    this.lock.storage.set(value);
  }

  /** Releases the lock; releasing twice does nothing. */
  [Symbol.dispose](): void {
    if (!this.held) return;
    // Disposed by an exception propagating out of its block: poison, as a Rust write guard dropped while unwinding does.
    if (unwindState.unwinding) return this.abandon();
    this.lock.unlockWrite(this);
  }

  /** @internal A panic leaves this guard's `using` block in a closure the bundler plugin lifted (see `UNWIND`): poison and release now. */
  [UNWIND](): void {
    if (this.held) this.abandon();
  }

  /** @internal Called by the panic hook: poison, then release (if this thread holds it: see `MutexGuard.abandon`). */
  abandon(): void {
    const words = this.lock.words;
    if (!futex.writeHeldBy(words, currentThreadId())) return this.forget();
    poison(words, futex.POISON);
    try {
      this.lock.unlockWrite(this);
    } catch {
      // The data may be unserializable; the lock is released anyway and stays poisoned.
    }
  }

  /** @internal Its thread ended holding it: waiters take the lock over (and poison it) when they see that. */
  forget(): void {
    this.held = false;
  }
}

/** `impl<T> !Send for RwLockWriteGuard<T>`, `unsafe impl<T: Sync> Sync for RwLockWriteGuard<T>`. */
export interface RwLockWriteGuard<T> extends Traits<'RwLockWriteGuard', T, 'never', 'T: Sync'> {}

/**
 * The read guard of an `RwLock<number>`: it reads the number's slot itself,
 * and releases without asking the storage to forget a copy. A class of its
 * own (as `Mutex`'s `NumberGuard`), so that the accessor and the release a
 * program calls on numbers see one kind of data and V8 inlines them whole.
 */
class NumberReadGuard extends RwLockReadGuard<number> {
  /** The number's slot in the lock's memory. */
  readonly #slot: Float64Array;

  constructor(lock: RwLock<number>, slot: Float64Array) {
    super(lock);
    this.#slot = slot;
  }

  override get value(): number {
    return readNumber(this.held, this.#slot);
  }

  override [Symbol.dispose](): void {
    if (!this.held) return;
    this.held = false;
    this.lock.readsHeld--;
    futex.unlockRead(this.lock.words, this.slot);
  }
}

/** The write guard of an `RwLock<number>`: the slot itself, as `NumberReadGuard`. */
class NumberWriteGuard extends RwLockWriteGuard<number> {
  /** The number's slot in the lock's memory. */
  readonly #slot: Float64Array;

  constructor(lock: RwLock<number>, slot: Float64Array) {
    super(lock);
    this.#slot = slot;
  }

  override get value(): number {
    return readNumber(this.held, this.#slot);
  }
  override set value(value: number) {
    writeNumber(this.held, this.#slot, this.lock.storage, value);
  }

  override [Symbol.dispose](): void {
    if (!this.held) return;
    if (unwindState.unwinding) return this.abandon();
    this.held = false;
    futex.unlockWrite(this.lock.words);
  }
}

// Guards never leave their thread: moving or borrowing one is refused with rustc's E0277 wording.
for (const type of [RwLockReadGuard, NumberReadGuard]) {
  refuseToSend<RwLockReadGuard<unknown>>({
    type,
    name: 'RwLockReadGuard',
    param: (guard) => (guard.held ? [guard.lock.storage.get()] : []),
  });
}
for (const type of [RwLockWriteGuard, NumberWriteGuard]) {
  refuseToSend<RwLockWriteGuard<unknown>>({
    type,
    name: 'RwLockWriteGuard',
    param: (guard) => (guard.held ? [guard.lock.storage.get()] : []),
  });
}
