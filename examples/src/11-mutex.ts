/**
 * Mutex: shared mutation with exclusive access; the data lives inside the lock.
 *
 * Rust: `let n = Mutex::new(0); let mut guard = n.lock().unwrap(); *guard += 1; // released when guard is dropped`
 *
 * `using guard = n.lock()` is the RAII of JavaScript: the guard is released at
 * the end of its block, always. Keep locks short. As in the book, the threads
 * are scoped and borrow the mutex.
 */
import { borrow, scope } from '@sendsync/runtime';
import { Mutex } from '@sendsync/runtime/sync';

const n = new Mutex(0);
scope((s) => {
  for (let i = 0; i < 10; i++) {
    s.spawn(borrow(n), (n) => {
      for (let j = 0; j < 100; j++) {
        using guard = n.lock(); // acquire the lock
        guard.value += 1; // modify the data
      } // guard is disposed here → the lock is released
    });
  }
});
{
  using guard = n.lock();
  console.log(`10 threads × 100 increments = ${guard.value}`);
}

// The data can only be reached through a guard:
const queue = new Mutex<string[]>([]);
{
  using q = queue.lock();
  q.value.push('first', 'second');
}
console.log(`queue: ${JSON.stringify(queue.intoInner())}`);
