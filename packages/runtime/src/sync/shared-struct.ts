/**
 * `SharedStruct`: a fixed layout of numeric fields in a `SharedArrayBuffer`,
 * read and written in place, so that a lock can protect structured data with
 * no copy at all.
 */

import type { Traits } from '@sendsync/marker';
import { ownedHandles, type OwnedHandle } from './owned-handle.js';
import { registerCodec } from '../codec.js';

/** The field types: sizes and JavaScript types as their typed-array namesakes (`bool` is one byte, 0 or 1). */
export type FieldType = 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'f32' | 'f64' | 'i64' | 'u64' | 'bool';

/** A layout: field names to field types, in declaration order. */
export type Layout = Readonly<Record<string, FieldType>>;

/** The JavaScript type of a field. */
export type FieldValue<Type extends FieldType> = Type extends 'i64' | 'u64' ? bigint : Type extends 'bool' ? boolean : number;

/** An instance of a struct type: its fields as properties, over shared memory. */
export type StructOf<Fields extends Layout> = { -readonly [Name in keyof Fields]: FieldValue<Fields[Name]> } & SharedStruct;

/** A struct type made by `SharedStruct.define`. */
export interface StructType<Fields extends Layout> {
  /** A zeroed instance in new shared memory, with `init`'s fields set. */
  new (init?: Partial<{ [Name in keyof Fields]: FieldValue<Fields[Name]> }>): StructOf<Fields>;
  /** The layout it was defined with. */
  readonly layout: Fields;
  /** Its size in bytes (fields naturally aligned, the whole a multiple of 8). */
  readonly byteLength: number;
}

/** Byte size of each field type. */
const SIZES: Readonly<Record<FieldType, number>> = { i8: 1, u8: 1, bool: 1, i16: 2, u16: 2, i32: 4, u32: 4, f32: 4, f64: 8, i64: 8, u64: 8 };

/** The wire form of a struct: where it lives and its layout (the receiving thread rebuilds the type from it). */
interface SharedStructWire {
  readonly memory: SharedArrayBuffer;
  readonly offset: number;
  readonly layout: Layout;
}

/** Struct types by layout signature, so that a layout received from another thread gets one type per thread. */
const types = new Map<string, StructType<Layout>>();

/**
 * A struct of numeric fields laid out in a `SharedArrayBuffer`: each field is
 * a property whose getter and setter read and write the shared bytes in place
 * (plain, non-atomic accesses: protect the struct with a `Mutex` or `RwLock`).
 *
 * When to use: structured data behind a lock that must cost no serialization
 * (`Mutex<Point>` reads and writes the fields where they are), or a fixed
 * record shared by threads.
 *
 * Send, not Sync (like `Cell`): it may be moved into a thread, or put behind a
 * lock, but not borrowed by several threads at once. The struct crosses
 * threads as its memory and layout, so the receiving thread needs no import.
 *
 * @example
 * ```ts
 * import { Mutex, SharedStruct } from '@sendsync/runtime/sync';
 *
 * const Point = SharedStruct.define({ x: 'f64', y: 'f64', hits: 'u32' });
 * const position = new Mutex(new Point({ x: 1 }));
 * {
 *   using p = position.lock();
 *   p.value.x += 1; // in shared memory, no copy
 *   p.value.hits++;
 * }
 * // @ts-expect-error: fields have their declared types
 * new Point({ x: 'left' });
 * ```
 */
export class SharedStruct {
  /** @internal The bytes, from the struct's offset. */
  readonly view: DataView;
  /** @internal The layout. */
  readonly layout: Layout;

  /** @internal Made by `SharedStruct.at` (for a struct type, and the codec), with a struct type as its class. */
  constructor(memory?: SharedArrayBuffer, offset?: number, layout?: Layout) {
    if (memory === undefined || layout === undefined) throw new TypeError('make structs with SharedStruct.define(layout)');
    this.view = new DataView(memory, offset, sizeOf(layout));
    this.layout = layout;
  }

  /** The shared memory the struct lives in (with `byteOffset`), e.g. to lay out several structs in one buffer. */
  get buffer(): SharedArrayBuffer {
    return this.view.buffer as SharedArrayBuffer;
  }

  /** Where in `buffer` the struct starts. */
  get byteOffset(): number {
    return this.view.byteOffset;
  }

  /**
   * Defines a struct type from a layout. Fields are placed in declaration
   * order, each aligned to its size; the type's `byteLength` is rounded up to 8.
   */
  static define<Fields extends Layout>(layout: Fields): StructType<Fields> {
    return typeFor(layout) as unknown as StructType<Fields>;
  }

  /** A struct of type `type` over existing memory (`memory` from `offset`), without touching its bytes. */
  static at<Fields extends Layout>(type: StructType<Fields>, memory: SharedArrayBuffer, offset = 0): StructOf<Fields> {
    return Reflect.construct(SharedStruct, [memory, offset, type.layout], type) as StructOf<Fields>;
  }
}

/** `unsafe impl Send for SharedStruct`, `impl !Sync for SharedStruct` (plain fields: lock them to share). */
export interface SharedStruct extends Traits<'SharedStruct', never, 'always', 'never'>, OwnedHandle {}

/** The struct type of a layout, made once per layout per thread. */
function typeFor(layout: Layout): StructType<Layout> {
  const signature = Object.entries(layout)
    .map(([name, type]) => `${name}:${type}`)
    .join(',');
  const known = types.get(signature);
  if (known !== undefined) return known;
  const byteLength = sizeOf(layout);
  // A function, not a class: its prototype must not have its own `constructor`, so that
  // instances report `SharedStruct` as theirs and cross threads through its codec.
  const type = function StructType(this: unknown, init?: Record<string, unknown>): unknown {
    if (new.target === undefined) throw new TypeError('a struct type must be called with new');
    const struct = SharedStruct.at(type, new SharedArrayBuffer(byteLength));
    if (init !== undefined) for (const name of Object.keys(init)) (struct as unknown as Record<string, unknown>)[name] = init[name];
    return struct;
  } as unknown as StructType<Layout>;
  const prototype = Object.create(SharedStruct.prototype) as object;
  let offset = 0;
  for (const [name, field] of Object.entries(layout)) {
    const size = SIZES[field];
    if (size === undefined) throw new TypeError(`unknown field type \`${String(field)}\``);
    offset = align(offset, size);
    Object.defineProperty(prototype, name, accessor(field, offset));
    offset += size;
  }
  Object.defineProperties(type, {
    prototype: { value: prototype },
    layout: { value: Object.freeze({ ...layout }) },
    byteLength: { value: byteLength },
  });
  types.set(signature, type);
  return type;
}

/** The getter and setter of one field at `offset` (little-endian, as typed arrays on every platform we run on). */
function accessor(type: FieldType, offset: number): PropertyDescriptor {
  switch (type) {
    case 'i8':
      return field(function (this: SharedStruct) { return this.view.getInt8(offset); }, function (this: SharedStruct, v: number) { this.view.setInt8(offset, v); });
    case 'u8':
      return field(function (this: SharedStruct) { return this.view.getUint8(offset); }, function (this: SharedStruct, v: number) { this.view.setUint8(offset, v); });
    case 'bool':
      return field(function (this: SharedStruct) { return this.view.getUint8(offset) !== 0; }, function (this: SharedStruct, v: boolean) { this.view.setUint8(offset, v ? 1 : 0); });
    case 'i16':
      return field(function (this: SharedStruct) { return this.view.getInt16(offset, true); }, function (this: SharedStruct, v: number) { this.view.setInt16(offset, v, true); });
    case 'u16':
      return field(function (this: SharedStruct) { return this.view.getUint16(offset, true); }, function (this: SharedStruct, v: number) { this.view.setUint16(offset, v, true); });
    case 'i32':
      return field(function (this: SharedStruct) { return this.view.getInt32(offset, true); }, function (this: SharedStruct, v: number) { this.view.setInt32(offset, v, true); });
    case 'u32':
      return field(function (this: SharedStruct) { return this.view.getUint32(offset, true); }, function (this: SharedStruct, v: number) { this.view.setUint32(offset, v, true); });
    case 'f32':
      return field(function (this: SharedStruct) { return this.view.getFloat32(offset, true); }, function (this: SharedStruct, v: number) { this.view.setFloat32(offset, v, true); });
    case 'f64':
      return field(function (this: SharedStruct) { return this.view.getFloat64(offset, true); }, function (this: SharedStruct, v: number) { this.view.setFloat64(offset, v, true); });
    case 'i64':
      return field(function (this: SharedStruct) { return this.view.getBigInt64(offset, true); }, function (this: SharedStruct, v: bigint) { this.view.setBigInt64(offset, v, true); });
    case 'u64':
      return field(function (this: SharedStruct) { return this.view.getBigUint64(offset, true); }, function (this: SharedStruct, v: bigint) { this.view.setBigUint64(offset, v, true); });
  }
}

/** An enumerable accessor property. */
function field(get: () => unknown, set: (value: never) => void): PropertyDescriptor {
  return { get, set, enumerable: true, configurable: false };
}

/** Bytes of a layout: fields aligned to their size, the total rounded up to 8. */
function sizeOf(layout: Layout): number {
  let offset = 0;
  for (const type of Object.values(layout)) offset = align(offset, SIZES[type]) + SIZES[type];
  return align(offset, 8);
}

/** `offset` rounded up to a multiple of `size`. */
function align(offset: number, size: number): number {
  return Math.ceil(offset / size) * size;
}

registerCodec<SharedStruct, SharedStructWire>({
  module: import.meta.url,
  tag: 'sendsync:SharedStruct',
  handle: 'shared',
  type: SharedStruct,
  send: 'always',
  sync: 'never',
  name: (struct) => `SharedStruct<{ ${Object.entries(struct.layout).map(([name, type]) => `${name}: ${type}`).join(', ')} }>`,
  encode(struct) {
    return { memory: struct.view.buffer as SharedArrayBuffer, offset: struct.view.byteOffset, layout: struct.layout };
  },
  decode(wire) {
    return SharedStruct.at(typeFor(wire.layout), wire.memory, wire.offset);
  },
});
ownedHandles(SharedStruct);
