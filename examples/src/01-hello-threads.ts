/**
 * Starting a thread: `spawn` hands a function to a new thread and gets out of the way.
 *
 * Rust: `thread::spawn(f); thread::spawn(f); println!("Hello from the main thread.");`
 */
import { current, spawn } from '@sendsync/runtime';

function f(): void {
  console.log('Hello from another thread!');
  const id = current().id();
  console.log(`This is my thread id: ThreadId(${id})`);
}

const t1 = spawn(f);
const t2 = spawn(f);
console.log('Hello from the main thread.');

// When the main thread ends, threads that were not joined end with it (as in
// Rust): join them so that their greetings are printed.
t1.join();
t2.join();
