/**
 * `PanicError`: what `join()` throws when the thread's closure threw (the
 * thrown value crosses in the form of internal/thrown.ts).
 */

import { markErrValue } from '../internal/err-value.js';

/**
 * A thread panicked: its closure threw. The thrown value is `cause`, rebuilt
 * with its class (built-in `Error` subclasses; other classes keep their
 * `name`), message, stack, `cause` and own properties; a value that cannot be
 * read or cannot cross (a hostile `Proxy`, a throwing getter, a `Symbol`)
 * becomes an `Error` named after what could be read, whose message says why.
 * `instanceof PanicError`
 * tells a thread's panic from the caller's own errors, as Rust's
 * `join()` returning `Err` does.
 *
 * @example
 * ```ts
 * try {
 *   spawn(() => { throw new RangeError('out of range'); }).join();
 * } catch (error) {
 *   if (error instanceof PanicError) console.log(error.cause); // RangeError: out of range
 * }
 * ```
 */
export class PanicError extends Error {
  override readonly name = 'PanicError';
  /** The id of the thread that panicked. */
  readonly threadId: number;
  /** Its name, if it was given one. */
  readonly threadName: string | undefined;

  /** @internal Made by `join()`. */
  constructor(cause: unknown, threadId: number, threadName: string | undefined) {
    super(threadName === undefined ? 'thread panicked' : `thread '${threadName}' panicked`, { cause });
    this.threadId = threadId;
    this.threadName = threadName;
  }
}

// `join()`'s `Err` value in Rust: leaving a guard's block, it does not poison its lock.
markErrValue(PanicError);
