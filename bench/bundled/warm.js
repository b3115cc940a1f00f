// @ts-check
/**
 * The bundled group's warm rows, served by a process of their own (one for
 * the bundled build, one for the unbundled code, so that the two runtimes
 * never share a pool): `node warm.js` warms every worker of the pool (a cold
 * one costs a fresh worker's start-up), then spawns for WARM_MS more and
 * prints `ready`; each line `n` it then reads from stdin times n spawn + join
 * of a closure that calls an import, one after another, and prints `{ ms }`
 * as JSON. Run as it is, and as built by esbuild with the plugin.
 *
 * Warm means what the spawn-warm group measures in its long-lived process:
 * a process whose first second is over. In its first second a fresh process
 * spawns several times slower, and unevenly (V8 still compiles the hot paths
 * on the cores the hand-off needs, and the spin budgets learn to sleep
 * meanwhile, see the runtime's spin.ts): timed from there, the rows measured
 * that transient (some 30 µs a spawn) instead of a warm spawn (some 3 µs).
 */
import { createInterface } from 'node:readline';
import { availableParallelism, spawn } from '@sendsync/runtime';
import { double } from '../workers/small-module.js';

/** How long the process spawns before its first timed run. */
const WARM_MS = 1000;

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

warmPool();
const start = performance.now();
while (performance.now() - start < WARM_MS) warm(100);
console.log('ready');
for await (const line of createInterface({ input: process.stdin })) console.log(JSON.stringify({ ms: warm(Number(line)) }));
