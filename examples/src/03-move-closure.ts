/**
 * Moving values into a thread: `move(numbers)` is Rust's `move ||`.
 *
 * Rust: `let numbers = vec![1, 2, 3]; thread::spawn(move || for n in &numbers { println!("{n}") }).join().unwrap();`
 *
 * The closure runs in another isolate and sees only its parameters: whatever it
 * needs from around it is moved in explicitly, and `tsc` checks that each moved
 * value is Send.
 */
import { move, spawn } from '@sendsync/runtime';

const numbers = [1, 2, 3];
spawn(move(numbers), (numbers) => {
  for (const n of numbers) console.log(n);
}).join();

// A moved ArrayBuffer is really moved: the sender's copy is detached.
const bytes = new Uint8Array([10, 20, 30]).buffer;
const sum = spawn(move(bytes), (bytes) => new Uint8Array(bytes).reduce((a, b) => a + b, 0)).join();
// eslint-disable-next-line sendsync/no-use-after-move -- on purpose: to show the buffer really moved
console.log(`sum of the moved bytes: ${sum}; left behind: ${bytes.byteLength} bytes`);
