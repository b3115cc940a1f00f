/**
 * `VecDeque<T>`: a double-ended queue in shared memory, as Rust's
 * `std::collections::VecDeque`: a ring buffer of slots.
 */

import type { Traits } from '@sendsync/marker';
import { CAPACITY, HEAD, LENGTH, type Core } from './core.js';
import { registerCollection } from './handle.js';
import { inBounds, Sequence, slotsToReserve } from './sequence.js';

/** Slots a new deque has room for before its first growth (a power of two, as every capacity). */
const INITIAL_CAPACITY = 8;

/**
 * A queue that grows at both ends, its elements in shared memory: pushing and
 * popping at either end cost O(1) amortized, and `get` O(1), whatever its
 * length. Numbers, bigints and booleans are stored inline (no allocation per
 * element); a string or an object costs its own size, as one element.
 *
 * When to use: a work queue between threads, behind a lock:
 * `new Mutex(new VecDeque<Job>())` with a `Condvar` (see the Condvar
 * example), where a `Mutex<Job[]>` copies the whole queue on every lock.
 *
 * Send (it may move into a thread or into a lock; the handle left behind is
 * then unusable), never Sync on its own: share it through a `Mutex`. A handle
 * reached through a guard is usable only while the guard holds the lock.
 *
 * @example
 * ```ts
 * import type { Sync } from '@sendsync/marker';
 * import { VecDeque } from '@sendsync/runtime/collections';
 * import { Mutex } from '@sendsync/runtime/sync';
 *
 * const jobs = new Mutex(new VecDeque<number>());
 * {
 *   using queue = jobs.lock();
 *   queue.value.pushBack(1);
 *   queue.value.popFront(); // 1
 * }
 * // @ts-expect-error: a VecDeque is not Sync on its own
 * const shared: Sync = new VecDeque<number>();
 * ```
 */
export class VecDeque<T> extends Sequence<T> {
  /** An empty deque (`capacity`: slots to reserve up front, rounded up to a power of two). */
  constructor(capacity = INITIAL_CAPACITY) {
    super(2 ** Math.ceil(Math.log2(slotsToReserve(capacity))));
  }

  /** A deque of the elements of `items`, front to back. */
  static from<T>(items: Iterable<T>): VecDeque<T> {
    const deque = new VecDeque<T>();
    for (const item of items) deque.pushBack(item);
    return deque;
  }

  /** Appends `value` at the back. */
  pushBack(value: T): void {
    const core = this.mutable();
    const meta = core.meta;
    const length = meta[LENGTH];
    if (length === meta[CAPACITY]) grow(core);
    core.write((meta[HEAD] + length) & (meta[CAPACITY] - 1), value);
    meta[LENGTH] = length + 1;
  }

  /** Prepends `value` at the front. */
  pushFront(value: T): void {
    const core = this.mutable();
    const meta = core.meta;
    const length = meta[LENGTH];
    if (length === meta[CAPACITY]) grow(core);
    const head = (meta[HEAD] - 1) & (meta[CAPACITY] - 1);
    core.write(head, value);
    meta[HEAD] = head;
    meta[LENGTH] = length + 1;
  }

  /** Removes and returns the front element (`undefined` when empty). */
  popFront(): T | undefined {
    const core = this.mutable();
    const meta = core.meta;
    const length = meta[LENGTH];
    if (length === 0) return undefined;
    const head = meta[HEAD];
    const value = core.read(head) as T;
    core.free(head);
    meta[HEAD] = (head + 1) & (meta[CAPACITY] - 1);
    meta[LENGTH] = length - 1;
    return value;
  }

  /** Removes and returns the back element (`undefined` when empty). */
  popBack(): T | undefined {
    const core = this.mutable();
    const meta = core.meta;
    const length = meta[LENGTH];
    if (length === 0) return undefined;
    const slot = (meta[HEAD] + length - 1) & (meta[CAPACITY] - 1);
    const value = core.read(slot) as T;
    core.free(slot);
    meta[LENGTH] = length - 1;
    return value;
  }

  /** The front element (`undefined` when empty). */
  front(): T | undefined {
    return this.get(0);
  }

  /** The back element (`undefined` when empty). */
  back(): T | undefined {
    return this.get(this.live().meta[LENGTH] - 1);
  }

  /** The element `index` places from the front (`undefined` out of bounds). */
  get(index: number): T | undefined {
    const core = this.live();
    const meta = core.meta;
    if (!inBounds(index, meta[LENGTH])) return undefined;
    return core.read((meta[HEAD] + index) & (meta[CAPACITY] - 1)) as T;
  }

  /** Removes every element. */
  clear(): void {
    const core = this.mutable();
    const meta = core.meta;
    const mask = meta[CAPACITY] - 1;
    for (let index = 0; index < meta[LENGTH]; index++) core.free((meta[HEAD] + index) & mask);
    meta[HEAD] = 0;
    meta[LENGTH] = 0;
  }
}

/** `unsafe impl<T: Send> Send for VecDeque<T>`, and never Sync on its own: a handle can mutate, so sharing needs a lock. */
export interface VecDeque<T> extends Traits<'VecDeque', T, 'T: Send', 'never'> {}

/**
 * Doubles the ring. Its elements run from `head` to the old end, then from
 * slot 0: that wrapped part moves to just after the old end, so that the
 * elements are contiguous (modulo the new capacity) again.
 */
function grow(core: Core): void {
  const meta = core.meta;
  const capacity = meta[CAPACITY];
  core.growSlots(capacity * 2);
  const wrapped = meta[HEAD] + meta[LENGTH] - capacity;
  for (let slot = 0; slot < wrapped; slot++) core.move(slot, capacity + slot);
}

registerCollection(VecDeque, 'sendsync:VecDeque', import.meta.url);
