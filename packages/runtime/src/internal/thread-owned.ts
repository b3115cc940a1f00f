/**
 * The handles that a spawned thread owns, dropped when it ends, as Rust
 * drops a thread's values then: the `Arc`s and `Weak`s (their counts) and
 * the locks holding handles (`sync/owned-handle.ts`: their values' channel
 * ends and `Arc`s) moved into it, sent or returned to it, and those its
 * closure made (`new`, `clone`, `upgrade`). A handle it dropped or moved on
 * is skipped; one lent to it (a borrow, a handle read out of a lock's value
 * or an `Arc`'s data) was never noted, nor one a module's top level made
 * (the worker's: the module outlives the thread), whether the thread first
 * loaded the module as it started or by an `import()` of its closure's
 * (while one is pending, the stack tells the module's top level from the
 * closure: `inModuleTopLevel`; where it cannot, what the thread makes then
 * is not noted). The main thread never ends: it notes nothing, and what it
 * owns is dropped by hand (`drop()`, `using`) or left to the process's exit.
 */

import { currentThreadId, MAIN_THREAD_ID, threadState } from './thread-registry.js';
import { onThreadEnd } from './thread-end.js';
import { inModuleTopLevel } from './module-top-level.js';

/** A handle that a thread may own. */
export interface ThreadOwned {
  /** Whether the handle still owns its count: neither dropped nor moved. */
  readonly live: boolean;
  drop(): void;
}

/** The fewest notes kept before a sweep takes out the handles gone meanwhile. */
const SWEEP_MIN = 1024;

/** This thread's handles, in the order noted; some may be gone (dropped or moved) since. */
let owned: ThreadOwned[] = [];
/** The length at which `owned` is next swept: twice what survived the last sweep, so that a note costs O(1) amortized. */
let sweepAt = SWEEP_MIN;

/** Notes that this thread received `handle` as its own (in a spawned thread; nothing on the main thread). */
export function ownedByThread(handle: ThreadOwned): void {
  if (currentThreadId() !== MAIN_THREAD_ID) note(handle);
}

/** Notes that this thread made `handle`, if its closure made it, not a module's top level (never on the main thread). */
export function madeByThread(handle: ThreadOwned): void {
  // While an import() of the closure's is pending, its module's top level may be what runs (see module-top-level.ts).
  if (threadState.inClosure && (threadState.importing === 0 || inModuleTopLevel() === false)) note(handle);
}

function note(handle: ThreadOwned): void {
  owned.push(handle);
  if (owned.length >= sweepAt) {
    // A thread that clones and drops in a loop would otherwise keep every handle it ever made.
    owned = owned.filter((kept) => kept.live);
    sweepAt = Math.max(SWEEP_MIN, owned.length * 2);
  }
}

onThreadEnd(() => {
  const ending = owned;
  owned = [];
  sweepAt = SWEEP_MIN;
  let failure: { error: unknown } | undefined;
  for (const handle of ending) {
    if (!handle.live) continue;
    try {
      // The last owner disposes the value here, in this thread (a lock's data with it).
      handle.drop();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure !== undefined) throw failure.error;
});
