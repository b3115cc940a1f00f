/**
 * How a message is written as bytes, in the ring (`queue.ts`) and in lanes
 * (`lane.ts`): a tag, then a payload. Numbers, booleans, `null` and
 * `undefined` build no object on either side; strings are copied as UTF-16
 * code units; typed arrays and `ArrayBuffer`s as raw bytes; other values as
 * `v8.serialize` bytes (structured-clone semantics). A value that carries
 * shared memory (a library handle, a `SharedArrayBuffer`) cannot be written
 * as bytes: it goes through the link's port instead (`PORTED`).
 */

import { deserialize, serialize } from 'node:v8';
import protocol from '../../internal/protocol.js';
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
  readonly transfer: readonly MessagePortLike[];
}

/** What `postMessage` transfers of a ported message. */
export type MessagePortLike = import('node:worker_threads').MessagePort;

/** The bytes of a string, typed array, `ArrayBuffer` or other value; or its ported form if it carries shared memory. */
export function toBytes(value: unknown): Bytes | Ported {
  if (typeof value === 'string') {
    const units = new Uint16Array(value.length);
    for (let i = 0; i < value.length; i++) units[i] = value.charCodeAt(i);
    return { tag: Tag.STRING, bytes: new Uint8Array(units.buffer) };
  }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const index = (TYPED_ARRAYS as readonly unknown[]).indexOf(value.constructor);
    if (index >= 0) return { tag: Tag.TYPED + index, bytes: new Uint8Array(value.buffer, value.byteOffset, value.byteLength) };
  }
  if (value instanceof ArrayBuffer) return { tag: Tag.ARRAY_BUFFER, bytes: new Uint8Array(value) };
  // The backstop for `any`: what is not Send is refused (`Rc`, functions, ...); handles cross by their codecs.
  assertSendAt(value, 'value');
  const encoder = new Encoder();
  const wire = encoder.encode(value);
  if (encoder.tags.size === 0) {
    try {
      return { tag: Tag.SERIALIZED, bytes: serialize(wire) };
    } catch (error) {
      // A bare SharedArrayBuffer: structured clone through the port carries it.
      if (!(error instanceof Error && /SharedArrayBuffer/.test(error.message))) throw error;
    }
  }
  // Only the handles' ports move; the value's own buffers are copied, as every message is.
  const transfer = encoder.transfer.filter((item): item is MessagePortLike => !(item instanceof ArrayBuffer));
  return { wire, transfer };
}

/** A value from the bytes of a record (copied out of shared memory, so the caller may reuse them). */
export function fromBytes(tag: number, bytes: Uint8Array): unknown {
  if (tag === Tag.SERIALIZED) return decodeInPlace(deserialize(bytes), new Set());
  if (tag === Tag.STRING) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf16le');
  const copy = bytes.slice().buffer;
  if (tag === Tag.ARRAY_BUFFER) return copy;
  const Typed = TYPED_ARRAYS[tag - Tag.TYPED];
  return new Typed(copy);
}

/** A ported message's value, in the receiving thread. */
export function fromPorted(wire: unknown): unknown {
  return decodeInPlace(wire, new Set());
}
