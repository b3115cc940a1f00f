/**
 * `scope`: threads that may borrow, all joined when the scope ends, as
 * `std::thread::scope`.
 */

import type { CheckSendAwaited } from '@sendsync/marker';
import type { JoinHandle } from './join-handle.js';
import { Borrowed, type DeepReadonlyEach, type Moved } from './move.js';
import { spawnThread } from './spawn.js';

/** What the closure receives for the values passed: moved ones as they are, borrowed ones read-only. */
type ValuesOf<Passed> = Passed extends Borrowed<infer Borrows> ? DeepReadonlyEach<Borrows> : Passed extends Moved<infer Values> ? Values : never;

/**
 * The scope given to `scope`'s body: spawns threads that may borrow Sync
 * values (read-only in the thread) as well as move Send ones. Every thread
 * spawned here is joined before `scope` returns.
 */
export class Scope {
  /** @internal The scope's threads, in spawn order. */
  readonly handles: JoinHandle<unknown>[] = [];

  /** As `spawn`; the thread is joined at the end of the scope at the latest. */
  spawn<Result>(body: () => CheckSendAwaited<Result, 'result'>): JoinHandle<Awaited<Result>>;
  // one signature for `move(...)` and for `borrow(...)`: with two, a bad result would read "No overload matches this call"
  spawn<Passed extends Moved<unknown[]> | Borrowed<unknown[]>, Result>(
    passed: Passed,
    body: (...values: ValuesOf<Passed>) => CheckSendAwaited<Result, 'result'>,
  ): JoinHandle<Awaited<Result>>;
  spawn<Borrows extends unknown[], Values extends unknown[], Result>(
    borrows: Borrowed<Borrows>,
    captures: Moved<Values>,
    body: (
      ...values: [...DeepReadonlyEach<Borrows>, ...Values]
    ) => CheckSendAwaited<Result, 'result'>,
  ): JoinHandle<Awaited<Result>>;
  spawn(first: unknown, second?: unknown, third?: unknown): JoinHandle<unknown> {
    let handle: JoinHandle<unknown>;
    if (third !== undefined) handle = spawnThread(undefined, first, second, third);
    else if (second === undefined) handle = spawnThread(undefined, undefined, undefined, first);
    else if (isBorrowed(first)) handle = spawnThread(undefined, first, undefined, second);
    else handle = spawnThread(undefined, undefined, first, second);
    handle.scoped();
    this.handles.push(handle);
    return handle;
  }
}

function isBorrowed(value: unknown): boolean {
  return value instanceof Borrowed;
}

/**
 * Runs `body` with a `Scope`, then joins every thread it spawned, and returns
 * `body`'s result. If a thread that was not joined by hand panicked, its
 * `PanicError` is thrown once all have ended (an error of `body` itself wins).
 *
 * @example
 * ```ts
 * const numbers = [1, 2, 3];
 * scope((s) => {
 *   s.spawn(borrow(numbers), (numbers) => console.log(`length: ${numbers.length}`));
 *   s.spawn(borrow(numbers), (numbers) => { for (const n of numbers) console.log(n); });
 * }); // all joined here
 * ```
 */
export function scope<Result>(body: (s: Scope) => Result): Result {
  const s = new Scope();
  let result: Result | undefined;
  let failed = false;
  let failure: unknown;
  try {
    result = body(s);
  } catch (error) {
    failed = true;
    failure = error;
  }
  let panic: unknown;
  for (const handle of s.handles) {
    try {
      if (!handle.isJoined()) handle.join();
    } catch (error) {
      panic ??= error;
    }
  }
  // Rethrows what body or a thread threw, as it was.
   
  if (failed) throw failure;
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  if (panic !== undefined) throw panic;
  return result as Result;
}

/**
 * The awaitable twin of `scope`: `body` may be async; the threads are joined
 * with `joinAsync()`, so this never blocks.
 *
 * @example
 * ```ts
 * await scopeAsync(async (s) => {
 *   s.spawn(() => 1);
 * });
 * ```
 */
export async function scopeAsync<Result>(body: (s: Scope) => Result | Promise<Result>): Promise<Result> {
  const s = new Scope();
  let result: Result | undefined;
  let failed = false;
  let failure: unknown;
  try {
    result = await body(s);
  } catch (error) {
    failed = true;
    failure = error;
  }
  let panic: unknown;
  for (const handle of s.handles) {
    try {
      if (!handle.isJoined()) await handle.joinAsync();
    } catch (error) {
      panic ??= error;
    }
  }
  // Rethrows what body or a thread threw, as it was.
   
  if (failed) throw failure;
  // eslint-disable-next-line @typescript-eslint/only-throw-error
  if (panic !== undefined) throw panic;
  return result as Result;
}


