// @ts-check
/**
 * Threads incrementing one counter under one lock: throughput of a lock that
 * is fought over, by 2, 4 and 8 threads (on a 2-core machine, 4 and 8 are
 * more threads than cores: a holder may lose its core while it holds the
 * lock). Also a `Mutex` whose data is a shared queue changed in place, an
 * `RwLock` taken for writing and for reading with a write in four, and
 * `lockAsync()`. The floor is a raw three-state futex mutex (spin a little,
 * then Atomics.wait) in as many raw workers, doing per hold the least that
 * Rust's `Mutex<f64>` does: it reads the lock's poison flag after the acquire,
 * and the number is a Float64 beside the lock word, as a `Mutex<number>`'s
 * is (an Int32 counter in the lock's own array, without the flag, is
 * within the row's noise of it); every row checks that no increment was lost.
 *
 * A sample here lasts from the start signal until the last thread is done,
 * on the main thread's clock (it sleeps in Atomics.wait meanwhile: see
 * `untilDone`), not the longest of the threads' own durations: with more
 * threads than cores, a thread that waited for a core before it saw the
 * start signal would start its clock late and run alone, and the sample
 * would time no contention at all.
 */
import { move, spawn } from '@sendsync/runtime';
import { VecDeque } from '@sendsync/runtime/collections';
import { Arc, Mutex, RwLock } from '@sendsync/runtime/sync';
import { Mutex as AsyncMutex } from 'async-mutex';
import { arrive, DONE, FAILED, finish, newControl, timeSample, WAIT_LIMIT_MS } from '../lib/control.js';
import { mt } from '../lib/multithreading.js';
import { RawTeam } from '../lib/raw-team.js';

/** Threads taking part in each sample of the two-thread rows. */
const THREADS = 2;
/** The thread counts of the Mutex rows: as many as the cores, then twice and four times as many (8 is what a control block can time). */
const TEAMS = [2, 4, 8];
/** Elements of the queue in the VecDeque row. */
const QUEUE_LENGTH = 1_000;
/** In the RwLock row with readers, one lock in this many is a write. */
const WRITE_EVERY = 4;

/**
 * Throws unless the counter saw every increment.
 * @param {number} actual @param {number} expected @param {string} who
 */
function checkCount(actual, expected, who) {
  if (actual !== expected) throw new Error(`${who}: lost updates (${actual} of ${expected})`);
}

/**
 * The main thread's part of a sample: sleeps until `threads` threads are
 * done (or one failed, or WAIT_LIMIT_MS passed), so that the sample's time
 * runs from the start signal to the end of the last one.
 * @param {Int32Array} ctl
 * @param {number} threads
 */
function untilDone(ctl, threads) {
  const deadline = performance.now() + WAIT_LIMIT_MS;
  for (let seen; (seen = Atomics.load(ctl, DONE)) < threads; ) {
    if (Atomics.load(ctl, FAILED) !== 0) return;
    if (performance.now() > deadline) throw new Error(`a contended sample outlasted ${WAIT_LIMIT_MS} ms`);
    // Pairs with each thread's Atomics.add to DONE and its notify.
    Atomics.wait(ctl, DONE, seen, 100);
  }
}

/**
 * Times one sample of `threads` threads, each made by `spawnOne` to run
 * `perThread` operations under the handshake of ../lib/control.js; `check`
 * then gets the total they ran. Returns milliseconds for `n` operations.
 * @param {number} threads
 * @param {number} n
 * @param {(ctl: Int32Array, perThread: number) => { join(): unknown }} spawnOne
 * @param {(total: number) => void} check
 */
async function sample(threads, n, spawnOne, check) {
  const perThread = Math.ceil(n / threads);
  const ctl = newControl();
  const handles = [];
  for (let t = 0; t < threads; t++) handles.push(spawnOne(ctl, perThread));
  const ms = await timeSample(ctl, threads, () => untilDone(ctl, threads));
  for (const handle of handles) handle.join();
  check(perThread * threads);
  return (ms * n) / (perThread * threads);
}

/** The id of the floor for `threads` threads. @param {number} threads */
function floorId(threads) {
  return threads === THREADS ? 'floor.futex-contended' : `floor.futex-contended-${threads}`;
}

/** The op of the rows with `threads` threads (the anchors have two). @param {number} threads */
function opOf(threads) {
  return threads === THREADS ? 'lock' : `lock-${threads}`;
}

/**
 * The floor: a raw three-state futex mutex in `threads` raw workers.
 * @param {number} threads
 * @returns {import('../lib/measure.js').Row}
 */
function floorRow(threads) {
  /** @type {RawTeam | undefined} */
  let team;
  return {
    id: floorId(threads),
    label: `raw three-state futex mutex, ${threads} workers`,
    role: 'floor',
    op: opOf(threads),
    kind: 'throughput',
    setup() {
      team = new RawTeam(threads);
    },
    async run(n) {
      const perThread = Math.ceil(n / threads);
      // The lock word, the poison flag, and the number (a Float64 at byte 8): see ../workers/floor.js.
      const data = new Int32Array(new SharedArrayBuffer(16));
      const ms = await /** @type {RawTeam} */ (team).run('futex', data, perThread, (ctl) => untilDone(ctl, threads));
      checkCount(new Float64Array(data.buffer, 8, 1)[0], perThread * threads, 'futex');
      return (ms * n) / (perThread * threads);
    },
    teardown: () => team?.close(),
  };
}

/**
 * `Mutex<number>` `lock()`, `value += 1`, release, in `threads` threads.
 * @param {number} threads
 * @returns {import('../lib/measure.js').Row}
 */
function mutexRow(threads) {
  return {
    id: threads === THREADS ? 'ours.mutex-contended' : `ours.mutex-contended-${threads}`,
    label: `sendsync Mutex<number> lock(), ${threads} threads`,
    role: 'ours',
    op: opOf(threads),
    floor: floorId(threads),
    kind: 'throughput',
    budget: { of: 'vsFloor', max: 1.25, text: '≥ 0.8× floor throughput' },
    run(n) {
      // Shared as in Rust: an `Arc`, cloned into each thread, which reads `value` once, before its clock starts.
      const counter = new Arc(new Mutex(0));
      return sample(
        threads,
        n,
        (ctl, perThread) =>
          spawn(move(counter.clone(), ctl, perThread), (shared, ctl, n) => {
            const counter = shared.value;
            const slot = arrive(ctl);
            const start = performance.now();
            for (let i = 0; i < n; i++) {
              const guard = counter.lock();
              guard.value += 1;
              guard[Symbol.dispose]();
            }
            finish(ctl, slot, start);
          }),
        (total) => {
          const guard = counter.value.lock();
          checkCount(guard.value, total, 'sendsync');
          guard[Symbol.dispose]();
        },
      );
    },
  };
}

/** @returns {import('../lib/measure.js').Group} */
export default function contended() {
  const asyncMutex = new AsyncMutex();

  return {
    id: 'contended',
    title: 'Contended lock: threads increment one counter (time per increment, all threads)',
    rows: [
      ...TEAMS.map(floorRow),
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
                // The library's workers do not see this module's imports: the handshake is spelled out.
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
          const ms = await timeSample(ctl, THREADS, () => untilDone(ctl, THREADS));
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
      ...TEAMS.map(mutexRow),
      {
        id: 'ours.mutex-vec-deque-contended',
        label: 'sendsync Mutex<VecDeque<number>> lock(), popFront + pushBack, 2 threads',
        role: 'ours',
        op: 'lock',
        floor: 'floor.futex-contended',
        kind: 'throughput',
        async run(n) {
          // A ring of 1,000 counters: each operation takes the front one and puts it back at the end, plus one.
          const queue = new Arc(new Mutex(VecDeque.from(Array.from({ length: QUEUE_LENGTH }, () => 0))));
          return sample(
            THREADS,
            n,
            (ctl, perThread) =>
              spawn(move(queue.clone(), ctl, perThread), (shared, ctl, n) => {
                const queue = shared.value;
                const slot = arrive(ctl);
                const start = performance.now();
                for (let i = 0; i < n; i++) {
                  const guard = queue.lock();
                  const deque = guard.value;
                  deque.pushBack(/** @type {number} */ (deque.popFront()) + 1);
                  guard[Symbol.dispose]();
                }
                finish(ctl, slot, start);
              }),
            (total) => {
              const guard = queue.value.lock();
              let sum = 0;
              for (const count of guard.value) sum += count;
              checkCount(guard.value.length === QUEUE_LENGTH ? sum : -1, total, 'sendsync VecDeque');
              guard[Symbol.dispose]();
            },
          );
        },
      },
      {
        id: 'ours.mutex-lock-async-contended',
        label: 'sendsync Mutex<number> await lockAsync(), 2 threads',
        role: 'ours',
        op: 'lock',
        floor: 'floor.futex-contended',
        kind: 'throughput',
        run(n) {
          const counter = new Arc(new Mutex(0));
          return sample(
            THREADS,
            n,
            (ctl, perThread) =>
              spawn(move(counter.clone(), ctl, perThread), async (shared, ctl, n) => {
                const counter = shared.value;
                const slot = arrive(ctl);
                const start = performance.now();
                for (let i = 0; i < n; i++) {
                  const guard = await counter.lockAsync();
                  guard.value += 1;
                  guard[Symbol.dispose]();
                }
                finish(ctl, slot, start);
              }),
            (total) => {
              const guard = counter.value.lock();
              checkCount(guard.value, total, 'sendsync lockAsync');
              guard[Symbol.dispose]();
            },
          );
        },
      },
      {
        id: 'ours.rwlock-write-contended',
        label: 'sendsync RwLock<number> write(), 2 threads',
        role: 'ours',
        op: 'lock',
        floor: 'floor.futex-contended',
        kind: 'throughput',
        run(n) {
          const counter = new Arc(new RwLock(0));
          return sample(
            THREADS,
            n,
            (ctl, perThread) =>
              spawn(move(counter.clone(), ctl, perThread), (shared, ctl, n) => {
                const counter = shared.value;
                const slot = arrive(ctl);
                const start = performance.now();
                for (let i = 0; i < n; i++) {
                  const guard = counter.write();
                  guard.value += 1;
                  guard[Symbol.dispose]();
                }
                finish(ctl, slot, start);
              }),
            (total) => {
              const guard = counter.value.read();
              checkCount(guard.value, total, 'sendsync RwLock');
              guard[Symbol.dispose]();
            },
          );
        },
      },
      {
        id: 'ours.rwlock-mixed-contended',
        label: `sendsync RwLock<number> read(), write() one lock in ${WRITE_EVERY}, 2 threads`,
        role: 'ours',
        op: 'lock',
        floor: 'floor.futex-contended',
        kind: 'throughput',
        run(n) {
          const counter = new Arc(new RwLock(0));
          // Each thread writes on its operations 0, WRITE_EVERY, 2 × WRITE_EVERY, ...
          const writes = (/** @type {number} */ perThread) => THREADS * Math.ceil(perThread / WRITE_EVERY);
          let perThreadSeen = 0;
          return sample(
            THREADS,
            n,
            (ctl, perThread) => {
              perThreadSeen = perThread;
              return spawn(move(counter.clone(), ctl, perThread, WRITE_EVERY), (shared, ctl, n, every) => {
                const counter = shared.value;
                const slot = arrive(ctl);
                const start = performance.now();
                let seen = 0;
                for (let i = 0; i < n; i++) {
                  if (i % every === 0) {
                    const guard = counter.write();
                    guard.value += 1;
                    guard[Symbol.dispose]();
                  } else {
                    const guard = counter.read();
                    seen += guard.value;
                    guard[Symbol.dispose]();
                  }
                }
                finish(ctl, slot, start);
                return seen;
              });
            },
            () => {
              const guard = counter.value.read();
              checkCount(guard.value, writes(perThreadSeen), 'sendsync RwLock with readers');
              guard[Symbol.dispose]();
            },
          );
        },
      },
    ],
  };
}
