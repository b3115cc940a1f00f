/**
 * Which thrown errors are Rust's `Err` values rather than panics.
 *
 * Rust returns `Err(RecvError)` from `recv()` and `Err(SendError(v))` from
 * `send(v)`: values, which a caller matches or passes up with `?`, and which
 * leave a guard's scope without unwinding, so no lock is poisoned. JavaScript
 * has one channel for both, the exception, so the runtime throws these
 * errors. A lock guard disposed while one of them propagates out of its
 * `using` block is released as Rust's guard is when `?` returns an `Err`,
 * not poisoned: the Rust book's `let job = receiver.lock().unwrap().recv();`
 * reads `try { using g = rx.value.lock(); job = g.value.recv(); } catch
 * (e) { if (e instanceof RecvError) break; throw e; }` here, and must not
 * poison the pool's lock when the channel closes. Any other exception (a
 * `TypeError`, the application's errors, `UseAfterDropError`, which rustc
 * would have rejected at compile time) is a panic and poisons.
 *
 * The mark is a property under a registered symbol on the classes'
 * prototypes, so that the emit helpers (loaded as CommonJS, `emit-helpers.ts`)
 * can read it without importing the error classes.
 */

/** The property that marks a class's instances as `Err` values (`emit-helpers.ts` reads it by the same name). */
const ERR_VALUE = Symbol.for('sendsync.err-value');

/** Marks `errorClass`'s instances as Rust's `Err` values (see above). */
export function markErrValue(errorClass: abstract new (...args: never[]) => Error): void {
  Object.defineProperty(errorClass.prototype, ERR_VALUE, { value: true });
}

/** Whether `error` is one of the runtime's `Err` values (see above). */
export function isErrValue(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[ERR_VALUE] === true;
}
