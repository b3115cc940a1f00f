/**
 * `Arc<T>` and `Weak<T>`: shared ownership with a real reference count in
 * shared memory.
 */

import type { Traits } from '@sendsync/marker';
import { moveOut, ownHere, registerCodec, type CodecContext, type Owning } from '../codec.js';
import { dropHeld, giveHeld, lendHeld, takeHeld } from '../internal/drop-value.js';
import { madeByThread, ownedByThread, type ThreadOwned } from '../internal/thread-owned.js';
import { currentThreadId } from '../internal/thread-registry.js';
import { encodeLent } from '../internal/wire.js';
import { droppedError, lentAt, movedError, refuseLent, type Lendable, type UseAfterDropError } from '../use-after-drop-error.js';

/** Index of the strong count: the live `Arc` handles, in every thread. */
const STRONG = 0;
/** Index of the weak count: the live `Weak` handles, in every thread. */
const WEAK = 1;
/**
 * Words: the value's identity, the id of the thread that made it and a serial
 * of that thread's (thread ids are never reused): every thread that receives
 * the counts gets a `SharedArrayBuffer` object of its own, so `ptrEq` compares
 * these rather than buffers.
 */
const MAKER = 2;
const SERIAL = 3;
/** Word: 1 when the data holds handles owning a count (an `Arc`, a `Sender`), which the last strong handle drops; data holding none is never walked again. */
const HOLDS = 4;
/** Words of the counts. */
const COUNT_WORDS = 5;
/** How many values this thread has wrapped in an `Arc`: the next one's SERIAL. */
let serials = 0;

/** A handle's state: it owns its count. */
const LIVE = 0;
/** A handle's state: `drop()` gave its count up. */
const DROPPED = 1;
/** A handle's state: a move handed its count on (a send, a lock store, a thread's capture or result). */
const MOVED = 2;

/** The wire form of an `Arc` or a `Weak`: the counts and the encoded value. */
interface ArcWire {
  readonly counts: SharedArrayBuffer;
  readonly value: unknown;
}

/**
 * What an `Arc` and a `Weak` hold: the counts every handle to the value
 * shares, and the value in this thread. Its constructor takes existing
 * counts, so that `arcOver` builds an `Arc` over them (a clone, an upgrade, a
 * handle received from another thread) without `Arc`'s public constructor,
 * which starts new counts.
 */
export abstract class ArcParts<T> implements Owning, ThreadOwned, Lendable {
  /** @internal The strong and weak counts. */
  readonly counts: Int32Array;
  /** @internal The value, in this thread. */
  readonly data: T;
  /** @internal LIVE, DROPPED or MOVED. */
  state = LIVE;
  /** @internal Where another `Arc`'s data lends this handle, if it does (see `lentAt`): it is not dropped nor moved by hand then. */
  [lentAt]: string | undefined = undefined;

  /** @internal */
  constructor(counts: Int32Array, data: T) {
    this.counts = counts;
    this.data = data;
  }

  /** @internal Whether this handle owns its count (see `ThreadOwned`). */
  get live(): boolean {
    return this.state === LIVE;
  }

  /** Gives up this handle's count. */
  abstract drop(): void;

  /** @internal A handle over the same counts and value, owning no count yet. */
  protected abstract successor(): ArcParts<T>;

  /** @internal See `Owning`: this handle is left moved; the one returned owns its count. */
  [moveOut](): ArcParts<T> {
    if (this.state !== LIVE) throw unusable(this);
    refuseLent(this);
    this.state = MOVED;
    return this.successor();
  }

  /** @internal See `Owning`. */
  [ownHere](): void {
    ownedByThread(this);
  }
}

/**
 * The thread-safe reference-counted pointer, as Rust's `std::sync::Arc`: every
 * `clone()` adds one to a count in shared memory, every `drop()` (or `using`
 * disposal) takes one away, and whichever thread drops the last one disposes
 * the value (if it is `Disposable`). A spawned thread drops the handles it
 * still owns when it ends, as Rust drops a thread's values: those moved into
 * it, sent or returned to it, and those it made, unless it dropped or moved
 * them first.
 *
 * When to use: several threads need the same value for as long as any of them
 * runs; combine with `Mutex` (`Arc<Mutex<T>>`) to also change it.
 *
 * What `T` may be, and what it costs: the data is read-only (Rust's `&T`).
 * Library handles (`Mutex`, atomics, channels, ...) and views over a
 * `SharedArrayBuffer` are shared: every thread reaches the same memory. Other
 * data is structured-cloned once into each thread that receives the `Arc`, at
 * the move. Handles owning a count in the data (an `Arc`, a `Sender`, a
 * `Receiver`) move in at `new Arc`, as a struct's fields do, leaving the
 * caller's variables moved, and the last strong handle drops
 * them; read through `value` they are lent, as Rust's `&arc.field`: a send
 * or a `clone()` works, a `drop()` or a move throws rustc's E0507. A move
 * (a send, a lock store, a thread's capture or result) does not change the
 * count: the count goes with the value, and the moved-from handle throws
 * rustc's E0382 "borrow of moved value" if used again; move a clone to keep
 * one. Send and Sync only if `T` is both, as in Rust.
 *
 * @example
 * ```ts
 * import { spawn, move } from '@sendsync/runtime';
 * import { Arc, Mutex } from '@sendsync/runtime/sync';
 *
 * const total = new Arc(new Mutex(0));
 * const handle = spawn(move(total.clone()), (total) => {
 *   using guard = total.value.lock();
 *   guard.value += 1;
 * }); // the thread drops its `total` as it ends
 * handle.join();
 * total.strongCount(); // 1
 * // @ts-expect-error: an Arc's data is read-only
 * new Arc([1, 2]).value.push(3);
 * ```
 */
export class Arc<T> extends ArcParts<T> implements Disposable {
  /** Wraps `value` with a strong count of one. */
  constructor(value: T) {
    const counts = new Int32Array(new SharedArrayBuffer(COUNT_WORDS * Int32Array.BYTES_PER_ELEMENT));
    counts[STRONG] = 1;
    counts[MAKER] = currentThreadId();
    counts[SERIAL] = ++serials;
    // The handles inside move in, as Rust's `Arc::new(value)` moves the value's fields: the data owns them now.
    const held = takeHeld(value);
    if (held !== undefined) counts[HOLDS] = 1;
    super(counts, held === undefined ? value : held.value);
    madeByThread(this);
  }

  /**
   * The shared value, read-only (Rust's `Deref`).
   * @throws {UseAfterDropError} after `drop()`, or once the handle moved (Rust's E0382).
   */
  get value(): Readonly<T> {
    if (this.state !== LIVE) throw unusable(this);
    return this.data;
  }

  /** Another handle to the same value; the strong count goes up by one. */
  clone(): Arc<T> {
    if (this.state !== LIVE) throw unusable(this);
    // Only atomicity is needed: we hold a strong handle, so the count cannot reach zero meanwhile.
    Atomics.add(this.counts, STRONG, 1);
    const arc = arcOver(this.counts, this.data);
    madeByThread(arc);
    return arc;
  }

  /**
   * Gives up this handle: the strong count goes down by one, and the last
   * drop disposes the value if it is `Disposable`. Dropping twice does
   * nothing; dropping a moved handle throws (its count is not its own).
   */
  drop(): void {
    if (this.state !== LIVE) {
      if (this.state === MOVED) throw unusable(this);
      return;
    }
    if (this[lentAt] !== undefined) refuseLent(this);
    this.state = DROPPED;
    // Pairs with the other drops: exactly one of them sees the count fall from 1 to 0.
    if (Atomics.sub(this.counts, STRONG, 1) === 1) disposeValue(this.counts, this.data);
  }

  /** The same as `drop()`, for `using`; nothing once the handle moved (Rust does not drop a moved value). */
  [Symbol.dispose](): void {
    if (this.state !== MOVED) this.drop();
  }

  /** How many `Arc` handles to this value exist, in all threads. */
  strongCount(): number {
    if (this.state === MOVED) throw unusable(this);
    return Atomics.load(this.counts, STRONG);
  }

  /** How many `Weak` handles to this value exist, in all threads. */
  weakCount(): number {
    if (this.state === MOVED) throw unusable(this);
    return Atomics.load(this.counts, WEAK);
  }

  /** A `Weak` handle: it does not keep the value alive, and `upgrade()` gives an `Arc` while one lives. */
  static downgrade<T>(arc: Arc<T>): Weak<T> {
    if (arc.state !== LIVE) throw unusable(arc);
    // Only atomicity is needed: read by weakCount().
    Atomics.add(arc.counts, WEAK, 1);
    const weak = new Weak<T>(arc.counts, arc.data);
    madeByThread(weak);
    return weak;
  }

  /** Whether two handles point to the same value (Rust's `Arc::ptr_eq`). */
  static ptrEq<T>(a: Arc<T>, b: Arc<T>): boolean {
    if (a.state === MOVED) throw unusable(a);
    if (b.state === MOVED) throw unusable(b);
    return a.counts.buffer === b.counts.buffer || (a.counts[SERIAL] === b.counts[SERIAL] && a.counts[MAKER] === b.counts[MAKER]);
  }

  /**
   * The value, if `arc` is the last strong handle (Rust's `Arc::into_inner`):
   * the handle is dropped either way; `undefined` if others remain.
   */
  static intoInner<T>(arc: Arc<T>): T | undefined {
    if (arc.state !== LIVE) throw unusable(arc);
    refuseLent(arc);
    arc.state = DROPPED;
    // Pairs with the other drops: exactly one of them sees the count fall from 1 to 0.
    if (Atomics.sub(arc.counts, STRONG, 1) !== 1) return undefined;
    return arc.counts[HOLDS] !== 0 ? giveHeld(arc.data) : arc.data;
  }

  /** @internal */
  protected successor(): Arc<T> {
    return arcOver(this.counts, this.data);
  }
}

/** `unsafe impl<T: Send + Sync> Send for Arc<T>`, `unsafe impl<T: Send + Sync> Sync for Arc<T>`. */
export interface Arc<T> extends Traits<'Arc', T, 'T: Send + Sync', 'T: Send + Sync'> {}

/**
 * A non-owning handle to an `Arc`'s value, as Rust's `std::sync::Weak`.
 *
 * When to use: to refer to shared data without keeping it alive (caches,
 * back-references).
 *
 * @example
 * ```ts
 * const strong = new Arc(5);
 * const weak = Arc.downgrade(strong);
 * weak.upgrade()?.value; // 5
 * strong.drop();
 * weak.upgrade(); // undefined: the last Arc is gone
 * ```
 */
export class Weak<T> extends ArcParts<T> implements Disposable {
  /** An `Arc`, if a strong handle still lives anywhere; `undefined` otherwise. */
  upgrade(): Arc<T> | undefined {
    if (this.state !== LIVE) throw unusable(this);
    let strong = Atomics.load(this.counts, STRONG);
    while (strong > 0) {
      // Pairs with the subtraction in drop(): only a count that has not reached zero may grow.
      const actual = Atomics.compareExchange(this.counts, STRONG, strong, strong + 1);
      if (actual === strong) {
        const arc = arcOver(this.counts, this.data);
        madeByThread(arc);
        return arc;
      }
      strong = actual;
    }
    return undefined;
  }

  /** Another weak handle. */
  clone(): Weak<T> {
    if (this.state !== LIVE) throw unusable(this);
    Atomics.add(this.counts, WEAK, 1);
    const weak = new Weak<T>(this.counts, this.data);
    madeByThread(weak);
    return weak;
  }

  /** How many `Arc` handles exist. */
  strongCount(): number {
    if (this.state === MOVED) throw unusable(this);
    return Atomics.load(this.counts, STRONG);
  }

  /** Gives up this weak handle; dropping twice does nothing, dropping a moved one throws. */
  drop(): void {
    if (this.state !== LIVE) {
      if (this.state === MOVED) throw unusable(this);
      return;
    }
    if (this[lentAt] !== undefined) refuseLent(this);
    this.state = DROPPED;
    Atomics.sub(this.counts, WEAK, 1);
  }

  /** The same as `drop()`, for `using`; nothing once the handle moved. */
  [Symbol.dispose](): void {
    if (this.state !== MOVED) this.drop();
  }

  /** @internal */
  protected successor(): Weak<T> {
    return new Weak<T>(this.counts, this.data);
  }
}

/** `unsafe impl<T: Send + Sync> Send for Weak<T>`, `unsafe impl<T: Send + Sync> Sync for Weak<T>`. */
export interface Weak<T> extends Traits<'Weak', T, 'T: Send + Sync', 'T: Send + Sync'> {}

/**
 * An `Arc` over existing counts, whose strong count the caller already
 * raised for it: built by `ArcParts`'s constructor, as an `Arc` (which adds
 * no fields of its own).
 */
function arcOver<T>(counts: Int32Array, data: T): Arc<T> {
  return Reflect.construct(ArcParts, [counts, data], Arc) as Arc<T>;
}

/** The error for a use of a handle that was dropped or moved (rustc's E0382 for the latter). */
function unusable(handle: ArcParts<unknown>): UseAfterDropError {
  if (handle.state !== MOVED) return droppedError('Arc or Weak');
  return handle instanceof Weak ? movedError('Weak', 'weak.clone()') : movedError('Arc', 'arc.clone()');
}

/** The last strong handle is gone: drop the value (the handles it holds, a lock with its data) or dispose it, if it knows how. */
function disposeValue(counts: Int32Array, value: unknown): void {
  // Written before the value's first handle was made, and read after the last one's drop.
  if (counts[HOLDS] !== 0) dropHeld(value);
  // (A handle the value is, a lock, was dropped just above: disposing it again does nothing.)
  if (value !== null && typeof value === 'object' && Symbol.dispose in value) (value as Disposable)[Symbol.dispose]();
}

/** The data of an `Arc` or `Weak` that reached this thread: the handles it holds are lent by it here too (see `lentAt`). */
function decodeData(counts: Int32Array, wire: ArcWire, context: CodecContext): unknown {
  const data = context.decode(wire.value);
  // Written before the value's first handle was made, and read after the counts reached this thread.
  if (counts[HOLDS] !== 0) lendHeld(data);
  return data;
}

registerCodec<Arc<unknown>, ArcWire>({
  module: import.meta.url,
  tag: 'sendsync:Arc',
  handle: 'shared',
  type: Arc,
  name: 'Arc',
  send: 'T: Send + Sync',
  sync: 'T: Send + Sync',
  param: (arc) => [arc.data],
  encode(arc, context) {
    if (arc.state !== LIVE) throw unusable(arc);
    return { counts: arc.counts.buffer as SharedArrayBuffer, value: encodeLent(context, arc.data) };
  },
  decode(wire, context) {
    const counts = new Int32Array(wire.counts);
    return arcOver(counts, decodeData(counts, wire, context));
  },
});

registerCodec<Weak<unknown>, ArcWire>({
  module: import.meta.url,
  tag: 'sendsync:Weak',
  handle: 'shared',
  type: Weak,
  name: 'Weak',
  send: 'T: Send + Sync',
  sync: 'T: Send + Sync',
  param: (weak) => [weak.data],
  encode(weak, context) {
    if (weak.state !== LIVE) throw unusable(weak);
    return { counts: weak.counts.buffer as SharedArrayBuffer, value: encodeLent(context, weak.data) };
  },
  decode(wire, context) {
    const counts = new Int32Array(wire.counts);
    return new Weak<unknown>(counts, decodeData(counts, wire, context));
  },
});
