/**
 * `@sendsync/runtime/sync`: Rust's `std::sync` over `SharedArrayBuffer` and
 * `Atomics`. Every type here crosses threads as a shared handle (its codec is
 * registered when this module loads), and states its Send/Sync row.
 */

export { Ordering } from './ordering.js';
export { PoisonError, TryLockError, WouldDeadlockError, ReleasedError, type TryLockErrorKind } from './poison.js';
export { Mutex, MutexGuard } from './mutex.js';
