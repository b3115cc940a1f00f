// @ts-check
/**
 * The start/finish handshake between the main thread and the threads of one
 * sample, in shared memory, so that a sample times only the work: never the
 * spawn, the postMessage that delivered the job, a thread's wake-up, or the
 * main thread noticing the end.
 *
 * A thread taking part runs, inline (closures cross as source text, so the
 * protocol is spelled out in each of them):
 *
 *   const slot = Atomics.add(ctl, READY, 1); Atomics.notify(ctl, READY);
 *   for (let spins = 0; Atomics.load(ctl, GO) === 0; spins++) if (spins > 100_000) Atomics.wait(ctl, GO, 0, 1000);
 *   const start = performance.now();
 *   ... n operations ...
 *   new Float64Array(ctl.buffer, 32, 8)[slot] = performance.now() - start;
 *   Atomics.add(ctl, DONE, 1); Atomics.notify(ctl, DONE);
 *
 * and the main thread calls `timeSample(ctl, threads)`. A closure may call
 * `arrive(ctl)` and `finish(ctl, slot, start)` instead of the first two lines
 * and the last three: the runtime binds the imports of the module that
 * spawned it. A sample lasts from
 * GO until the last participant finished: the longest of the durations each
 * measured on its own clock (all start at GO; a thread spins a little for it
 * rather than sleep, since a sleeper would start late on a loaded machine).
 */

/** Index of the count of threads that arrived and wait for the start signal. */
export const READY = 0;
/** Index of the start signal: 0 until the main thread starts the clock, then 1. */
export const GO = 1;
/** Index of the count of threads that finished their operations. */
export const DONE = 2;
/** Index of a failure flag a thread sets (1) instead of hanging when something is wrong. */
export const FAILED = 3;
/** Bytes of the control words; each participant's duration (a Float64, ms) follows, at its READY slot. */
const WORDS_BYTES = 32;
/** Participants a control block can time. */
const SLOTS = 8;

/** How long any wait of the harness may last before the sample fails. */
export const WAIT_LIMIT_MS = 30_000;

/** A fresh control block. @returns {Int32Array} */
export function newControl() {
  return new Int32Array(new SharedArrayBuffer(WORDS_BYTES + SLOTS * Float64Array.BYTES_PER_ELEMENT));
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
 * Times one sample: waits for `threads` threads to be READY, releases them
 * (GO), runs the main thread's own part if it has one, waits until all are
 * DONE, and returns the longest duration of a participant (the main thread's
 * part included), in milliseconds.
 * @param {Int32Array} ctl
 * @param {number} threads
 * @param {(() => void) | undefined} [mainPart]
 * @param {() => unknown} [failure]
 * @returns {Promise<number>}
 */
export async function timeSample(ctl, threads, mainPart, failure) {
  await waitAtLeast(ctl, READY, threads, failure);
  // Publishes the start; read by every thread's GO loop.
  Atomics.store(ctl, GO, 1);
  Atomics.notify(ctl, GO);
  let longest = 0;
  if (mainPart !== undefined) {
    const start = performance.now();
    mainPart();
    longest = performance.now() - start;
  }
  await waitAtLeast(ctl, DONE, threads, failure);
  // Each duration was written before its thread's Atomics.add to DONE, which we have seen.
  const durations = new Float64Array(ctl.buffer, WORDS_BYTES, SLOTS);
  for (let slot = 0; slot < threads; slot++) longest = Math.max(longest, durations[slot]);
  return longest;
}

/**
 * A thread's side of the start line: counts it READY and waits (spinning a
 * little, then sleeping) for GO. Returns its slot for `finish`.
 * @param {Int32Array} ctl
 * @returns {number}
 */
export function arrive(ctl) {
  const slot = Atomics.add(ctl, READY, 1);
  // Read by the main thread's wait for READY.
  Atomics.notify(ctl, READY);
  for (let spins = 0; Atomics.load(ctl, GO) === 0; spins++) if (spins > 100_000) Atomics.wait(ctl, GO, 0, 1000);
  return slot;
}

/**
 * A thread's side of the finish: writes its duration since `start` in its
 * slot, then counts it DONE.
 * @param {Int32Array} ctl
 * @param {number} slot
 * @param {number} start
 */
export function finish(ctl, slot, start) {
  new Float64Array(ctl.buffer, WORDS_BYTES, SLOTS)[slot] = performance.now() - start;
  // Publishes the duration to the main thread, which reads it after seeing DONE.
  Atomics.add(ctl, DONE, 1);
  Atomics.notify(ctl, DONE);
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
