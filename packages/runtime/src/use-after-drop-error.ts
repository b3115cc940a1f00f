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

/** What a moved handle's count did, in every E0382 message: where it went. */
const MOVED_TO = 'sent through a channel, stored in a lock or a shared value, moved into a thread or returned from one';

/**
 * The error for a use of a handle that moved (rustc's E0382, "borrow of
 * moved value"): `name` is its type (`Arc`, `Sender`), `clone` the call that
 * would have kept one here (`arc.clone()`), or undefined for a handle that
 * cannot be cloned (a `Receiver`).
 */
export function movedError(name: string, clone: string | undefined): UseAfterDropError {
  const keep =
    clone === undefined
      ? `a \`${name}\` cannot be cloned: use it where it went, or share it as \`Arc<Mutex<${name}>>\``
      : `to keep using it here, move a clone instead: \`${clone}\``;
  return new UseAfterDropError(`borrow of moved value: this \`${name}\` was moved (${MOVED_TO}) and its count went with it; ${keep}`);
}

/** The error for a use of a handle after its `drop()`: `what` names it (`Arc or Weak`). */
export function droppedError(what: string): UseAfterDropError {
  return new UseAfterDropError(`use of dropped ${what}`);
}
