/**
 * `@sendsync/marker`: Rust's `Send` and `Sync` for TypeScript, as types only.
 *
 * - brands a type states itself with (`Send`, `Sync`, `NotSend`, `NotSync`,
 *   `Named`, and the whole row of a generic type with `Traits`);
 * - the auto-trait computation, deriving both from a type's structure as Rust
 *   does for a struct (`IsSend`, `IsSync`, `WhyNotSend`, `WhyNotSync`);
 * - check types for APIs to put on their parameters, which make `tsc` reject
 *   a value with rustc's E0277 wording (`CheckSend`, `CheckSync`,
 *   `CheckSendEach`, `CheckSyncEach`, and `CheckSendAwaited` for a result),
 *   and the parameters of generic helpers that pass a value on to `move` or
 *   `borrow` (`Movable`, `Borrowable`);
 * - `TypeName`, the names the messages use.
 *
 * There is no run-time code here: import with `import type`.
 */

export type { Bound, BrandKey, Copy, Named, NotSend, NotSync, Send, Sync, Traits } from './brand.js';
export type {
  Borrowable,
  CheckSend,
  CheckSendAwaited,
  CheckSendEach,
  CheckSync,
  CheckSyncEach,
  IsSend,
  IsSync,
  Movable,
  WhyNotSend,
  WhyNotSync,
} from './check.js';
export type { TypeName } from './type-name.js';
