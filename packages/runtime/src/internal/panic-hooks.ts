/**
 * What must happen in a thread when its closure panics (throws), before the
 * panic is reported to `join()`: the sync primitives register a hook here that
 * poisons every lock the thread still holds, as Rust's unwinding does.
 */

type PanicHook = () => void;

const hooks: PanicHook[] = [];

/** Registers a hook run on every panic of a thread, in registration order. */
export function onPanic(hook: PanicHook): void {
  hooks.push(hook);
}

/** Runs every hook; a hook that throws does not stop the others. */
export function runPanicHooks(): void {
  for (const hook of hooks) {
    try {
      hook();
    } catch {
      // A failing hook must not hide the panic being reported.
    }
  }
}
