/**
 * Lock poisoning: a thread that panics while it holds a lock marks it poisoned.
 *
 * Rust: a panic while a `MutexGuard` is alive poisons the mutex; later `lock()`
 * calls return `Err(PoisonError)`, which still gives access to the data.
 *
 * Here a scoped thread throws inside the block of its `using` guard. Inside a
 * thread, the runtime's disposal knows that an exception is unwinding, so the
 * guard poisons the lock as it releases it. The scope re-throws the panic;
 * `lock()` then throws a `PoisonError` whose guard holds the lock anyway.
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
  if (!(error instanceof PoisonError)) throw error;
  using guard = (error as PoisonError<MutexGuard<number>>).intoInner(); // recover: the data is still there, and we hold the lock
  console.log(`recovered the data anyway: ${guard.value}; repairing it`);
  guard.value = 100;
  balance.clearPoison();
}
{
  using guard = balance.lock();
  console.log(`after repair: ${guard.value}, poisoned: ${balance.isPoisoned()}`);
}
