/**
 * Strings out of UTF-16 code units in shared memory, exactly (a lone
 * surrogate stays one: `TextDecoder` would replace it). Where the host has a
 * native decoding (Node's `Buffer`: Node, Bun, Deno; see host.ts) it is used;
 * elsewhere the units are passed to `String.fromCharCode` (at most 64 at a
 * time in the callers).
 */

import { host } from '#host';

/** Decodes `count` code units starting at unit `from` of `units`. */
export type Utf16Decoder = (from: number, count: number) => string;

/** A decoder over `units` (a view kept for the decoder's life): native where the host has it. */
export function utf16Decoder(units: Uint16Array): Utf16Decoder {
  return host.utf16Decoder?.(units) ?? portableUtf16Decoder(units);
}

/** The decoder of every host: `String.fromCharCode` over the units. */
export function portableUtf16Decoder(units: Uint16Array): Utf16Decoder {
  return (from, count) => String.fromCharCode.apply(null, units.subarray(from, from + count) as unknown as number[]);
}
