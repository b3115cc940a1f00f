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

import type { Transferable } from 'node:worker_threads';

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
}

/** Carries instances of one class across threads. */
export interface Codec<Value extends object = object, Wire = unknown> {
  /** A name unique in the process, such as `'sendsync:Mutex'`; it names the codec on the wire. */
  readonly tag: string;
  /** The class whose instances this codec carries (exactly: subclasses need their own). */
  readonly type: abstract new (...args: never[]) => Value;
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
   * The type's name in messages, Rust-style (`Cell<number>`); the class name
   * when left out.
   */
  readonly name?: (value: Value) => string;
  /**
   * `false` for a class that is Send but not Sync (`Cell`, `RefCell`): its
   * instances may be moved into a thread but not borrowed by one. Default `true`.
   */
  readonly sync?: boolean;
  /**
   * What the handle carries that must itself be Send for the handle to cross
   * (the `T` of a `T: Send` bound: a cell's value). The run-time backstop
   * checks it, so that `Cell<Rc<number>>` is refused like `Rc<number>`.
   */
  readonly contents?: (value: Value) => readonly unknown[];
}

/**
 * A class whose instances must never cross threads (`Rc`, guards): the
 * run-time backstop refuses them with rustc's E0277 wording and this name.
 */
export interface Refusal<Value extends object = object> {
  /** The class refused (exactly: subclasses need their own). */
  readonly type: abstract new (...args: never[]) => Value;
  /** The type's name in the message, Rust-style (`Rc<number>`). */
  readonly name: (value: Value) => string;
}

const byType = new Map<unknown, Codec>();
const byTag = new Map<string, Codec>();
const refused = new Map<unknown, Refusal>();

/** Registers a codec; registering the same tag twice with another class is an error. */
export function registerCodec<Value extends object, Wire>(codec: Codec<Value, Wire>): void {
  const existing = byTag.get(codec.tag);
  if (existing !== undefined && existing.type !== codec.type) {
    throw new TypeError(`codec tag \`${codec.tag}\` is already registered for another class`);
  }
  byTag.set(codec.tag, codec as unknown as Codec);
  byType.set(codec.type, codec as unknown as Codec);
}

/**
 * Declares a class never Send (`Rc`, guards): moving or borrowing one of its
 * instances into a thread throws `` TypeError: `Rc<number>` cannot be sent
 * between threads safely (at captures[0]) `` before any thread starts.
 *
 * @example
 * ```ts
 * refuseToSend({ type: Rc, name: (rc) => `Rc<${typeNameOf(rc.peek())}>` });
 * ```
 */
export function refuseToSend<Value extends object>(refusal: Refusal<Value>): void {
  refused.set(refusal.type, refusal as unknown as Refusal);
}

/** The refusal declared for a value's exact class, if any. */
export function refusalFor(value: object): Refusal | undefined {
  return refused.get(value.constructor);
}

/** The codec for a value's exact class, if it has one. */
export function codecFor(value: object): Codec | undefined {
  return byType.get(value.constructor);
}

/** The codec registered under `tag`, if any. */
export function codecByTag(tag: string): Codec | undefined {
  return byTag.get(tag);
}


export { typeNameOf } from './internal/type-name.js';
