/**
 * `@sendsync/runtime/collections`: Rust's `std::collections` (and `Vec`) in
 * shared memory. Each collection is Send when its elements are, never Sync on
 * its own: put it in a `Mutex` to share it, and reach it in place through the
 * guard.
 */

export { Vec } from './vec.js';
export { VecDeque } from './vec-deque.js';
export { HashMap, type HashKey } from './hash-map.js';
export { HashSet } from './hash-set.js';
export { UseAfterDropError } from '../use-after-drop-error.js';
export { ReleasedError } from '../sync/poison.js';
