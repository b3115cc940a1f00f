/**
 * Leaking: memory that lives for the rest of the program, shared by every thread.
 *
 * Rust: `let x: &'static [i32; 3] = Box::leak(Box::new([1, 2, 3])); thread::spawn(move || dbg!(x));`
 *
 * JavaScript has a garbage collector, so there is no `Box::leak`; the honest
 * equivalent of "one allocation, never freed, seen by every thread" is shared
 * memory kept reachable forever: a `SharedArrayBuffer` is not copied when it
 * crosses to a thread, so both threads read the very same bytes.
 */
import { move, spawn } from '@sendsync/runtime';

const leaked = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
leaked.set([1, 2, 3]);

spawn(move(leaked), (x) => console.log(`[thread 1] ${Array.from(x).join(', ')}`)).join();
spawn(move(leaked), (x) => {
  Atomics.add(x, 0, 100); // the same memory: main sees this change
  console.log(`[thread 2] ${Array.from(x).join(', ')}`);
}).join();
console.log(`[main]     ${Array.from(leaked).join(', ')}`);
