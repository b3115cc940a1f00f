/**
 * The park token of a thread, in one shared word, as Rust's futex parker
 * (`sys/sync/thread_parking/futex.rs`).
 *
 * The word holds the thread's generation (its id, masked) above two state
 * bits, so that a stale handle of a thread that ended cannot leave a token
 * for the next thread run by the same pooled worker.
 */

import { block, blockAsync, DONE, START, Wait, type WaitEvent, type WaitRequest } from './wait.js';

/** No token, nobody parked. */
export const EMPTY = 0;
/** The thread sleeps in `park`, waiting for a token. */
export const PARKED = 1;
/** A token is waiting to be consumed by the next `park`. */
export const NOTIFIED = 2;
/** The state bits of a park word; the generation is above them. */
export const STATE_BITS = 3;
/** How much of a thread id is kept as the generation of its park word. */
const GENERATION_MASK = 0x0fffffff;

/** The park word's value for thread `id` in `state`. */
export function parkWord(id: number, state: number = EMPTY): number {
  return ((id & GENERATION_MASK) << 2) | state;
}

/**
 * Consumes the token of thread `id` (whose word is `words[index]`), waiting
 * for it at most `timeout` ms (`Infinity`: no limit). `twin` names the
 * awaitable form for the error raised where blocking is impossible.
 */
export function park(words: Int32Array, index: number, id: number, timeout: number, twin: string): void {
  const empty = parkWord(id);
  // Consumes a token left by unpark's compare-exchange, if any.
  if (Atomics.compareExchange(words, index, empty | NOTIFIED, empty) === (empty | NOTIFIED)) return;
  block(new ParkWait(words, index, empty, timeout), twin);
}

/** The awaitable form of `park` (keeps the event loop alive while it sleeps). */
export function parkAsync(words: Int32Array, index: number, id: number, timeout: number): Promise<void> | undefined {
  const empty = parkWord(id);
  if (Atomics.compareExchange(words, index, empty | NOTIFIED, empty) === (empty | NOTIFIED)) return undefined;
  return blockAsync(new ParkWait(words, index, empty, timeout), true);
}

/** Leaves thread `id` its token (waking it if it is parked); does nothing once the word serves another thread. */
export function unpark(words: Int32Array, index: number, id: number): void {
  const empty = parkWord(id);
  for (;;) {
    // Pairs with the store of the thread's first park word (by its spawner) and with park's exchanges.
    const seen = Atomics.load(words, index);
    if ((seen & ~STATE_BITS) !== empty) return;
    if ((seen & STATE_BITS) === NOTIFIED) return;
    // Publishes the token; read by park's compare-exchange NOTIFIED -> EMPTY.
    if (Atomics.compareExchange(words, index, seen, empty | NOTIFIED) === seen) {
      if ((seen & STATE_BITS) === PARKED) Atomics.notify(words, index, 1);
      return;
    }
  }
}

/** The slow path of `park`: announce the sleep, sleep until the token comes or the time is up. */
class ParkWait extends Wait {
  readonly #deadline: number;

  constructor(
    readonly parkWords: Int32Array,
    readonly parkIndex: number,
    readonly empty: number,
    timeout: number,
  ) {
    super();
    this.#deadline = timeout === Infinity ? Infinity : performance.now() + timeout;
  }

  step(event: WaitEvent): WaitRequest {
    const { parkWords: words, parkIndex: index, empty } = this;
    const parked = empty | PARKED;
    // Consumes the token unpark published (it saw PARKED and notified, or came before the sleep).
    if (Atomics.compareExchange(words, index, empty | NOTIFIED, empty) === (empty | NOTIFIED)) return DONE;
    // Announces the sleep; unpark reads PARKED and then notifies.
    Atomics.compareExchange(words, index, empty, parked);
    const left = this.#deadline === Infinity ? Infinity : this.#deadline - performance.now();
    if (left <= 0 && event !== START) {
      // Time is up: leave the word EMPTY, consuming a token that just arrived.
      Atomics.exchange(words, index, empty);
      return DONE;
    }
    return this.sleep(words, index, parked, Math.max(0, left));
  }
}
