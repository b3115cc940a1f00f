/**
 * The one check of every duration argument (`parkTimeout`, `waitTimeout`,
 * `recvTimeout`, ...): a timed operation given `NaN` or `undefined` must
 * fail at once, never wait forever.
 */

/**
 * Returns `ms` if it is a finite number of milliseconds, at least 0;
 * otherwise throws a `TypeError` naming the timed operation `what` and the
 * untimed operation `untimed` that waits without a limit. `Infinity` is
 * refused too, as Rust's `Duration` is finite.
 *
 * @example
 * ```ts
 * const timeout = checkDuration(ms, 'recvTimeout', 'recv()');
 * ```
 */
export function checkDuration(ms: unknown, what: string, untimed: string): number {
  if (typeof ms === 'number' && ms >= 0 && ms !== Infinity) return ms;
  const got = typeof ms === 'number' ? String(ms) : typeof ms;
  throw new TypeError(`${what} takes a timeout in milliseconds, a finite number >= 0 (got ${got}); to wait without a limit, use ${untimed}`);
}
