/**
 * How a message is written as bytes, in the ring (`queue.ts`) and in the
 * overflow chain (`overflow.ts`): a tag, then a payload. Numbers, booleans,
 * `null` and `undefined` build no object on either side; short strings are
 * copied into the ring as UTF-16 code units (`queue.ts`); typed arrays and
 * `ArrayBuffer`s as raw bytes; other values, longer strings too, as the
 * portable serializer's bytes (structured-clone semantics; a string as
 * UTF-8, encoded and decoded natively). Handles that live wholly in the
 * shared heap (channel ends: `Codec.heap`) are written as their number, and
 * their counts move into the message once it is in the channel. A value
 * holding other shared memory (an `Arc`, a `Mutex`, a `SharedArrayBuffer`)
 * cannot be written as bytes: its value travels beside its record
 * (`PORTED`, see `link.ts`).
 */

import type { Port } from '#host';
import protocol from '../../internal/protocol.js';
import { codecFor, readHeapHandle } from '../../codec.js';
import { deserialize, serialize, SharedMemoryError, type HostObjects } from '../../internal/serializer.js';
import { Encoder, assertSendAt, decodeOwned } from '../../internal/wire.js';

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

/** A message as bytes: its tag and payload, and the heap handles written in it (their counts go with it once it is sent: `commitHandles`). */
export interface Bytes {
  readonly tag: number;
  readonly bytes: Uint8Array;
  readonly handles?: readonly object[];
}

/** The wire form of a message that holds shared memory, and the ports to transfer with it. */
export interface PortedWire {
  readonly wire: unknown;
  readonly transfer: readonly Port[];
}

/**
 * A message that holds shared memory: `encode` makes its wire form (moving the handles in it), once its route is
 * known; `portless` where that route carries no port (see `CodecContext.portless`).
 */
export interface Ported {
  /** The value, as given to `send`. */
  readonly value: unknown;
  encode(portless?: boolean): PortedWire;
}

/** Thrown by HEAP_IDS, made once (it is caught at once): the message holds a handle with shared memory of its own. */
const CARRIES_HANDLES = new Error('the message holds a library handle');

/**
 * Writes heap handles as their numbers and stops the serializer at any other
 * library handle (the message then travels beside its record); reads heap
 * handles back as handles owning what the message held.
 */
class HeapIds implements HostObjects {
  /** The heap handles written so far. */
  handles: object[] | undefined;
  write(value: object): number {
    const codec = codecFor(value);
    if (codec === undefined) return -1;
    if (codec.heap === undefined) throw CARRIES_HANDLES;
    (this.handles ??= []).push(value);
    return codec.heap.id(value);
  }
  /** The heap handles read so far. */
  reads = 0;
  read(id: number): unknown {
    this.reads++;
    return readHeapHandle(id, true);
  }
}

/** Reads heap handles in received messages. */
const OWNED_HEAP_HANDLES = new HeapIds();

/** How many heap handles this thread has taken out of received messages: a receiver that took some publishes its place at once (queue.ts). */
export function heapHandlesTaken(): number {
  return OWNED_HEAP_HANDLES.reads;
}

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
  const ids = new HeapIds();
  try {
    const bytes = serialize(value, ids);
    return ids.handles === undefined ? { tag: Tag.SERIALIZED, bytes } : { tag: Tag.SERIALIZED, bytes, handles: ids.handles };
  } catch (error) {
    // A handle, or a bare SharedArrayBuffer: structured clone carries it, beside the record.
    if (error !== CARRIES_HANDLES && !(error instanceof SharedMemoryError)) throw error;
  }
  return { value, encode: (portless) => encodePorted(value, portless) };
}

/**
 * The wire form of a value that holds shared memory (its handles move into it), and the ports to transfer with it;
 * none when `portless` (see `CodecContext.portless`).
 */
export function encodePorted(value: unknown, portless = false): PortedWire {
  const encoder = new Encoder();
  encoder.portless = portless;
  const wire = encoder.encode(value);
  // The route is found and the receiver was there: the message is sent from here on.
  encoder.commitMoves();
  // Only the handles' ports move; the value's own buffers are copied, as every message is.
  const transfer = encoder.transfer.filter((item): item is Port => !(item instanceof ArrayBuffer));
  return { wire, transfer };
}

/** The message holding `handles` is in the channel: their counts are the message's now (each handle is left moved). */
export function commitHandles(handles: readonly object[]): void {
  for (const handle of handles) codecFor(handle)!.heap!.move(handle, false);
}

/** A value from the bytes of a record (copied out of shared memory, so the caller may reuse them). */
export function fromBytes(tag: number, bytes: Uint8Array): unknown {
  // Plain data and heap handles only: a message that holds other handles travelled beside its record.
  if (tag === Tag.SERIALIZED) return deserialize(bytes, OWNED_HEAP_HANDLES);
  const copy = bytes.slice().buffer;
  if (tag === Tag.ARRAY_BUFFER) return copy;
  const Typed = TYPED_ARRAYS[tag - Tag.TYPED];
  return new Typed(copy);
}

/** A ported message's value, in the receiving thread (its handles are this thread's). */
export function fromPorted(wire: unknown): unknown {
  return decodeOwned(wire);
}
