/**
 * `Builder`: configures a thread before spawning it, as `std::thread::Builder`.
 */

import type { CheckSendAwaited } from '@sendsync/marker';
import type { JoinHandle } from './join-handle.js';
import type { Moved } from './move.js';
import { spawnThread } from './spawn.js';

/**
 * Spawns a thread with a name (seen by `current().name()`, `Thread.name()`
 * and in its `PanicError`).
 *
 * @example
 * ```ts
 * const handle = new Builder().name('worker-1').spawn(() => current().name());
 * handle.join(); // 'worker-1'
 * ```
 */
export class Builder {
  #name: string | undefined;

  /** Names the thread. */
  name(name: string): Builder {
    this.#name = String(name);
    return this;
  }

  /** As `spawn`, with this builder's settings. */
  spawn<Result>(body: () => CheckSendAwaited<Result, 'result'>): JoinHandle<Awaited<Result>>;
  spawn<Values extends unknown[], Result>(
    captures: Moved<Values>,
    body: (...values: Values) => CheckSendAwaited<Result, 'result'>,
  ): JoinHandle<Awaited<Result>>;
  spawn(first: unknown, second?: unknown): JoinHandle<unknown> {
    return second === undefined
      ? spawnThread(this.#name, undefined, undefined, first)
      : spawnThread(this.#name, undefined, first, second);
  }
}
