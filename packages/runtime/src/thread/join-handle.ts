/**
 * `JoinHandle`: the owned permission to join a thread, as in `std::thread`.
 */

import type { Traits } from '@sendsync/marker';
import { collect, isDone, waitDone, waitDoneAsync, type Outcome, type WorkerRecord } from '../internal/pool.js';
import { PanicError } from './panic-error.js';
import { Thread } from './thread.js';
import mailbox from '../internal/mailbox.cjs';

/** The thread runs (or its result was not collected yet). */
const RUNNING = 0;
/** It returned; the result waits for `join()`. */
const RETURNED = 1;
/** It panicked; the error waits for `join()`. */
const PANICKED = 2;
/** `join()` took the outcome. */
const JOINED = 3;

/** Thrown by a second `join()` of the same handle (Rust's `join` consumes the handle). */
export class JoinedError extends Error {
  override readonly name = 'JoinedError';
}

/**
 * Returned by `spawn`: `join()` waits for the thread and returns its result,
 * or throws its panic as a `PanicError`. Dropping the handle detaches the
 * thread (it runs on; it does not keep the process alive).
 *
 * @example
 * ```ts
 * const handle = spawn(() => 6 * 7);
 * handle.join(); // 42
 * ```
 */
export class JoinHandle<T> implements Outcome {
  #record: WorkerRecord | undefined;
  #state = RUNNING;
  #value: unknown;
  readonly #id: number;
  readonly #name: string | undefined;
  #thread: Thread | undefined;

  /** @internal Made by `spawn`. */
  constructor(id: number, name: string | undefined) {
    this.#id = id;
    this.#name = name;
  }

  /** @internal The worker the thread runs on, once dispatched. */
  attach(record: WorkerRecord): void {
    if (this.#state === RUNNING) this.#record = record;
  }

  /** @internal The pool delivers the outcome (on this thread). */
  settle(panicked: boolean, value: unknown): void {
    this.#state = panicked ? PANICKED : RETURNED;
    this.#value = value;
  }

  /**
   * Waits for the thread to end and returns its result; throws `PanicError`
   * (the thread's error as `cause`) if it panicked. Blocks this thread:
   * use `joinAsync()` where blocking is impossible.
   */
  join(): T {
    if (this.#state === RUNNING) {
      const record = this.#record!;
      waitDone(record);
      if (record.current === this) collect(record);
    }
    return this.#take();
  }

  /** The awaitable twin of `join()`: never blocks. */
  async joinAsync(): Promise<T> {
    if (this.#state === RUNNING) {
      const record = this.#record!;
      await waitDoneAsync(record, this);
      if (record.current === this) collect(record);
    }
    return this.#take();
  }

  /** Whether the thread has ended (returned or panicked); never blocks. */
  isFinished(): boolean {
    return this.#state !== RUNNING || isDone(this.#record!);
  }

  /** @internal Whether `join()` or `joinAsync()` already took the outcome. */
  isJoined(): boolean {
    return this.#state === JOINED;
  }

  /** The handle of the thread, to read its id and name or to unpark it. */
  thread(): Thread {
    if (this.#thread === undefined) {
      const record = this.#record;
      // A thread that ended keeps an identity but nothing to unpark: a word of its own.
      this.#thread =
        record !== undefined && this.#state === RUNNING
          ? new Thread(this.#id, this.#name, record.box.words, mailbox.PARK)
          : new Thread(this.#id, this.#name, endedWord(), 0);
    }
    return this.#thread;
  }

  #take(): T {
    const state = this.#state;
    if (state === JOINED) throw new JoinedError('thread already joined');
    const value = this.#value;
    this.#state = JOINED;
    this.#value = undefined;
    this.#record = undefined;
    if (state === PANICKED) throw new PanicError(value, this.#id, this.#name);
    return value as T;
  }
}
/** `impl<T> Send for JoinHandle<T>`, `impl<T> Sync for JoinHandle<T>` (it crosses within its spawning thread only, for now). */
export interface JoinHandle<T> extends Traits<'JoinHandle', T, 'always', 'always'> {}

let endedWords: Int32Array | undefined;

/** The park word of ended threads: no generation matches it, so unparking them does nothing. */
function endedWord(): Int32Array {
  endedWords ??= new Int32Array(new SharedArrayBuffer(4));
  return endedWords;
}
