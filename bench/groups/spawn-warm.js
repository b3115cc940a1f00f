// @ts-check
/**
 * A trivial task (or thread) on a warm pool, started and awaited one after
 * another: the latency a caller pays per spawn. Floor: a postMessage round
 * trip to a raw worker that echoes.
 */
import { spawn } from '@sendsync/runtime';
import { EchoTeam } from '../lib/echo-team.js';
import { double } from '../workers/small-module.js';
import { mt } from '../lib/multithreading.js';
import { POOLS } from '../lib/pools.js';

/** @returns {import('../lib/measure.js').Group} */
export default function spawnWarm() {
  /** @type {EchoTeam | undefined} */
  let echo;

  /** @type {import('../lib/measure.js').Row[]} */
  const anchors = Object.entries(POOLS).map(([id, pool]) => {
    /** @type {import('../lib/pools.js').PoolAnchor | undefined} */
    let anchor;
    return {
      id: `anchor.${id}.task-roundtrip`,
      label: pool.label,
      role: 'anchor',
      op: 'task',
      floor: 'floor.postmessage-roundtrip',
      kind: 'latency',
      setup() {
        anchor = pool.create(true);
      },
      async run(n) {
        const a = /** @type {import('../lib/pools.js').PoolAnchor} */ (anchor);
        const start = performance.now();
        for (let i = 0; i < n; i++) await a.task(i);
        return performance.now() - start;
      },
      teardown: () => anchor?.close(),
    };
  });

  return {
    id: 'spawn-warm',
    title: 'Warm spawn + join of a trivial closure, one after another (time per task)',
    rows: [
      {
        id: 'floor.postmessage-roundtrip',
        label: 'postMessage round trip to a raw worker',
        role: 'floor',
        op: 'task',
        kind: 'latency',
        setup() {
          echo = new EchoTeam(1);
        },
        run: (n) => /** @type {EchoTeam} */ (echo).sequential(n),
        teardown: () => echo?.close(),
      },
      ...anchors,
      {
        id: 'anchor.multithreading.spawn-roundtrip',
        label: 'multithreading spawn(fn).join()',
        role: 'anchor',
        op: 'task',
        floor: 'floor.postmessage-roundtrip',
        kind: 'latency',
        async run(n) {
          const start = performance.now();
          for (let i = 0; i < n; i++) {
            const result = await mt.spawn(() => 1).join();
            if (!result.ok) throw result.error;
          }
          return performance.now() - start;
        },
        teardown: () => mt.shutdown(),
      },
      {
        id: 'ours.spawn-join',
        label: 'sendsync spawn(fn).join()',
        role: 'ours',
        op: 'task',
        floor: 'floor.postmessage-roundtrip',
        kind: 'latency',
        budget: { of: 'median', max: 10_000, text: '≤ 10 µs' },
        run(n) {
          const start = performance.now();
          for (let i = 0; i < n; i++) spawn(() => 1).join();
          return performance.now() - start;
        },
      },
      {
        // Its worker imported small-module.js during calibration: this is the warm case.
        id: 'ours.spawn-join-import',
        label: 'sendsync spawn(() => double(1)).join(), `double` imported (× floor: × the trivial spawn)',
        role: 'ours',
        op: 'task-import',
        floor: 'ours.spawn-join',
        kind: 'latency',
        budget: { of: 'vsFloor', max: 2, text: '≤ 2× warm spawn(fn)' },
        run(n) {
          const start = performance.now();
          for (let i = 0; i < n; i++) spawn(() => double(1)).join();
          return performance.now() - start;
        },
      },
      {
        id: 'ours.spawn-join-async',
        label: 'sendsync await spawn(fn).joinAsync()',
        role: 'ours',
        op: 'task',
        floor: 'floor.postmessage-roundtrip',
        kind: 'latency',
        async run(n) {
          const start = performance.now();
          for (let i = 0; i < n; i++) await spawn(() => 1).joinAsync();
          return performance.now() - start;
        },
      },
    ],
  };
}
