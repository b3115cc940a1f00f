/**
 * A job queue: four threads drain 100,000 jobs from one `Arc<Mutex<VecDeque<Job>>>`.
 *
 * Rust: `while let Some(job) = queue.lock().unwrap().pop_front() { run(job) }` in each thread.
 *
 * The queue lives in shared memory (`@sendsync/runtime/collections`): a lock
 * pops one job in place, whatever the queue's length, and the job, a plain
 * object, is copied out as it is popped. A thread holds the lock only to pop:
 * the work runs unlocked. A `Mutex<Job[]>` would copy the whole queue in and
 * out on every lock.
 */
import { move, spawn } from '@sendsync/runtime';
import { VecDeque } from '@sendsync/runtime/collections';
import { Arc, Mutex } from '@sendsync/runtime/sync';
import { makeJobs, runJob, type Job } from './data/jobs.js';

const threads = 4;
const jobs = makeJobs(100_000);
const queue = new Arc(new Mutex(VecDeque.from(jobs)));

const handles = Array.from({ length: threads }, () =>
  spawn(move(queue.clone()), (queue) => {
    const ran: number[] = [];
    let steps = 0;
    for (;;) {
      let job: Job | undefined;
      const guard = queue.value.lock();
      try {
        job = guard.value.popFront();
      } finally {
        guard[Symbol.dispose]();
      }
      if (job === undefined) return { ran, steps };
      steps += runJob(job);
      ran.push(job.id);
    }
  }),
);
const results = handles.map((handle) => handle.join());

const times = new Uint8Array(jobs.length);
for (const { ran } of results) for (const id of ran) times[id]++;
const steps = results.reduce((sum, result) => sum + result.steps, 0);
console.log(`${threads} threads ran ${times.length} jobs, each exactly once: ${times.every((count) => count === 1)}`);
console.log(`Collatz steps: ${steps}, as one thread over the array counts: ${steps === jobs.reduce((sum, job) => sum + runJob(job), 0)}`);
