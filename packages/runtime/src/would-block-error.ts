/**
 * `WouldBlockError`: a blocking call (`join`, `lock`, `recv`, `park`, ...)
 * on a thread that may not block.
 */

/**
 * Thrown by a blocking call on a thread that may not block (a browser's main
 * thread, where `Atomics.wait` throws); the message names the awaitable twin
 * to call instead.
 *
 * @example
 * ```ts
 * try {
 *   handle.join();
 * } catch (error) {
 *   if (error instanceof WouldBlockError) await handle.joinAsync();
 * }
 * ```
 */
export class WouldBlockError extends Error {
  override readonly name = 'WouldBlockError';
}
