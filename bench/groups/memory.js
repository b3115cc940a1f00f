// @ts-check
/**
 * Memory in steady state: the RSS a fresh process holds after 100,000 tasks
 * (5,000 in quick mode), each row in a process of its own
 * (workers/memory-process.js), read without forcing a collection. The floor
 * is raw workers, one per core, doing the same tasks with a raw futex mutex;
 * our rows run a thread per task, one per core at a time: lock-heavy (a
 * shared `Mutex` and `RwLock`), channel-heavy (a clone of one `Sender` moved
 * into each thread) and spawn-heavy (a trivial closure).
 *
 * The bound expected (issue 18: 51 to 492 MiB in a 60 s lock-heavy soak before
 * the guard bookkeeping was fixed): every row of ours within 2× the floor's
 * RSS, that is the floor's process plus the workers' heaps at their steady
 * size, whatever the number of threads.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MEMORY_PROCESS = fileURLToPath(new URL('../workers/memory-process.js', import.meta.url));
/** The bound stated above, as a budget on the ratio to the floor. */
const BOUND = { of: /** @type {const} */ ('vsFloor'), max: 2, text: '≤ 2× floor' };

/**
 * The rows: workload of memory-process.js, and how the table names it.
 * @type {{ id: string, workload: string, label: string, role: import('../lib/measure.js').Role, budget?: import('../lib/measure.js').Budget }[]}
 */
const ROWS = [
  { id: 'floor.memory-raw', workload: 'raw', label: 'raw workers, one per core, a raw futex mutex locked 6 times per task', role: 'floor' },
  { id: 'ours.memory-lock', workload: 'lock', label: 'sendsync: a thread per task, locking a shared Mutex 3 times and an RwLock 3 + 3', role: 'ours', budget: BOUND },
  { id: 'ours.memory-channel', workload: 'channel', label: 'sendsync: a thread per task, sending 6 messages on a moved Sender clone', role: 'ours', budget: BOUND },
  { id: 'ours.memory-spawn', workload: 'spawn', label: 'sendsync: a thread per task, returning its argument', role: 'ours', budget: BOUND },
];

/**
 * One row's RSS in a fresh process, in bytes, and its peak.
 * @param {string} workload
 * @param {number} tasks
 * @returns {Promise<{ rss: number, peakRss: number }>}
 */
async function measure(workload, tasks) {
  // A channel-heavy run of 100,000 threads takes about a minute on a loaded 2-core machine.
  const { stdout } = await run(process.execPath, [MEMORY_PROCESS, workload, String(tasks)], { timeout: 600_000 });
  return JSON.parse(stdout);
}

/** @param {import('../lib/measure.js').Mode} mode @returns {Promise<import('../lib/measure.js').Group>} */
export default async function memory(mode) {
  const tasks = mode.quick ? 5_000 : 100_000;
  const rounds = mode.quick ? 1 : 3;
  /** @type {Map<string, { rss: number[], peakRss: number[] }>} */
  const measured = new Map(ROWS.map((row) => [row.id, { rss: [], peakRss: [] }]));
  // Rounds interleave the rows, so that they share the machine's state.
  for (let round = 0; round < rounds; round++) {
    for (const row of ROWS) {
      const { rss, peakRss } = await measure(row.workload, tasks);
      const samples = /** @type {{ rss: number[], peakRss: number[] }} */ (measured.get(row.id));
      samples.rss.push(rss);
      samples.peakRss.push(peakRss);
    }
  }
  /** @type {import('../lib/measure.js').RowResult[]} */
  const results = ROWS.map((row) => {
    const samples = /** @type {{ rss: number[], peakRss: number[] }} */ (measured.get(row.id));
    return {
      group: 'memory',
      id: row.id,
      label: row.label,
      role: row.role,
      op: 'memory',
      floor: row.role === 'floor' ? undefined : 'floor.memory-raw',
      kind: 'memory',
      n: tasks,
      samples: samples.rss,
      extra: { peakRss: samples.peakRss },
      budget: row.budget,
    };
  });
  return { id: 'memory', title: `Memory: RSS after ${tasks.toLocaleString('en')} tasks, no forced GC (a fresh process per sample)`, rows: [], results };
}
