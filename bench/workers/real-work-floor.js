// @ts-check
/**
 * A raw worker of the real-work floor: for each request it claims chunks
 * from a shared counter until none are left, then posts back what it
 * computed, as `[index, part]` pairs. Nothing but `postMessage` and one
 * `Atomics.add` per chunk stands between the threads and the work.
 */
import { parentPort } from 'node:worker_threads';
import { runChunk } from '../lib/kernels.js';

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
port.on('message', (/** @type {{ job: import('../lib/kernels.js').JobName, shape: import('../lib/kernels.js').ShapeName, input: SharedArrayBuffer, next: Int32Array, chunks: number }} */ request) => {
  /** @type {[number, number | string][]} */
  const parts = [];
  for (let index = Atomics.add(request.next, 0, 1); index < request.chunks; index = Atomics.add(request.next, 0, 1)) {
    parts.push([index, runChunk(request.job, request.shape, request.input, index)]);
  }
  port.postMessage(parts);
});
