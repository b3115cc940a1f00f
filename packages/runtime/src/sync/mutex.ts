/**
 * `Mutex<T>`: mutual exclusion with the data inside, an owner, and poisoning.
 *
 * The layer above the word protocol (`sys/futex-mutex.ts`, where the lock
 * word's states and its waits are), as Rust's `sync/poison/mutex.rs` is
 * above `sys/sync/mutex/futex.rs`: the guard, the poison flag, the data's
 * storage, the codec.
 */

import type { Traits } from '@sendsync/marker';
import { refuseToSend, registerCodec, type CodecContext } from '../codec.js';
import { currentThreadId } from '../internal/thread-registry.js';
import { UNWIND, unwindState } from '../internal/unwinding.js';
import * as futex from '../sys/futex-mutex.js';
import { clearPoison, isPoisoned, poison, poisonedUnderLock } from '../sys/poison-flag.js';
import { register, type Held } from './held.js';
import { PoisonError, ReleasedError, takeInner, TryLockError, WouldDeadlockError } from './poison.js';
import { ownedHandleMade, ownedHandles, type OwnedHandle } from './owned-handle.js';
import { createStorage, decodeStorage, INLINE_BYTES, readNumber, writeNumber, type Storage, type StorageWire } from './storage.js';

/**
 * Byte offset of the inline data, right after the words: the lock word and
 * a number it guards share the buffer's first 16 bytes, so one cache line
 * (the buffer is malloc-aligned, to 16 bytes on 64-bit hosts), which a
 * contended lock passes from core to core once per hold rather than twice.
 */
const DATA_OFFSET = futex.WORDS * Int32Array.BYTES_PER_ELEMENT;
/** Byte offset of the mutex's identity (see `id`), after the data. */
const ID_OFFSET = DATA_OFFSET + INLINE_BYTES;

/** The wire form of a mutex: its words and its data. */
interface MutexWire {
  readonly memory: SharedArrayBuffer;
  readonly storage: StorageWire;
}

/** Identities handed out by this worker (with the thread id, unique in the process). */
let identities = 0;

/**
 * A mutual-exclusion lock protecting a value of type `T`, as Rust's
 * `std::sync::Mutex`: the data lives inside the mutex and is reached only
 * through the guard that `lock()` returns.
 *
 * When to use: several threads must change the same data. For a single number
 * that is only added to or swapped, an atomic is cheaper; for data that is
 * mostly read, `RwLock`.
 *
 * What `T` may be: a number, bigint or boolean (stored inline: no allocation);
 * a typed array over a `SharedArrayBuffer`, a `SharedStruct` or a library
 * handle such as an atomic (shared in place, never copied, never replaced);
 * any other structured-cloneable data (deserialized on first access under a
 * guard, serialized back on release: cost proportional to its size).
 *
 * Poisoning: a thread whose closure throws while it holds a guard that was not
 * disposed (the panic hook finds it), or that is terminated while it holds the
 * lock (a waiter finds the owner dead within `LIVENESS_CHECK_MS`), poisons the
 * mutex, and the next `lock()` throws `PoisonError`. So does a throw that
 * leaves a guard's `using` block inside a spawned thread, whose disposal
 * helpers tell the guard that an exception is unwinding (not for the
 * runtime's errors that are Rust's `Err` values, such as `RecvError`:
 * `internal/err-value.ts`); on the main thread disposal cannot see the
 * exception, and the lock is released unpoisoned.
 *
 * @example
 * ```ts
 * import { spawn, move } from '@sendsync/runtime';
 * import { Mutex } from '@sendsync/runtime/sync';
 *
 * const counter = new Mutex(0);
 * spawn(move(counter), (counter) => {
 *   using guard = counter.lock();
 *   guard.value += 1;
 * }).join();
 *
 * const queue = new Mutex<number[]>([]);
 * { using q = queue.lock(); q.value.push(1); } // written back on release
 * // @ts-expect-error: the data is only reachable through a guard
 * queue.value;
 * ```
 */
export class Mutex<T> {
  /** @internal The lock word and the poison flag (`sys/futex-mutex.ts`). */
  readonly words: Int32Array;
  /** @internal The data. */
  readonly storage: Storage<T>;
  /** @internal The guard `lock()` hands out in this thread (one is enough: it is never shared). */
  readonly guard: MutexGuard<T>;

  /** Creates an unlocked mutex holding `value`. */
  constructor(value: T);
  /** @internal Adopts the memory and the decoded data of a mutex from another thread (see `#fromWire`). */
  constructor(value: undefined, memory: SharedArrayBuffer, storage: Storage<T>);
  constructor(value: T, memory?: SharedArrayBuffer, storage?: Storage<T>) {
    if (memory === undefined || storage === undefined) {
      memory = new SharedArrayBuffer(ID_OFFSET + BigInt64Array.BYTES_PER_ELEMENT);
      storage = createStorage(value, memory, DATA_OFFSET);
      ownedHandleMade(this, storage);
    }
    this.words = new Int32Array(memory, 0, futex.WORDS);
    this.storage = storage;
    this.guard = this.#newGuard();
  }

  /** A guard for this mutex: a `NumberGuard` for a number. */
  #newGuard(): MutexGuard<T> {
    const slot = this.storage.numberSlot;
    return slot === undefined ? new MutexGuard(this) : (new NumberGuard(this as Mutex<number>, slot) as MutexGuard<unknown> as MutexGuard<T>);
  }

  /** Rebuilds a mutex from its wire form, in the thread that received it. */
  static #fromWire(wire: MutexWire, context: CodecContext): Mutex<unknown> {
    return new Mutex<unknown>(undefined, wire.memory, decodeStorage(wire.storage, context));
  }

  static {
    registerCodec<Mutex<unknown>, MutexWire>({
      module: import.meta.url,
      tag: 'sendsync:Mutex',
      handle: 'shared',
      type: Mutex,
      // Its storage checks each value as it is stored: nothing inside can fail `T: Send`.
      send: 'T: Send',
      sync: 'T: Send',
      encode(mutex, context) {
        return { memory: mutex.words.buffer as SharedArrayBuffer, storage: mutex.storage.encode(context) };
      },
      decode: (wire, context) => Mutex.#fromWire(wire, context),
    });
    // Moved, it is left moved; dropped (or ended with its owning thread), the handles its value holds go too.
    ownedHandles<Mutex<unknown>>(Mutex, {
      successor: (mutex) => new Mutex<unknown>(undefined, mutex.words.buffer as SharedArrayBuffer, mutex.storage),
      value: (mutex) => mutex.storage,
    });
  }

  /**
   * Blocks until the lock is free, then holds it: the guard gives the data as
   * `.value` and releases the lock when disposed (`using`).
   *
   * @throws {PoisonError} if the mutex is poisoned; the lock is released again
   * (see `PoisonError`), and the error's `intoInner()` takes it and gives the guard.
   * @throws {WouldDeadlockError} if this thread already holds the lock.
   */
  lock(): MutexGuard<T> {
    return this.relock(this.guard);
  }

  /**
   * Takes the lock if it is free, without waiting.
   *
   * @throws {TryLockError} `WouldBlock` if the lock is held, `Poisoned` if it is poisoned.
   */
  tryLock(): MutexGuard<T> {
    const thread = currentThreadId();
    if (!futex.tryLock(this.words, thread)) throw new TryLockError('WouldBlock');
    const guard = this.guard;
    guard.enter(thread);
    if (poisonedUnderLock(this.words, futex.POISON)) throw new TryLockError('Poisoned', this.#poisoned(guard, false));
    return guard;
  }

  /**
   * The awaitable twin of `lock()`, for threads that must not block (a
   * browser's main thread): it waits with `Atomics.waitAsync`. Several tasks of
   * one thread may wait for the same mutex; each gets its own guard.
   *
   * @throws {PoisonError} (as a rejection) if the mutex is poisoned; as for
   * `lock()`, the error holds no lock, and its `intoInner()` takes it (blocking, as `lock()`).
   */
  lockAsync(): Promise<MutexGuard<T>> {
    return this.relockAsync(this.#newGuard());
  }

  /** Whether a thread panicked or died while holding the lock (and nobody cleared it since). */
  isPoisoned(): boolean {
    return isPoisoned(this.words, futex.POISON);
  }

  /** Marks the data as repaired: `lock()` stops throwing `PoisonError`. */
  clearPoison(): void {
    clearPoison(this.words, futex.POISON);
  }

  /**
   * The data, taken out: Rust's `into_inner`, for when this is the last
   * handle. (Other threads' handles still work: JavaScript cannot prove there
   * are none, so this locks, reads and unlocks.)
   *
   * @throws {PoisonError} holding the value, if the mutex is poisoned.
   */
  intoInner(): T {
    return takeInner(() => this.lock(), this.storage);
  }

  /** @internal Locks for `guard` (this thread's guard, or one a condition variable waited with). */
  relock(guard: MutexGuard<T>): MutexGuard<T> {
    const words = this.words;
    const thread = currentThreadId();
    // The guard's registration comes before the lock is taken, and only `held` and the poison check after:
    // under contention, every instruction between the acquire and the release costs throughput many times over.
    if (guard.registeredBy !== thread) register(guard, thread);
    if (!futex.lock(words, thread)) throw new WouldDeadlockError();
    guard.held = true;
    if (poisonedUnderLock(words, futex.POISON)) throw this.#poisoned(guard, true);
    return guard;
  }

  /** @internal The awaitable form of `relock`: a holder in this same thread is another task, and is waited for. */
  async relockAsync(guard: MutexGuard<T>): Promise<MutexGuard<T>> {
    const thread = currentThreadId();
    await futex.lockAsync(this.words, thread);
    guard.enter(thread);
    if (poisonedUnderLock(this.words, futex.POISON)) throw this.#poisoned(guard, true);
    return guard;
  }

  /**
   * Releases the lock just taken for `guard` and returns the `PoisonError` to
   * throw, whose `intoInner()` takes the lock again for `guard`, ignoring the
   * poison: waiting as `lock()` (`blocking`) or trying once as `tryLock()`.
   * The error holds no lock: JavaScript never drops a caught error, so a guard
   * inside one would hold the lock forever if the program ignored it (Rust
   * drops it at the end of the statement). The poison flag stays set; the
   * unlock wakes a waiter as any does. (`RwLock`'s `readPoisoned` and
   * `writePoisoned` do the same.)
   */
  #poisoned(guard: MutexGuard<T>, blocking: boolean): PoisonError<MutexGuard<T>> {
    this.unlock(guard);
    return new PoisonError(guard, () => {
      if (guard.held) return guard;
      const thread = currentThreadId();
      if (blocking ? !futex.lock(this.words, thread) : !futex.tryLock(this.words, thread)) {
        throw blocking ? new WouldDeadlockError() : new TryLockError('WouldBlock');
      }
      guard.enter(thread);
      return guard;
    });
  }

  /** @internal Releases the lock held by `guard` (marked released first), writing cloned data back. */
  unlock(guard: MutexGuard<T>): void {
    guard.held = false;
    if (!this.storage.settles) return futex.unlock(this.words);
    try {
      this.storage.settle();
    } finally {
      futex.unlock(this.words);
    }
  }

  /**
   * @internal This mutex's identity in the whole process, given on first use
   * (a `Condvar` remembers the mutex it waits with): the thread id of whoever
   * asked first, above a number counted by its worker.
   */
  id(): bigint {
    const slot = new BigInt64Array(this.words.buffer, ID_OFFSET, 1);
    const fresh = (BigInt(currentThreadId()) << 32n) | BigInt(++identities >>> 0);
    // The first asker's identity wins; later askers read it.
    const seen = Atomics.compareExchange(slot, 0, 0n, fresh);
    return seen === 0n ? fresh : seen;
  }
}

/** `unsafe impl<T: Send> Send for Mutex<T>`, `unsafe impl<T: Send> Sync for Mutex<T>`; moved and dropped as Rust's (see `OwnedHandle`). */
export interface Mutex<T> extends Traits<'Mutex', T, 'T: Send', 'T: Send'>, OwnedHandle {}

/**
 * Proof that the lock is held: `.value` reads and writes the data, and
 * disposing the guard (`using`, or `guard[Symbol.dispose]()`) releases the
 * lock. A released guard throws `ReleasedError` when used. A guard stays in
 * the thread that locked (moving it is refused, by tsc and at run time), so no
 * other thread can unlock.
 *
 * When to use: it is what `lock()` returns; keep it in a `using` declaration.
 *
 * Cost: `lock()` reuses one guard per mutex per thread, so locking allocates
 * nothing; the bookkeeping is the guard's `held` flag (and, on a guard's
 * first lock in a thread, its registration for the panic hook: `held.ts`). (A guard kept past its release
 * therefore comes back to life if the same thread locks the same mutex again.)
 *
 * @example
 * ```ts
 * {
 *   using guard = mutex.lock();
 *   guard.value += 1;
 * } // released here
 * ```
 */
export class MutexGuard<T> implements Held, Disposable {
  /** @internal Whether the guard holds the lock now. */
  held = false;
  /** @internal The thread whose registry of guards lists it (`held.ts`), or 0. */
  registeredBy = 0;
  /** @internal The mutex it locks. */
  readonly mutex: Mutex<T>;
  /** @internal The mutex's data. */
  readonly storage: Storage<T>;

  /** @internal Guards are made by `Mutex` only. */
  constructor(mutex: Mutex<T>) {
    this.mutex = mutex;
    this.storage = mutex.storage;
  }

  /** The protected data (Rust's `Deref`/`DerefMut`). */
  get value(): T {
    if (!this.held) throw new ReleasedError();
    return this.storage.get();
  }
  set value(value: T) {
    if (!this.held) throw new ReleasedError();
    this.storage.set(value);
  }

  /** Releases the lock (Rust's `drop(guard)`); releasing twice does nothing. */
  [Symbol.dispose](): void {
    if (!this.held) return;
    // Disposed by an exception propagating out of its block: poison, as a Rust guard dropped while unwinding does.
    if (unwindState.unwinding) return this.abandon();
    this.mutex.unlock(this);
  }

  /** @internal The lock was just taken for this guard by `thread`. */
  enter(thread: number): void {
    this.held = true;
    if (this.registeredBy !== thread) register(this, thread);
  }

  /** @internal A panic leaves this guard's `using` block in a closure the bundler plugin lifted (see `UNWIND`): poison and release now. */
  [UNWIND](): void {
    if (this.held) this.abandon();
  }

  /** @internal Called by the panic hook: poison, then release. */
  abandon(): void {
    const words = this.mutex.words;
    if (!futex.heldBy(words, currentThreadId())) return this.forget();
    poison(words, futex.POISON);
    try {
      this.mutex.unlock(this);
    } catch {
      // The data may be unserializable; the lock is released anyway and stays poisoned.
    }
  }

  /** @internal Its thread ended holding it: waiters take the lock over (and poison it) when they see that. */
  forget(): void {
    this.held = false;
  }
}

/** `impl<T> !Send for MutexGuard<T>`, `unsafe impl<T: Sync> Sync for MutexGuard<T>`. */
export interface MutexGuard<T> extends Traits<'MutexGuard', T, 'never', 'T: Sync'> {}

/**
 * The guard of a `Mutex<number>`: it reads and writes the number's slot
 * itself, and releases without asking the storage whether data must be
 * written back. A class of its own so that the accessors and the release a
 * program calls on numbers stay small and see one kind of data, whatever
 * other mutexes hold: V8 then inlines them whole into the caller's loop.
 */
class NumberGuard extends MutexGuard<number> {
  /** The number's slot in the mutex's memory. */
  readonly #slot: Float64Array;
  /** The mutex's words, so that the release loads nothing between the data's last write and the unlock. */
  readonly #words: Int32Array;

  constructor(mutex: Mutex<number>, slot: Float64Array) {
    super(mutex);
    this.#slot = slot;
    this.#words = mutex.words;
  }

  override get value(): number {
    return readNumber(this.held, this.#slot);
  }
  override set value(value: number) {
    writeNumber(this.held, this.#slot, this.storage, value);
  }

  override [Symbol.dispose](): void {
    if (!this.held) return;
    if (unwindState.unwinding) return this.abandon();
    futex.unlock(this.#words);
    this.held = false;
  }
}

// A guard never leaves its thread: moving or borrowing one is refused with rustc's E0277 wording.
for (const type of [MutexGuard, NumberGuard]) {
  refuseToSend<MutexGuard<unknown>>({
    type,
    name: 'MutexGuard',
    param: (guard) => (guard.held ? [guard.storage.get()] : []),
  });
}
