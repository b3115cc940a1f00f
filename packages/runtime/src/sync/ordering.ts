/**
 * Memory orderings, as in Rust's `std::sync::atomic::Ordering`.
 *
 * JavaScript's `Atomics` operations are all sequentially consistent, the
 * strongest ordering there is. Every ordering is therefore honoured by being at
 * least as strong as asked: `Relaxed`, `Acquire`, `Release` and `AcqRel` behave
 * exactly like `SeqCst`. The argument is kept so that code reads, and is
 * reviewed, like its Rust original.
 *
 * @example
 * ```ts
 * import { AtomicU32, Ordering } from '@sendsync/runtime/sync';
 * const ready = new AtomicU32(0);
 * ready.store(1, Ordering.Release);
 * ready.load(Ordering.Acquire); // 1
 * // @ts-expect-error: an ordering is required, as in Rust
 * ready.load();
 * ```
 */
export const Ordering = {
  /** No ordering constraint beyond atomicity (here: sequentially consistent). */
  Relaxed: 'Relaxed',
  /** Stores before it become visible to an `Acquire` load of the value (here: sequentially consistent). */
  Release: 'Release',
  /** Sees what was published by the `Release` store it reads (here: sequentially consistent). */
  Acquire: 'Acquire',
  /** Both `Acquire` and `Release`, for read-modify-write operations (here: sequentially consistent). */
  AcqRel: 'AcqRel',
  /** One total order for all `SeqCst` operations: what JavaScript's `Atomics` always give. */
  SeqCst: 'SeqCst',
} as const;

/** One of the `Ordering` values. */
export type Ordering = (typeof Ordering)[keyof typeof Ordering];
