/**
 * How a message is written as bytes, in the ring (`queue.ts`) and in lanes
 * (`lane.ts`): a tag, then a payload. Numbers, booleans, `null` and
 * `undefined` build no object on either side; short strings are copied into
 * the ring as UTF-16 code units (`queue.ts`); typed arrays and
 * `ArrayBuffer`s as raw bytes; other values, longer strings too, as the
 * portable serializer's bytes (structured-clone semantics; a string as
 * UTF-8, encoded and decoded natively). A value that carries shared memory
 * (a library handle, a `SharedArrayBuffer`) cannot be written as bytes: it
 * goes through the link's port instead (`PORTED`).
 */

import type { Port } from '#host';
import protocol from '../../internal/protocol.js';
import { codecFor } from '../../codec.js';
import { deserialize, serialize, SharedMemoryError, type HostObjects } from '../../internal/serializer.js';
import { Encoder, assertSendAt, decodeInPlace } from '../../internal/wire.js';

/** Record tags (the first word of a record's header): the one tag set of the wire protocol. */
export const { Tag, TYPED_ARRAYS } = protocol;

/** The tag of a value with no payload, or 0. */
export function constantTag(value: unknown): number {
  switch (value) {
    case undefined:
      return Tag.UNDEFINED;
    case null:
      return Tag.NULL;
    case false:
      return Tag.FALSE;
    case true:
      return Tag.TRUE;
    default:
      return 0;
  }
}

/** The value of a payload-free tag. */
export function constantOf(tag: number): unknown {
  return tag === Tag.NULL ? null : tag === Tag.FALSE ? false : tag === Tag.TRUE ? true : undefined;
}

/** A message as bytes: its tag and payload. */
export interface Bytes {
  readonly tag: number;
  readonly bytes: Uint8Array;
}

/** A message that carries shared memory: its wire form and the ports to transfer with it. */
export interface Ported {
  readonly wire: unknown;
  readonly transfer: readonly Port[];
}

/** Thrown by STOP_AT_HANDLES, made once (it is caught at once): the message holds a library handle. */
const CARRIES_HANDLES = new Error('the message holds a library handle');

/** Stops the serializer at the first library handle: a message that holds one crosses through the link's port. */
const STOP_AT_HANDLES: HostObjects = {
  write(value) {
    if (codecFor(value) !== undefined) throw CARRIES_HANDLES;
    return -1;
  },
  read() {
    throw new TypeError('internal: a serialized message holds no handle');
  },
};

/**
 * The bytes of a string, typed array, `ArrayBuffer` or other value, or its
 * ported form if it carries shared memory. The bytes may be the serializer's
 * reused buffer: copy them before the next call.
 */
export function toBytes(value: unknown): Bytes | Ported {
  if (typeof value === 'string') return { tag: Tag.SERIALIZED, bytes: serialize(value) };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const index = (TYPED_ARRAYS as readonly unknown[]).indexOf(value.constructor);
    if (index >= 0) return { tag: Tag.TYPED + index, bytes: new Uint8Array(value.buffer, value.byteOffset, value.byteLength) };
  }
  if (value instanceof ArrayBuffer) return { tag: Tag.ARRAY_BUFFER, bytes: new Uint8Array(value) };
  // The backstop for `any`: what is not Send is refused (`Rc`, functions, ...); handles cross by their codecs.
  assertSendAt(value, 'value');
  try {
    return { tag: Tag.SERIALIZED, bytes: serialize(value, STOP_AT_HANDLES) };
  } catch (error) {
    // A handle, or a bare SharedArrayBuffer: structured clone through the port carries it.
    if (error !== CARRIES_HANDLES && !(error instanceof SharedMemoryError)) throw error;
  }
  const encoder = new Encoder();
  const wire = encoder.encode(value);
  // Only the handles' ports move; the value's own buffers are copied, as every message is.
  const transfer = encoder.transfer.filter((item): item is Port => !(item instanceof ArrayBuffer));
  return { wire, transfer };
}

/** A value from the bytes of a record (copied out of shared memory, so the caller may reuse them). */
export function fromBytes(tag: number, bytes: Uint8Array): unknown {
  // Plain data only: a message that holds a handle went through the port.
  if (tag === Tag.SERIALIZED) return deserialize(bytes);
  const copy = bytes.slice().buffer;
  if (tag === Tag.ARRAY_BUFFER) return copy;
  const Typed = TYPED_ARRAYS[tag - Tag.TYPED];
  return new Typed(copy);
}

/** A ported message's value, in the receiving thread. */
export function fromPorted(wire: unknown): unknown {
  return decodeInPlace(wire, new Set());
}
