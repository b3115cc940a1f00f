/**
 * What runs in a worker when one of its threads ends (returns, panics or
 * exits), before the thread is marked ended: Rust drops a thread's values
 * then. A module that keeps per-thread resources registers a hook here
 * (sync/mpsc drops the thread's channel ends); the worker's bootstrap
 * (worker-main.ts) runs them. On a global symbol: the bootstrap is bundled
 * with its own copy of this module, and the modules a thread loads later
 * import this file; both must see the same hooks.
 */

const HOOKS = Symbol.for('sendsync.threadEnd');
/** The worker's one list of hooks, looked up once per copy of this module (a global's lookup costs every thread's end). */
const hooks = ((globalThis as { [HOOKS]?: (() => void)[] })[HOOKS] ??= []);

/** Runs `hook` whenever a thread of this worker ends. */
export function onThreadEnd(hook: () => void): void {
  hooks.push(hook);
}

/** In a worker, as its thread ends: runs every hook (an error in one is reported by the caller, after the others ran). */
export function runThreadEndHooks(): void {
  if (hooks.length === 0) return;
  let failure: { error: unknown } | undefined;
  for (const hook of hooks) {
    try {
      hook();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure !== undefined) throw failure.error;
}
