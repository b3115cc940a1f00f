/**
 * How the library's handles that own no count move: a lock (`Mutex`,
 * `RwLock`, `OnceLock`), an atomic, a `Condvar`, `Barrier`, `Once` or
 * `SharedStruct` has one owner, as a Rust value does. Given away (moved
 * into a thread, sent, returned from a thread, stored in an `Arc`'s data or
 * a lock's value), the giver's handle is left moved, and any use of it
 * throws rustc's E0382; threads share one through an `Arc` (or a scoped
 * thread's `borrow`). The thread that owns a lock drops it when it ends
 * (`internal/thread-owned.ts`), and with it the handles its value holds (a
 * `Sender`'s count: its receiver sees the disconnection).
 *
 * A moved or dropped handle gets a prototype that throws on every use
 * (`retire`), so a live handle pays nothing on its own calls (`lock`,
 * `load`, `wait`): no state is checked there.
 *
 * (`Thread` stays shared: Rust's `Thread` is `Clone`, an `Arc` inside.
 * `Arc` and `Weak` own counts and implement the same `Owning` themselves.)
 */

import { codecFor, moveOut, ownHere, type CodecContext, type Owning } from '../codec.js';
import { madeByThread, ownedByThread, type ThreadOwned } from '../internal/thread-owned.js';
import { droppedError, handleName, movedSharedError, refuseLent, retire, type Retirement } from '../use-after-drop-error.js';

/**
 * A handle that moves as a Rust value does (see the top of this file): its
 * type declares it by declaration merging, as `Mutex` does.
 */
export interface OwnedHandle extends Owning, ThreadOwned, Disposable {
  /**
   * Drops this handle, as Rust's `drop(x)`: a lock drops the handles its
   * value holds (channel ends, `Arc`s); any later use throws
   * `UseAfterDropError`. Dropping twice does nothing; dropping a moved
   * handle throws (rustc's E0382). A spawned thread drops the locks it owns
   * when it ends; the main thread drops by hand (or `using`), or leaves them
   * to the process's exit.
   */
  drop(): void;
  /** The same as `drop()`, for `using`; nothing once the handle moved (Rust does not drop a moved value). */
  [Symbol.dispose](): void;
}

/** What a type's handles own beyond their memory, and how to make a second handle over it. */
export interface OwnedHandleParts<Handle> {
  /**
   * A handle over the same memory, in this thread, owning it from now on
   * (see `Owning`'s `moveOut`): without it, the codec's own round trip
   * (`decode(encode(handle))`), which suits a handle whose wire form is its
   * memory alone.
   */
  readonly successor?: (handle: Handle) => Handle;
  /** The value the handle owns, dropped with it (a lock's storage); left out when it owns nothing to drop. */
  readonly value?: (handle: Handle) => { drop?(): void };
}

/** A codec context for the round trip of a handle whose wire form is its memory alone. */
const roundTrip: CodecContext = { encode: (value) => value, decode: (wire) => wire, transfer: [] };

/**
 * Makes `type`'s handles (its subclasses' too) move as Rust values do (see
 * `OwnedHandle`): defines `drop()`, `[Symbol.dispose]` and `Owning`'s
 * members on its prototype.
 */
export function ownedHandles<Handle extends object>(type: abstract new (...args: never[]) => Handle, parts: OwnedHandleParts<Handle> = {}): void {
  const successor = parts.successor ?? viaCodec;
  const valueOf = parts.value;
  Object.defineProperties(type.prototype, {
    live: { get: () => true, configurable: true },
    [moveOut]: {
      configurable: true,
      value(this: Handle): Handle {
        const next = successor(this);
        retire(this, retirements(this).moved);
        return next;
      },
    },
    [ownHere]: {
      configurable: true,
      value(this: Handle): void {
        // What owns nothing to drop is not noted: the thread's end would have nothing to do with it.
        if (valueOf?.(this).drop !== undefined) ownedByThread(this as unknown as ThreadOwned);
      },
    },
    drop: {
      configurable: true,
      value(this: Handle): void {
        // A handle an `Arc`'s data lends is the data's: its last `Arc` drops it (rustc's E0507).
        refuseLent(this);
        retire(this, retirements(this).dropped);
        valueOf?.(this).drop?.();
      },
    },
    [Symbol.dispose]: {
      configurable: true,
      value(this: OwnedHandle): void {
        this.drop();
      },
    },
  });
}

/** Notes a handle that owns a value to drop (a lock holding handles) as made by this thread (see `madeByThread`): it drops it when it ends. */
export function ownedHandleMade(handle: OwnedHandle, value: { drop?(): void }): void {
  if (value.drop !== undefined) madeByThread(handle);
}

/** A handle over the same memory, through its codec (see `OwnedHandleParts.successor`). */
function viaCodec<Handle extends object>(handle: Handle): Handle {
  const codec = codecFor(handle)!;
  return codec.decode(codec.encode(handle, roundTrip), roundTrip) as Handle;
}

/** A class's moved and dropped states (see `retire`), named after it. */
interface Retirements {
  readonly moved: Retirement;
  readonly dropped: Retirement;
}

const byClass = new Map<unknown, Retirements>();

function retirements(handle: object): Retirements {
  const type = handle.constructor;
  let found = byClass.get(type);
  if (found === undefined) {
    const name = handleName(handle);
    const variable = name.charAt(0).toLowerCase() + name.slice(1);
    found = {
      moved: { error: () => movedSharedError(name, variable), dropThrows: true },
      dropped: { error: () => droppedError(`\`${name}\``), dropThrows: false },
    };
    byClass.set(type, found);
  }
  return found;
}
