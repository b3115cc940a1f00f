/**
 * Whether resources are being disposed because an exception is propagating
 * out of their block: Rust's "unwinding".
 *
 * JavaScript's disposal does not tell a resource why it is disposed. The emit
 * helpers the runtime provides inside threads (tsc's `__disposeResources`,
 * esbuild's `__callDispose`: `emit-helpers.ts`) know, and set `unwinding`
 * while they dispose after an exception; a lock guard disposed then poisons
 * its lock, as a Rust guard dropped during a panic does. The state is shared
 * through a global symbol because the helpers load as CommonJS and the guards
 * as ES modules.
 */

/** The one mutable word of this module. */
export interface UnwindState {
  /** True while an emit helper disposes resources because their block threw. */
  unwinding: boolean;
}

import { isErrValue } from './err-value.js';

const key = Symbol.for('sendsync.unwinding');
const slot = globalThis as unknown as Record<symbol, UnwindState | undefined>;

/** This thread's unwinding state (one object per thread, found by every module). */
export const unwindState: UnwindState = (slot[key] ??= { unwinding: false });

/**
 * The method by which a lock guard learns that its `using` block is being
 * left by a panic, where no emit helper of the runtime disposes it: a
 * closure lifted by `@sendsync/bundler-plugin` is compiled by the bundler,
 * with the bundler's helpers (or none: native `using`), so the plugin puts a
 * `catch` after each `using` declaration of the closure that calls
 * `unwinding(error, ...resources)` (`thread/thread-entry.ts`), which calls
 * this on each resource before the block disposes it: a guard poisons and
 * releases its lock there, as it would in its disposal.
 */
export const UNWIND: unique symbol = Symbol.for('sendsync.unwind');

/**
 * Called by the `catch` put after a `using` declaration (by the bundler
 * plugin in a lifted closure, by `unwind-text.ts` in a compiled one) with
 * the exception and the declaration's resources, before it rethrows: a
 * panic (any exception but the runtime's `Err` values) poisons and releases
 * each lock guard among them now, as its disposal would if it were told.
 */
export function unwinding(error: unknown, ...resources: unknown[]): void {
  if (isErrValue(error)) return;
  for (const resource of resources) {
    if (typeof resource === 'object' && resource !== null && UNWIND in resource) (resource as { [UNWIND](): void })[UNWIND]();
  }
}
