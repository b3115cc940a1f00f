/** The jobs of the job-queue example, and the work each one is. */

/** One job: an id, and the numbers it works on. */
export interface Job {
  readonly id: number;
  readonly from: number;
}

/** How many numbers a job works on. */
const SPAN = 2;

/** `count` jobs, numbered from 0. */
export function makeJobs(count: number): Job[] {
  return Array.from({ length: count }, (_, id) => ({ id, from: 1 + id * SPAN }));
}

/** The job's work: the Collatz steps of each of its numbers, summed (a few microseconds of arithmetic). */
export function runJob(job: Job): number {
  let steps = 0;
  for (let n = job.from; n < job.from + SPAN; n++) {
    for (let x = n; x !== 1; steps++) x = x % 2 === 0 ? x / 2 : 3 * x + 1;
  }
  return steps;
}
