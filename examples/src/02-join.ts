/**
 * Waiting for a thread: `join()` blocks until it is done and hands back what it returned.
 *
 * Rust: `let handle = thread::spawn(f); handle.join().unwrap();`
 */
import { spawn } from '@sendsync/runtime';

const handle = spawn(() => {
  console.log('working in another thread...');
  return 6 * 7;
});
const answer = handle.join(); // wait here until the thread is done
console.log(`the thread returned ${answer}`);
console.log(`finished: ${handle.isFinished()}`);
