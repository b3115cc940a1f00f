// @ts-check
/** raw.js's worker: waits at the gate, adds to the shared counter, counts itself done. */
self.onmessage = (/** @type {MessageEvent<{ words: Int32Array, times: number }>} */ event) => {
  const { words, times } = event.data;
  // Pairs with the page's store and notify on the gate (word 2).
  while (Atomics.load(words, 2) === 0) Atomics.wait(words, 2, 0);
  for (let i = 0; i < times; i++) Atomics.add(words, 0, 1);
  // Publishes this worker's adds; the page's waitAsync on word 1 reads it.
  Atomics.add(words, 1, 1);
  Atomics.notify(words, 1);
};
