// @ts-check
/**
 * A cold start in a fresh process: the first thread a program ever starts,
 * timed from the call to its answer (the process's own start-up and imports
 * are outside the clock). Prints `{ ms }` as JSON.
 *
 *   node workers/cold-process.js raw        a raw new Worker(code, { eval: true }) that posts back
 *   node workers/cold-process.js sendsync   spawn(() => 1).join()
 *   node workers/cold-process.js sendsync-move   spawn(move(20), (n) => n + 1).join(): a closure with a parameter
 *   node workers/cold-process.js sendsync-mutex  a closure that locks a moved Mutex (the worker loads its codec's module)
 *   node workers/cold-process.js sendsync-import spawn(() => double(1)).join(): the worker imports small-module.js
 *   node workers/cold-process.js raw-import      a raw new Worker that imports small-module.js, then posts back
 */
import { once } from 'node:events';
import { double } from './small-module.js';

const which = process.argv[2];
/** @type {number} */
let ms;
if (which === 'raw') {
  const { Worker } = await import('node:worker_threads');
  const start = performance.now();
  const worker = new Worker("require('node:worker_threads').parentPort.postMessage(1);", { eval: true });
  const exited = once(worker, 'exit');
  await once(worker, 'message');
  ms = performance.now() - start;
  await exited;
} else if (which === 'raw-import') {
  const { Worker } = await import('node:worker_threads');
  const url = new URL('./small-module.js', import.meta.url).href;
  const start = performance.now();
  const worker = new Worker(
    `import(${JSON.stringify(url)}).then(() => require('node:worker_threads').parentPort.postMessage(1));`,
    { eval: true },
  );
  const exited = once(worker, 'exit');
  await once(worker, 'message');
  ms = performance.now() - start;
  await exited;
} else if (which === 'sendsync') {
  const { spawn } = await import('@sendsync/runtime');
  const start = performance.now();
  spawn(() => 1).join();
  ms = performance.now() - start;
} else if (which === 'sendsync-move') {
  const { move, spawn } = await import('@sendsync/runtime');
  const start = performance.now();
  spawn(move(20), (n) => n + 1).join();
  ms = performance.now() - start;
} else if (which === 'sendsync-mutex') {
  const { move, spawn } = await import('@sendsync/runtime');
  const { Mutex } = await import('@sendsync/runtime/sync');
  const counter = new Mutex(0);
  const start = performance.now();
  spawn(move(counter), (counter) => {
    const guard = counter.lock();
    guard.value += 1;
    guard[Symbol.dispose]();
  }).join();
  ms = performance.now() - start;
} else if (which === 'sendsync-import') {
  const { spawn } = await import('@sendsync/runtime');
  const start = performance.now();
  spawn(() => double(1)).join();
  ms = performance.now() - start;
} else {
  throw new Error(`unknown cold start: ${which}`);
}
process.stdout.write(JSON.stringify({ ms }) + '\n');
