// @ts-check
/**
 * Cold start: a new thread (or a new pool) that runs one trivial task, timed
 * until its result is back. The floor is a raw `new Worker(code, { eval: true })`
 * that posts a message; its exit is awaited outside the clock.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { mt } from '../lib/multithreading.js';
import { POOLS } from '../lib/pools.js';

/** The raw worker's whole program. */
const RAW_CODE = "require('node:worker_threads').parentPort.postMessage(1);";

const COLD_PROCESS = fileURLToPath(new URL('../workers/cold-process.js', import.meta.url));
const execFileAsync = promisify(execFile);

/**
 * Times the first thread of a fresh process (workers/cold-process.js).
 * @param {string} which
 * @returns {Promise<number>} milliseconds
 */
async function coldInFreshProcess(which) {
  const { stdout } = await execFileAsync(process.execPath, [COLD_PROCESS, which], { timeout: 30_000 });
  return JSON.parse(stdout).ms;
}

/**
 * Our rows: a trivial closure (the target), one with a parameter, one
 * that locks a moved `Mutex` (its worker loads that module), and one that
 * calls a function its module imports (its worker imports that module: its
 * floor is a raw worker that imports it); each mode is a case of
 * workers/cold-process.js.
 * @type {{ id: string, mode: string, label: string, floor?: string, budget?: import('../lib/measure.js').Budget }[]}
 */
const OURS = [
  { id: 'ours.spawn-cold', mode: 'sendsync', label: 'sendsync spawn(fn).join()', budget: { of: 'vsFloor', max: 1.1, text: '≤ 1.1× floor' } },
  { id: 'ours.spawn-cold-move', mode: 'sendsync-move', label: 'sendsync spawn(move(20), (n) => n + 1).join()' },
  { id: 'ours.spawn-cold-mutex', mode: 'sendsync-mutex', label: 'sendsync spawn(move(mutex), (m) => lock, add, release).join()' },
  {
    id: 'ours.spawn-cold-import',
    mode: 'sendsync-import',
    label: 'sendsync spawn(() => double(1)).join(), `double` imported from a small module',
    floor: 'floor.raw-worker-import-fresh-process',
  },
];

/** @returns {import('../lib/measure.js').Group} */
export default function spawnCold() {
  /** @type {import('../lib/measure.js').Row[]} */
  const anchors = Object.entries(POOLS).map(([id, pool]) => ({
    id: `anchor.${id}.cold`,
    label: `${pool.label} on a new pool`,
    role: 'anchor',
    op: 'cold',
    floor: 'floor.raw-worker',
    kind: 'latency',
    n: 1,
    async run() {
      const start = performance.now();
      const anchor = pool.create(false);
      await anchor.task(1);
      const ms = performance.now() - start;
      await anchor.close();
      return ms;
    },
  }));

  return {
    id: 'spawn-cold',
    title: 'Cold spawn: a new thread (or pool) runs a trivial task and answers',
    rows: [
      {
        id: 'floor.raw-worker',
        label: 'new Worker(code, { eval: true }) posts back',
        role: 'floor',
        op: 'cold',
        kind: 'latency',
        n: 1,
        async run() {
          const start = performance.now();
          const worker = new Worker(RAW_CODE, { eval: true });
          const exited = once(worker, 'exit');
          await once(worker, 'message');
          const ms = performance.now() - start;
          await exited;
          return ms;
        },
      },
      {
        id: 'floor.raw-worker-fresh-process',
        label: 'new Worker(code, { eval: true }) posts back, first in a fresh process',
        role: 'floor',
        op: 'cold',
        kind: 'latency',
        n: 1,
        run: () => coldInFreshProcess('raw'),
      },
      {
        id: 'floor.raw-worker-import-fresh-process',
        label: 'new Worker(code, { eval: true }) imports a small module, posts back, first in a fresh process',
        role: 'floor',
        op: 'cold-import',
        kind: 'latency',
        n: 1,
        run: () => coldInFreshProcess('raw-import'),
      },
      ...anchors,
      {
        id: 'anchor.multithreading.cold',
        label: 'multithreading spawn(fn).join() after shutdown()',
        role: 'anchor',
        op: 'cold',
        floor: 'floor.raw-worker',
        kind: 'latency',
        n: 1,
        async run() {
          mt.shutdown();
          const start = performance.now();
          const result = await mt.spawn(() => 1).join();
          const ms = performance.now() - start;
          if (!result.ok) throw result.error;
          return ms;
        },
        teardown: () => mt.shutdown(),
      },
      ...OURS.map(({ id, mode, label, floor, budget }) => ({
        id,
        label: `${label}, first in a fresh process`,
        role: /** @type {const} */ ('ours'),
        op: floor === undefined ? 'cold' : 'cold-import',
        floor: floor ?? 'floor.raw-worker-fresh-process',
        kind: /** @type {const} */ ('latency'),
        budget,
        n: 1,
        run: () => coldInFreshProcess(mode),
      })),
    ],
  };
}
