// @ts-check
/**
 * The browser bench page (bench/groups/browser.js drives it): each export
 * runs n operations in the page and returns the milliseconds they took, timed
 * in the page, so that the driver's round trips to the page are not counted.
 * Each of ours sits beside a floor measured in the same page: a raw module
 * worker's postMessage, or raw Atomics.
 */
import { move, spawn } from '@sendsync/runtime';
import { Mutex } from '@sendsync/runtime/sync';
import { channel } from '@sendsync/runtime/sync/mpsc';

/** @template T @typedef {[import('@sendsync/runtime/sync/mpsc').Sender<T>, import('@sendsync/runtime/sync/mpsc').Receiver<T>]} Channel a channel of T (JavaScript cannot pass channel's type argument) */

/** The raw module worker of the postMessage floors (bench-worker.js), started once. */
const raw = new Worker(new URL('./bench-worker.js', import.meta.url), { type: 'module' });

/** Resolves with the raw worker's next reply. @returns {Promise<unknown>} */
function reply() {
  return new Promise((resolve) => raw.addEventListener('message', (event) => resolve(event.data), { once: true }));
}

/** Floor of a spawn: n postMessage round trips to the raw worker, one after another. @param {number} n */
export async function postMessageRoundTrips(n) {
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const answer = reply();
    raw.postMessage(i);
    if ((await answer) !== i) throw new Error('the echo worker answered wrong');
  }
  return performance.now() - start;
}

/** n warm spawns of a trivial closure, each awaited with joinAsync. @param {number} n */
export async function spawnJoinAsync(n) {
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    if ((await spawn(move(i), (i) => i).joinAsync()) !== i) throw new Error('the thread returned wrong');
  }
  return performance.now() - start;
}

const word = new Int32Array(new SharedArrayBuffer(4));

/** Floor of an uncontended lock: Atomics.compareExchange + Atomics.store. @param {number} n */
export function casStore(n) {
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    // Acquire pairs with the store below (release) of the previous iteration.
    while (Atomics.compareExchange(word, 0, 0, 1) !== 0);
    Atomics.store(word, 0, 0);
  }
  return performance.now() - start;
}

const mutex = new Mutex(0);

/** Uncontended Mutex lock() + guard[Symbol.dispose]() on the page's main thread (it never has to wait). @param {number} n */
export function mutexLock(n) {
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const guard = mutex.lock();
    guard[Symbol.dispose]();
  }
  return performance.now() - start;
}

/** The same in a native `using` block (the browser's own explicit resource management, no compiler helpers). @param {number} n */
export function mutexUsing(n) {
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    using _guard = mutex.lock();
  }
  return performance.now() - start;
}

/** Uncontended await lockAsync() + guard[Symbol.dispose](). @param {number} n */
export async function mutexLockAsync(n) {
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const guard = await mutex.lockAsync();
    guard[Symbol.dispose]();
  }
  return performance.now() - start;
}

/** Floor of channel throughput: n numbers posted to the raw worker, until it says it has them all. @param {number} n */
export async function postMessageStream(n) {
  const start = performance.now();
  const done = reply();
  raw.postMessage({ expect: n });
  for (let i = 0; i < n; i++) raw.postMessage(i);
  if ((await done) !== (n * (n - 1)) / 2) throw new Error('the sink worker lost messages');
  return performance.now() - start;
}

/** n numbers sent through a channel() to a thread that receives them all; ends when the thread is joined. @param {number} n */
export async function channelStream(n) {
  const start = performance.now();
  const [tx, rx] = /** @type {Channel<number>} */ (channel());
  const sink = spawn(move(rx, n), (rx, n) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += rx.recv();
    return sum;
  });
  for (let i = 0; i < n; i++) tx.send(i);
  if ((await sink.joinAsync()) !== (n * (n - 1)) / 2) throw new Error('the channel lost messages');
  const ms = performance.now() - start;
  tx.drop();
  return ms;
}

/** Ends the raw worker (the runtime's own workers end with the page). */
export function close() {
  raw.terminate();
}
