/**
 * Threads share memory through `SharedArrayBuffer`, which a browser gives
 * only to a cross-origin-isolated page: without it nothing of the runtime
 * can work, so the web adapter says at load what the page's server must send.
 */

/** Throws, naming the two headers, where there is no `SharedArrayBuffer`. */
export function requireSharedMemory(): void {
  if (typeof SharedArrayBuffer === 'function') return;
  throw new Error(
    'sendsync needs SharedArrayBuffer, which a browser gives only to a cross-origin-isolated page: ' +
      'serve the page and its scripts with the headers "Cross-Origin-Opener-Policy: same-origin" and ' +
      '"Cross-Origin-Embedder-Policy: require-corp" (see "In a browser" in the README of sendsync)',
  );
}
