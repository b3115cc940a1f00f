// @ts-check
/**
 * The start/finish handshake between the main thread and the threads of one
 * sample, in shared memory, so that a sample times only the work: never the
 * spawn, the postMessage that delivered the job, or a thread's wake-up order.
 *
 * A thread taking part runs, inline (closures cross as source text, so the
 * protocol is spelled out in each of them):
 *
 *   Atomics.add(ctl, READY, 1); Atomics.notify(ctl, READY);
 *   for (let spins = 0; Atomics.load(ctl, GO) === 0; spins++) if (spins > 100_000) Atomics.wait(ctl, GO, 0, 1000);
 *   ... n operations ...
 *   Atomics.add(ctl, DONE, 1); Atomics.notify(ctl, DONE);
 *
 * and the main thread calls `timeSample(ctl, threads)`. A thread spins a
 * little for GO before it sleeps: the main thread gives GO as soon as all are
 * READY, and a thread still asleep then would start late, its wake-up (which
 * takes milliseconds on a loaded machine) counted as the operations' time.
 */

/** Index of the count of threads that arrived and wait for the start signal. */
export const READY = 0;
/** Index of the start signal: 0 until the main thread starts the clock, then 1. */
export const GO = 1;
/** Index of the count of threads that finished their operations. */
export const DONE = 2;
/** Index of a failure flag a thread sets (1) instead of hanging when something is wrong. */
export const FAILED = 3;
/** Words in a control block (the rest are free for a sample's own use). */
const WORDS = 8;

/** How long any wait of the harness may last before the sample fails. */
export const WAIT_LIMIT_MS = 30_000;

/** A fresh control block. @returns {Int32Array} */
export function newControl() {
  return new Int32Array(new SharedArrayBuffer(WORDS * Int32Array.BYTES_PER_ELEMENT));
}

/**
 * Waits, without blocking the event loop, until `ctl[index] >= value`.
 * Fails after WAIT_LIMIT_MS, when a thread raised FAILED, or when
 * `failure()` returns an error (a worker's 'error' event).
 * @param {Int32Array} ctl
 * @param {number} index
 * @param {number} value
 * @param {() => unknown} [failure]
 */
export async function waitAtLeast(ctl, index, value, failure) {
  const deadline = performance.now() + WAIT_LIMIT_MS;
  for (;;) {
    const seen = Atomics.load(ctl, index);
    if (seen >= value) return;
    if (Atomics.load(ctl, FAILED) !== 0) throw new Error('a benchmark thread reported a failure');
    const error = failure?.();
    if (error) throw error;
    const left = deadline - performance.now();
    if (left <= 0) throw new Error(`benchmark wait timed out after ${WAIT_LIMIT_MS} ms`);
    // Pairs with the Atomics.notify each thread does after bumping READY or DONE.
    const result = Atomics.waitAsync(ctl, index, seen, Math.min(left, 200));
    if (result.async) await result.value;
  }
}

/**
 * Times one sample: waits for `threads` threads to be READY, starts the clock,
 * releases them (GO), runs the main thread's own part if it has one, and stops
 * the clock when all are DONE. Returns milliseconds.
 * @param {Int32Array} ctl
 * @param {number} threads
 * @param {(() => void) | undefined} [mainPart]
 * @param {() => unknown} [failure]
 * @returns {Promise<number>}
 */
export async function timeSample(ctl, threads, mainPart, failure) {
  await waitAtLeast(ctl, READY, threads, failure);
  const start = performance.now();
  // Publishes the start; read by every thread's GO loop.
  Atomics.store(ctl, GO, 1);
  Atomics.notify(ctl, GO);
  mainPart?.();
  await waitAtLeast(ctl, DONE, threads, failure);
  return performance.now() - start;
}

/**
 * Blocks the calling thread until `view[index] !== value`, with a bound: the
 * main thread's side of a hand-off. Throws after WAIT_LIMIT_MS.
 * @param {Int32Array} view
 * @param {number} index
 * @param {number} value
 */
export function blockWhileEquals(view, index, value) {
  const deadline = performance.now() + WAIT_LIMIT_MS;
  while (Atomics.load(view, index) === value) {
    // Pairs with the other thread's store + notify of this word.
    Atomics.wait(view, index, value, 1000);
    if (performance.now() > deadline) throw new Error('benchmark hand-off timed out');
  }
}
