// @ts-check
/**
 * The bundled group's warm rows, run in a process of their own (so that the
 * bundled and the unbundled runtime never share a machine's cores with each
 * other's idle workers): `node warm.js n` warms every worker of the pool (a
 * cold one costs a fresh worker's start-up), then times n spawn +
 * join of a closure that calls an import, one after another, and prints
 * `{ ms }` as JSON. Run as it is, and as built by esbuild with the plugin.
 */
import { availableParallelism, spawn } from '@sendsync/runtime';
import { double } from '../workers/small-module.js';

/**
 * Spawns and joins n threads one after another.
 * @param {number} n
 * @returns {number} milliseconds
 */
function warm(n) {
  const start = performance.now();
  for (let i = 0; i < n; i++) if (spawn(() => double(1)).join() !== 2) throw new Error('wrong answer');
  return performance.now() - start;
}

/** Warms every worker of the pool: rounds of as many threads at once as there are cores, each running the closure. */
function warmPool() {
  for (let round = 0; round < 20; round++) {
    const handles = Array.from({ length: availableParallelism() + 1 }, () => spawn(() => double(1)));
    for (const handle of handles) handle.join();
  }
}

const n = Number(process.argv[2]);
warmPool();
warm(Math.max(100, n >> 2));
console.log(JSON.stringify({ ms: warm(n) }));
