/**
 * What every collection handle shares: its memory, and how it stops being
 * usable (moved to another thread, moved into a lock, or lent by a guard that
 * was released) or changeable (lent by a read guard, or set in a `OnceLock`:
 * Rust's `&T`, which several threads may hold at once).
 */

import type { Traits } from '@sendsync/marker';
import { registerCodec } from '../codec.js';
import { ReleasedError } from '../sync/poison.js';
import { handleName, movedCollectionError, type UseAfterDropError } from '../use-after-drop-error.js';
import { Core, type CoreWire } from './core.js';

// A handle's states.
/** Owns its memory: it may move to a thread or into a lock. */
export const OWNED = 0;
/** Lent by a guard: usable until the guard is released; it cannot move. */
export const LENT = 1;
/** Lent by a read guard: as `LENT`, and read-only, since other read guards may be reading it at the same time. */
export const LENT_SHARED = 2;
/** Set in a `OnceLock`: read-only for good, since every thread reads it; it cannot move. */
export const FROZEN = 3;
/** Moved away: every use throws `UseAfterDropError`, in rustc's E0382 words (`movedCollectionError`). */
const MOVED = 4;
/** Its guard was released: every use throws `ReleasedError`. */
const RELEASED = 5;

/** A usable handle's state, one of the above. */
export type HandleState = typeof OWNED | typeof LENT | typeof LENT_SHARED | typeof FROZEN;

/**
 * What the threads that share a `T` through readers (an `RwLock`'s read
 * guards, a `OnceLock`'s `get`) reach, for the Send/Sync computation: `T`
 * itself, except the collections in it (`T` itself, or inside its plain
 * objects and arrays, `READ_SHARED_DEPTH` deep), which they reach as
 * read-only handles. Such a handle is Sync when its elements are, as Rust's
 * `&Vec<T>` is Send when `T: Sync`; an owned handle never is, since it can
 * change the collection. `RwLock<Vec<number>>` and `RwLock<{ index:
 * HashMap<string, number> }>` are therefore Sync, `RwLock<Vec<Cell<number>>>`
 * not. Plain data is looked into as a mapped type of the same shape (the
 * collections' places changed), which keeps `RwLock<T>`'s variance in `T`.
 */
export type ReadShared<T> = ReadOnlyParts<T, []>;

/** How deep `ReadShared` looks into plain data (the run-time's `readSharedParts` looks as deep). */
type ReadSharedDepth = 6;

/** Types that are not plain data to look into: the library's handles (branded), functions, and the built-in classes. */
type Opaque = { readonly '~name': string } | ((...args: never[]) => unknown) | ReadonlyMap<unknown, unknown> | ReadonlySet<unknown> | Date | RegExp | ArrayBuffer | ArrayBufferView | SharedArrayBuffer;

/** `T` with each collection in it read-only, `Depth` levels down already (see `ReadShared`). */
type ReadOnlyParts<T, Depth extends 0[]> = T extends Collection & { readonly '~name': infer Name extends string; readonly '~param': infer Param }
  ? Traits<Name, Param, 'T: Send', 'T: Sync'>
  : Depth['length'] extends ReadSharedDepth
    ? T
    : T extends Opaque
      ? T
      : T extends object
        ? { [Key in keyof T]: ReadOnlyParts<T[Key], [...Depth, 0]> }
        : T;

/** The base of `Vec`, `VecDeque`, `HashMap` and `HashSet`. */
export abstract class Collection {
  /** @internal The memory, or `undefined` once unusable. */
  core: Core | undefined;
  /** @internal `OWNED`, `LENT`, `LENT_SHARED`, `FROZEN`, `MOVED` or `RELEASED`. */
  state: number = OWNED;

  /** @internal New memory with room for `capacity` slots. */
  constructor(capacity: number) {
    this.core = Core.create(capacity);
  }

  /** @internal The memory, or the error that says why this handle is unusable. */
  live(): Core {
    const core = this.core;
    if (core === undefined) throw this.state === RELEASED ? new ReleasedError() : moved(this);
    return core;
  }

  /** @internal The memory, to change it, or the error that says why this handle may not. */
  mutable(): Core {
    const core = this.live();
    if (this.state === LENT_SHARED) throw new TypeError('a collection reached through a read guard cannot be changed: take the write lock');
    if (this.state === FROZEN) throw new TypeError('a collection in a OnceLock cannot be changed: every thread reads it (clone() it, or set a Mutex holding it)');
    return core;
  }

  /**
   * @internal Takes the memory away from this handle, which must own it (a
   * move into a thread or into a lock): the handle is unusable from now on.
   */
  take(): Core {
    const core = this.movable();
    this.core = undefined;
    this.state = MOVED;
    return core;
  }

  /**
   * @internal The memory of a handle that may move (it owns it), checked
   * before a move that takes it later (a store into a lock's value takes it
   * once the bytes are written); the error that says why not, else.
   */
  movable(): Core {
    const core = this.live();
    if (this.state === FROZEN) throw new TypeError('a collection in a OnceLock cannot be moved out of it: move the OnceLock, or clone() the collection');
    if (this.state !== OWNED) throw new TypeError('a collection reached through a guard cannot be moved out of its lock: clone() it, or move its elements out (pop them)');
    return core;
  }

  /** A copy, in new memory, owned by the caller (Rust's `clone`): O(its size). */
  clone(): this {
    return adopt(this.constructor as new () => this, this.live().copy(), OWNED);
  }

  /** @internal Ends a lent handle's use (its guard was released). */
  revoke(): void {
    this.core = undefined;
    this.state = RELEASED;
  }
}

/** The E0382 of a moved collection, naming its type from its codec's row (a class's name does not survive a minifier). */
function moved(handle: Collection): UseAfterDropError {
  const name = handleName(handle);
  return movedCollectionError(name, name.charAt(0).toLowerCase() + name.slice(1));
}

/**
 * A handle of `type` over existing memory: owned (received from another
 * thread, or a copy) or lent (by a lock's guard). Made without the
 * constructor, which would allocate new memory.
 */
export function adopt<Handle extends Collection>(type: new () => Handle, core: Core, state: HandleState): Handle {
  const handle = Object.create(type.prototype as object) as Handle;
  handle.core = core;
  handle.state = state;
  return handle;
}

/** The wire form of a moved collection. */
interface CollectionWire {
  readonly core: CoreWire;
}

/**
 * Registers the codec of a collection class: it crosses threads by move
 * (Send), never by borrow (not Sync), and its elements must be Send.
 */
export function registerCollection<Handle extends Collection>(type: new () => Handle, tag: string, module: string): void {
  registerCodec<Handle, CollectionWire>({
    module,
    tag,
    handle: 'owner',
    type,
    encode: (handle: Handle) => ({ core: handle.take().wire() }),
    decode: (wire) => adopt(type, new Core(wire.core), OWNED),
    // Send, never Sync: it may move into a thread, not be borrowed by one. Its
    // elements need no `param`: each was checked when it was written.
    send: 'T: Send',
    sync: 'never',
  });
}
