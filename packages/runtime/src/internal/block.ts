/**
 * Blocking waits, and their awaitable forms. Where blocking is impossible (a
 * browser's main thread, where `Atomics.wait` throws) a blocking wait throws
 * `WouldBlockError`.
 */

import { WouldBlockError } from '../would-block-error.js';

export { WouldBlockError };

let blockingAllowed: boolean | undefined;

/** Whether this thread may block in `Atomics.wait`. */
export function canBlock(): boolean {
  if (blockingAllowed === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      blockingAllowed = true;
    } catch {
      blockingAllowed = false;
    }
  }
  return blockingAllowed;
}

/**
 * `Atomics.wait` (returning its outcome), or a `WouldBlockError` naming the twin (`'joinAsync'`) on
 * a thread that may not block.
 */
export function blockingWait(
  words: Int32Array,
  index: number,
  value: number,
  timeout: number,
  twin: string,
): 'ok' | 'not-equal' | 'timed-out' {
  if (blockingAllowed !== true && !canBlock()) {
    throw new WouldBlockError(`cannot block on this thread; use ${twin}`);
  }
  return Atomics.wait(words, index, value, timeout);
}

/** What `Atomics.waitAsync` returns (ES2024; not in this project's `lib`). */
export type WaitAsyncResult =
  | { readonly async: false; readonly value: 'not-equal' | 'timed-out' }
  | { readonly async: true; readonly value: Promise<'ok' | 'timed-out'> };

const atomics = Atomics as unknown as {
  waitAsync(words: Int32Array, index: number, value: number, timeout?: number): WaitAsyncResult;
};

/** `Atomics.waitAsync`: waits without blocking while `words[index]` is `value`. */
export function waitAsync(words: Int32Array, index: number, value: number, timeout?: number): WaitAsyncResult {
  return atomics.waitAsync(words, index, value, timeout);
}

/** A timer period long enough never to fire while it keeps the event loop alive. */
const KEEP_ALIVE_MS = 0x7fffffff;

/**
 * Waits without blocking while `words[index]` is `value`, keeping this
 * thread's event loop alive meanwhile: a pending `Atomics.waitAsync` alone
 * does not, so a worker with nothing else to do would end while waiting.
 */
export async function waitAsyncAlive(
  words: Int32Array,
  index: number,
  value: number,
  timeout?: number,
): Promise<'not-equal' | 'ok' | 'timed-out'> {
  const waited = waitAsync(words, index, value, timeout);
  if (!waited.async) return waited.value;
  const keepAlive = setInterval(noop, KEEP_ALIVE_MS);
  try {
    return await waited.value;
  } finally {
    clearInterval(keepAlive);
  }
}

function noop(): void {}
