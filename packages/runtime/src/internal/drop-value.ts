/**
 * The runtime's own `Drop` for a value that an `Arc` owns: when the last
 * strong handle goes, the `Arc` calls `value[dropValue]()` where the value
 * has it (a `Mutex` or `RwLock`, which then gives up the shared handles
 * inside its data, as Rust drops a lock's data with the lock). A symbol of
 * the runtime's, not `Symbol.dispose`: a lock is shared by every thread that
 * was given it, so a `using` of one could not know it was the last user.
 */
export const dropValue: unique symbol = Symbol('sendsync.dropValue');
