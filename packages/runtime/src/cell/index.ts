/**
 * `@sendsync/runtime/cell`: Rust's `std::cell` for one thread: `Cell`,
 * `RefCell` (with its `Ref` / `RefMut` guards) and `OnceCell`. All are `Send`
 * when their contents are and never `Sync`.
 */

export { Cell } from './cell.js';
export { RefCell, Ref, RefMut } from './ref-cell.js';
export { OnceCell } from './once-cell.js';
export { BorrowError, BorrowMutError, ReleasedBorrowError, OnceCellFullError, ReentrantInitError } from './errors.js';
