/**
 * `UseAfterDropError`: one error for every handle used after its `drop()`.
 */

/**
 * Thrown when a handle is used after its `drop()`, or after it moved to
 * another thread: an `Rc` or `rc.Weak`, an `Arc` or `Weak`, a channel's
 * `Sender`, `SyncSender` or `Receiver`. One class for all of them (exported
 * from each subpath that has such handles), so that one `instanceof` check
 * catches the misuse whatever the handle.
 *
 * @example
 * ```ts
 * const a = new Rc(1);
 * a.drop();
 * a.value; // UseAfterDropError: use of dropped value
 * ```
 */
export class UseAfterDropError extends Error {
  override readonly name = 'UseAfterDropError';
  /** `message` says which handle, when the caller knows better than "value". */
  constructor(message = 'use of dropped value') {
    super(message);
  }
}
