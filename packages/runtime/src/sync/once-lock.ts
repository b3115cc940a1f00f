/**
 * `OnceLock<T>`: a value written once, by whichever thread gets there first.
 */

import type { Copy, Traits } from '@sendsync/marker';
import { registerCodec } from '../codec.js';
import { typeNameOf } from '../internal/type-name.js';
import { assertSync } from '../internal/wire.js';
import { currentThreadId, isThreadAlive } from '../internal/thread-registry.js';
import { waitAsync } from './es2024.js';
import { WouldDeadlockError } from './poison.js';
import { INLINE_BYTES, onceBytes, readOnce, writeOnce } from './storage.js';
import { LIVENESS_CHECK_MS } from '../sys/wait-policy.js';

/** Index of the state word. */
const STATE = 0;
/** Index of the initialising thread's id (0 when none). */
const RUNNER = 1;
/** Index of the value's storage kind (see storage.ts), valid once COMPLETE. */
const KIND = 2;
/** Byte offset of the inline value slot, after the words. */
const DATA_OFFSET = 16;

/** State: empty. */
const EMPTY = 0;
/** State: a thread is writing the value (or running the initialiser); others sleep on the word. */
const RUNNING = 1;
/** State: the value is set, for good. */
const COMPLETE = 2;

/** The wire form of a `OnceLock`: its words and inline slot, and its byte buffer. */
interface OnceLockWire {
  readonly memory: SharedArrayBuffer;
  readonly bytes: SharedArrayBuffer;
}

/** Set by the codec while it rebuilds a `OnceLock` from its wire form (the constructor reads it). */
let decoding: OnceLockWire | undefined;

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
 * other structured-cloneable data (serialized once when set, deserialized once
 * per thread on its first read). Shared handles cannot be set (their memory
 * cannot reach threads that already run): put them in the `OnceLock`'s place
 * from the start, or behind a `Mutex`. If the initialiser throws (or its
 * thread dies) the cell stays empty and another caller may initialise it.
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
  /** @internal The state, runner and kind words, then the inline slot. */
  readonly words: Int32Array;
  /** @internal The byte buffer for a cloned value. */
  readonly bytes: SharedArrayBuffer;
  /** @internal The value as read in this thread, or NONE. */
  cached: T | typeof NONE = NONE;

  /** An empty cell. */
  constructor() {
    const from = decoding;
    decoding = undefined;
    this.words = new Int32Array(from?.memory ?? new SharedArrayBuffer(DATA_OFFSET + INLINE_BYTES), 0, 3);
    this.bytes = from?.bytes ?? onceBytes();
  }

  /** The value, or `undefined` while the cell is empty (or being initialised). */
  get(): T | undefined {
    if (this.cached !== NONE) return this.cached;
    // Pairs with the store of COMPLETE in `complete`, which published the value.
    if (Atomics.load(this.words, STATE) !== COMPLETE) return undefined;
    return this.read();
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

  /** The value, computing it with `f` first if the cell is empty; concurrent callers wait for the one that runs `f`. */
  getOrInit(f: () => T): T {
    if (this.cached !== NONE) return this.cached;
    const words = this.words;
    for (;;) {
      const state = Atomics.load(words, STATE);
      if (state === COMPLETE) return this.read();
      if (state === EMPTY) {
        if (Atomics.compareExchange(words, STATE, EMPTY, RUNNING) === EMPTY) return this.initialise(f);
        continue;
      }
      if (Atomics.load(words, RUNNER) === currentThreadId()) throw new WouldDeadlockError();
      if (this.runnerDied()) continue;
      // Woken by the notify in `initialise` when the state leaves RUNNING.
      Atomics.wait(words, STATE, RUNNING, LIVENESS_CHECK_MS);
    }
  }

  /** Blocks until the cell is set, then returns the value. */
  wait(): T {
    for (;;) {
      const value = this.get();
      if (value !== undefined || this.cached !== NONE) return value as T;
      const state = Atomics.load(this.words, STATE);
      if (state === RUNNING && this.runnerDied()) continue;
      if (state !== COMPLETE) Atomics.wait(this.words, STATE, state, LIVENESS_CHECK_MS);
    }
  }

  /** The awaitable twin of `wait()`. */
  async waitAsync(): Promise<T> {
    for (;;) {
      const value = this.get();
      if (value !== undefined || this.cached !== NONE) return value as T;
      const state = Atomics.load(this.words, STATE);
      if (state === RUNNING && this.runnerDied()) continue;
      if (state === COMPLETE) continue;
      const result = waitAsync(this.words, STATE, state, LIVENESS_CHECK_MS);
      if (result.async) await result.value;
    }
  }

  /** The value, taken out (Rust's `into_inner`): `undefined` if empty. */
  intoInner(): T | undefined {
    return this.get();
  }

  /** Runs `f` as the one initialiser, then publishes the value (or empties the cell again if `f` throws). */
  private initialise(f: () => T): T {
    const words = this.words;
    // Read by waiters checking the initialiser's liveness.
    Atomics.store(words, RUNNER, currentThreadId());
    let value: T;
    try {
      value = f();
      Atomics.store(words, KIND, writeOnce(value, words.buffer as SharedArrayBuffer, DATA_OFFSET, this.bytes));
    } catch (error) {
      Atomics.store(words, RUNNER, 0);
      Atomics.store(words, STATE, EMPTY);
      Atomics.notify(words, STATE);
      throw error;
    }
    Atomics.store(words, RUNNER, 0);
    // Release: publishes the value and its kind to every load that sees COMPLETE.
    Atomics.store(words, STATE, COMPLETE);
    Atomics.notify(words, STATE);
    this.cached = value;
    return value;
  }

  /** Reads the published value once in this thread, and keeps it. */
  private read(): T {
    const kind = Atomics.load(this.words, KIND);
    const value = readOnce<T>(kind, this.words.buffer as SharedArrayBuffer, DATA_OFFSET, this.bytes);
    this.cached = value;
    return value;
  }

  /** If the initialising thread died, empties the cell again (waking the waiters) and returns true. */
  private runnerDied(): boolean {
    const runner = Atomics.load(this.words, RUNNER);
    if (runner === 0 || isThreadAlive(runner)) return false;
    if (Atomics.compareExchange(this.words, RUNNER, runner, 0) !== runner) return false;
    Atomics.store(this.words, STATE, EMPTY);
    Atomics.notify(this.words, STATE);
    return true;
  }
}

/** `unsafe impl<T: Send> Send for OnceLock<T>`, `unsafe impl<T: Send + Sync> Sync for OnceLock<T>`. */
export interface OnceLock<T> extends Traits<'OnceLock', T, 'T: Send', 'T: Send + Sync'>, Copy {}

registerCodec<OnceLock<unknown>, OnceLockWire>({
  module: import.meta.url,
  tag: 'sendsync:OnceLock',
  type: OnceLock,
  send: 'T: Send',
  sync: 'T: Send + Sync',
  param: (cell) => {
    const value = cell.get();
    return value === undefined ? [] : [value];
  },
  encode(cell, context) {
    // The run-time backstop for `unsafe impl<T: Send + Sync> Sync for OnceLock<T>` (once a value is set).
    if (context.borrowing === true) {
      const value = cell.get();
      try {
        assertSync([value], 'value');
      } catch {
        throw new TypeError(`\`OnceLock<${typeNameOf(value)}>\` cannot be shared between threads safely`);
      }
    }
    return { memory: cell.words.buffer as SharedArrayBuffer, bytes: cell.bytes };
  },
  decode(wire) {
    decoding = wire;
    return new OnceLock<unknown>();
  },
});
