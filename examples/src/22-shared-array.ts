/**
 * A parallel job over one big array: scoped threads each transform their slice of a 64 MiB `Float64Array` in shared memory.
 *
 * Rust: `thread::scope(|s| for (input, output) in input.chunks(n).zip(output.chunks_mut(n)) { s.spawn(move || …); })`.
 *
 * Both arrays live in `SharedArrayBuffer`s, so nothing is copied: each
 * scoped thread borrows the whole input (a borrowed view over shared memory
 * is shared, and read-only in the thread) and is moved a view of its own
 * slice of the output (`subarray`: the same memory, only its part of it),
 * which it writes in place. The slices do not overlap, so no lock is needed;
 * the scope's end joins every thread, after which their writes are visible
 * here.
 */
import { availableParallelism, borrow, move, scope } from '@sendsync/runtime';
import { fillSignal, transform } from './data/signal.js';

const length = 8 * 2 ** 20;
const input = new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
const output = new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
fillSignal(input);

const threads = Math.max(2, availableParallelism());
const slice = Math.ceil(length / threads);
const sums = scope((s) => {
  const handles = Array.from({ length: threads }, (_, index) => {
    const start = index * slice;
    const end = Math.min(length, start + slice);
    return s.spawn(borrow(input), move(output.subarray(start, end), start), (input, output, start) => transform(input, output, start));
  });
  return handles.map((handle) => handle.join());
});

// The same on this thread, slice by slice, to check against.
const expected = new Float64Array(length);
const expectedSums = Array.from({ length: threads }, (_, index) => {
  const start = index * slice;
  return transform(input, expected.subarray(start, Math.min(length, start + slice)), start);
});

const same = output.every((value, index) => Object.is(value, expected[index]));
console.log(`${length} values (${(input.byteLength / 2 ** 20).toFixed(0)} MiB) transformed in place by scoped threads, one slice each`);
console.log(`the same values as one thread: ${same}`);
console.log(`the same sum as one thread: ${sums.reduce((a, b) => a + b) === expectedSums.reduce((a, b) => a + b)}`);
