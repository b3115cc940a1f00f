// @ts-check
/**
 * Two threads incrementing one counter under one lock: throughput of a lock
 * that is fought over (and, in one row, the data is a shared queue changed in
 * place). The floor is a raw three-state futex mutex (spin a
 * little, then Atomics.wait) in two raw workers; every row checks that no
 * increment was lost.
 */
import { move, spawn } from '@sendsync/runtime';
import { VecDeque } from '@sendsync/runtime/collections';
import { Mutex } from '@sendsync/runtime/sync';
import { Mutex as AsyncMutex } from 'async-mutex';
import { newControl, timeSample } from '../lib/control.js';
import { mt } from '../lib/multithreading.js';
import { RawTeam } from '../lib/raw-team.js';

/** Threads taking part in each sample. */
const THREADS = 2;
/** Elements of the queue in the VecDeque row. */
const QUEUE_LENGTH = 1_000;

/**
 * Throws unless the counter saw every increment.
 * @param {number} actual @param {number} expected @param {string} who
 */
function checkCount(actual, expected, who) {
  if (actual !== expected) throw new Error(`${who}: lost updates (${actual} of ${expected})`);
}

/** @returns {import('../lib/measure.js').Group} */
export default function contended() {
  /** @type {RawTeam | undefined} */
  let team;
  const asyncMutex = new AsyncMutex();

  return {
    id: 'contended',
    title: 'Contended lock: two threads increment one counter (time per increment, all threads)',
    rows: [
      {
        id: 'floor.futex-contended',
        label: 'raw three-state futex mutex, 2 workers',
        role: 'floor',
        op: 'lock',
        kind: 'throughput',
        setup() {
          team = new RawTeam(THREADS);
        },
        async run(n) {
          const perThread = Math.ceil(n / THREADS);
          const data = new Int32Array(new SharedArrayBuffer(8));
          const ms = await /** @type {RawTeam} */ (team).run('futex', data, perThread);
          checkCount(data[1], perThread * THREADS, 'futex');
          return (ms * n) / (perThread * THREADS);
        },
        teardown: () => team?.close(),
      },
      {
        id: 'anchor.multithreading.mutex-contended',
        label: 'multithreading Mutex blockingLock, 2 threads',
        role: 'anchor',
        op: 'lock',
        floor: 'floor.futex-contended',
        kind: 'throughput',
        async run(n) {
          const perThread = Math.ceil(n / THREADS);
          const mutex = new mt.Mutex(new Int32Array(new SharedArrayBuffer(4)));
          // The control block travels inside a Mutex: the library warns about a bare SharedArrayBuffer.
          const ctl = newControl();
          const ctlCarrier = new mt.Mutex(ctl);
          const handles = [];
          for (let t = 0; t < THREADS; t++) {
            handles.push(
              mt.spawn(mt.move(mutex, ctlCarrier, perThread), (mutex, ctlCarrier, n) => {
                const carrier = ctlCarrier.blockingLock();
                const ctl = carrier.value;
                carrier.dispose();
                const slot = Atomics.add(ctl, 0, 1);
                Atomics.notify(ctl, 0);
                for (let spins = 0; Atomics.load(ctl, 1) === 0; spins++) if (spins > 100_000) Atomics.wait(ctl, 1, 0, 1000);
                const start = performance.now();
                for (let i = 0; i < n; i++) {
                  const guard = mutex.blockingLock();
                  guard.value[0]++;
                  guard.dispose();
                }
                new Float64Array(ctl.buffer, 32, 8)[slot] = performance.now() - start;
                Atomics.add(ctl, 2, 1);
                Atomics.notify(ctl, 2);
              }),
            );
          }
          const ms = await timeSample(ctl, THREADS);
          for (const handle of handles) {
            const result = await handle.join();
            if (!result.ok) throw result.error;
          }
          const guard = mutex.blockingLock();
          checkCount(guard.value[0], perThread * THREADS, 'multithreading');
          guard.dispose();
          return (ms * n) / (perThread * THREADS);
        },
        teardown: () => mt.shutdown(),
      },
      {
        id: 'anchor.async-mutex.contended',
        label: 'async-mutex, 2 async tasks on one thread',
        role: 'anchor',
        op: 'lock',
        floor: 'floor.futex-contended',
        kind: 'throughput',
        async run(n) {
          const perTask = Math.ceil(n / THREADS);
          let counter = 0;
          /** One async task: perTask increments under the mutex. */
          const task = async () => {
            for (let i = 0; i < perTask; i++) {
              const release = await asyncMutex.acquire();
              counter++;
              release();
            }
          };
          const start = performance.now();
          await Promise.all([task(), task()]);
          const ms = performance.now() - start;
          checkCount(counter, perTask * THREADS, 'async-mutex');
          return (ms * n) / (perTask * THREADS);
        },
      },
      {
        id: 'ours.mutex-contended',
        label: 'sendsync Mutex<number> lock(), 2 threads',
        role: 'ours',
        op: 'lock',
        floor: 'floor.futex-contended',
        kind: 'throughput',
        budget: { of: 'vsFloor', max: 1.25, text: '≥ 0.8× floor throughput' },
        async run(n) {
          const perThread = Math.ceil(n / THREADS);
          const counter = new Mutex(0);
          const ctl = newControl();
          const handles = [];
          for (let t = 0; t < THREADS; t++) {
            handles.push(
              spawn(move(counter, ctl, perThread), (counter, ctl, n) => {
                const slot = Atomics.add(ctl, 0, 1);
                Atomics.notify(ctl, 0);
                for (let spins = 0; Atomics.load(ctl, 1) === 0; spins++) if (spins > 100_000) Atomics.wait(ctl, 1, 0, 1000);
                const start = performance.now();
                for (let i = 0; i < n; i++) {
                  const guard = counter.lock();
                  guard.value += 1;
                  guard[Symbol.dispose]();
                }
                new Float64Array(ctl.buffer, 32, 8)[slot] = performance.now() - start;
                Atomics.add(ctl, 2, 1);
                Atomics.notify(ctl, 2);
              }),
            );
          }
          const ms = await timeSample(ctl, THREADS);
          for (const handle of handles) handle.join();
          const guard = counter.lock();
          checkCount(guard.value, perThread * THREADS, 'sendsync');
          guard[Symbol.dispose]();
          return (ms * n) / (perThread * THREADS);
        },
      },
      {
        id: 'ours.mutex-vec-deque-contended',
        label: 'sendsync Mutex<VecDeque<number>> lock(), popFront + pushBack, 2 threads',
        role: 'ours',
        op: 'lock',
        floor: 'floor.futex-contended',
        kind: 'throughput',
        async run(n) {
          const perThread = Math.ceil(n / THREADS);
          // A ring of 1,000 counters: each operation takes the front one and puts it back at the end, plus one.
          const queue = new Mutex(VecDeque.from(Array.from({ length: QUEUE_LENGTH }, () => 0)));
          const ctl = newControl();
          const handles = [];
          for (let t = 0; t < THREADS; t++) {
            handles.push(
              spawn(move(queue, ctl, perThread), (queue, ctl, n) => {
                const slot = Atomics.add(ctl, 0, 1);
                Atomics.notify(ctl, 0);
                for (let spins = 0; Atomics.load(ctl, 1) === 0; spins++) if (spins > 100_000) Atomics.wait(ctl, 1, 0, 1000);
                const start = performance.now();
                for (let i = 0; i < n; i++) {
                  const guard = queue.lock();
                  const deque = guard.value;
                  deque.pushBack(/** @type {number} */ (deque.popFront()) + 1);
                  guard[Symbol.dispose]();
                }
                new Float64Array(ctl.buffer, 32, 8)[slot] = performance.now() - start;
                Atomics.add(ctl, 2, 1);
                Atomics.notify(ctl, 2);
              }),
            );
          }
          const ms = await timeSample(ctl, THREADS);
          for (const handle of handles) handle.join();
          const guard = queue.lock();
          let total = 0;
          for (const count of guard.value) total += count;
          checkCount(guard.value.length === QUEUE_LENGTH ? total : -1, perThread * THREADS, 'sendsync VecDeque');
          guard[Symbol.dispose]();
          return (ms * n) / (perThread * THREADS);
        },
      },
    ],
  };
}
