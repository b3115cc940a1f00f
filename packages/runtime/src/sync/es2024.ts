/**
 * Typed access to the ES2024 features the primitives use (`Atomics.waitAsync`,
 * growable `SharedArrayBuffer`), which Node 20 has but the repository's `lib`
 * setting (ES2023) does not declare. Nothing here adds behaviour.
 */

/** What `Atomics.waitAsync` returns: a settled result, or a promise of one. */
export type WaitAsyncResult =
  | { readonly async: false; readonly value: 'not-equal' | 'timed-out' }
  | { readonly async: true; readonly value: Promise<'ok' | 'timed-out'> };

// `Atomics` functions do not use `this`, so `waitAsync` may be taken off the namespace.
const atomics = Atomics as unknown as {
  waitAsync(this: void, array: Int32Array, index: number, value: number, timeout?: number): WaitAsyncResult;
};

/** `Atomics.waitAsync`: wait without blocking the thread. */
export const waitAsync: (array: Int32Array, index: number, value: number, timeout?: number) => WaitAsyncResult =
  atomics.waitAsync;

/** A growable `SharedArrayBuffer` of `byteLength` bytes that may grow to `maxByteLength`. */
export function growableSharedArrayBuffer(byteLength: number, maxByteLength: number): SharedArrayBuffer {
  const Growable = SharedArrayBuffer as unknown as new (length: number, options: { maxByteLength: number }) => SharedArrayBuffer;
  return new Growable(byteLength, { maxByteLength });
}

/** Grows a growable `SharedArrayBuffer` (every thread sees the new length). */
export function growSharedArrayBuffer(buffer: SharedArrayBuffer, byteLength: number): void {
  (buffer as unknown as { grow(length: number): void }).grow(byteLength);
}
