/**
 * `RwLock<T>`: many readers or one writer, writers not starved, with poisoning.
 *
 * The algorithm is the writer-preferring futex reader-writer lock of Mara
 * Bos's "Rust Atomics and Locks" (chapter 9): the state word counts readers
 * (twice, so that its low bit can say "a writer is waiting", which stops new
 * readers), and writers sleep on a separate wake counter.
 */

import type { Copy, Traits } from '@sendsync/marker';
import { refuseToSend, registerCodec, type CodecContext } from '../codec.js';
import { typeNameOf } from '../internal/type-name.js';
import { assertSync } from '../internal/wire.js';
import { currentThreadId, isThreadAlive } from '../internal/thread-registry.js';
import { unwindState } from '../internal/unwinding.js';
import { waitAsync } from './es2024.js';
import { track, type Held } from './held.js';
import { PoisonError, ReleasedError, TryLockError, WouldDeadlockError } from './poison.js';
import { createStorage, decodeStorage, INLINE_BYTES, type Storage, type StorageWire } from './storage.js';
import { LIVENESS_CHECK_MS } from '../sys/wait-policy.js';

/** Index of the state word. */
const STATE = 0;
/** Index of the writer wake counter: writers sleep on it; every unlock that may let a writer in adds one. */
const WRITER_WAKE = 1;
/** Index of the poison flag (0 or 1). */
const POISON = 2;
/** Index of the number of readers sleeping on the state word (unlocks skip the notify when there are none). */
const READERS_SLEEPING = 3;
/** Index of the number of writers sleeping on the wake counter (unlocks skip the notify when there are none). */
const WRITERS_SLEEPING = 4;
/**
 * Index of the first reader slot. A slot is two words: a reader thread's id,
 * and how many shares it holds; a writer that waits too long gives back the
 * shares of dead readers. A thread keeps its slot while it lives.
 */
const READER_SLOTS = 5;
/** How many reader slots there are (a reader finding none free is not tracked). */
const SLOT_COUNT = 16;
/** How many slots a reader probes from its home slot (`id % SLOT_COUNT`). */
const PROBE = 4;
/** How many words there are. */
const WORDS = READER_SLOTS + 2 * SLOT_COUNT;
/** Byte offset of the inline data, after the words (8-aligned). */
const DATA_OFFSET = Math.ceil((WORDS * 4) / 8) * 8;
/** A read guard's slot when its thread is not tracked. */
const UNTRACKED = -1;

/** State: nobody holds the lock. */
const UNLOCKED = 0;
// State below zero: a writer holds the lock, and -state is its thread id (so that the lock
// knows its writer: relocking throws, and a dead writer is noticed).
/** State step per reader: the state is 2 × readers, plus 1 while a writer waits. */
const READER = 2;
/** State bit: a writer waits; new readers must wait too (no writer starvation). */
const WRITER_WAITING = 1;

/** The wire form of a reader-writer lock: its words and its data. */
interface RwLockWire {
  readonly memory: SharedArrayBuffer;
  readonly storage: StorageWire;
  readonly unshareable: string | undefined;
}

/** Set by the codec while it rebuilds a lock from its wire form (the constructor reads it). */
let decoding: { wire: RwLockWire; context: CodecContext } | undefined;

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
  /** @internal The state, writer wake counter, poison flag and write owner. */
  readonly words: Int32Array;
  /** @internal The data. */
  readonly storage: Storage<T>;
  /** @internal The write guard of this thread (one at most is live). */
  readonly writeGuard: RwLockWriteGuard<T>;
  /**
   * @internal The type name of the data if it is not Sync (an `RwLock<Cell<number>>`
   * may be moved but not borrowed by scoped threads), from the initial value.
   */
  readonly unshareable: string | undefined;
  /** @internal A read guard of this thread, reused when not live. */
  readGuard: RwLockReadGuard<T>;
  /** @internal Read guards this thread holds on this lock (to refuse a self-deadlock). */
  readsHeld = 0;
  /** @internal The thread for which `slot` was claimed (a pooled worker runs several threads). */
  slotThread = 0;
  /** @internal This thread's reader slot (word index), or UNTRACKED. */
  slot = UNTRACKED;

  /** Creates an unlocked lock holding `value`. */
  constructor(value: T) {
    const from = decoding;
    decoding = undefined;
    if (from === undefined) {
      const memory = new SharedArrayBuffer(DATA_OFFSET + INLINE_BYTES);
      this.words = new Int32Array(memory, 0, WORDS);
      this.storage = createStorage(value, memory, DATA_OFFSET);
      this.unshareable = notSyncName(value);
    } else {
      this.words = new Int32Array(from.wire.memory, 0, WORDS);
      this.storage = decodeStorage(from.wire.storage, from.context);
      this.unshareable = from.wire.unshareable;
    }
    this.writeGuard = new RwLockWriteGuard(this);
    this.readGuard = new RwLockReadGuard(this);
  }

  /**
   * Blocks until no writer holds or waits for the lock, then shares it.
   *
   * @throws {PoisonError} if poisoned (the error's guard holds a read lock).
   * @throws {WouldDeadlockError} if this thread holds the write lock, or holds a read lock while a writer waits.
   */
  read(): RwLockReadGuard<T> {
    const words = this.words;
    const state = Atomics.load(words, STATE);
    // Acquire a share: pairs with the store in `unlockWrite`, which published the writer's data.
    if (state < 0 || (state & WRITER_WAITING) !== 0 || Atomics.compareExchange(words, STATE, state, state + READER) !== state) {
      this.readContended();
    }
    return this.readAcquired();
  }

  /**
   * Blocks until nobody reads or writes, then holds the lock alone.
   *
   * @throws {PoisonError} if poisoned (the error's guard holds the write lock).
   * @throws {WouldDeadlockError} if this thread already holds the lock.
   */
  write(): RwLockWriteGuard<T> {
    const owner = -currentThreadId();
    // Acquire: pairs with the last reader's sub and the writer's store in the unlocks.
    if (Atomics.compareExchange(this.words, STATE, UNLOCKED, owner) !== UNLOCKED) this.writeContended(owner);
    return this.writeAcquired();
  }

  /** Shares the lock if no writer holds or waits for it, without waiting. @throws {TryLockError} */
  tryRead(): RwLockReadGuard<T> {
    const words = this.words;
    for (;;) {
      const state = Atomics.load(words, STATE);
      if (state < 0 || (state & WRITER_WAITING) !== 0) {
        if (state < 0 && this.releaseDeadWriter(state)) continue;
        throw new TryLockError('WouldBlock');
      }
      // Acquire a share: pairs with the store in `unlockWrite`.
      if (Atomics.compareExchange(words, STATE, state, state + READER) === state) break;
    }
    try {
      return this.readAcquired();
    } catch (error) {
      throw new TryLockError('Poisoned', error as PoisonError<RwLockReadGuard<T>>);
    }
  }

  /** Holds the lock alone if it is free, without waiting. @throws {TryLockError} */
  tryWrite(): RwLockWriteGuard<T> {
    const owner = -currentThreadId();
    for (;;) {
      // Acquire: pairs with the unlocks.
      const state = Atomics.compareExchange(this.words, STATE, UNLOCKED, owner);
      if (state === UNLOCKED) break;
      if (state < 0 && this.releaseDeadWriter(state)) continue;
      throw new TryLockError('WouldBlock');
    }
    try {
      return this.writeAcquired();
    } catch (error) {
      throw new TryLockError('Poisoned', error as PoisonError<RwLockWriteGuard<T>>);
    }
  }

  /** The awaitable twin of `read()` (each call gets its own guard). */
  async readAsync(): Promise<RwLockReadGuard<T>> {
    const words = this.words;
    for (;;) {
      const state = Atomics.load(words, STATE);
      if (state >= 0 && (state & WRITER_WAITING) === 0) {
        // Acquire a share: pairs with the store in `unlockWrite`.
        if (Atomics.compareExchange(words, STATE, state, state + READER) === state) break;
        continue;
      }
      if (state < 0 && this.releaseDeadWriter(state)) continue;
      // Counted before sleeping: an unlock that misses the count has already changed the state we sleep on.
      Atomics.add(words, READERS_SLEEPING, 1);
      // Woken by `unlockWrite`'s notify; the timeout is for the writer's liveness.
      const result = waitAsync(words, STATE, state, LIVENESS_CHECK_MS);
      if (result.async) await result.value;
      Atomics.sub(words, READERS_SLEEPING, 1);
    }
    return this.readAcquired(new RwLockReadGuard(this));
  }

  /** The awaitable twin of `write()` (each call gets its own guard). */
  async writeAsync(): Promise<RwLockWriteGuard<T>> {
    const words = this.words;
    const owner = -currentThreadId();
    for (;;) {
      let state = Atomics.load(words, STATE);
      if (state === UNLOCKED || state === WRITER_WAITING) {
        // Acquire: pairs with the unlocks (the last reader's sub, the writer's store).
        if (Atomics.compareExchange(words, STATE, state, owner) === state) break;
        continue;
      }
      if (state < 0 && this.releaseDeadWriter(state)) continue;
      if (state > 0 && (state & WRITER_WAITING) === 0 && Atomics.compareExchange(words, STATE, state, state | WRITER_WAITING) !== state) continue;
      // Counted first, then the wake counter read, then the state checked again: an unlock that
      // misses the count comes before these reads, so we see it and do not sleep.
      Atomics.add(words, WRITERS_SLEEPING, 1);
      const wake = Atomics.load(words, WRITER_WAKE);
      state = Atomics.load(words, STATE);
      let outcome = 'ok';
      if (state !== UNLOCKED && state !== WRITER_WAITING) {
        const result = waitAsync(words, WRITER_WAKE, wake, LIVENESS_CHECK_MS);
        outcome = result.async ? await result.value : result.value;
      }
      Atomics.sub(words, WRITERS_SLEEPING, 1);
      // Readers still hold the lock after a whole slice: some may be dead.
      if (outcome === 'timed-out' && Atomics.load(words, STATE) > 0) this.releaseDeadReaders();
    }
    return this.writeAcquired(new RwLockWriteGuard(this));
  }

  /** Whether a writer panicked or died while holding the lock. */
  isPoisoned(): boolean {
    // Pairs with the stores in `abandon`, `releaseDeadWriter` and `clearPoison`.
    return Atomics.load(this.words, POISON) !== 0;
  }

  /** Marks the data as repaired. */
  clearPoison(): void {
    Atomics.store(this.words, POISON, 0);
  }

  /** The data, taken out (locks, reads, unlocks). @throws {PoisonError} holding the value, if poisoned. */
  intoInner(): T {
    let guard: RwLockWriteGuard<T>;
    let poisoned = false;
    try {
      guard = this.write();
    } catch (error) {
      if (!(error instanceof PoisonError)) throw error;
      guard = error.intoInner() as RwLockWriteGuard<T>;
      poisoned = true;
    }
    const value = this.storage.get();
    // Taken out, not changed: nothing to serialize back.
    this.storage.discard();
    guard[Symbol.dispose]();
    if (poisoned) throw new PoisonError(value);
    return value;
  }

  /** The data, read under a short write lock (Rust's `get_mut`; a copy unless it is a shared view). */
  getMut(): T {
    return this.intoInner();
  }

  /** After a share was taken: the guard, its reader slot, and the poison check. */
  private readAcquired(fresh?: RwLockReadGuard<T>): RwLockReadGuard<T> {
    let guard = fresh;
    if (guard === undefined) {
      guard = this.readGuard;
      if (guard.held) guard = this.readGuard = new RwLockReadGuard(this);
    }
    guard.held = true;
    this.readsHeld++;
    const thread = currentThreadId();
    const slot = this.slotThread === thread ? this.slot : this.claimSlot(thread);
    guard.slot = slot;
    // Read by a writer giving back a dead reader's shares.
    if (slot !== UNTRACKED) Atomics.add(this.words, slot + 1, 1);
    // Written by a writer (or a waiter taking over a dead writer) before the unlock our acquisition paired with.
    if (this.words[POISON] !== 0) throw new PoisonError(guard);
    return guard;
  }

  /** After the write lock was taken: the guard, and the poison check. */
  private writeAcquired(fresh?: RwLockWriteGuard<T>): RwLockWriteGuard<T> {
    const guard = fresh ?? this.writeGuard;
    guard.held = true;
    if (this.words[POISON] !== 0) throw new PoisonError(guard);
    return guard;
  }

  /** Slow path of `read`: refuse self-deadlock, then wait while a writer holds or waits. */
  private readContended(): void {
    const words = this.words;
    for (;;) {
      const state = Atomics.load(words, STATE);
      if (state >= 0 && (state & WRITER_WAITING) === 0) {
        // Acquire a share: pairs with the store in `unlockWrite`.
        if (Atomics.compareExchange(words, STATE, state, state + READER) === state) return;
        continue;
      }
      if (state < 0) {
        if (-state === currentThreadId()) throw new WouldDeadlockError();
        if (this.releaseDeadWriter(state)) continue;
      } else if (this.readsHeld > 0) {
        // We read, a writer waits for us, and we would wait for the writer.
        throw new WouldDeadlockError();
      }
      // Counted before sleeping: an unlock that misses the count has already changed the state we sleep on.
      Atomics.add(words, READERS_SLEEPING, 1);
      // Woken by `unlockWrite`'s notify (or by the last reader letting a writer in, which then unlocks).
      Atomics.wait(words, STATE, state, LIVENESS_CHECK_MS);
      Atomics.sub(words, READERS_SLEEPING, 1);
    }
  }

  /** Slow path of `write`: refuse self-deadlock, announce the waiting writer, sleep on the wake counter. */
  private writeContended(owner: number): void {
    const words = this.words;
    if (this.readsHeld > 0) throw new WouldDeadlockError();
    for (;;) {
      let state = Atomics.load(words, STATE);
      if (state === UNLOCKED || state === WRITER_WAITING) {
        // Acquire: pairs with the unlocks (the last reader's sub, the writer's store).
        if (Atomics.compareExchange(words, STATE, state, owner) === state) return;
        continue;
      }
      if (state < 0) {
        if (state === owner) throw new WouldDeadlockError();
        if (this.releaseDeadWriter(state)) continue;
      }
      // Stop new readers: pairs with the check of WRITER_WAITING in `read`.
      if (state > 0 && (state & WRITER_WAITING) === 0 && Atomics.compareExchange(words, STATE, state, state | WRITER_WAITING) !== state) continue;
      // Counted first, then the wake counter read, then the state checked again: an unlock that
      // misses the count comes before these reads, so we see it and do not sleep.
      Atomics.add(words, WRITERS_SLEEPING, 1);
      const wake = Atomics.load(words, WRITER_WAKE);
      state = Atomics.load(words, STATE);
      const outcome = state !== UNLOCKED && state !== WRITER_WAITING ? Atomics.wait(words, WRITER_WAKE, wake, LIVENESS_CHECK_MS) : 'ok';
      Atomics.sub(words, WRITERS_SLEEPING, 1);
      // Readers still hold the lock after a whole slice: some may be dead.
      if (outcome === 'timed-out' && Atomics.load(words, STATE) > 0) this.releaseDeadReaders();
    }
  }

  /** Finds or claims this thread's reader slot (once per thread per lock), or UNTRACKED if none is free. */
  private claimSlot(thread: number): number {
    const words = this.words;
    let found = UNTRACKED;
    for (let probe = 0; probe < PROBE && found === UNTRACKED; probe++) {
      const slot = READER_SLOTS + 2 * ((thread + probe) % SLOT_COUNT);
      const owner = Atomics.load(words, slot);
      if (owner === thread) found = slot;
      else if (owner === 0 && Atomics.compareExchange(words, slot, 0, thread) === 0) found = slot;
      // A dead thread's slot with no shares left may be taken over.
      else if (owner !== 0 && Atomics.load(words, slot + 1) === 0 && !isThreadAlive(owner) && Atomics.compareExchange(words, slot, owner, thread) === owner) found = slot;
    }
    this.slotThread = thread;
    this.slot = found;
    return found;
  }

  /** Gives back the shares of dead readers (a writer does this after a timed-out wait); returns whether it did. */
  private releaseDeadReaders(): boolean {
    const words = this.words;
    let released = false;
    for (let slot = READER_SLOTS; slot < WORDS; slot += 2) {
      const owner = Atomics.load(words, slot);
      if (owner === 0 || isThreadAlive(owner)) continue;
      // Exactly one waiter takes the count; the dead reader never touches it again.
      const shares = Atomics.exchange(words, slot + 1, 0);
      Atomics.compareExchange(words, slot, owner, 0);
      if (shares === 0) continue;
      released = true;
      if (Atomics.sub(words, STATE, shares * READER) === shares * READER + WRITER_WAITING) wakeWriter(words);
    }
    return released;
  }

  /**
   * If the writer holding the lock (`state`, below zero) has died, takes the
   * lock over, poisons it and unlocks it, and returns true. Exactly one waiter
   * wins the exchange; none does when the writer released the lock before it
   * ended (the state moved on), and then nothing is poisoned.
   */
  private releaseDeadWriter(state: number): boolean {
    const words = this.words;
    if (isThreadAlive(-state)) return false;
    // Acquire from the dead writer, as this thread's write lock.
    if (Atomics.compareExchange(words, STATE, state, -currentThreadId()) !== state) return false;
    // Under the lock: the store of UNLOCKED below publishes it to whoever acquires next.
    Atomics.store(words, POISON, 1);
    Atomics.store(words, STATE, UNLOCKED);
    wakeAfterWrite(words);
    return true;
  }

  /** @internal Releases a read guard's share. */
  unlockRead(guard: RwLockReadGuard<T>): void {
    guard.held = false;
    this.readsHeld--;
    this.storage.discard();
    // Before the share itself, so that a writer never gives back a share twice.
    if (guard.slot !== UNTRACKED) Atomics.sub(this.words, guard.slot + 1, 1);
    // Release the share; the last reader before a waiting writer (3 → 1) wakes it.
    if (Atomics.sub(this.words, STATE, READER) === READER + WRITER_WAITING) wakeWriter(this.words);
  }

  /** @internal Releases the write lock of `guard`. */
  unlockWriteGuard(guard: RwLockWriteGuard<T>): void {
    guard.held = false;
    try {
      this.storage.settle();
    } finally {
      // Release: pairs with the compare-exchanges of readers and writers.
      Atomics.store(this.words, STATE, UNLOCKED);
      wakeAfterWrite(this.words);
    }
  }
}

/** `unsafe impl<T: Send> Send for RwLock<T>`, `unsafe impl<T: Send + Sync> Sync for RwLock<T>`. */
export interface RwLock<T> extends Traits<'RwLock', T, 'T: Send', 'T: Send + Sync'>, Copy {}

/** After a write lock ended: wakes one writer and every reader (if any sleep). */
function wakeAfterWrite(words: Int32Array): void {
  wakeWriter(words);
  // Pairs with the readers' add before they sleep: a reader not yet counted will see UNLOCKED.
  if (Atomics.load(words, READERS_SLEEPING) !== 0) Atomics.notify(words, STATE);
}

/** The type name of `value` if it is not Sync (checked as a borrow would be), else undefined. */
function notSyncName(value: unknown): string | undefined {
  try {
    assertSync([value], 'value');
    return undefined;
  } catch {
    return typeNameOf(value);
  }
}

/**
 * Wakes one sleeping writer, if any: moves the wake counter (so that a counted
 * writer about to sleep does not) and notifies. A writer not yet counted will
 * see the unlocked state when it checks again, so nothing needs moving for it.
 */
function wakeWriter(words: Int32Array): void {
  // Pairs with the writers' add before they read the counter and the state.
  if (Atomics.load(words, WRITERS_SLEEPING) === 0) return;
  // Pairs with the load of the wake counter in `writeContended`.
  Atomics.add(words, WRITER_WAKE, 1);
  Atomics.notify(words, WRITER_WAKE, 1);
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
  /** @internal The reader slot its share is counted in, or UNTRACKED. */
  slot = UNTRACKED;
  /** @internal The lock. */
  readonly lock: RwLock<T>;

  /** @internal Made by `RwLock` only. */
  constructor(lock: RwLock<T>) {
    this.lock = lock;
    track(this);
  }

  /** The protected data, read-only (for cloned data: a copy). */
  get value(): Readonly<T> {
    if (!this.held) throw new ReleasedError();
    return this.lock.storage.get();
  }

  /** Releases the share; releasing twice does nothing. */
  [Symbol.dispose](): void {
    if (this.held) this.lock.unlockRead(this);
  }

  /** @internal Called by the panic hook: a reader's panic does not poison; just release. */
  abandon(): void {
    this.lock.unlockRead(this);
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
  /** @internal The lock. */
  readonly lock: RwLock<T>;

  /** @internal Made by `RwLock` only. */
  constructor(lock: RwLock<T>) {
    this.lock = lock;
    track(this);
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
    this.lock.unlockWriteGuard(this);
  }

  /** @internal Called by the panic hook: poison, then release (if this thread holds it: see `MutexGuard.abandon`). */
  abandon(): void {
    if (Atomics.load(this.lock.words, STATE) !== -currentThreadId()) {
      this.held = false;
      return;
    }
    // Published to the next holder by the unlock below.
    Atomics.store(this.lock.words, POISON, 1);
    try {
      this.lock.unlockWriteGuard(this);
    } catch {
      // The data may be unserializable; the lock is released anyway and stays poisoned.
    }
  }
}

/** `impl<T> !Send for RwLockWriteGuard<T>`, `unsafe impl<T: Sync> Sync for RwLockWriteGuard<T>`. */
export interface RwLockWriteGuard<T> extends Traits<'RwLockWriteGuard', T, 'never', 'T: Sync'> {}

registerCodec<RwLock<unknown>, RwLockWire>({
  module: import.meta.url,
  tag: 'sendsync:RwLock',
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
  decode(wire, context) {
    decoding = { wire, context };
    return new RwLock<unknown>(undefined);
  },
});

// Guards never leave their thread: moving or borrowing one is refused with rustc's E0277 wording.
refuseToSend<RwLockReadGuard<unknown>>({
  type: RwLockReadGuard,
  name: 'RwLockReadGuard',
  param: (guard) => (guard.held ? [guard.lock.storage.get()] : []),
});
refuseToSend<RwLockWriteGuard<unknown>>({
  type: RwLockWriteGuard,
  name: 'RwLockWriteGuard',
  param: (guard) => (guard.held ? [guard.lock.storage.get()] : []),
});
