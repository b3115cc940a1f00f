// @ts-check
/**
 * Lock + unlock with nobody else around, on the main thread: the cost every
 * critical section pays. Floors: a raw Atomics.compareExchange + Atomics.store
 * pair, and one Atomics.add (for fetchAdd).
 */
import { AtomicU32, Mutex, Ordering, RwLock } from '@sendsync/runtime/sync';
import { Mutex as AsyncMutex } from 'async-mutex';
import { importDownlevelled } from '../lib/downlevel.js';
import { mt } from '../lib/multithreading.js';

/** `using` guards, compiled by tsc for ES2022 as a user's build would. */
const compiled = await importDownlevelled(`
export function lockInUsingBlocks(mutex: { lock(): Disposable }, n: number): void {
  for (let i = 0; i < n; i++) {
    using guard = mutex.lock();
  }
}
`);
const lockInUsingBlocks = /** @type {(mutex: Mutex<number>, n: number) => void} */ (compiled.lockInUsingBlocks);

/** @returns {import('../lib/measure.js').Group} */
export default function uncontended() {
  const mutex = new Mutex(0);
  const rwLock = new RwLock(0);
  const atomic = new AtomicU32(0);
  const word = new Int32Array(new SharedArrayBuffer(8));
  const mtMutex = new mt.Mutex(new Int32Array(new SharedArrayBuffer(4)));
  const mtRwLock = new mt.RwLock(new Int32Array(new SharedArrayBuffer(4)));
  const asyncMutex = new AsyncMutex();

  return {
    id: 'uncontended',
    title: 'Uncontended lock + unlock, main thread',
    rows: [
      {
        id: 'floor.cas-store',
        label: 'Atomics.compareExchange + Atomics.store',
        role: 'floor',
        op: 'lock',
        kind: 'latency',
        run(n) {
          const start = performance.now();
          for (let i = 0; i < n; i++) {
            // Acquire pairs with the store below (release) of the previous iteration.
            while (Atomics.compareExchange(word, 0, 0, 1) !== 0);
            Atomics.store(word, 0, 0);
          }
          return performance.now() - start;
        },
      },
      {
        id: 'floor.atomics-add',
        label: 'Atomics.add',
        role: 'floor',
        op: 'fetchAdd',
        kind: 'latency',
        run(n) {
          const start = performance.now();
          for (let i = 0; i < n; i++) Atomics.add(word, 1, 1);
          return performance.now() - start;
        },
      },
      {
        id: 'anchor.multithreading.mutex-blocking',
        label: 'multithreading Mutex blockingLock + dispose',
        role: 'anchor',
        op: 'lock',
        floor: 'floor.cas-store',
        kind: 'latency',
        run(n) {
          const start = performance.now();
          for (let i = 0; i < n; i++) {
            const guard = mtMutex.blockingLock();
            guard.dispose();
          }
          return performance.now() - start;
        },
      },
      {
        id: 'anchor.multithreading.mutex-async',
        label: 'multithreading Mutex await lock() + dispose',
        role: 'anchor',
        op: 'lock',
        floor: 'floor.cas-store',
        kind: 'latency',
        async run(n) {
          const start = performance.now();
          for (let i = 0; i < n; i++) {
            const guard = await mtMutex.lock();
            guard.dispose();
          }
          return performance.now() - start;
        },
      },
      {
        id: 'anchor.async-mutex',
        label: 'async-mutex await acquire() + release()',
        role: 'anchor',
        op: 'lock',
        floor: 'floor.cas-store',
        kind: 'latency',
        async run(n) {
          const start = performance.now();
          for (let i = 0; i < n; i++) {
            const release = await asyncMutex.acquire();
            release();
          }
          return performance.now() - start;
        },
      },
      {
        id: 'anchor.multithreading.rwlock-read',
        label: 'multithreading RwLock blockingRead + dispose',
        role: 'anchor',
        op: 'read',
        floor: 'floor.cas-store',
        kind: 'latency',
        run(n) {
          const start = performance.now();
          for (let i = 0; i < n; i++) {
            const guard = mtRwLock.blockingRead();
            guard.dispose();
          }
          return performance.now() - start;
        },
      },
      {
        id: 'anchor.multithreading.rwlock-write',
        label: 'multithreading RwLock blockingWrite + dispose',
        role: 'anchor',
        op: 'write',
        floor: 'floor.cas-store',
        kind: 'latency',
        run(n) {
          const start = performance.now();
          for (let i = 0; i < n; i++) {
            const guard = mtRwLock.blockingWrite();
            guard.dispose();
          }
          return performance.now() - start;
        },
      },
      {
        id: 'ours.mutex-lock',
        label: 'sendsync Mutex lock() + guard[Symbol.dispose]()',
        role: 'ours',
        op: 'lock',
        floor: 'floor.cas-store',
        kind: 'latency',
        budget: { of: 'vsFloor', max: 1.5, text: '≤ 1.5× floor' },
        run(n) {
          const start = performance.now();
          for (let i = 0; i < n; i++) {
            const guard = mutex.lock();
            guard[Symbol.dispose]();
          }
          return performance.now() - start;
        },
      },
      {
        id: 'ours.mutex-using',
        label: 'sendsync Mutex lock() in a `using` block (tsc ES2022 emit)',
        role: 'ours',
        op: 'lock',
        floor: 'floor.cas-store',
        kind: 'latency',
        run(n) {
          const start = performance.now();
          lockInUsingBlocks(mutex, n);
          return performance.now() - start;
        },
      },
      {
        id: 'ours.mutex-lock-increment',
        label: 'sendsync Mutex<number> lock(), value += 1, dispose',
        role: 'ours',
        op: 'lock',
        floor: 'floor.cas-store',
        kind: 'latency',
        run(n) {
          const start = performance.now();
          for (let i = 0; i < n; i++) {
            const guard = mutex.lock();
            guard.value += 1;
            guard[Symbol.dispose]();
          }
          return performance.now() - start;
        },
      },
      {
        id: 'ours.rwlock-read',
        label: 'sendsync RwLock read() + dispose',
        role: 'ours',
        op: 'read',
        floor: 'floor.cas-store',
        kind: 'latency',
        run(n) {
          const start = performance.now();
          for (let i = 0; i < n; i++) {
            const guard = rwLock.read();
            guard[Symbol.dispose]();
          }
          return performance.now() - start;
        },
      },
      {
        id: 'ours.rwlock-write',
        label: 'sendsync RwLock write() + dispose',
        role: 'ours',
        op: 'write',
        floor: 'floor.cas-store',
        kind: 'latency',
        run(n) {
          const start = performance.now();
          for (let i = 0; i < n; i++) {
            const guard = rwLock.write();
            guard[Symbol.dispose]();
          }
          return performance.now() - start;
        },
      },
      {
        id: 'ours.atomic-fetch-add',
        label: 'sendsync AtomicU32 fetchAdd(1, Relaxed)',
        role: 'ours',
        op: 'fetchAdd',
        floor: 'floor.atomics-add',
        kind: 'latency',
        run(n) {
          const start = performance.now();
          for (let i = 0; i < n; i++) atomic.fetchAdd(1, Ordering.Relaxed);
          return performance.now() - start;
        },
      },
    ],
  };
}
