/**
 * One program on Node, Deno and Bun: a CPU-bound job split over threads, unchanged on each runtime.
 *
 * Rust: the same binary on every OS; here the same module on every
 * JavaScript runtime that has workers and shared memory.
 *
 * `npm start` runs it on Node, then on Deno (`deno run --allow-read=<project>`:
 * read access is all it needs) and on Bun (`bun`), from their npm packages.
 * The threads count the primes below 3,000,000 in 30 chunks, each thread
 * taking the next chunk from an atomic counter until none is left.
 */
import { availableParallelism, move, spawn } from '@sendsync/runtime';
import { Arc, AtomicU32, Ordering } from '@sendsync/runtime/sync';
import { countPrimes } from './data/primes.js';

const limit = 3_000_000;
const chunks = 30;
const next = new Arc(new AtomicU32(0));

const handles = Array.from({ length: Math.max(2, availableParallelism()) }, () =>
  spawn(move(next.clone(), limit, chunks), (next, limit, chunks) => {
    let count = 0;
    let taken = 0;
    for (let chunk = next.value.fetchAdd(1, Ordering.Relaxed); chunk < chunks; chunk = next.value.fetchAdd(1, Ordering.Relaxed)) {
      count += countPrimes((chunk * limit) / chunks, ((chunk + 1) * limit) / chunks);
      taken++;
    }
    return { count, taken };
  }),
);
const results = handles.map((handle) => handle.join());

const primes = results.reduce((sum, result) => sum + result.count, 0);
console.log(`${primes} primes below ${limit}, in ${results.reduce((sum, result) => sum + result.taken, 0)} chunks over ${results.length > 1 ? 'several threads' : 'one thread'}`);
console.log(`the same count as one thread: ${primes === countPrimes(0, limit)}`);
