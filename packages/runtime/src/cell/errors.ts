/** The errors of `RefCell` and `OnceCell`. */

/** The place a conflicting borrow was taken, when borrow tracking is on. */
function at(location: string | undefined): string {
  return location === undefined ? '' : ` (borrowed at ${location})`;
}

/**
 * Thrown by `RefCell.borrow()` while the cell is mutably borrowed. When
 * borrow tracking is on (`RefCell.trackBorrows`), `borrowedAt` names where the
 * mutable borrow was taken.
 *
 * @example
 * ```ts
 * using w = cell.borrowMut();
 * try { cell.borrow(); } catch (e) { if (e instanceof BorrowError) console.log(e.borrowedAt); }
 * ```
 */
export class BorrowError extends Error {
  override readonly name = 'BorrowError';
  /** Where the conflicting mutable borrow was taken (`file:line:column`), if tracked. */
  readonly borrowedAt: string | undefined;
  constructor(borrowedAt: string | undefined) {
    super(`already mutably borrowed${at(borrowedAt)}`);
    this.borrowedAt = borrowedAt;
  }
}

/**
 * Thrown by `RefCell.borrowMut()` while the cell is borrowed (shared or
 * mutably). When borrow tracking is on, `borrowedAt` names where the
 * conflicting borrow was taken.
 *
 * @example
 * ```ts
 * using r = cell.borrow();
 * cell.borrowMut(); // BorrowMutError: already borrowed (borrowed at main.ts:3:16)
 * ```
 */
export class BorrowMutError extends Error {
  override readonly name = 'BorrowMutError';
  /** Where the conflicting borrow was taken (`file:line:column`), if tracked. */
  readonly borrowedAt: string | undefined;
  constructor(borrowedAt: string | undefined) {
    super(`already borrowed${at(borrowedAt)}`);
    this.borrowedAt = borrowedAt;
  }
}

/**
 * Thrown when a `Ref` or `RefMut` is used after it was released.
 *
 * @example
 * ```ts
 * const r = cell.borrow();
 * r[Symbol.dispose]();
 * r.value; // ReleasedBorrowError: borrow used after release
 * ```
 */
export class ReleasedBorrowError extends Error {
  override readonly name = 'ReleasedBorrowError';
  constructor() {
    super('borrow used after release');
  }
}

/**
 * Thrown by `OnceCell.set()` when the cell is already initialised; carries the
 * rejected value back, as Rust's `Err(value)` does.
 *
 * @example
 * ```ts
 * once.set(1);
 * try { once.set(2); } catch (e) { if (e instanceof OnceCellFullError) e.value; } // 2
 * ```
 */
export class OnceCellFullError<T = unknown> extends Error {
  override readonly name = 'OnceCellFullError';
  /** The value that was not stored. */
  readonly value: T;
  constructor(value: T) {
    super('once cell already initialized');
    this.value = value;
  }
}

/**
 * Thrown by `OnceCell.getOrInit()` when the initialiser itself initialises the
 * same cell (Rust panics with "reentrant init").
 *
 * @example
 * ```ts
 * once.getOrInit(() => once.getOrInit(() => 1)); // ReentrantInitError
 * ```
 */
export class ReentrantInitError extends Error {
  override readonly name = 'ReentrantInitError';
  constructor() {
    super('reentrant init');
  }
}
