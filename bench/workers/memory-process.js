// @ts-check
/**
 * The memory a workload leaves a fresh process holding: runs `count` tasks,
 * then prints `{ rss, peakRss }` (bytes) as JSON. RSS is the whole process's
 * (the main thread and every worker), read without forcing a collection, as a
 * long-running program would find it.
 *
 *   node workers/memory-process.js raw <count>      raw workers, one per core, claim the tasks; each task
 *                                                   locks and releases a raw futex mutex LOCKS times
 *   node workers/memory-process.js lock <count>     a thread per task: it locks a shared Mutex and an
 *                                                   RwLock (a read and a write) LOCKS / 2 times each
 *   node workers/memory-process.js channel <count>  a thread per task: it sends LOCKS numbers on a clone
 *                                                   of one Sender, which the main thread receives
 *   node workers/memory-process.js spawn <count>    a thread per task: it returns its argument
 *
 * The threads run in windows of one per core (spawned, then joined), so
 * that the pool needs as many workers as the raw floor has.
 */
import os from 'node:os';
import { RawTeam } from '../lib/raw-team.js';

/** Threads at once: one per core (not lib/pools.js's THREADS: importing the pools would add their libraries to the RSS). */
const THREADS = os.availableParallelism();

/** Lock operations (or messages) per task. */
const LOCKS = 6;
/** Threads spawned before they are joined: one per core. */
const WINDOW = THREADS;

const [which, countText] = process.argv.slice(2);
const count = Number(countText);
if (!Number.isSafeInteger(count) || count <= 0) throw new TypeError(`memory-process: a positive count of tasks, got ${countText}`);

if (which === 'raw') {
  const team = new RawTeam(THREADS);
  // The lock word, the poison flag, and the number (a Float64 at byte 8): see floor.js's futex job.
  const data = new Int32Array(new SharedArrayBuffer(16));
  const perWorker = Math.ceil(count / THREADS);
  await team.run('futex', data, perWorker * LOCKS);
  const increments = new Float64Array(data.buffer, 8, 1)[0];
  if (increments !== perWorker * LOCKS * THREADS) throw new Error(`raw: ${increments} increments, expected ${perWorker * LOCKS * THREADS}`);
  report();
  await team.close();
} else {
  const workload = await sendsyncWorkload(which);
  for (let first = 0; first < count; first += WINDOW) {
    const handles = [];
    for (let task = first; task < Math.min(count, first + WINDOW); task++) handles.push(workload.start(task));
    for (const handle of handles) handle.join();
    workload.joined(handles.length);
  }
  workload.check();
  report();
}

/**
 * A sendsync workload: `start` spawns one task's thread, `joined` runs after
 * a window of them is joined, `check` throws if anything was lost.
 * @param {string | undefined} which
 * @returns {Promise<{ start(task: number): { join(): unknown }, joined(threads: number): void, check(): void }>}
 */
async function sendsyncWorkload(which) {
  const { move, spawn } = await import('@sendsync/runtime');
  const { Arc, Mutex, RwLock } = await import('@sendsync/runtime/sync');
  const { channel } = await import('@sendsync/runtime/sync/mpsc');
  if (which === 'lock') {
    const locks = new Arc({ mutex: new Mutex(0), rwlock: new RwLock(0) });
    return {
      start: () =>
        spawn(move(locks.clone(), LOCKS / 2), (locks, times) => {
          const { mutex, rwlock } = locks.value;
          for (let i = 0; i < times; i++) {
            const guard = mutex.lock();
            guard.value += 1;
            guard[Symbol.dispose]();
            const write = rwlock.write();
            write.value += 1;
            write[Symbol.dispose]();
            const read = rwlock.read();
            if (read.value < 0) throw new Error('a negative count');
            read[Symbol.dispose]();
          }
        }),
      joined() {},
      check() {
        const expected = (count * LOCKS) / 2;
        const { mutex, rwlock } = locks.value;
        const locked = mutex.lock().value;
        const written = rwlock.read().value;
        if (locked !== expected || written !== expected) throw new Error(`lock: ${locked} and ${written} increments, expected ${expected}`);
      },
    };
  }
  if (which === 'channel') {
    const [tx, rx] = /** @type {[import('@sendsync/runtime/sync/mpsc').Sender<number>, import('@sendsync/runtime/sync/mpsc').Receiver<number>]} */ (channel());
    let received = 0;
    return {
      start: (task) =>
        spawn(move(tx.clone(), task, LOCKS), (tx, task, messages) => {
          for (let i = 0; i < messages; i++) tx.send(task);
          tx.drop();
        }),
      // Every joined thread has sent its messages: the channel never holds more than a window's.
      joined(threads) {
        for (let i = 0; i < threads * LOCKS; i++) if (typeof rx.recv() === 'number') received++;
      },
      check() {
        if (received !== count * LOCKS) throw new Error(`channel: ${received} messages, expected ${count * LOCKS}`);
      },
    };
  }
  if (which === 'spawn') return { start: (task) => spawn(move(task), (task) => task), joined() {}, check() {} };
  throw new TypeError(`memory-process: unknown workload ${which}; expected raw, lock, channel or spawn`);
}

/** Prints the process's memory now and at its peak. */
function report() {
  process.stdout.write(JSON.stringify({ rss: process.memoryUsage.rss(), peakRss: process.resourceUsage().maxRSS * 1024 }) + '\n');
}
