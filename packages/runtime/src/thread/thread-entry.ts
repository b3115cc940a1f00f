/**
 * A thread's function as a module's export: what `@sendsync/bundler-plugin`
 * gives `spawn` in place of a closure, so that a bundled program never
 * compiles source text (minifiers rename the names a closure's text uses,
 * and a strict Content Security Policy forbids compiling it at all).
 *
 * The plugin's contract (`@sendsync/runtime/internal/thread-entry`, not for
 * hand-written code): each closure given to `spawn`, `Builder.spawn` or a
 * scope's `spawn` is lifted into a module of its own whose default export is
 * the closure and which imports what the closure uses; the call is rewritten
 * to pass `threadEntry(moduleUrl, 'default', workerUrl)` where the closure
 * was, with the same `move(...)` / `borrow(...)` values before it. The worker
 * (started from `workerUrl`, the bundle's build of
 * `@sendsync/runtime/internal/bundled-worker`) imports the module and calls
 * the export with the values. Where the bundler loads its chunks through its
 * own runtime rather than by URL (webpack), `moduleUrl` is a name that the
 * worker's entry gave `registerThreadModules` before the bootstrap. Each
 * `import()` in a lifted closure becomes `threadImport(() => import(…))`.
 */

import bundled from '../internal/bundled.js';
import type { EntryModule } from '../internal/task.js';
import state from '../internal/thread-state.js';

/**
 * In a bundled worker's entry (webpack's): names the thread modules that the
 * bundle's own loader imports, for thread entries whose module is that name
 * rather than a URL. Called before the worker's bootstrap starts.
 *
 * @example
 * ```ts
 * registerThreadModules({ 'sendsync-thread:1a2b': () => import('./main.js.sendsync-thread-0.js') });
 * ```
 */
export function registerThreadModules(modules: Readonly<Record<string, () => Promise<unknown>>>): void {
  for (const [name, load] of Object.entries(modules)) bundled.threadModules.set(name, load);
}

/** A module's export that a thread runs (see the module's comment). */
export class ThreadEntry {
  /** The module and export the worker imports. */
  readonly entry: EntryModule;
  /** The bootstrap new workers start from (the bundle's worker), or the runtime's own when undefined. */
  readonly worker: string | undefined;

  /** @internal Built by `threadEntry`. */
  constructor(entry: EntryModule, worker: string | undefined) {
    this.entry = entry;
    this.worker = worker;
  }
}

/**
 * Names the function a thread runs by its module and export, for `spawn` in
 * place of a closure. `worker` is the bundled worker's URL (new workers start
 * from it); without it they start from the runtime's own bootstrap.
 *
 * @example
 * ```ts
 * // what the plugin writes for `spawn(move(n), (n) => helper(n))`:
 * spawn(move(n), threadEntry(new URL('./thread-1a2b.js', import.meta.url), 'default', new URL('./sendsync-worker.js', import.meta.url)));
 * ```
 */
export function threadEntry(module: string | URL, exportName: string, worker?: string | URL): ThreadEntry {
  // A bundled program's codecs are reached by tag, never by importing a chunk's URL (see bundled.cts).
  if (worker !== undefined) bundled.active = true;
  return new ThreadEntry({ module: String(module), export: String(exportName) }, worker === undefined ? undefined : String(worker));
}

/**
 * An `import()` of a lifted closure's (the plugin writes
 * `threadImport(() => import(specifier))` for it): while it is pending, what
 * the imported module's top level makes is the worker's, not the thread's
 * (the module outlives the thread), as for a closure that crossed as source
 * text (internal/closure.ts' `importer`; internal/thread-owned.ts).
 *
 * @example
 * ```ts
 * // what the plugin writes for `spawn(async () => (await import('./heavy.js')).run())`:
 * export default async () => (await threadImport(() => import('./heavy.js'))).run();
 * ```
 */
export async function threadImport<Module>(load: () => Promise<Module>): Promise<Module> {
  state.threadState.importing++;
  try {
    return await load();
  } finally {
    state.threadState.importing--;
  }
}

/**
 * The plugin's contract for `using` in a lifted closure: the plugin puts a
 * `catch` after each `using` declaration that calls this with the exception
 * and the declaration's resources, then rethrows. A panic (any exception but
 * the runtime's `Err` values, such as `RecvError`: `internal/err-value.ts`)
 * leaving the block poisons and releases each lock guard among them now, as
 * its disposal does in a closure the runtime compiled: the bundler's
 * helpers, or native `using`, cannot tell it.
 *
 * @example
 * ```ts
 * // what the plugin writes for `{ using g = m.lock(); work(g); }`:
 * { using g = m.lock(); try { work(g); } catch (e) { unwinding(e, g); throw e; } }
 * ```
 */
export { unwinding } from '../internal/unwinding.js';
