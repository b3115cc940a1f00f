/**
 * Lock poisoning: a thread that panics while it holds a lock marks it poisoned.
 *
 * Rust: a panic while a `MutexGuard` is alive poisons the mutex; later `lock()`
 * calls return `Err(PoisonError)`, which still gives access to the data.
 *
 * Here the thread takes the guard without `using` (disposal cannot tell that
 * an exception is unwinding), throws, and the runtime poisons every lock the
 * thread still held. `join()` reports the panic; `lock()` then throws a
 * `PoisonError` whose guard holds the lock anyway.
 */
import { move, PanicError, spawn } from '@sendsync/runtime';
import { Mutex, PoisonError } from '@sendsync/runtime/sync';

const balance = new Mutex(100);
try {
  spawn(move(balance), (balance) => {
    const guard = balance.lock();
    guard.value -= 150;
    if (guard.value < 0) throw new RangeError('balance went negative');
    guard[Symbol.dispose]();
  }).join();
} catch (error) {
  if (!(error instanceof PanicError)) throw error;
  const cause = error.cause as Error;
  console.log(`the thread panicked: ${cause.name}: ${cause.message}`);
}

console.log(`poisoned: ${balance.isPoisoned()}`);
try {
  balance.lock();
} catch (error) {
  if (!(error instanceof PoisonError)) throw error;
  using guard = error.intoInner(); // recover: the data is still there, and we hold the lock
  console.log(`recovered the data anyway: ${guard.value}; repairing it`);
  guard.value = 100;
  balance.clearPoison();
}
{
  using guard = balance.lock();
  console.log(`after repair: ${guard.value}, poisoned: ${balance.isPoisoned()}`);
}
