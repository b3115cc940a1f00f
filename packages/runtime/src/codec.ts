/**
 * How values of the library's own types, and the user's sendable classes,
 * cross threads.
 *
 * A plain value crosses by structured clone. A value whose class has a codec
 * crosses as the codec's wire form: plain, cloneable data (typically holding a
 * `SharedArrayBuffer`, so that both threads see the same memory), turned back
 * into an instance of the class on the other side. Every built-in shared type
 * (`Mutex`, `Arc`, atomics, channels, `Thread`, ...) registers its codec when
 * its module is loaded; a user registers one for a class they vouch for with
 * the `Send` brand of `@sendsync/marker`.
 */

import type { Bound } from '@sendsync/marker';
import type { Transferable } from './host/host.js';

export type { Bound };

/** What a codec is given while it encodes or decodes: the walker, for nested values. */
export interface CodecContext {
  /** Encodes a nested value (it may itself need a codec). */
  encode(value: unknown): unknown;
  /** Decodes a nested value encoded by `encode`. */
  decode(wire: unknown): unknown;
  /** Buffers to transfer (move) rather than copy. */
  readonly transfer: Transferable[];
  /**
   * True while the values encoded are borrowed by a scoped thread rather than
   * moved: a codec whose handle owns a count (a channel `Sender`) lends it.
   */
  readonly borrowing?: boolean;
  /**
   * True when the wire form goes where no port can (a named channel: the
   * courier's lines on Node): a handle whose wire form would hold a port
   * crosses as its heap form instead (a `Receiver`), or refuses.
   */
  readonly portless?: boolean;
  /**
   * True when the wire form goes into a lock's value, which every thread
   * holding the lock reads (sync/storage.ts): a `JoinHandle` moves in as a
   * shared handle for the lock's table (see thread/join-slot.ts).
   */
  readonly inLock?: boolean;
}

/**
 * A handle that owns a count (an `Arc` its strong count, a `Weak` its weak
 * count), as the encoder, a lock's handle table and a thread's end see it.
 * A move of it (into a message, a thread, a thread's result or a lock's
 * value) hands its count on and leaves it moved, as a Rust move does: used
 * again, it throws. A borrow moves nothing. Channel ends own counts too, but
 * live in the shared heap and move through `HeapForm`.
 */
export interface Owning {
  /**
   * The move succeeded (it is past the point where it could be refused):
   * this handle is left moved, and the handle returned owns its count now,
   * in this thread (a lock's table keeps it; the encoder leaves it unused,
   * the receiving thread building its own from the wire form).
   */
  [moveOut](): Owning;
  /** This thread received the handle as its own (moved in, sent to it, returned to it): it drops it when it ends, unless dropped or moved first. */
  [ownHere](): void;
}

/** See `Owning`. */
export const moveOut: unique symbol = Symbol('sendsync.moveOut');
/** See `Owning`. */
export const ownHere: unique symbol = Symbol('sendsync.ownHere');

/** Whether `value` owns a count (see `Owning`). */
export function isOwning(value: object): value is Owning {
  return moveOut in value;
}

/**
 * A class's row of the Send/Sync table, in the words of `@sendsync/marker`'s
 * `Traits<Name, Param, SendBound, SyncBound>`: the run-time backstop walks
 * values with these rows, so that it says what `tsc` says.
 *
 * @example
 * ```ts
 * // interface Cell<T> extends Traits<'Cell', T, 'T: Send', 'never'> {}
 * { type: Cell, name: 'Cell', send: 'T: Send', sync: 'never', param: (cell) => [cell.get()] }
 * ```
 */
export interface TraitRow<Value extends object = object> {
  /** The class (exactly: subclasses need their own row). */
  readonly type: abstract new (...args: never[]) => Value;
  /**
   * The type's name in messages, as its `Traits` names it (`'Cell'`): the
   * backstop writes `Cell<number>` from it and the names of `param`'s values.
   * A function names a value whole. The class name when left out.
   */
  readonly name?: string | ((value: Value) => string);
  /** When the type is Send: `'always'`, `'never'`, `'T: Send'`, `'T: Sync'` or `'T: Send + Sync'`. */
  readonly send: Bound;
  /** When the type is Sync (shared by a borrow), in the same words. */
  readonly sync: Bound;
  /**
   * The values that the bounds' `T` stands for in a value (a cell's value,
   * an `Arc`'s data; every part of a tuple parameter): the backstop checks
   * them where a bound names `T`. Leave it out when the handle checks each
   * value as it enters (a lock's storage, a channel, a collection): then
   * nothing inside it can fail the bound.
   */
  readonly param?: (value: Value) => readonly unknown[];
}

/** Carries instances of one class across threads, and states the class's Send/Sync row. */
export interface Codec<Value extends object = object, Wire = unknown> extends TraitRow<Value> {
  /** A name unique in the process, such as `'sendsync:Mutex'`; it names the codec on the wire. */
  readonly tag: string;
  /** Turns a value into structured-cloneable data. */
  encode(value: Value, context: CodecContext): Wire;
  /** Turns that data back into a value, in the receiving thread. */
  decode(wire: Wire, context: CodecContext): Value;
  /**
   * The URL of the module that registers the codec (its `import.meta.url`):
   * a thread imports it before it decodes the first value of this type (the
   * built-in codecs give theirs too, so that a thread loads only the modules
   * its values need). Without it, the receiving thread must have loaded the
   * codec some other way.
   */
  readonly module?: string;
  /**
   * What kind of handle a value is, when it is not a copy of its value (a
   * `Cell`'s codec copies; leave it out for such codecs):
   * - `'shared'`: its wire form holds shared memory that every thread holding
   *   it uses (an `Arc`, a `Mutex`, an atomic). Inside a lock's value it is
   *   kept in the lock's handle table, so that every thread holding the lock
   *   holds it too, rather than being copied into bytes.
   * - `'owner'`: it owns what one thread at a time may hold (a collection's
   *   memory, a thread's join right). It cannot be inside a lock's value,
   *   which every thread holding the lock would hold, unless the lock keeps
   *   a shared form of it: a collection's memory becomes a table entry, lent
   *   to each guard (sync/storage.ts's `keepInTable`); a `JoinHandle`'s codec
   *   makes a shared slot of it there (`CodecContext.inLock`).
   * - `'heap'`: it lives wholly in the process's shared heap (a channel end):
   *   it is a number (`heap`), written as bytes wherever it is, inside a
   *   lock's value or a message, and usable from any thread.
   */
  readonly handle?: 'shared' | 'owner' | 'heap';
  /** For `handle: 'heap'`: the handle as a number (read back by the reader given to `registerHeapReader`). */
  readonly heap?: HeapForm<Value>;
}

/** A handle of the shared heap as a number, in bytes that hold it (a message, a lock's value). */
export interface HeapForm<Value> {
  /** The number standing for `value` (an integer below 2^30); nothing changes yet. */
  id(value: Value): number;
  /**
   * The bytes holding `id(value)` were written where they stay (a message;
   * a lock's value when `kept`, used in place by whichever thread holds the
   * lock): what the handle owned is theirs now, and it is left unusable (a
   * move).
   */
  move(value: Value, kept: boolean): void;
}

/** Turns a heap handle's number back into a handle: owning what the bytes held (`owned`), or lent (the bytes keep it: a lock's value). */
type HeapReader = (id: number, owned: boolean) => object;

let heapReader: HeapReader | undefined;

/** Registers the reader of heap handles' numbers (the channels' module, the one kind of heap handle). */
export function registerHeapReader(reader: HeapReader): void {
  heapReader = reader;
}

/** The handle a heap number stands for (see `HeapForm`). */
export function readHeapHandle(id: number, owned: boolean): object {
  if (heapReader === undefined) throw new TypeError('internal: a channel end in bytes, and no channel module loaded in this thread');
  return heapReader(id, owned);
}

/**
 * A class whose instances must never cross threads (`Rc`, guards): its row
 * is `'never'` and `'never'`.
 */
export type Refusal<Value extends object = object> = Omit<TraitRow<Value>, 'send' | 'sync'>;

const BOUNDS: ReadonlySet<unknown> = new Set<Bound>(['always', 'never', 'T: Send', 'T: Sync', 'T: Send + Sync']);

const rows = new Map<unknown, TraitRow>();
const byTag = new Map<string, Codec>();

/**
 * Registers a codec; registering the same tag twice with another class, or a
 * row whose bounds are not `Bound`s, is an error.
 */
export function registerCodec<Value extends object, Wire>(codec: Codec<Value, Wire>): void {
  const existing = byTag.get(codec.tag);
  if (existing !== undefined && existing.type !== codec.type) {
    throw new TypeError(`codec tag \`${codec.tag}\` is already registered for another class`);
  }
  for (const bound of [codec.send, codec.sync]) {
    if (!BOUNDS.has(bound)) {
      throw new TypeError(
        `codec \`${codec.tag}\`: \`send\` and \`sync\` must be 'always', 'never', 'T: Send', 'T: Sync' or 'T: Send + Sync' (got ${String(bound)})`,
      );
    }
  }
  byTag.set(codec.tag, codec as unknown as Codec);
  rows.set(codec.type, codec as unknown as TraitRow);
}

/**
 * Declares a class never Send nor Sync (`Rc`, guards): moving or borrowing
 * one of its instances into a thread throws `` TypeError: `Rc<number>` cannot
 * be sent between threads safely (at captures[0]) `` before any thread starts.
 *
 * @example
 * ```ts
 * refuseToSend({ type: Rc, name: 'Rc', param: (rc) => [rc.peek()] });
 * ```
 */
export function refuseToSend<Value extends object>(refusal: Refusal<Value>): void {
  rows.set(refusal.type, { ...(refusal as unknown as Refusal), send: 'never', sync: 'never' });
}

/** The row declared for a value's exact class, if any. */
export function rowFor(value: object): TraitRow | undefined {
  return rows.get(value.constructor);
}

/** The codec registered under `tag`, if any. */
export function codecByTag(tag: string): Codec | undefined {
  return byTag.get(tag);
}

/**
 * The modules of the runtime's own codecs registered in this thread, each
 * once: what a thread imports up front where it cannot load one when a value
 * first needs it (see `requireSharesModules` in internal/wire.ts). Not the
 * application's: importing a module of the application may run more of it
 * than its codec.
 */
export function runtimeCodecModules(): string[] {
  const modules = new Set<string>();
  for (const codec of byTag.values()) if (codec.module !== undefined && codec.tag.startsWith('sendsync:')) modules.add(codec.module);
  return [...modules];
}

/** The codec for a value's exact class, if it has one. */
export function codecFor(value: object): Codec | undefined {
  const row = rows.get(value.constructor);
  return row !== undefined && 'encode' in row ? (row as Codec) : undefined;
}

/**
 * Registers the codec of a class whose whole state is one
 * `SharedArrayBuffer` of words (`Condvar`, `Once`, `Barrier`), Send and Sync
 * always, as `registerAtomicCodec` does for the atomics: it crosses as that
 * buffer, and `fromWire` (the class's private factory) rebuilds a handle
 * over it in the receiving thread.
 */
export function registerWordsCodec<Value extends { readonly words: Int32Array }>(
  module: string,
  name: string,
  type: abstract new (...args: never[]) => Value,
  fromWire: (memory: SharedArrayBuffer) => Value,
): void {
  registerCodec<Value, SharedArrayBuffer>({
    module,
    tag: `sendsync:${name}`,
    handle: 'shared',
    type,
    send: 'always',
    sync: 'always',
    encode: (value) => value.words.buffer as SharedArrayBuffer,
    decode: fromWire,
  });
}
