/**
 * `@sendsync/runtime/thread`: Rust's `std::thread` over workers: `spawn`,
 * `move`, `scope`, `borrow`, `JoinHandle`, `Thread`, `current`, `park`,
 * `Builder`, `sleep`.
 */

export { Builder } from './builder.js';
export { JoinHandle, JoinedError, ThreadExitError } from './join-handle.js';
export { Borrowed, Moved, borrow, move, type DeepReadonly, type DeepReadonlyEach } from './move.js';
export { PanicError } from './panic-error.js';
export { Scope, scope, scopeAsync } from './scope.js';
export { availableParallelism, sleep, sleepAsync } from './sleep.js';
export { spawn } from './spawn.js';
export { Thread, current, park, parkAsync, parkTimeout, type ThreadId } from './thread.js';
export { WouldBlockError } from '../would-block-error.js';
