// @ts-check
/**
 * Many trivial tasks (or threads) in flight at once, across all cores: how
 * many per second. Floor: numbers posted to raw echo workers, one per core.
 */
import { move, spawn } from '@sendsync/runtime';
import { EchoTeam } from '../lib/echo-team.js';
import { mt } from '../lib/multithreading.js';
import { POOLS, THREADS } from '../lib/pools.js';

/** At least this many tasks in one sample, so that it measures throughput, not one round trip. */
const MIN_TASKS = 200;
/** At most this many tasks in one sample (they are all pending at once). */
const MAX_TASKS = 200_000;

/** @returns {import('../lib/measure.js').Group} */
export default function spawnThroughput() {
  /** @type {EchoTeam | undefined} */
  let echo;

  /** @type {import('../lib/measure.js').Row[]} */
  const anchors = Object.entries(POOLS).map(([id, pool]) => {
    /** @type {import('../lib/pools.js').PoolAnchor | undefined} */
    let anchor;
    return {
      id: `anchor.${id}.task-throughput`,
      label: `${pool.label}, all in flight`,
      role: 'anchor',
      op: 'tasks',
      floor: 'floor.postmessage-pipelined',
      kind: 'throughput',
      minN: MIN_TASKS,
      maxN: MAX_TASKS,
      setup() {
        anchor = pool.create(true);
      },
      async run(n) {
        const a = /** @type {import('../lib/pools.js').PoolAnchor} */ (anchor);
        const start = performance.now();
        const pending = [];
        for (let i = 0; i < n; i++) pending.push(a.task(i));
        await Promise.all(pending);
        return performance.now() - start;
      },
      teardown: () => anchor?.close(),
    };
  });

  return {
    id: 'spawn-throughput',
    title: `Spawn throughput: trivial tasks all in flight on ${THREADS} threads (time per task)`,
    rows: [
      {
        id: 'floor.postmessage-pipelined',
        label: `postMessage to ${THREADS} raw echo workers, all in flight`,
        role: 'floor',
        op: 'tasks',
        kind: 'throughput',
        minN: MIN_TASKS,
        maxN: MAX_TASKS,
        setup() {
          echo = new EchoTeam(THREADS);
        },
        run: (n) => /** @type {EchoTeam} */ (echo).pipelined(n),
        teardown: () => echo?.close(),
      },
      ...anchors,
      {
        id: 'anchor.multithreading.spawn-throughput',
        label: 'multithreading spawn(fn) × n, then join all',
        role: 'anchor',
        op: 'tasks',
        floor: 'floor.postmessage-pipelined',
        kind: 'throughput',
        minN: MIN_TASKS,
        maxN: MAX_TASKS,
        async setup() {
          // Starts the library's workers before the calibration, as the other rows do.
          const handles = [];
          for (let t = 0; t < THREADS; t++) handles.push(mt.spawn(() => 1));
          for (const handle of handles) await handle.join();
        },
        async run(n) {
          const start = performance.now();
          const handles = [];
          for (let i = 0; i < n; i++) handles.push(mt.spawn(() => 1));
          for (const handle of handles) {
            const result = await handle.join();
            if (!result.ok) throw result.error;
          }
          return performance.now() - start;
        },
        teardown: () => mt.shutdown(),
      },
      {
        id: 'ours.spawn-throughput',
        label: 'sendsync spawn(fn) × n, then join all',
        role: 'ours',
        op: 'tasks',
        floor: 'floor.postmessage-pipelined',
        kind: 'throughput',
        budget: { of: 'median', max: 2_000, text: '≥ 500 k/s' },
        minN: MIN_TASKS,
        maxN: MAX_TASKS,
        setup() {
          // As the pools above start THREADS workers up front (minThreads), start THREADS threads at once, so
          // that the pool holds THREADS workers and the calibration does not time their cold starts.
          const arrived = new Int32Array(new SharedArrayBuffer(4));
          const handles = [];
          for (let t = 0; t < THREADS; t++) {
            handles.push(
              spawn(move(arrived, THREADS), (arrived, threads) => {
                Atomics.add(arrived, 0, 1);
                for (let seen; (seen = Atomics.load(arrived, 0)) < threads; ) Atomics.wait(arrived, 0, seen, 10);
              }),
            );
          }
          for (const handle of handles) handle.join();
        },
        run(n) {
          const start = performance.now();
          const handles = [];
          for (let i = 0; i < n; i++) handles.push(spawn(() => 1));
          for (const handle of handles) handle.join();
          return performance.now() - start;
        },
      },
    ],
  };
}
