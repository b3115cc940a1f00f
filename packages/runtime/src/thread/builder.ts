/**
 * `Builder`: configures a thread before spawning it, as `std::thread::Builder`.
 */

import type { CheckSendAwaited } from '@sendsync/marker';
import type { JoinHandle } from './join-handle.js';
import type { Moved } from './move.js';
import { spawnThread, type ThreadSettings } from './spawn.js';

/**
 * Spawns a thread with a name (seen by `current().name()`, `Thread.name()`
 * and in its `PanicError`), and, as Rust's `stack_size`, a stack size; also
 * a heap limit, which Rust's threads do not have (they share one heap).
 *
 * A thread with a stack size or a heap limit runs on a worker of its own,
 * started with them and ended after the thread (a pooled worker has the
 * host's defaults): its spawn costs a worker's start. Only Node sets them
 * (`resourceLimits`); Deno, Bun and browsers give a worker no say over its
 * stack or heap, and there the thread runs on a pooled worker with the
 * host's defaults, as Rust's `stack_size` is a request the platform may
 * round.
 *
 * @example
 * ```ts
 * const handle = new Builder().name('worker-1').spawn(() => current().name());
 * handle.join(); // 'worker-1'
 * const deep = new Builder().stackSize(64 * 1024 * 1024).spawn(() => depth(1_000_000));
 * ```
 */
export class Builder {
  #name: string | undefined;
  #stackBytes: number | undefined;
  #heapBytes: number | undefined;

  /** Names the thread. */
  name(name: string): Builder {
    this.#name = String(name);
    return this;
  }

  /** Gives the thread a stack of `bytes` (Rust's `stack_size`): a positive integer; Node rounds it up to 512 KiB at least. */
  stackSize(bytes: number): Builder {
    this.#stackBytes = sizeIn('stackSize', bytes);
    return this;
  }

  /**
   * Limits the thread's heap to `bytes` (a positive integer): a thread that
   * needs more ends, and its `join()` throws a `PanicError` saying so.
   */
  heapLimit(bytes: number): Builder {
    this.#heapBytes = sizeIn('heapLimit', bytes);
    return this;
  }

  /** As `spawn`, with this builder's settings. */
  spawn<Result>(body: () => CheckSendAwaited<Result, 'result'>): JoinHandle<Awaited<Result>>;
  spawn<Values extends unknown[], Result>(
    captures: Moved<Values>,
    body: (...values: Values) => CheckSendAwaited<Result, 'result'>,
  ): JoinHandle<Awaited<Result>>;
  spawn(first: unknown, second?: unknown): JoinHandle<unknown> {
    const stackBytes = this.#stackBytes;
    const heapBytes = this.#heapBytes;
    const settings: ThreadSettings = {
      name: this.#name,
      limits: stackBytes === undefined && heapBytes === undefined ? undefined : { stackBytes, heapBytes },
    };
    return second === undefined ? spawnThread(settings, undefined, undefined, first) : spawnThread(settings, undefined, first, second);
  }
}

/** `bytes`, checked to be a size: a positive safe integer. */
function sizeIn(method: string, bytes: unknown): number {
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new TypeError(`Builder.${method} expects a positive integer number of bytes, got ${typeof bytes === 'number' ? bytes : typeof bytes}`);
  }
  return bytes;
}
