/**
 * `sleep`, `sleepAsync` and `availableParallelism`.
 */

import { host } from '#host';
import { blockingWait } from '../internal/block.js';
import { checkDuration } from '../sys/duration.js';

let sleepWord: Int32Array | undefined;

/**
 * Blocks this thread for at least `ms` milliseconds (a finite number >= 0,
 * else a `TypeError`). Throws `WouldBlockError` where blocking is
 * impossible: use `sleepAsync()`.
 *
 * @example
 * ```ts
 * sleep(10);
 * ```
 */
export function sleep(ms: number): void {
  checkDuration(ms, 'sleep', 'park()');
  sleepWord ??= new Int32Array(new SharedArrayBuffer(4));
  const deadline = performance.now() + ms;
  for (let left = ms; left > 0; left = deadline - performance.now()) {
    // Nobody notifies this word: the wait always times out.
    blockingWait(sleepWord, 0, 0, left, 'sleepAsync');
  }
}

/**
 * The awaitable twin of `sleep()`.
 *
 * @example
 * ```ts
 * await sleepAsync(10);
 * ```
 */
export async function sleepAsync(ms: number): Promise<void> {
  checkDuration(ms, 'sleepAsync', 'parkAsync()');
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * How many threads can run at once on this machine, as
 * `std::thread::available_parallelism`.
 *
 * @example
 * ```ts
 * const threads = availableParallelism();
 * ```
 */
export function availableParallelism(): number {
  return host.availableParallelism();
}
