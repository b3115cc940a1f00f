/**
 * Lock poisoning: a thread that panics while it holds a lock marks it poisoned.
 *
 * Rust: a panic while a `MutexGuard` is alive poisons the mutex; later `lock()`
 * calls return `Err(PoisonError)`, which still gives access to the data.
 *
 * Here a scoped thread throws inside the block of its `using` guard. Inside a
 * thread, the runtime's disposal knows that an exception is unwinding, so the
 * guard poisons the lock as it releases it. The scope re-throws the panic;
 * `lock()` then throws a `PoisonError`.
 *
 * Unlike Rust's, the error holds no lock: `lock()` released it before
 * throwing, and the error's `intoInner()` takes it again (ignoring the poison)
 * and gives the guard. Rust drops an ignored error, and the guard in it, at
 * the end of the statement; JavaScript drops nothing, so an error that held
 * the lock and was caught and ignored would hold it forever. Rust's
 * `m.lock().unwrap_or_else(|e| e.into_inner())` reads as the `catch` below.
 */
import { borrow, PanicError, scope } from '@sendsync/runtime';
import { Mutex, MutexGuard, PoisonError } from '@sendsync/runtime/sync';

const balance = new Mutex(100);
try {
  scope((s) => {
    s.spawn(borrow(balance), (balance) => {
      using guard = balance.lock();
      guard.value -= 150;
      if (guard.value < 0) throw new RangeError('balance went negative');
    });
  });
} catch (error) {
  if (!(error instanceof PanicError)) throw error;
  const cause = error.cause as Error;
  console.log(`the thread panicked: ${cause.name}: ${cause.message}`);
}

console.log(`poisoned: ${balance.isPoisoned()}`);
try {
  using _ = balance.lock();
} catch (error) {
  // Ignored: the error holds no lock, so this thread and every other can lock again.
  console.log(`lock after panic: ${(error as Error).message}`);
}
try {
  using _ = balance.lock();
} catch (error) {
  if (!(error instanceof PoisonError)) throw error;
  using guard = (error as PoisonError<MutexGuard<number>>).intoInner(); // takes the lock, ignoring the poison: the data is still there
  console.log(`recovered the data anyway: ${guard.value}; repairing it`);
  guard.value = 100;
  balance.clearPoison();
}
{
  using guard = balance.lock();
  console.log(`after repair: ${guard.value}, poisoned: ${balance.isPoisoned()}`);
}
