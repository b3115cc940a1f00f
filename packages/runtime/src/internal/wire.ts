/**
 * The wire form of values that cross threads: structured-cloneable data, with
 * the library's handles replaced by their codec's wire form and
 * `ArrayBuffer`s listed for transfer. Values are checked by the run-time
 * backstop (`backstop.ts`, re-exported here) before they are encoded.
 */

import { host, type Transferable } from '#host';
import { codecByTag, codecFor, isOwning, moveOut, ownHere, registerCodec, type Codec, type CodecContext, type Owning } from '../codec.js';
import { refuseLent, unusableError } from '../use-after-drop-error.js';
import bundled from './bundled.js';

export { assertSend, assertSendAt, assertSync } from './backstop.js';

/** The key that marks a codec's wire form inside an encoded value. */
const TAG = '~sendsync';

/** A codec'd value on the wire. */
interface Tagged {
  readonly [TAG]: string;
  readonly wire: unknown;
  /** The module that registers the codec (`Codec.module`), for a thread that has not loaded it. */
  readonly module?: string;
}

/**
 * The codec registered under `tag`. A thread loads only the modules its
 * values needed when it started: one that later receives a handle of another
 * type (through a channel, in a result) loads that codec's module there and
 * then, where the host loads modules synchronously.
 */
function codecForWire(tag: string, module: unknown): Codec | undefined {
  const codec = codecByTag(tag);
  // In a bundle, `module` is a chunk's URL, perhaps the application's entry (see bundled.ts).
  if (codec !== undefined || typeof module !== 'string' || host.requireModule === undefined || bundled.active) return codec;
  host.requireModule(module);
  return codecByTag(tag);
}

/** The runtime's codec registry, which `requireSharesModules` loads by `require` to compare. */
const CODEC_MODULE = new URL('../codec.js', import.meta.url).href;
let requireShares: boolean | undefined;

/**
 * Whether the host's synchronous load (`host.requireModule`) gives this
 * thread's own instance of a module it imported, as Node's `require` of an
 * ES module does (Node 20.19 and 22.12 on), and not a second copy. A loader
 * that compiles the ES modules `require` loads into CommonJS (tsx does, so
 * that `require` of an ES module works on any Node) evaluates the file again:
 * the codec that copy registers lands in the copy's registry, with the copy's
 * tables (a thread's handles, its end hooks), and the value still has no
 * codec here. Where this is false, a thread holding a handle imports the
 * runtime's codec modules up front instead (internal/pool.ts). Probed once per thread, on
 * the runtime's own `codec.js`, which every thread has imported by now.
 */
export function requireSharesModules(): boolean {
  if (requireShares === undefined) {
    try {
      const loaded = host.requireModule?.(CODEC_MODULE) as { readonly registerCodec?: unknown } | undefined;
      requireShares = loaded?.registerCodec === registerCodec;
    } catch {
      requireShares = false;
    }
  }
  return requireShares;
}

/** Loads the codec registered under `tag` from `module` if this thread has not (see `codecForWire`). */
export function loadCodec(tag: string, module: string | undefined): void {
  codecForWire(tag, module);
}

/**
 * Imports the modules of the codecs inside `wire` that this thread has not
 * loaded, on a host that cannot load them synchronously (a browser), before
 * `decodeInPlace`: for a value that reached a receive that awaits (a
 * bundled thread has its codecs already).
 */
export async function loadCodecsAsync(wire: unknown): Promise<void> {
  if (host.requireModule !== undefined || bundled.active) return;
  const modules = new Set<string>();
  const pending = [wire];
  const seen = new Set<object>();
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value !== 'object' || value === null || seen.has(value) || ArrayBuffer.isView(value)) continue;
    seen.add(value);
    if (Array.isArray(value) || value instanceof Set) pending.push(...value);
    else if (value instanceof Map) pending.push(...value.keys(), ...value.values());
    else {
      const record = value as Record<string, unknown>;
      const tag = record[TAG];
      if (typeof tag === 'string' && typeof record.module === 'string' && codecByTag(tag) === undefined) modules.add(record.module);
      pending.push(...Object.values(record));
    }
  }
  for (const module of modules) await import(/* webpackIgnore: true */ module);
}

/** How a bundled thread gets a user's codec. */
const BUNDLED_CODEC_HELP =
  ': in a bundled program a thread has the runtime\'s codecs and those of the modules its closure imports; import the class in the module that spawns the thread and use it in the closure';

/** How a thread gets a codec where its module cannot be loaded when a value needs it (see `requireSharesModules`). */
const COPIED_CODEC_HELP =
  ": the program's loader (tsx, say) compiles what `require` loads into a second copy, so a thread has the runtime's codecs, those its values needed at its start and those of the modules its closure imports; import the class in the module that spawns the thread and use it in the closure";

/** What to do about a missing codec, where this thread cannot load one as it needs it. */
function codecHelp(): string {
  if (bundled.active) return BUNDLED_CODEC_HELP;
  return host.requireModule !== undefined && !requireSharesModules() ? COPIED_CODEC_HELP : '';
}

/** An encoding in progress: the context handed to codecs. */
export class Encoder implements CodecContext {
  /** Buffers to transfer with the message. */
  readonly transfer: Transferable[] = [];
  /** The tags of the codecs used, so that the receiver can load them first. */
  readonly tags = new Set<string>();
  /** True while encoding borrows (see `CodecContext.borrowing`). */
  borrowing = false;
  /** True when the wire form may hold no port (see `CodecContext.portless`). */
  portless = false;
  /** True when the wire form goes into a lock's value (see `CodecContext.inLock`). */
  inLock = false;
  readonly #done = new Map<object, unknown>();
  /**
   * The handles owning a count that this encoding moves (see `Owning`):
   * those reached through plain data, not from inside another handle's
   * value (an `Arc` in a lock's table or in an `Arc`'s data is that
   * handle's, which moves or is shared as a whole).
   */
  readonly #moving: Owning[] = [];
  /** Moves of handles that live in the shared heap (a channel's `Sender`), run at `commitMoves` too. */
  readonly #heapMoves: (() => void)[] = [];
  /** How many codecs' `encode` are running: handles reached inside one are not moved by this encoding. */
  #inCodec = 0;
  /** How deep `encode` is: 0 outside it (see `encode`). */
  #depth = 0;
  /** What to undo if the move is refused after all (see `abandonMoves`). */
  readonly #undos: (() => void)[] = [];
  /** Says which codec'd values stay as they are (a lock's table keeps them), when given. */
  readonly #keep: ((value: object, codec: Codec) => boolean) | undefined;

  constructor(keep?: (value: object, codec: Codec) => boolean) {
    this.#keep = keep;
  }

  /**
   * Encodes a value (already checked by `assertSend`). A refusal that ends
   * the outermost call abandons the encoding (see `abandonMoves`): every
   * caller gives up the whole move then.
   */
  encode(value: unknown): unknown {
    if (this.#depth > 0 || typeof value !== 'object' || value === null) return this.#encode(value);
    this.#depth++;
    try {
      return this.#encode(value);
    } catch (error) {
      this.abandonMoves();
      throw error;
    } finally {
      this.#depth--;
    }
  }

  #encode(value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return value;
    const done = this.#done.get(value);
    if (done !== undefined) return done;
    if (Array.isArray(value)) {
      const copy: unknown[] = new Array(value.length);
      this.#done.set(value, copy);
      for (let index = 0; index < value.length; index++) copy[index] = this.#encode(value[index]);
      return copy;
    }
    const prototype = Object.getPrototypeOf(value) as object | null;
    if (prototype === Object.prototype || prototype === null) {
      const copy: Record<string, unknown> = prototype === null ? (Object.create(null) as Record<string, unknown>) : {};
      this.#done.set(value, copy);
      for (const key of Object.keys(value)) copy[key] = this.#encode((value as Record<string, unknown>)[key]);
      return copy;
    }
    if (value instanceof Map) {
      const copy = new Map<unknown, unknown>();
      this.#done.set(value, copy);
      for (const [key, entry] of value) copy.set(this.#encode(key), this.#encode(entry));
      return copy;
    }
    if (value instanceof Set) {
      const copy = new Set<unknown>();
      this.#done.set(value, copy);
      for (const entry of value) copy.add(this.#encode(entry));
      return copy;
    }
    // A move transfers a buffer (the sender's is detached, as after a Rust move); a borrow
    // copies it (structured clone), so the lender keeps its data and any number may borrow it.
    if (value instanceof ArrayBuffer) {
      if (!this.borrowing) this.#move(value);
      return value;
    }
    if (ArrayBuffer.isView(value)) {
      if (!this.borrowing && value.buffer instanceof ArrayBuffer) this.#move(value.buffer);
      return value;
    }
    if (value instanceof Error && Object.hasOwn(value, 'cause')) {
      // The copy carries the cause's handles in their wire form (structured clone copies the rest).
      const copy = new (value.constructor as ErrorConstructor)(value.message, { cause: undefined });
      this.#done.set(value, copy);
      copy.stack = value.stack;
      copy.cause = this.#encode(value.cause);
      return copy;
    }
    const codec = codecFor(value);
    if (codec === undefined) return value;
    // A handle left moved or dropped is refused here, before anything moves (rustc's E0382 at the second move).
    const unusable = unusableError(value);
    if (unusable !== undefined) throw unusable;
    // A handle an `Arc`'s data lends is refused before anything moves (rustc's E0507).
    if (!this.borrowing) refuseLent(value);
    if (this.#keep?.(value, codec) === true) return value;
    const tagged: Tagged = codec.module === undefined ? { [TAG]: codec.tag, wire: undefined } : { [TAG]: codec.tag, wire: undefined, module: codec.module };
    this.#done.set(value, tagged);
    this.tags.add(codec.tag);
    this.#inCodec++;
    try {
      (tagged as { wire: unknown }).wire = codec.encode(value, this);
    } finally {
      this.#inCodec--;
    }
    if (this.#inCodec === 0 && !this.borrowing && isOwning(value)) this.#moving.push(value);
    return tagged;
  }

  /**
   * Encodes a value that stays its handle's (an `Arc`'s data, shared by every
   * thread holding the `Arc`): what owns a count inside it is lent, as to a
   * scoped thread, and buffers are copied, not transferred.
   */
  lend(value: unknown): unknown {
    if (this.borrowing) return this.encode(value);
    this.borrowing = true;
    try {
      return this.encode(value);
    } finally {
      this.borrowing = false;
    }
  }

  /**
   * What was encoded has moved (the message is on its way, the thread
   * starts, the result is sent): every handle owning a count in it is left
   * moved (see `Owning`). Until then a refused move leaves them usable.
   */
  commitMoves(): void {
    for (const handle of this.#moving) handle[moveOut]();
    this.#moving.length = 0;
    for (const move of this.#heapMoves) move();
    this.#heapMoves.length = 0;
    this.#undos.length = 0;
  }

  /**
   * The move was refused after encoding began (a later value, the host
   * failing to start the worker): nothing moves, and what codecs marked
   * for the move is undone (see `onCommit`).
   */
  abandonMoves(): void {
    this.#moving.length = 0;
    this.#heapMoves.length = 0;
    const undos = this.#undos.splice(0);
    for (const undo of undos) undo();
  }

  /**
   * Runs `move` (a codec's move of its handle) at `commitMoves`, so that a refused move leaves the handle as it was;
   * `undo`, if given, at `abandonMoves` instead.
   */
  onCommit(move: () => void, undo?: () => void): void {
    this.#heapMoves.push(move);
    if (undo !== undefined) this.#undos.push(undo);
  }

  /** Not used while encoding. */
  decode(wire: unknown): unknown {
    return decodeInPlace(wire, new Set());
  }

  #move(buffer: ArrayBuffer): void {
    if (!this.transfer.includes(buffer)) this.transfer.push(buffer);
  }
}

/** Encodes a value that stays its handle's (see `Encoder.lend`); a context of another kind encodes it its own way. */
export function encodeLent(context: CodecContext, value: unknown): unknown {
  return context instanceof Encoder ? context.lend(value) : context.encode(value);
}

/**
 * Runs `move` once the encoding in `context` can no longer be refused (see `Encoder.commitMoves`), or `undo` if it
 * is refused (`Encoder.abandonMoves`); `move` at once for a context of another kind.
 */
export function moveOnCommit(context: CodecContext, move: () => void, undo?: () => void): void {
  if (context instanceof Encoder) context.onCommit(move, undo);
  else move();
}

const decodeContext: CodecContext = {
  encode(value: unknown): unknown {
    return new Encoder().encode(value);
  },
  decode(wire: unknown): unknown {
    return decodeInPlace(wire, new Set());
  },
  transfer: [],
};

/** While `decodeOwned` decodes, outside any codec's value: the handles owning a count that it rebuilds are this thread's. */
let owning = false;

/**
 * `decodeInPlace` of a value this thread now owns (a thread's moved
 * captures, a received message, a joined thread's result): the handles
 * owning a count in it, outside other handles' values, are dropped when
 * this thread ends unless it drops or moves them first (see `Owning`).
 */
export function decodeOwned(wire: unknown): unknown {
  owning = true;
  try {
    return decodeInPlace(wire, new Set());
  } finally {
    owning = false;
  }
}

/**
 * Turns a received (structured-cloned) wire value back into values, in
 * place: only the codec'd parts are rebuilt.
 */
export function decodeInPlace(wire: unknown, seen: Set<object>): unknown {
  if (typeof wire !== 'object' || wire === null || seen.has(wire)) return wire;
  seen.add(wire);
  if (Array.isArray(wire)) {
    for (let index = 0; index < wire.length; index++) wire[index] = decodeInPlace(wire[index], seen);
    return wire;
  }
  const prototype = Object.getPrototypeOf(wire) as object | null;
  if (prototype === Object.prototype || prototype === null) {
    const record = wire as Record<string, unknown>;
    const tag = record[TAG];
    if (typeof tag === 'string') {
      const codec = codecForWire(tag, record.module);
      if (codec === undefined) throw new TypeError(`no codec for \`${tag}\` in this thread${codecHelp()}`);
      const owned = owning;
      owning = false;
      let value: object;
      try {
        value = codec.decode(decodeInPlace(record.wire, seen), decodeContext);
      } finally {
        owning = owned;
      }
      if (owned && isOwning(value)) value[ownHere]();
      return value;
    }
    for (const key of Object.keys(record)) record[key] = decodeInPlace(record[key], seen);
    return wire;
  }
  if (wire instanceof Map) {
    for (const [key, entry] of [...wire]) {
      const decodedKey = decodeInPlace(key, seen);
      if (decodedKey !== key) wire.delete(key);
      wire.set(decodedKey, decodeInPlace(entry, seen));
    }
    return wire;
  }
  if (wire instanceof Error) {
    if (Object.hasOwn(wire, 'cause')) wire.cause = decodeInPlace(wire.cause, seen);
    return wire;
  }
  if (wire instanceof Set) {
    for (const entry of [...wire]) {
      const decoded = decodeInPlace(entry, seen);
      if (decoded !== entry) {
        wire.delete(entry);
        wire.add(decoded);
      }
    }
  }
  return wire;
}

/**
 * Makes a borrowed value read-only, deeply, so that the thread can only read
 * it, and returns it: frozen in place, except a typed array or `DataView`
 * over a private copy (it cannot be frozen), which becomes a read-only view
 * of itself (`readOnlyView`). Views over shared memory and library handles
 * are shared: they stay as they are.
 */
export function deepFreeze(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  seen.set(value, value);
  if (value instanceof ArrayBuffer || codecFor(value) !== undefined) return value;
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof SharedArrayBuffer) return value;
    const view = readOnlyView(value);
    seen.set(value, view);
    return view;
  }
  if (value instanceof Map) {
    for (const [key, entry] of [...value]) {
      const frozenKey = deepFreeze(key, seen);
      const frozen = deepFreeze(entry, seen);
      if (frozenKey !== key) value.delete(key);
      if (frozenKey !== key || frozen !== entry) value.set(frozenKey, frozen);
    }
  } else if (value instanceof Set) {
    for (const entry of [...value]) {
      const frozen = deepFreeze(entry, seen);
      if (frozen !== entry) {
        value.delete(entry);
        value.add(frozen);
      }
    }
  } else {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const frozen = deepFreeze(record[key], seen);
      if (frozen !== record[key]) record[key] = frozen;
    }
  }
  if (value instanceof Map || value instanceof Set) {
    for (const method of ['set', 'add', 'delete', 'clear']) {
      Object.defineProperty(value, method, { value: refuseWrite });
    }
  }
  return Object.freeze(value);
}

/** The methods of a typed array or `DataView` that write into it. */
const WRITERS = new Set<PropertyKey>(['fill', 'set', 'copyWithin', 'reverse', 'sort', 'setInt8', 'setUint8', 'setInt16', 'setUint16', 'setInt32', 'setUint32', 'setFloat32', 'setFloat64', 'setBigInt64', 'setBigUint64']);

/**
 * A read-only view of a typed array or `DataView` (a borrowed private copy):
 * reads and non-writing methods work, an element write or a writing method
 * throws, and `subarray` gives a read-only view too. `.buffer` is a copy of
 * the bytes, so nothing reached through the view writes into them.
 */
function readOnlyView(view: ArrayBufferView): ArrayBufferView {
  return new Proxy(view, {
    get(target, key) {
      if (WRITERS.has(key)) return refuseWrite;
      if (key === 'buffer') return target.buffer.slice(0);
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      if (key === 'subarray') return (...args: unknown[]) => readOnlyView((value as (...args: unknown[]) => ArrayBufferView).apply(target, args));
      return (...args: unknown[]) => (value as (...args: unknown[]) => unknown).apply(target, args);
    },
    set: refuseWrite,
    defineProperty: refuseWrite,
    deleteProperty: refuseWrite,
  });
}

function refuseWrite(): never {
  throw new TypeError('cannot mutate a borrowed value');
}
