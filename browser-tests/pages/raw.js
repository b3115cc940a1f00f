// @ts-check
/**
 * The platform alone, no sendsync: proves that the harness serves a
 * cross-origin-isolated page whose module workers share memory and block in
 * Atomics.wait while the page awaits Atomics.waitAsync.
 */

/** Word indices of the shared memory. */
const COUNTER = 0;
const DONE = 1;
const GATE = 2;

/**
 * `workers` module workers wait at a gate, then each adds 1 to a shared
 * counter `times` times with Atomics.add and counts itself done.
 * @param {number} workers
 * @param {number} times
 */
export async function sharedCounter(workers, times) {
  const words = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  const started = [];
  for (let i = 0; i < workers; i++) {
    const worker = new Worker(new URL('./raw-worker.js', import.meta.url), { type: 'module' });
    started.push(worker);
    worker.postMessage({ words, times });
  }
  // Pairs with the workers' Atomics.wait on GATE: opens it for all at once.
  Atomics.store(words, GATE, 1);
  Atomics.notify(words, GATE);
  // The page may not block: it sleeps on DONE through waitAsync.
  for (let done = Atomics.load(words, DONE); done < workers; done = Atomics.load(words, DONE)) {
    const { async, value } = Atomics.waitAsync(words, DONE, done);
    if (async) await value;
  }
  for (const worker of started) worker.terminate();
  return { crossOriginIsolated: globalThis.crossOriginIsolated, total: Atomics.load(words, COUNTER) };
}

/** What the page sees of cross-origin isolation. */
export function isolation() {
  return { crossOriginIsolated: globalThis.crossOriginIsolated, sharedArrayBuffer: typeof SharedArrayBuffer };
}

/**
 * A module worker that imports a package by its bare name: a worker does not
 * see a page's import map, so this loads only because the server resolved
 * the name (lib/bare-imports.js). Resolves with what the worker posts, or the
 * load error.
 */
export function bareImportInWorker() {
  const worker = new Worker(new URL('./bare-import-worker.js', import.meta.url), { type: 'module' });
  return new Promise((resolve) => {
    worker.onmessage = (event) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      resolve(`the worker failed to load: ${event.message}`);
    };
  });
}
