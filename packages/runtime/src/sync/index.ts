/**
 * `@sendsync/runtime/sync`: Rust's `std::sync` over `SharedArrayBuffer` and
 * `Atomics`. Every type here crosses threads as a shared handle (its codec is
 * registered when this module loads), and states its Send/Sync row.
 */

export { Ordering } from './ordering.js';
export { PoisonError, TryLockError, WouldDeadlockError, ReleasedError, type TryLockErrorKind } from './poison.js';
export { Mutex, MutexGuard } from './mutex.js';
export { type FetchUpdateResult } from './atomic-integer.js';
export { AtomicBool } from './atomic-bool.js';
export { AtomicI32 } from './atomic-i32.js';
export { AtomicU32 } from './atomic-u32.js';
export { AtomicI64 } from './atomic-i64.js';
export { AtomicU64 } from './atomic-u64.js';
export { Condvar, WaitTimeoutResult } from './condvar.js';
export { RwLock, RwLockReadGuard, RwLockWriteGuard } from './rwlock.js';
export { Arc, Weak } from './arc.js';
export { UseAfterDropError } from '../use-after-drop-error.js';
export { Barrier, BarrierWaitResult } from './barrier.js';
export { Once, OnceState } from './once.js';
export { OnceLock } from './once-lock.js';
export { SharedStruct, type FieldType, type FieldValue, type Layout, type StructOf, type StructType } from './shared-struct.js';
