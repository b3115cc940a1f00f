/**
 * `Thread`, `current()`, `park()` and `parkTimeout()`: a thread's identity
 * and its park token, as in `std::thread`.
 *
 * The park token lives in one shared word per thread (its protocol is in
 * `sys/parker.ts`), so that a `Thread` handle moved to any other thread can
 * unpark it.
 */

import type { Copy, Traits } from '@sendsync/marker';
import { registerCodec } from '../codec.js';
import * as parker from '../sys/parker.js';
import { checkDuration } from '../sys/duration.js';
import { MAIN_THREAD_ID, currentThreadId, threadState } from '../internal/thread-registry.js';

/**
 * A thread's unique id, as `std::thread::ThreadId`: compare ids with `===`.
 *
 * @example
 * ```ts
 * const id: ThreadId = current().id();
 * ```
 */
export type ThreadId = number & { readonly '~threadId': true };

/**
 * A handle of a thread: its id and name, and `unpark()`. Send and Sync: a
 * thread can hand its own handle to another one, which can then wake it.
 *
 * When to use: to wake a thread sleeping in `park()`, or to name and identify
 * threads. Get one from `current()` or `JoinHandle.thread()`.
 *
 * @example
 * ```ts
 * const parked = spawn(() => { park(); return 'woken'; });
 * parked.thread().unpark();
 * parked.join(); // 'woken'
 * ```
 */
export class Thread {
  readonly #id: number;
  readonly #name: string | undefined;
  readonly #words: Int32Array;
  readonly #index: number;

  /** @internal Threads are made by `spawn`, `current()` and the codec. */
  constructor(id: number, name: string | undefined, words: Int32Array, index: number) {
    this.#id = id;
    this.#name = name;
    this.#words = words;
    this.#index = index;
  }

  /** The thread's unique id. */
  id(): ThreadId {
    return this.#id as ThreadId;
  }

  /** The name given by `Builder.name()`, `'main'` for the main thread, otherwise undefined. */
  name(): string | undefined {
    return this.#name;
  }

  /**
   * Gives the thread its park token: its next `park()` (or the current one)
   * returns. Tokens do not stack: two unparks before a park wake it once.
   * Unparking a thread that has ended does nothing.
   */
  unpark(): void {
    parker.unpark(this.#words, this.#index, this.#id);
  }

  /** @internal The codec's view of the handle. */
  static wireOf(thread: Thread): ThreadWire {
    return { id: thread.#id, name: thread.#name, memory: thread.#words.buffer as SharedArrayBuffer, index: thread.#index };
  }
}
/** `impl Send for Thread`, `impl Sync for Thread`. */
export interface Thread extends Traits<'Thread', never, 'always', 'always'>, Copy {}

interface ThreadWire {
  readonly id: number;
  readonly name: string | undefined;
  readonly memory: SharedArrayBuffer;
  readonly index: number;
}

registerCodec<Thread, ThreadWire>({
  module: import.meta.url,
  tag: 'sendsync:Thread',
  handle: 'shared',
  type: Thread,
  send: 'always',
  sync: 'always',
  encode: (thread) => Thread.wireOf(thread),
  decode: (wire) => new Thread(wire.id, wire.name, new Int32Array(wire.memory), wire.index),
});

/** This thread's park word: its worker's mailbox, or on the main thread a word of its own, made on first use. */
function parkSlot(): Int32Array {
  let words = threadState.words;
  if (words === undefined) {
    words = new Int32Array(new SharedArrayBuffer(4));
    words[0] = parker.parkWord(MAIN_THREAD_ID);
    threadState.words = words;
    threadState.index = 0;
  }
  return words;
}

/**
 * The handle of the thread running this code.
 *
 * @example
 * ```ts
 * spawn(() => console.log(`This is my thread id: ${current().id()}`)).join();
 * ```
 */
export function current(): Thread {
  let thread = threadState.thread as Thread | undefined;
  if (thread === undefined) {
    thread = new Thread(threadState.id, threadState.name, parkSlot(), threadState.index);
    threadState.thread = thread;
  }
  return thread;
}

/**
 * Blocks until this thread's park token is available, then consumes it.
 * An `unpark()` that came first is kept, so that `park()` then returns at
 * once; tokens do not stack. Like Rust's, it may also return spuriously
 * (never in this implementation, but code should re-check its condition in a loop).
 * Throws `WouldBlockError` where blocking is impossible: use `parkAsync()`.
 *
 * @example
 * ```ts
 * while (!ready.load()) park();
 * ```
 */
export function park(): void {
  parker.park(parkSlot(), threadState.index, currentThreadId(), Infinity, 'parkAsync');
}

/**
 * `park()` with a time limit: returns when the token arrives or after about
 * `ms` milliseconds, whichever comes first.
 *
 * @param ms - a finite number of milliseconds, at least 0; anything else
 * (`NaN`, a negative number, `Infinity`, a non-number) is a `TypeError`, as
 * Rust's `Duration` is finite: wait without a limit with `park()`.
 *
 * @example
 * ```ts
 * parkTimeout(100); // at most about 100 ms
 * ```
 */
export function parkTimeout(ms: number): void {
  const timeout = checkDuration(ms, 'parkTimeout', 'park()');
  parker.park(parkSlot(), threadState.index, currentThreadId(), timeout, 'parkAsync');
}

/**
 * The awaitable twin of `park()`, for threads that may not block.
 *
 * @example
 * ```ts
 * await parkAsync();
 * ```
 */
export async function parkAsync(): Promise<void> {
  await parker.parkAsync(parkSlot(), threadState.index, currentThreadId(), Infinity);
}
