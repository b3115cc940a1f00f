// @ts-check
/**
 * The pool anchors, created the way their READMEs show, each with as many
 * threads as the machine has cores (the same for all, and for the raw floor).
 */
import os from 'node:os';
import { Piscina } from 'piscina';
import Tinypool from 'tinypool';
import workerpool from 'workerpool';

/** Threads per pool: the machine's parallelism. */
export const THREADS = os.availableParallelism();

/** The module every piscina/tinypool task runs. */
export const TASK_FILE = new URL('../workers/pool-task.js', import.meta.url).href;
/** The script of the workerpool workers (named method `echo`). */
export const WORKERPOOL_FILE = new URL('../workers/workerpool-task.js', import.meta.url).pathname;

/**
 * The trivial function workerpool ships to its default worker by source
 * (`pool.exec(fn, args)`).
 * @param {number} value
 */
export function echo(value) {
  return value;
}

/**
 * workerpool's own Promise class, typed as the standard one it behaves like
 * (a cast only: no wrapper, so nothing is added to the anchor's cost).
 * @param {unknown} promise
 * @returns {Promise<unknown>}
 */
function asPromise(promise) {
  return /** @type {Promise<unknown>} */ (promise);
}

/**
 * A pool anchor: `task(value)` runs one trivial task and resolves with its
 * result; `close()` ends every thread.
 * @typedef {{ task(value: number): Promise<unknown>, close(): Promise<unknown> }} PoolAnchor
 */

/**
 * The anchors, by id. `sized` pins the thread count to THREADS (warm rows);
 * otherwise each library's defaults apply (cold rows).
 * @type {Record<string, { label: string, create(sized: boolean): PoolAnchor }>}
 */
export const POOLS = {
  piscina: {
    label: 'piscina run()',
    create(sized) {
      const pool = new Piscina({ filename: TASK_FILE, ...(sized ? { minThreads: THREADS, maxThreads: THREADS } : {}) });
      return { task: (value) => pool.run(value), close: () => pool.destroy() };
    },
  },
  tinypool: {
    label: 'tinypool run()',
    create(sized) {
      const pool = new Tinypool({ filename: TASK_FILE, ...(sized ? { minThreads: THREADS, maxThreads: THREADS } : {}) });
      return { task: (value) => pool.run(value), close: () => pool.destroy() };
    },
  },
  workerpool: {
    label: "workerpool exec('echo')",
    create(sized) {
      const pool = workerpool.pool(WORKERPOOL_FILE, sized ? { minWorkers: THREADS, maxWorkers: THREADS, workerType: 'thread' } : { workerType: 'thread' });
      return { task: (value) => asPromise(pool.exec('echo', [value])), close: () => asPromise(pool.terminate()) };
    },
  },
  'workerpool-dynamic': {
    label: 'workerpool exec(fn, args)',
    create(sized) {
      const pool = workerpool.pool(sized ? { minWorkers: THREADS, maxWorkers: THREADS, workerType: 'thread' } : { workerType: 'thread' });
      return { task: (value) => asPromise(pool.exec(echo, [value])), close: () => asPromise(pool.terminate()) };
    },
  },
};
