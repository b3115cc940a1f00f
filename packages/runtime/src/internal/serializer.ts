/**
 * The portable value serializer: structured-clone semantics as bytes, with no
 * host module (no `node:v8`, no `Buffer`), so that a value written by one
 * thread into shared memory (a lock's storage, a channel's record) can be
 * read back by another on every host.
 *
 * What it keeps is what `structuredClone` keeps: primitives (a lone surrogate
 * in a string too), arrays (holes included), plain objects (own enumerable
 * string keys; any other object is copied as a plain one, as structured clone
 * does), `Map`, `Set`, `Date`, `RegExp`, boxed primitives, `ArrayBuffer`s,
 * typed arrays and `DataView`s (views of one buffer still share it), errors
 * (name, message, stack, cause), cycles and shared references. What
 * structured clone refuses it refuses with a `TypeError` saying what and
 * where (`at value.handler`): functions, symbols, promises, weak collections.
 * Shared memory (a `SharedArrayBuffer`, a view over one) is refused with
 * `SharedMemoryError`: bytes cannot carry it, and copying it would silently
 * make shared memory private.
 *
 * Format: one tag byte per value, then its payload; lengths and counts as
 * unsigned LEB128 varints (one written after the bytes it counts is padded
 * to the width it was given room for); an object seen before is a `REF` to
 * the order in which it was first written. An array of strings only is one
 * run of UTF-8 (`STRINGS`), so that a batch of text lines costs a few
 * native calls each way rather than one per line.
 */

import protocol from './protocol.js';

/** The tag of each kind of value, its first byte. */
const T = {
  UNDEFINED: 0,
  NULL: 1,
  FALSE: 2,
  TRUE: 3,
  /** A signed 32-bit integer (4 bytes). */
  INT32: 4,
  /** Any other number (8 bytes). */
  DOUBLE: 5,
  /** A bigint: a sign byte, a count of 64-bit words, the words, least significant first. */
  BIGINT: 6,
  /** A string of code units below 256, one byte each. */
  LATIN1: 7,
  /** A well-formed string as UTF-8 (byte count, bytes). */
  UTF8: 8,
  /** A string as UTF-16 code units (count, two bytes each): any string, lone surrogates too. */
  UTF16: 9,
  /** An object written before: its index in first-write order. */
  REF: 10,
  /** An array: its length, then each element or `HOLE`. */
  ARRAY: 11,
  /** A missing element of a sparse array. */
  HOLE: 12,
  /** A plain object: its count of keys, then key (a string) and value, each. */
  OBJECT: 13,
  MAP: 14,
  SET: 15,
  /** A `Date`: its time value (8 bytes). */
  DATE: 16,
  /** A `RegExp`: its source and flags, as strings. */
  REGEXP: 17,
  /** An `ArrayBuffer`: its byte length, then its bytes. */
  ARRAY_BUFFER: 18,
  /** A typed array or `DataView`: its kind (index in VIEWS), its buffer (a value), byte offset, length. */
  VIEW: 19,
  /** An error: its kind (index in ERRORS), then name, message, stack (or `UNDEFINED`), cause (or `HOLE` for none). */
  ERROR: 20,
  /** A boxed primitive: the primitive follows. */
  BOXED: 21,
  /** An object the caller's `HostObjects` wrote: the id it gave. */
  HOST: 22,
  /**
   * An array of well-formed strings only (no hole), one of which at least is
   * not ASCII: its length, the byte count of the elements' UTF-8, that UTF-8
   * (each element's after the other's), then each element's byte count and
   * length in code units. The reader decodes a run of elements at once and
   * cuts the text at their lengths.
   */
  STRINGS: 23,
  /** `STRINGS` whose elements are all ASCII: their byte counts are their lengths, written once. */
  ASCII_STRINGS: 24,
} as const;

/** The view classes, in the order of their kind byte: the protocol's typed arrays, then `DataView`. */
const VIEWS = [...protocol.TYPED_ARRAYS, DataView] as const;
/** The kind byte of `DataView`. */
const DATA_VIEW = VIEWS.length - 1;

/** The error classes kept, in the order of their kind byte; any other error arrives as an `Error`. */
const ERRORS = [Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError] as const;

/** Strings up to this length are copied by hand (cheaper than a native call). */
const SHORT_STRING = 32;
/** An array of strings is written as `STRINGS` from this many code units in all (below, each string by hand is cheaper). */
const STRINGS_UNITS = 64;
/** The most code units of an array of strings encoded at once (see `writeStrings`). */
const ENCODE_RUN = 16 * 1024;
/** The most bytes of an `ASCII_STRINGS` array decoded at once (see `readStrings`). */
const DECODE_RUN = 32 * 1024;
/** The bytes of a varint that may need all of them (a 32-bit count). */
const VARINT_MAX = 5;
/** Code units decoded per `String.fromCharCode` call (its arguments go on the stack). */
const CHUNK = 4096;
/** The scratch buffer's first size; it doubles as needed and is kept for the next value. */
const FIRST_CAPACITY = 4096;
/** A scratch buffer larger than this is let go after use, so that one big value does not pin its memory. */
const KEEP_CAPACITY = 1 << 23;

/**
 * The objects a caller writes itself (as `v8.Serializer`'s host objects):
 * the library's handles, which cannot be bytes, become ids into a table the
 * caller keeps beside the bytes.
 */
export interface HostObjects {
  /** The id to write for `value` (a class instance or other object that is not plain data), or -1 to clone it as structured clone would. */
  write(value: object): number;
  /** The object written as `id`. */
  read(id: number): unknown;
}

/** Shared memory met where a private copy is made. */
export class SharedMemoryError extends TypeError {
  constructor(path: string) {
    super(`shared memory (a SharedArrayBuffer or a view over one) cannot be copied into bytes (at ${path})`);
    this.name = 'SharedMemoryError';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Whether a string has no lone surrogate (ES2024's `isWellFormed`). */
const isWellFormed = (String.prototype as unknown as { isWellFormed: (this: string) => boolean }).isWellFormed;

/** A growable byte buffer being written. */
class Writer {
  bytes: Uint8Array;
  view: DataView;
  at = 0;
  /** Objects written so far, by their index (for `REF`); a new map per value (a cleared one is several times slower). */
  seen = new Map<object, number>();
  host: HostObjects | undefined = undefined;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Makes room for `count` more bytes. */
  reserve(count: number): void {
    const needed = this.at + count;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const bytes = new Uint8Array(capacity);
    bytes.set(this.bytes.subarray(0, this.at));
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer);
  }

  byte(value: number): void {
    this.reserve(1);
    this.bytes[this.at++] = value;
  }

  varint(value: number): void {
    this.reserve(VARINT_MAX);
    const bytes = this.bytes;
    while (value > 0x7f) {
      bytes[this.at++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    bytes[this.at++] = value;
  }

  /**
   * `value` as a varint of exactly `width` bytes at `at` (padded with
   * continuation bytes of no value, which the reader reads as any varint):
   * a length written after the bytes it counts, in the room left for it.
   */
  varintAt(at: number, value: number, width: number): void {
    const bytes = this.bytes;
    for (let i = 1; i < width; i++) {
      bytes[at++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    bytes[at] = value;
  }
}

/** The bytes of the varint of `value`: room for a count not yet known, at most `value`. */
function varintWidth(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : VARINT_MAX;
}

/** The writer whose buffer is kept between values; undefined while in use (a getter that serializes gets its own). */
let spare: Writer | undefined = new Writer(FIRST_CAPACITY);

/**
 * The bytes of `value`. The result is a view into a buffer reused by the
 * next call: copy it before serializing again (every caller copies it into
 * shared memory at once).
 */
export function serialize(value: unknown, host?: HostObjects): Uint8Array {
  const writer = spare ?? new Writer(FIRST_CAPACITY);
  spare = undefined;
  writer.at = 0;
  writer.seen = new Map();
  writer.host = host;
  try {
    writeValue(writer, value);
    return writer.bytes.subarray(0, writer.at);
  } catch (error) {
    if (error instanceof Refused) throw error.toError();
    throw error;
  } finally {
    writer.host = undefined;
    if (writer.bytes.length <= KEEP_CAPACITY) spare = writer;
  }
}

function writeValue(w: Writer, value: unknown): void {
  switch (typeof value) {
    case 'undefined':
      return w.byte(T.UNDEFINED);
    case 'boolean':
      return w.byte(value ? T.TRUE : T.FALSE);
    case 'number':
      return writeNumber(w, value);
    case 'string':
      return writeString(w, value);
    case 'bigint':
      return writeBigInt(w, value);
    case 'object':
      if (value === null) return w.byte(T.NULL);
      return writeObject(w, value);
    default:
      throw new Refused(value);
  }
}

function writeNumber(w: Writer, value: number): void {
  if ((value | 0) === value && !Object.is(value, -0)) {
    w.reserve(5);
    w.bytes[w.at] = T.INT32;
    w.view.setInt32(w.at + 1, value, true);
    w.at += 5;
  } else {
    w.reserve(9);
    w.bytes[w.at] = T.DOUBLE;
    w.view.setFloat64(w.at + 1, value, true);
    w.at += 9;
  }
}

function writeString(w: Writer, value: string): void {
  const length = value.length;
  if (length <= SHORT_STRING) {
    // By hand: one byte per unit while every unit is below 256.
    w.reserve(2 + length);
    const bytes = w.bytes;
    const start = w.at;
    bytes[start] = T.LATIN1;
    bytes[start + 1] = length;
    let at = start + 2;
    for (let i = 0; i < length; i++) {
      const unit = value.charCodeAt(i);
      if (unit > 0xff) return writeUtf16(w, value, start);
      bytes[at++] = unit;
    }
    w.at = at;
    return;
  }
  if (!isWellFormed.call(value)) return writeUtf16(w, value, w.at);
  // UTF-8 through the host's encoder: at most three bytes per unit, counted in a varint as wide as their most needs.
  const width = varintWidth(length * 3);
  w.reserve(1 + width + length * 3);
  const start = w.at;
  w.bytes[start] = T.UTF8;
  const { written } = encoder.encodeInto(value, w.bytes.subarray(start + 1 + width));
  w.varintAt(start + 1, written, width);
  w.at = start + 1 + width + written;
}

/** A string as UTF-16 code units, written from `start` (over a one-byte attempt). */
function writeUtf16(w: Writer, value: string, start: number): void {
  w.at = start;
  w.byte(T.UTF16);
  w.varint(value.length);
  w.reserve(value.length * 2);
  const bytes = w.bytes;
  let at = w.at;
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    bytes[at] = unit;
    bytes[at + 1] = unit >>> 8;
    at += 2;
  }
  w.at = at;
}

function writeBigInt(w: Writer, value: bigint): void {
  const negative = value < 0n;
  let magnitude = negative ? -value : value;
  const words: bigint[] = [];
  while (magnitude > 0n) {
    words.push(BigInt.asUintN(64, magnitude));
    magnitude >>= 64n;
  }
  w.byte(T.BIGINT);
  w.byte(negative ? 1 : 0);
  w.varint(words.length);
  w.reserve(words.length * 8);
  for (const word of words) {
    w.view.setBigUint64(w.at, word, true);
    w.at += 8;
  }
}

function writeObject(w: Writer, value: object): void {
  const index = w.seen.get(value);
  if (index !== undefined) {
    w.byte(T.REF);
    w.varint(index);
    return;
  }
  w.seen.set(value, w.seen.size);
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === Object.prototype || prototype === null) return writePlain(w, value);
  if (w.host !== undefined && prototype !== Array.prototype) {
    const id = w.host.write(value);
    if (id >= 0) {
      w.byte(T.HOST);
      w.varint(id);
      return;
    }
  }
  if (Array.isArray(value)) return writeArray(w, value);
  if (value instanceof Map) {
    w.byte(T.MAP);
    w.varint(value.size);
    for (const [key, entry] of value) {
      try {
        writeValue(w, key);
        writeValue(w, entry);
      } catch (error) {
        throw within(error, '.<entry>');
      }
    }
    return;
  }
  if (value instanceof Set) {
    w.byte(T.SET);
    w.varint(value.size);
    for (const entry of value) {
      try {
        writeValue(w, entry);
      } catch (error) {
        throw within(error, '.<element>');
      }
    }
    return;
  }
  if (ArrayBuffer.isView(value)) return writeView(w, value);
  if (value instanceof ArrayBuffer) {
    w.byte(T.ARRAY_BUFFER);
    w.varint(value.byteLength);
    w.reserve(value.byteLength);
    w.bytes.set(new Uint8Array(value), w.at);
    w.at += value.byteLength;
    return;
  }
  if (value instanceof SharedArrayBuffer) throw new Refused(value);
  if (value instanceof Date) {
    w.reserve(9);
    w.bytes[w.at] = T.DATE;
    w.view.setFloat64(w.at + 1, value.getTime(), true);
    w.at += 9;
    return;
  }
  if (value instanceof RegExp) {
    w.byte(T.REGEXP);
    writeString(w, value.source);
    writeString(w, value.flags);
    return;
  }
  if (value instanceof Error) return writeError(w, value);
  if (value instanceof Number || value instanceof String || value instanceof Boolean || value instanceof BigInt) {
    w.byte(T.BOXED);
    writeValue(w, value.valueOf());
    return;
  }
  if (!isPlainEnough(value)) throw new Refused(value);
  writePlain(w, value);
}

/**
 * An array: as `STRINGS` when it holds well-formed strings only (no hole),
 * of STRINGS_UNITS code units or more in all; else as `ARRAY`, each element
 * or `HOLE`. Each element is read once, as structured clone reads it (an
 * element that is a getter may not give the same value twice): the strings
 * at its start are kept in a copy while they last, and written from there.
 */
function writeArray(w: Writer, value: unknown[]): void {
  const length = value.length;
  let strings: string[] | undefined;
  // The elements read into `strings`; the first that is not a string, once read, is `item`.
  let read = 0;
  let item: unknown;
  if (length > 1) {
    item = value[0];
    if (typeof item === 'string') {
      strings = new Array<string>(length);
      let units = 0;
      for (; read < length; read++) {
        if (read > 0) item = value[read];
        if (typeof item !== 'string') break;
        strings[read] = item;
        units += item.length;
      }
      if (read === length && units >= STRINGS_UNITS && allWellFormed(strings)) return writeStrings(w, strings);
    }
  }
  w.byte(T.ARRAY);
  w.varint(length);
  for (let i = 0; i < length; i++) {
    // Read above: a string kept, or the element that ended the strings.
    const element: unknown = i < read ? strings![i] : i === read && length > 1 ? item : value[i];
    try {
      if (element === undefined && !(i in value)) w.byte(T.HOLE);
      else writeValue(w, element);
    } catch (error) {
      throw within(error, `[${i}]`);
    }
  }
}

/** Whether no string of `strings` has a lone surrogate. */
function allWellFormed(strings: string[]): boolean {
  for (let i = 0; i < strings.length; i++) if (!isWellFormed.call(strings[i])) return false;
  return true;
}

/**
 * An array of well-formed strings as `ASCII_STRINGS` or `STRINGS`: the tag
 * and the byte count are written once the bytes are, in the room left for
 * them. While the elements are ASCII they are encoded a run at a time (up
 * to ENCODE_RUN code units joined: one native call where each string would
 * cost one, the run short enough to stay out of V8's large objects); from
 * the first run that is not, one at a time (the encoder's count of bytes
 * written is each element's count).
 */
function writeStrings(w: Writer, value: string[]): void {
  const count = value.length;
  const tagAt = w.at;
  w.byte(T.STRINGS);
  w.varint(count);
  w.reserve(VARINT_MAX);
  const countAt = w.at;
  w.at += VARINT_MAX;
  const counts = byteCounts.length >= count ? byteCounts : (byteCounts = new Uint32Array(count * 2));
  let first = 0;
  while (first < count) {
    let text = value[first];
    let last = first + 1;
    while (last < count && text.length + value[last].length <= ENCODE_RUN) text += value[last++];
    w.reserve(text.length * 3);
    const written = encoder.encodeInto(text, w.bytes.subarray(w.at)).written;
    // Not a byte per unit: not ASCII; the run is written again, below.
    if (written !== text.length) break;
    for (let i = first; i < last; i++) counts[i] = value[i].length;
    w.at += written;
    first = last;
  }
  const ascii = first === count;
  for (let i = first; i < count; i++) {
    w.reserve(value[i].length * 3);
    const written = encoder.encodeInto(value[i], w.bytes.subarray(w.at)).written;
    counts[i] = written;
    w.at += written;
  }
  w.varintAt(countAt, w.at - countAt - VARINT_MAX, VARINT_MAX);
  if (ascii) {
    w.bytes[tagAt] = T.ASCII_STRINGS;
    for (let i = 0; i < count; i++) w.varint(counts[i]);
  } else {
    for (let i = 0; i < count; i++) {
      w.varint(counts[i]);
      w.varint(value[i].length);
    }
  }
}

/** The elements' byte counts of the array `writeStrings` writes (kept for the next, grown as needed). */
let byteCounts = new Uint32Array(256);

/** An object as structured clone copies it: its own enumerable string keys and their values. */
function writePlain(w: Writer, value: object): void {
  const keys = Object.keys(value);
  w.byte(T.OBJECT);
  w.varint(keys.length);
  for (const key of keys) {
    writeString(w, key);
    try {
      writeValue(w, (value as Record<string, unknown>)[key]);
    } catch (error) {
      throw within(error, `.${key}`);
    }
  }
}

function writeView(w: Writer, value: ArrayBufferView): void {
  if (value.buffer instanceof SharedArrayBuffer) throw new Refused(value);
  const kind = value instanceof DataView ? DATA_VIEW : (VIEWS as readonly unknown[]).indexOf(value.constructor);
  if (kind < 0) throw new Refused(value);
  w.byte(T.VIEW);
  w.byte(kind);
  // The whole buffer, as structured clone keeps it: views of one buffer share it on the other side.
  writeObject(w, value.buffer);
  w.varint(value.byteOffset);
  w.varint(kind === DATA_VIEW ? value.byteLength : (value as Uint8Array).length);
}

function writeError(w: Writer, value: Error): void {
  // The most derived of the kept classes (a subclass of TypeError arrives as a TypeError).
  let kind = 0;
  for (let index = 1; index < ERRORS.length; index++) if (value instanceof ERRORS[index]) kind = index;
  w.byte(T.ERROR);
  w.byte(kind);
  writeString(w, String(value.name));
  writeString(w, String(value.message));
  if (typeof value.stack === 'string') writeString(w, value.stack);
  else w.byte(T.UNDEFINED);
  if (!Object.hasOwn(value, 'cause')) return w.byte(T.HOLE);
  try {
    writeValue(w, value.cause);
  } catch (error) {
    throw within(error, '.cause');
  }
}

/**
 * A value that cannot be cloned, thrown up through the values that hold it,
 * each adding its step to the path (built only when something is refused).
 */
class Refused extends Error {
  /** The steps from the value refused out to the root, innermost first. */
  readonly steps: string[] = [];
  constructor(readonly value: unknown) {
    super('could not be cloned');
  }

  toError(): TypeError {
    const path = `value${this.steps.reverse().join('')}`;
    const value = this.value;
    if (value instanceof SharedArrayBuffer || (ArrayBuffer.isView(value) && value.buffer instanceof SharedArrayBuffer)) return new SharedMemoryError(path);
    return new TypeError(`${describe(value)} could not be cloned (at ${path})`);
  }
}

/** `error`, with one more step of its path when it is a refusal. */
function within(error: unknown, step: string): unknown {
  if (error instanceof Refused) error.steps.push(step);
  return error;
}

/** Whether structured clone copies `value` as a plain object (everything it does not refuse outright). */
function isPlainEnough(value: object): boolean {
  return !(value instanceof Promise || value instanceof WeakMap || value instanceof WeakSet || value instanceof WeakRef);
}

/** How a value that cannot be cloned is named in the error. */
function describe(value: unknown): string {
  if (typeof value === 'function') return `the function ${value.name === '' ? '(anonymous)' : value.name}`;
  if (typeof value === 'symbol') return `the symbol ${String(value)}`;
  const name = (value as object).constructor?.name;
  return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object';
}

// ------------------------------------------------------------------ reading

/** Bytes being read. */
class Reader {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  at = 0;
  /** Objects read so far, by their index (for `REF`). */
  readonly seen: object[] = [];
  readonly host: HostObjects | undefined;

  constructor(bytes: Uint8Array, host: HostObjects | undefined) {
    this.bytes = bytes;
    this.host = host;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  varint(): number {
    const bytes = this.bytes;
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[this.at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
    }
  }
}

/** The value whose bytes `serialize` returned (they may lie in shared memory: nothing is kept of them). */
export function deserialize(bytes: Uint8Array, host?: HostObjects): unknown {
  const reader = new Reader(bytes, host);
  const value = readValue(reader);
  if (reader.at !== bytes.length) throw new TypeError('malformed serialized value (bytes left over)');
  return value;
}

function readValue(r: Reader): unknown {
  const tag = r.bytes[r.at++];
  switch (tag) {
    case T.UNDEFINED:
      return undefined;
    case T.NULL:
      return null;
    case T.FALSE:
      return false;
    case T.TRUE:
      return true;
    case T.INT32: {
      const value = r.view.getInt32(r.at, true);
      r.at += 4;
      return value;
    }
    case T.DOUBLE: {
      const value = r.view.getFloat64(r.at, true);
      r.at += 8;
      return value;
    }
    case T.LATIN1:
    case T.UTF8:
    case T.UTF16:
      return readString(r, tag);
    case T.BIGINT:
      return readBigInt(r);
    case T.REF:
      return r.seen[r.varint()];
    case T.ARRAY: {
      const length = r.varint();
      const array: unknown[] = new Array(length);
      r.seen.push(array);
      for (let i = 0; i < length; i++) {
        if (r.bytes[r.at] === T.HOLE) r.at++;
        else array[i] = readValue(r);
      }
      return array;
    }
    case T.STRINGS:
    case T.ASCII_STRINGS:
      return readStrings(r, tag);
    case T.OBJECT: {
      const count = r.varint();
      const object: Record<string, unknown> = {};
      r.seen.push(object);
      for (let i = 0; i < count; i++) {
        const key = readString(r, r.bytes[r.at++]);
        object[key] = readValue(r);
      }
      return object;
    }
    case T.MAP: {
      const count = r.varint();
      const map = new Map<unknown, unknown>();
      r.seen.push(map);
      for (let i = 0; i < count; i++) {
        const key = readValue(r);
        map.set(key, readValue(r));
      }
      return map;
    }
    case T.SET: {
      const count = r.varint();
      const set = new Set<unknown>();
      r.seen.push(set);
      for (let i = 0; i < count; i++) set.add(readValue(r));
      return set;
    }
    case T.DATE: {
      const date = new Date(r.view.getFloat64(r.at, true));
      r.at += 8;
      r.seen.push(date);
      return date;
    }
    case T.REGEXP: {
      const regexp = new RegExp(readString(r, r.bytes[r.at++]), readString(r, r.bytes[r.at++]));
      r.seen.push(regexp);
      return regexp;
    }
    case T.ARRAY_BUFFER: {
      const length = r.varint();
      const buffer = r.bytes.slice(r.at, r.at + length).buffer;
      r.at += length;
      r.seen.push(buffer);
      return buffer;
    }
    case T.VIEW:
      return readView(r);
    case T.ERROR:
      return readError(r);
    case T.HOST: {
      if (r.host === undefined) throw new TypeError('malformed serialized value (a host object, and no table to read it from)');
      const object = r.host.read(r.varint()) as object;
      r.seen.push(object);
      return object;
    }
    case T.BOXED: {
      // Its index is taken before the primitive is read, as it was written.
      const index = r.seen.push({}) - 1;
      const boxed = Object(readValue(r)) as object;
      r.seen[index] = boxed;
      return boxed;
    }
    default:
      throw new TypeError(`malformed serialized value (tag ${tag} at byte ${r.at - 1})`);
  }
}

function readString(r: Reader, tag: number): string {
  const length = r.varint();
  const bytes = r.bytes;
  const start = r.at;
  if (tag === T.LATIN1) {
    r.at += length;
    // The shortest (object keys, mostly) with one call each; longer ones unit by unit, then natively.
    switch (length) {
      case 0:
        return '';
      case 1:
        return String.fromCharCode(bytes[start]);
      case 2:
        return String.fromCharCode(bytes[start], bytes[start + 1]);
      case 3:
        return String.fromCharCode(bytes[start], bytes[start + 1], bytes[start + 2]);
      case 4:
        return String.fromCharCode(bytes[start], bytes[start + 1], bytes[start + 2], bytes[start + 3]);
    }
    if (length <= SHORT_STRING) {
      let text = '';
      for (let i = start; i < start + length; i++) text += String.fromCharCode(bytes[i]);
      return text;
    }
    return fromUnits(bytes.subarray(start, start + length));
  }
  if (tag === T.UTF8) {
    r.at += length;
    return decodeUtf8(bytes.subarray(start, start + length));
  }
  if (tag !== T.UTF16) throw new TypeError(`malformed serialized value (tag ${tag} for a string)`);
  r.at += length * 2;
  const units = new Uint16Array(length);
  for (let i = 0; i < length; i++) units[i] = bytes[start + 2 * i] | (bytes[start + 2 * i + 1] << 8);
  return fromUnits(units);
}

/**
 * An array written as `ASCII_STRINGS` or `STRINGS`: its bytes decoded a
 * run of elements at a time (up to DECODE_RUN bytes: one native call where
 * each string would cost one) and the text cut at the elements' lengths.
 *
 * A long element is a slice of its run's text (V8 keeps it as a view, not a
 * copy): as after `text.slice` in one thread, the run's text lives as long
 * as such an element. Runs stay short because a string past 128 KiB is a
 * large object to V8, several times dearer to make than the same text as
 * smaller strings.
 */
function readStrings(r: Reader, tag: number): string[] {
  const count = r.varint();
  const byteCount = r.varint();
  const start = r.at;
  r.at += byteCount;
  const array = new Array<string>(count);
  r.seen.push(array);
  const ascii = tag === T.ASCII_STRINGS;
  // Byte counts at even indexes, lengths at odd ones.
  const counts = readCounts.length >= count * 2 ? readCounts : (readCounts = new Uint32Array(count * 4));
  let total = 0;
  for (let i = 0; i < count; i++) {
    const bytes = r.varint();
    counts[2 * i] = bytes;
    counts[2 * i + 1] = ascii ? bytes : r.varint();
    total += bytes;
  }
  if (total !== byteCount) throw new TypeError('malformed serialized value (the byte counts of an array of strings do not add up)');
  let from = start;
  for (let first = 0; first < count; ) {
    // The run: elements from `first` while they fit in DECODE_RUN bytes (one at least).
    let last = first + 1;
    let to = from + counts[2 * first];
    while (last < count && to + counts[2 * last] - from <= DECODE_RUN) to += counts[2 * last++];
    const text = decodeUtf8(r.bytes.subarray(from, to));
    let at = 0;
    for (let i = first; i < last; i++) array[i] = text.slice(at, (at += counts[2 * i + 1]));
    if (at !== text.length) throw new TypeError('malformed serialized value (the lengths of an array of strings do not add up)');
    first = last;
    from = to;
  }
  return array;
}

/** The byte counts of the array `readStrings` reads (kept for the next, grown as needed). */
let readCounts = new Uint32Array(256);

/**
 * Whether the host's `TextDecoder` reads a view of shared memory: Node's,
 * Deno's and Bun's do; Chromium's refuses it (and any resizable buffer).
 * Found at the first such view.
 */
let decodesShared: boolean | undefined;

/** UTF-8 as a string, from private or shared memory (copied out first where the host's decoder refuses shared views). */
function decodeUtf8(view: Uint8Array): string {
  if (decodesShared === true || view.buffer instanceof ArrayBuffer) return decoder.decode(view);
  if (decodesShared === undefined) {
    try {
      const text = decoder.decode(view);
      decodesShared = true;
      return text;
    } catch {
      decodesShared = false;
    }
  }
  return decoder.decode(view.slice());
}

/** A string of code units, decoded in chunks (`fromCharCode.apply` takes one argument per unit). */
function fromUnits(units: Uint8Array | Uint16Array): string {
  let text = '';
  for (let from = 0; from < units.length; from += CHUNK) {
    text += String.fromCharCode.apply(null, units.subarray(from, from + CHUNK) as unknown as number[]);
  }
  return text;
}

function readBigInt(r: Reader): bigint {
  const negative = r.bytes[r.at++] === 1;
  const count = r.varint();
  let value = 0n;
  for (let i = count - 1; i >= 0; i--) value = (value << 64n) | r.view.getBigUint64(r.at + i * 8, true);
  r.at += count * 8;
  return negative ? -value : value;
}

function readView(r: Reader): ArrayBufferView {
  const kind = r.bytes[r.at++];
  const index = r.seen.push({}) - 1;
  const buffer = readValue(r) as ArrayBuffer;
  const offset = r.varint();
  const length = r.varint();
  const View = VIEWS[kind] as new (buffer: ArrayBuffer, offset: number, length: number) => ArrayBufferView;
  const view = new View(buffer, offset, length);
  r.seen[index] = view;
  return view;
}

function readError(r: Reader): Error {
  const Type = ERRORS[r.bytes[r.at++]] ?? Error;
  const error = Object.create(Type.prototype) as Error;
  r.seen.push(error);
  const name = readString(r, r.bytes[r.at++]);
  const message = readString(r, r.bytes[r.at++]);
  const stack = readValue(r);
  Object.defineProperty(error, 'message', { value: message, writable: true, configurable: true, enumerable: false });
  if (name !== Type.prototype.name) Object.defineProperty(error, 'name', { value: name, writable: true, configurable: true, enumerable: false });
  if (typeof stack === 'string') Object.defineProperty(error, 'stack', { value: stack, writable: true, configurable: true, enumerable: false });
  if (r.bytes[r.at] === T.HOLE) r.at++;
  else Object.defineProperty(error, 'cause', { value: readValue(r), writable: true, configurable: true, enumerable: false });
  return error;
}
