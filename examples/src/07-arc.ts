/**
 * Arc: shared ownership across threads, counted atomically.
 *
 * Rust: `let a = Arc::new([1, 2, 3]); let b = a.clone(); thread::spawn(move || dbg!(a)); thread::spawn(move || dbg!(b));`
 *
 * Every clone adds one to a count in shared memory; every drop takes one
 * away; the value is freed when the count reaches zero. A thread drops what
 * it owns when it ends, as in Rust: no `drop()` needed. An `Arc` gives shared,
 * read-only access: to change the data, put a `Mutex` inside.
 */
import { move, spawn } from '@sendsync/runtime';
import { Arc } from '@sendsync/runtime/sync';

const a = new Arc([1, 2, 3]);
const b = a.clone(); // same memory, count = 2
console.log(`strong count after clone: ${a.strongCount()}`);

const t1 = spawn(move(a), (a) => {
  console.log(`[thread] a = ${JSON.stringify(a.value)}`);
}); // the thread drops `a` as it ends: count → 1
t1.join();
const t2 = spawn(move(b), (b) => {
  console.log(`[thread] b = ${JSON.stringify(b.value)}, count before the last drop: ${b.strongCount()}`);
}); // count → 0: freed
t2.join();
