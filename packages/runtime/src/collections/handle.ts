/**
 * What every collection handle shares: its memory, and how it stops being
 * usable (moved to another thread, moved into a lock, or lent by a guard that
 * was released).
 */

import { registerCodec } from '../codec.js';
import { ReleasedError } from '../sync/poison.js';
import { UseAfterDropError } from '../use-after-drop-error.js';
import { Core, type CoreWire } from './core.js';

/** The message of the `UseAfterDropError` of a collection used after it moved. */
export const MOVED_COLLECTION = 'use of moved collection';

// A handle's states.
/** Owns its memory: it may move to a thread or into a lock. */
const OWNED = 0;
/** Lent by a guard: usable until the guard is released; it cannot move. */
const LENT = 1;
/** Moved away: every use throws `UseAfterDropError`. */
const MOVED = 2;
/** Its guard was released: every use throws `ReleasedError`. */
const RELEASED = 3;

/** Set while a handle is made over existing memory (the constructors read it). */
let adopting: Core | undefined;

/** The base of `Vec`, `VecDeque`, `HashMap` and `HashSet`. */
export abstract class Collection {
  /** @internal The memory, or `undefined` once unusable. */
  core: Core | undefined;
  /** @internal `OWNED`, `LENT`, `MOVED` or `RELEASED`. */
  state = OWNED;

  /** @internal `capacity` slots of new memory, or the memory being adopted. */
  constructor(capacity: number) {
    const core = adopting;
    adopting = undefined;
    this.core = core ?? Core.create(capacity);
  }

  /** @internal The memory, or the error that says why this handle is unusable. */
  live(): Core {
    const core = this.core;
    if (core === undefined) throw this.state === RELEASED ? new ReleasedError() : new UseAfterDropError(MOVED_COLLECTION);
    return core;
  }

  /**
   * @internal Takes the memory away from this handle, which must own it (a
   * move into a thread or into a lock): the handle is unusable from now on.
   */
  take(): Core {
    const core = this.live();
    if (this.state === LENT) throw new TypeError('a collection reached through a guard cannot be moved out of its lock');
    this.core = undefined;
    this.state = MOVED;
    return core;
  }

  /** @internal Ends a lent handle's use (its guard was released). */
  revoke(): void {
    this.core = undefined;
    this.state = RELEASED;
  }
}

/** A handle of `type` over `core`: lent (by a lock's guard) or owned (received from another thread). */
export function adopt<Handle extends Collection>(type: new () => Handle, core: Core, lent: boolean): Handle {
  adopting = core;
  const handle = new type();
  if (lent) handle.state = LENT;
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
    type,
    encode: (handle: Handle) => ({ core: handle.take().wire() }),
    decode: (wire) => adopt(type, new Core(wire.core), false),
    // Send, never Sync: it may move into a thread, not be borrowed by one. Its
    // elements need no `param`: each was checked when it was written.
    send: 'T: Send',
    sync: 'never',
  });
}
