/** The errors of `Rc` and `rc.Weak`. */

export { UseAfterDropError } from '../use-after-drop-error.js';

/**
 * Thrown by `Rc.tryUnwrap()` when other strong references exist; the `Rc`
 * given is left untouched and is carried back as `rc` (Rust's `Err(rc)`).
 *
 * @example
 * ```ts
 * const a = new Rc([1]);
 * const b = a.clone();
 * Rc.tryUnwrap(a); // TryUnwrapError: rc has other strong references
 * ```
 */
export class TryUnwrapError<Rc = unknown> extends Error {
  override readonly name = 'TryUnwrapError';
  /** The `Rc` that could not be unwrapped, still live. */
  readonly rc: Rc;
  constructor(rc: Rc) {
    super('rc has other strong references');
    this.rc = rc;
  }
}
