/**
 * Strings out of UTF-16 code units in shared memory, exactly (a lone
 * surrogate stays one: `TextDecoder` would replace it). Where the host has
 * Node's `Buffer` (Node, Bun, Deno) its native decoding is used, found on the
 * global object so that nothing imports a host module; elsewhere the units
 * are passed to `String.fromCharCode` (at most 64 at a time in the callers).
 */

/** The part of Node's `Buffer` used here. */
interface NativeText {
  toString(encoding: 'utf16le', start: number, end: number): string;
}

/** Node's `Buffer` class, where the host has one. */
const NativeBuffer = (globalThis as { Buffer?: { from(buffer: ArrayBufferLike, byteOffset: number, length: number): NativeText } }).Buffer;

/** Decodes `count` code units starting at unit `from` of `units`. */
export type Utf16Decoder = (from: number, count: number) => string;

/** A decoder over `units` (a view kept for the decoder's life): native where the host has it. */
export function utf16Decoder(units: Uint16Array): Utf16Decoder {
  return NativeBuffer === undefined ? portableUtf16Decoder(units) : nativeUtf16Decoder(NativeBuffer.from(units.buffer, units.byteOffset, units.byteLength));
}

/** The decoder of every host: `String.fromCharCode` over the units. */
export function portableUtf16Decoder(units: Uint16Array): Utf16Decoder {
  return (from, count) => String.fromCharCode.apply(null, units.subarray(from, from + count) as unknown as number[]);
}

/** The decoder of hosts with `Buffer`: `text` covers the same bytes as the units. */
function nativeUtf16Decoder(text: NativeText): Utf16Decoder {
  return (from, count) => text.toString('utf16le', from * 2, (from + count) * 2);
}
