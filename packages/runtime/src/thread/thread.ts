/**
 * `Thread`, `current()`, `park()` and `parkTimeout()`: a thread's identity
 * and its park token, as in `std::thread`.
 *
 * The park token lives in one shared word per thread, so that a `Thread`
 * handle moved to any other thread can unpark it. The word holds the thread's
 * generation (its id, masked) above two state bits, so that a stale handle of
 * a thread that ended cannot leave a token for the next thread run by the same
 * pooled worker.
 */

import type { Copy, Traits } from '@sendsync/marker';
import { registerCodec } from '../codec.js';
import { blockingWait, waitAsyncAlive } from '../internal/block.js';
import { MAIN_THREAD_ID, currentThreadId, threadState } from '../internal/thread-registry.js';

/** No token, nobody parked. */
const EMPTY = 0;
/** The thread sleeps in `park()`, waiting for a token. */
const PARKED = 1;
/** A token is waiting to be consumed by the next `park()`. */
const NOTIFIED = 2;
/** The state bits of a park word; the generation is above them. */
const STATE_BITS = 3;
/** How much of a thread id is kept as the generation of its park word. */
const GENERATION_MASK = 0x0fffffff;

/**
 * A thread's unique id, as `std::thread::ThreadId`: compare ids with `===`.
 *
 * @example
 * ```ts
 * const id: ThreadId = current().id();
 * ```
 */
export type ThreadId = number & { readonly '~threadId': true };

/** The park word's value for thread `id` in `state`. */
export function parkWord(id: number, state: number = EMPTY): number {
  return ((id & GENERATION_MASK) << 2) | state;
}

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
    const words = this.#words;
    const index = this.#index;
    const empty = parkWord(this.#id, EMPTY);
    for (;;) {
      // Pairs with the store of the thread's first park word (by its spawner) and with park()'s exchanges.
      const seen = Atomics.load(words, index);
      if ((seen & ~STATE_BITS) !== empty) return; // Another thread runs on that word now: ours ended.
      if ((seen & STATE_BITS) === NOTIFIED) return;
      // Publishes the token; read by park()'s compareExchange(NOTIFIED → EMPTY).
      if (Atomics.compareExchange(words, index, seen, empty | NOTIFIED) === seen) {
        if ((seen & STATE_BITS) === PARKED) Atomics.notify(words, index, 1);
        return;
      }
    }
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
  type: Thread,
  encode: (thread) => Thread.wireOf(thread),
  decode: (wire) => new Thread(wire.id, wire.name, new Int32Array(wire.memory), wire.index),
});

/** This thread's park word: its worker's mailbox, or on the main thread a word of its own, made on first use. */
function parkSlot(): Int32Array {
  let words = threadState.words;
  if (words === undefined) {
    words = new Int32Array(new SharedArrayBuffer(4));
    words[0] = parkWord(MAIN_THREAD_ID);
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
  const words = parkSlot();
  const index = threadState.index;
  const empty = parkWord(currentThreadId(), EMPTY);
  // Consumes a token left by unpark()'s compareExchange, if any.
  if (Atomics.compareExchange(words, index, empty | NOTIFIED, empty) === (empty | NOTIFIED)) return;
  parkContended(words, index, empty, Infinity);
}

function parkContended(words: Int32Array, index: number, empty: number, timeout: number): void {
  // Announces the sleep; unpark() reads PARKED and then notifies.
  if (Atomics.compareExchange(words, index, empty, empty | PARKED) !== empty) {
    // An unpark() slipped in: consume its token.
    Atomics.exchange(words, index, empty);
    return;
  }
  const deadline = timeout === Infinity ? Infinity : performance.now() + timeout;
  for (;;) {
    const left = deadline === Infinity ? Infinity : Math.max(0, deadline - performance.now());
    blockingWait(words, index, empty | PARKED, left, 'parkAsync');
    // Consumes the token unpark() published, or gives up at the deadline.
    if (Atomics.compareExchange(words, index, empty | NOTIFIED, empty) === (empty | NOTIFIED)) return;
    if (left === 0) {
      // Timed out: leave the word EMPTY, consuming a token that just arrived.
      Atomics.exchange(words, index, empty);
      return;
    }
  }
}

/**
 * `park()` with a time limit: returns when the token arrives or after about
 * `ms` milliseconds, whichever comes first.
 *
 * @example
 * ```ts
 * parkTimeout(100); // at most about 100 ms
 * ```
 */
export function parkTimeout(ms: number): void {
  const words = parkSlot();
  const index = threadState.index;
  const empty = parkWord(currentThreadId(), EMPTY);
  // Consumes a token left by unpark(), if any.
  if (Atomics.compareExchange(words, index, empty | NOTIFIED, empty) === (empty | NOTIFIED)) return;
  parkContended(words, index, empty, Math.max(0, ms));
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
  const words = parkSlot();
  const index = threadState.index;
  const empty = parkWord(currentThreadId(), EMPTY);
  for (;;) {
    // Consumes a token left by unpark(), if any.
    if (Atomics.compareExchange(words, index, empty | NOTIFIED, empty) === (empty | NOTIFIED)) return;
    // Announces the sleep; unpark() reads PARKED and then notifies.
    Atomics.compareExchange(words, index, empty, empty | PARKED);
    await waitAsyncAlive(words, index, empty | PARKED);
  }
}
