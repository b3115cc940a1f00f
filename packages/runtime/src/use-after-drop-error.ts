/**
 * `UseAfterDropError`: one error for every handle used after its `drop()`;
 * and the words of a move out of an `Arc`'s data.
 */

import { codecFor } from './codec.js';

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

/**
 * On a handle that an `Arc`'s data holds (a `Sender` in `new Arc({ reply: tx })`,
 * read as `arc.value.reply`): where it sits in the data (`arc.value.reply`).
 * The data owns its count and the `Arc`'s last owner drops it, so the handle
 * is lent to whoever reads it, as Rust's `&arc.reply`: it is used (a send, a
 * clone), never moved nor dropped by hand. Undefined on a handle that owns
 * its count.
 */
export const lentAt: unique symbol = Symbol('sendsync.lentAt');

/** A handle that an `Arc`'s data may lend (see `lentAt`). */
export interface Lendable {
  [lentAt]: string | undefined;
}

/**
 * The error for a move or a `drop()` of a handle that an `Arc`'s data lends
 * (rustc's E0507, "cannot move out of an `Arc`"): `name` is its type
 * (`Sender`), `path` where it sits (`arc.value.reply`). Nothing moved.
 */
export function movedOutOfArcError(name: string, path: string): TypeError {
  const fix =
    name === 'Receiver'
      ? `a \`Receiver\` cannot be cloned: take the data out with \`Arc.intoInner(arc)\` (the last \`Arc\` gives it whole)`
      : `to move or drop one here, clone it: \`${path}.clone()\``;
  return new TypeError(
    `cannot move out of an \`Arc\`: this \`${name}\` is the \`Arc\`'s data (\`${path}\`), which owns its count and is dropped with the last \`Arc\`; ${fix}`,
  );
}

/** Throws `movedOutOfArcError` when `handle` is lent by an `Arc`'s data (see `lentAt`). */
export function refuseLent(handle: object): void {
  const path = (handle as Partial<Lendable>)[lentAt];
  if (path === undefined) return;
  const codec = codecFor(handle);
  const name = typeof codec?.name === 'string' ? codec.name : (codec?.tag.slice(codec.tag.indexOf(':') + 1) ?? 'value');
  throw movedOutOfArcError(name, path);
}
