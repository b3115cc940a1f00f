/**
 * `UseAfterDropError`: one error for every handle used after its `drop()`;
 * and the words of a move out of an `Arc`'s data.
 */

import { codecFor } from './codec.js';

/**
 * Thrown when a handle is used after its `drop()`, or after it moved to
 * another thread: an `Rc` or `rc.Weak`, an `Arc` or `Weak`, a channel's
 * `Sender`, `SyncSender` or `Receiver`, a lock, an atomic, a `Condvar`,
 * `Barrier`, `Once` or `SharedStruct`. One class for all of them (exported
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

/**
 * The error for a use of a handle that moved and owns no count, whose
 * threads share it through an `Arc` (a lock, an atomic, a `Condvar`): `name`
 * is its type (`Mutex`), `variable` a name for it in the fix (`mutex`).
 */
export function movedSharedError(name: string, variable: string): UseAfterDropError {
  return new UseAfterDropError(
    `borrow of moved value: this \`${name}\` was moved (${MOVED_TO}); to share it between threads, put it in an \`Arc\` and move clones: \`const shared = new Arc(${variable})\`, then \`move(shared.clone())\` (a scoped thread may \`borrow(${variable})\` instead)`,
  );
}

/**
 * The error for a use of a collection that moved (`Vec`, `HashMap`, ...):
 * `name` is its type, `variable` a name for it in the fix (`vec`). Its memory
 * went with it. A collection is never Sync: its `clone()` is a copy (Rust's
 * `Vec::clone`, whose cost rustc's help warns of), and threads share one
 * through a lock in an `Arc`; no scoped thread may `borrow` it.
 */
export function movedCollectionError(name: string, variable: string): UseAfterDropError {
  return new UseAfterDropError(`borrow of moved value: this \`${name}\` was moved (${MOVED_TO}) and its memory went with it; ${collectionFix(variable)}`);
}

/**
 * The fix in a moved collection's E0382, for a variable named `variable`: the
 * ESLint rule `no-use-after-move` says the same words (its `collectionAfterMove`).
 */
export function collectionFix(variable: string): string {
  return `to keep using it here, move a clone instead if the performance cost is acceptable: \`${variable}.clone()\` copies every element; to share it between threads, put it in a lock in an \`Arc\`: \`const shared = new Arc(new Mutex(${variable}))\`, then \`move(shared.clone())\`, and lock it in each thread`;
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

/**
 * On a handle that owns no count but cannot leave its thread inside a shared
 * value (a `Receiver`: it is not Sync), for a move into an `Arc`'s data in
 * this thread, as `Arc::new(Data { rx })` moves `rx` in Rust: without
 * `commit`, throws what the move would (the handle moved, dropped, or lent
 * by a lock) and moves nothing; with it, returns a handle over the same
 * resource for the data to own and leaves this one moved (rustc's E0382 on
 * its next use).
 */
export const moveInPlace: unique symbol = Symbol('sendsync.moveInPlace');

/** A handle that moves into an `Arc`'s data in its own thread (see `moveInPlace`). */
export interface MovableInPlace {
  [moveInPlace](commit: boolean): object;
}

/** A handle that an `Arc`'s data may lend (see `lentAt`). */
export interface Lendable {
  [lentAt]: string | undefined;
}

/**
 * The error for a move or a `drop()` of a handle that an `Arc`'s data lends
 * (rustc's E0507, "cannot move out of an `Arc`"): `name` is its type
 * (`Sender`), `path` where it sits (`arc.value.reply`), `cloneable` whether
 * it has a `clone()` to offer as the fix. Nothing moved.
 */
export function movedOutOfArcError(name: string, path: string, cloneable: boolean): TypeError {
  const fix = cloneable
    ? `to move or drop one here, clone it: \`${path}.clone()\``
    : name === 'Receiver'
      ? `a \`Receiver\` cannot be cloned: take the data out with \`Arc.intoInner(arc)\` (the last \`Arc\` gives it whole)`
      : `a \`${name}\` cannot be cloned: share the \`Arc\` instead (\`move(arc.clone())\`), or take the data out with \`Arc.intoInner(arc)\``;
  return new TypeError(
    `cannot move out of an \`Arc\`: this \`${name}\` is the \`Arc\`'s data (\`${path}\`), which the \`Arc\` owns and drops with its last handle; ${fix}`,
  );
}

/** Throws `movedOutOfArcError` when `handle` is lent by an `Arc`'s data (see `lentAt`). */
export function refuseLent(handle: object): void {
  const path = (handle as Partial<Lendable>)[lentAt];
  if (path === undefined) return;
  throw movedOutOfArcError(handleName(handle), path, typeof (handle as { clone?: unknown }).clone === 'function');
}

/**
 * A library handle's type name for messages (`Mutex`, `AtomicU32`), from its
 * codec's row (its `name`, else its tag's): a class's own name does not
 * survive a minifier.
 */
export function handleName(handle: object): string {
  const codec = codecFor(handle);
  return typeof codec?.name === 'string' ? codec.name : (codec?.tag.slice(codec.tag.indexOf(':') + 1) ?? 'value');
}

/**
 * On the prototype of a handle left unusable by `retire`: the error each of
 * its uses throws. A live handle has no such member, so a move that must
 * refuse an unusable handle before anything moves asks `unusableError`.
 */
const unusable: unique symbol = Symbol('sendsync.unusable');

/** What a retired handle's prototype throws, and what it still answers. */
export interface Retirement {
  /** The error of every use. */
  readonly error: () => UseAfterDropError;
  /** Whether its `drop()` throws too (a moved handle's: its value is not its own) rather than doing nothing (a dropped one's: dropping twice does nothing). */
  readonly dropThrows: boolean;
}

/** The unusable prototypes made so far, per live prototype and retirement. */
const retired = new WeakMap<object, Map<Retirement, object>>();

/**
 * Leaves `handle` unusable for good (moved, or dropped), as Rust's compiler
 * leaves a moved or dropped variable: it gets a prototype whose every method
 * and accessor (its class's and their bases') throws `retirement.error()`,
 * except `live` (false), `[Symbol.dispose]` (nothing: Rust does not drop a
 * moved value, nor one twice) and `drop()` (see `Retirement`). A live handle
 * checks nothing on its own calls: the check is its class.
 */
export function retire(handle: object, retirement: Retirement): void {
  const prototype = Object.getPrototypeOf(handle) as object;
  let byRetirement = retired.get(prototype);
  if (byRetirement === undefined) retired.set(prototype, (byRetirement = new Map<Retirement, object>()));
  let dead = byRetirement.get(retirement);
  if (dead === undefined) byRetirement.set(retirement, (dead = unusablePrototype(prototype, retirement)));
  Object.setPrototypeOf(handle, dead);
}

/** The error a use of `value` throws if `retire` left it unusable; undefined for anything else. */
export function unusableError(value: object): UseAfterDropError | undefined {
  return (value as { [unusable]?: () => UseAfterDropError })[unusable]?.();
}

/** A prototype standing for `prototype`'s class (its `constructor`, so that its codec and name are found), every member of which throws. */
function unusablePrototype(prototype: object, { error, dropThrows }: Retirement): object {
  const fail = (): never => {
    throw error();
  };
  const dead = Object.create(Object.prototype, {
    constructor: { value: (prototype as { constructor: unknown }).constructor },
    live: { get: () => false },
    drop: { value: dropThrows ? fail : () => undefined },
    [Symbol.dispose]: { value: () => undefined },
    [unusable]: { value: error },
  }) as object;
  for (let level: object | null = prototype; level !== null && level !== Object.prototype; level = Object.getPrototypeOf(level) as object | null) {
    for (const key of Reflect.ownKeys(level)) {
      // The nearest definition of each member decides whether it is a method or an accessor.
      if (Object.hasOwn(dead, key)) continue;
      const member = Object.getOwnPropertyDescriptor(level, key)!;
      Object.defineProperty(dead, key, 'value' in member ? { value: fail } : { get: fail, set: fail });
    }
  }
  return dead;
}
