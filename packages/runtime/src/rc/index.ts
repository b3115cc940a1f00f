/**
 * `@sendsync/runtime/rc`: Rust's `std::rc`: `Rc` and `Weak`, shared ownership
 * inside one thread. Neither is `Send` nor `Sync`: no codec is registered for
 * them, so the run-time backstop refuses to move them into a thread.
 */

export { Rc, Weak, RcMut } from './rc.js';
export { UseAfterDropError, TryUnwrapError } from './errors.js';
