// @ts-check
/**
 * Real work, as users choose a threads library by it: how much faster a job
 * gets. Three jobs (lib/kernels.js), each cut into chunks: counting the primes
 * below 5,000,000 (50 chunks of uneven cost), SHA-256 of 64 MiB (1 MiB chunks,
 * `node:crypto` called from the thread), and a 3×3 blur of a 4096×4096
 * Float32Array in shared memory (16 bands of rows, written in place). Each job
 * runs on the main thread alone (the baseline: speedup is its time over a
 * row's), on raw workers claiming chunks from a shared counter (the floor),
 * with sendsync, and with each pool anchor and multithreading, all with
 * THREADS threads, started before the clock. A sample is one or more whole
 * jobs (JOBS_PER_SAMPLE), each timed on the main thread from handing out the
 * work to holding every part, its answer checked against the main thread's.
 */
import { borrow, move, scope } from '@sendsync/runtime';
import { AtomicU32, Ordering } from '@sendsync/runtime/sync';
import { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import Tinypool from 'tinypool';
import workerpool from 'workerpool';
import { chunkCount, combine, makeInput, runChunk } from '../lib/kernels.js';
import { mt } from '../lib/multithreading.js';
import { THREADS } from '../lib/pools.js';

/** @typedef {import('../lib/kernels.js').JobName} JobName */
/** @typedef {import('../lib/kernels.js').ShapeName} ShapeName */

/** The jobs, in the order of the table, with what the table calls them. */
const JOBS = /** @type {const} */ ({
  primes: 'count primes',
  sha256: 'SHA-256',
  blur: '3×3 blur',
});

/**
 * Jobs per sample: a sample of a job that takes some 20 ms on two threads
 * (SHA-256) is at the mercy of any other process that takes a core for a few
 * milliseconds, and a row that runs after another thread pool may find that
 * pool's workers still on the cores; several jobs per sample average that out.
 * The time per job is the sample's time over its jobs.
 */
const JOBS_PER_SAMPLE = /** @type {const} */ ({ primes: 1, sha256: 8, blur: 4 });

const KERNELS_URL = new URL('../lib/kernels.js', import.meta.url).href;
const TASK_FILE = new URL('../workers/real-work-task.js', import.meta.url).href;
const WORKERPOOL_FILE = new URL('../workers/real-work-workerpool.js', import.meta.url).pathname;
const FLOOR_WORKER = new URL('../workers/real-work-floor.js', import.meta.url);

/**
 * One way of running a job: `open` starts its threads (once, for all three
 * jobs), `run` runs every chunk and returns the parts in chunk order,
 * `close` ends its threads.
 * @typedef {object} Contender
 * @property {string} id
 * @property {string} label
 * @property {import('../lib/measure.js').Role} role
 * @property {() => void} [open]
 * @property {(job: JobName, shape: ShapeName, input: SharedArrayBuffer, chunks: number) => (number | string)[] | Promise<(number | string)[]>} run
 * @property {() => Promise<unknown>} [close]
 */

/**
 * Orders `[index, part]` pairs by index into the parts.
 * @param {[number, number | string][]} pairs
 * @param {number} chunks
 */
function inOrder(pairs, chunks) {
  /** @type {(number | string)[]} */
  const parts = new Array(chunks);
  for (const [index, part] of pairs) parts[index] = part;
  return parts;
}

/**
 * Every chunk of a job, one after another, on this thread.
 * @param {JobName} job
 * @param {ShapeName} shape
 * @param {SharedArrayBuffer} input
 * @param {number} chunks
 */
function runAll(job, shape, input, chunks) {
  return Array.from({ length: chunks }, (_, index) => runChunk(job, shape, input, index));
}

/** The main thread alone. @returns {Contender} */
function mainThread() {
  return { id: 'single', label: 'main thread alone', role: 'floor', run: runAll };
}

/** Raw workers claiming chunks from a shared counter: the floor. @returns {Contender} */
function rawWorkers() {
  /** @type {Worker[]} */
  let workers = [];
  return {
    id: 'raw',
    label: `${THREADS} raw workers, chunks claimed by Atomics.add`,
    role: 'floor',
    open() {
      workers = Array.from({ length: THREADS }, () => new Worker(FLOOR_WORKER));
    },
    async run(job, shape, input, chunks) {
      const next = new Int32Array(new SharedArrayBuffer(4));
      const replies = workers.map(
        (worker) =>
          /** @type {Promise<[number, number | string][]>} */ (
            new Promise((resolve, reject) => {
              /** @param {[number, number | string][]} parts */
              const onMessage = (parts) => {
                worker.off('error', onError);
                resolve(parts);
              };
              /** @param {Error} error */
              const onError = (error) => {
                worker.off('message', onMessage);
                reject(error);
              };
              worker.once('message', onMessage);
              worker.once('error', onError);
            })
          ),
      );
      for (const worker of workers) worker.postMessage({ job, shape, input, next, chunks });
      return inOrder((await Promise.all(replies)).flat(), chunks);
    },
    close: () => Promise.all(workers.map((worker) => worker.terminate())),
  };
}

/**
 * sendsync as the chapter teaches: a scope of THREADS threads, each claiming
 * chunks from an `AtomicU32` (Rust's `fetch_add` work counter); the closure
 * calls the imported `runChunk`, which the runtime binds in the thread.
 * @returns {Contender}
 */
function sendsync() {
  return {
    id: 'sendsync',
    label: `sendsync scope(): ${THREADS} threads, chunks claimed by AtomicU32.fetchAdd`,
    role: 'ours',
    run(job, shape, input, chunks) {
      const next = new AtomicU32(0);
      /** @type {[number, number | string][]} */
      const pairs = [];
      scope((s) => {
        const handles = Array.from({ length: THREADS }, () =>
          s.spawn(borrow(next), move(job, shape, input, chunks), (next, job, shape, input, chunks) => {
            /** @type {[number, number | string][]} */
            const parts = [];
            for (let index = next.fetchAdd(1, Ordering.Relaxed); index < chunks; index = next.fetchAdd(1, Ordering.Relaxed)) parts.push([index, runChunk(job, shape, input, index)]);
            return parts;
          }),
        );
        for (const handle of handles) pairs.push(...handle.join());
      });
      return inOrder(pairs, chunks);
    },
  };
}

/**
 * A pool anchor: one task per chunk, all submitted at once, as its README
 * shows; the pool spreads them over its THREADS threads.
 * @param {string} id
 * @param {string} label
 * @param {() => { task(job: JobName, shape: ShapeName, input: SharedArrayBuffer, index: number): Promise<unknown>, close(): Promise<unknown> }} create
 * @returns {Contender}
 */
function pool(id, label, create) {
  /** @type {ReturnType<typeof create> | undefined} */
  let instance;
  return {
    id,
    label,
    role: 'anchor',
    open() {
      instance = create();
    },
    async run(job, shape, input, chunks) {
      const open = /** @type {ReturnType<typeof create>} */ (instance);
      const parts = await Promise.all(Array.from({ length: chunks }, (_, index) => open.task(job, shape, input, index)));
      return /** @type {(number | string)[]} */ (parts);
    },
    close: async () => instance?.close(),
  };
}

/** The pool anchors, each sized to THREADS threads. @returns {Contender[]} */
function pools() {
  const sized = { minThreads: THREADS, maxThreads: THREADS };
  return [
    pool('piscina', 'piscina run(), a task per chunk', () => {
      const piscina = new Piscina({ filename: TASK_FILE, ...sized });
      return { task: (job, shape, input, index) => piscina.run({ job, shape, input, index }), close: () => piscina.destroy() };
    }),
    pool('tinypool', 'tinypool run(), a task per chunk', () => {
      const tinypool = new Tinypool({ filename: TASK_FILE, ...sized });
      return { task: (job, shape, input, index) => tinypool.run({ job, shape, input, index }), close: () => tinypool.destroy() };
    }),
    pool('workerpool', "workerpool exec('chunk'), a task per chunk", () => {
      const instance = workerpool.pool(WORKERPOOL_FILE, { minWorkers: THREADS, maxWorkers: THREADS, workerType: 'thread' });
      return {
        // workerpool's own Promise class, used as the standard one it behaves like.
        task: (job, shape, input, index) => /** @type {Promise<unknown>} */ (instance.exec('chunk', [job, shape, input, index])),
        close: () => /** @type {Promise<unknown>} */ (instance.terminate()),
      };
    }),
    pool('multithreading', 'multithreading spawn(), a task per chunk', () => ({
      async task(job, shape, input, index) {
        // The buffer travels inside an array: the library warns about a bare
        // SharedArrayBuffer (it suggests a lock), and these chunks never overlap.
        const handle = mt.spawn(mt.move(job, shape, [input], index, KERNELS_URL), async (job, shape, [input], index, url) => {
          const kernels = /** @type {typeof import('../lib/kernels.js')} */ (await import(url));
          return kernels.runChunk(job, shape, input, index);
        });
        const result = await handle.join();
        if (!result.ok) throw result.error;
        return result.value;
      },
      close: async () => mt.shutdown(),
    })),
  ];
}

/** @param {import('../lib/measure.js').Mode} mode @returns {import('../lib/measure.js').Group} */
export default function realWork(mode) {
  /** @type {ShapeName} */
  const shape = mode.quick ? 'quick' : 'full';
  const contenders = [mainThread(), rawWorkers(), sendsync(), ...pools()];
  /** @type {Set<Contender>} */
  const opened = new Set();

  /** @type {import('../lib/measure.js').Row[]} */
  const rows = [];
  for (const job of /** @type {JobName[]} */ (Object.keys(JOBS))) {
    const chunks = chunkCount(job, shape);
    /** @type {SharedArrayBuffer | undefined} */
    let input;
    /** @type {number | string | undefined} */
    let expected;
    for (const contender of contenders) {
      rows.push({
        id: `${contender.role}.${job}.${contender.id}`,
        label: `${JOBS[job]}: ${contender.label}`,
        role: contender.role,
        op: job,
        floor: contender.id === 'single' || contender.id === 'raw' ? undefined : `floor.${job}.raw`,
        baseline: contender.id === 'single' ? undefined : `floor.${job}.single`,
        kind: 'cost',
        n: JOBS_PER_SAMPLE[job],
        budget: contender.id === 'sendsync' ? { of: 'vsFloor', max: 1 / 0.95, text: '≥ 0.95× floor speed' } : undefined,
        setup() {
          // The main thread's answer, computed once per job before any row of it is timed.
          input ??= makeInput(job, shape);
          expected ??= combine(job, runAll(job, shape, input, chunks));
          if (!opened.has(contender)) {
            opened.add(contender);
            contender.open?.();
          }
        },
        async run(n) {
          let ms = 0;
          for (let sample = 0; sample < n; sample++) {
            const start = performance.now();
            const parts = await contender.run(job, shape, /** @type {SharedArrayBuffer} */ (input), chunks);
            ms += performance.now() - start;
            const answer = combine(job, parts);
            if (answer !== expected) throw new Error(`wrong answer: ${String(answer).slice(0, 40)}, expected ${String(expected).slice(0, 40)}`);
          }
          return ms;
        },
        async teardown() {
          if (opened.delete(contender)) await contender.close?.();
        },
      });
    }
  }
  return {
    id: 'real-work',
    title: `Real work on ${THREADS} threads: ${mode.quick ? 'quick sizes' : 'primes below 5,000,000, SHA-256 of 64 MiB, 3×3 blur of 4096×4096'} (time per job)`,
    rounds: mode.quick ? 1 : 7,
    roundsByOp: true,
    rows,
  };
}
