/**
 * Typed access to the growable `SharedArrayBuffer` of ES2024, which Node 20
 * has but the repository's `lib` setting (ES2023) does not declare
 * (`Atomics.waitAsync` is typed in `internal/block.ts`). Nothing here adds
 * behaviour.
 */

/** A growable `SharedArrayBuffer` of `byteLength` bytes that may grow to `maxByteLength`. */
export function growableSharedArrayBuffer(byteLength: number, maxByteLength: number): SharedArrayBuffer {
  const Growable = SharedArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => SharedArrayBuffer;
  return new Growable(byteLength, { maxByteLength });
}

/** Grows a growable `SharedArrayBuffer` (every thread sees the new length). */
export function growSharedArrayBuffer(buffer: SharedArrayBuffer, byteLength: number): void {
  (buffer as unknown as { grow(length: number): void }).grow(byteLength);
}
