/**
 * `spawn`: runs a closure on a new thread, as `std::thread::spawn`.
 */

import type { CheckSendAwaited } from '@sendsync/marker';
import { closureSite, runtimeBundled, type ClosureSite, type FoundClosure } from '../internal/closure-site.js';
import { dispatch, newSourceId, startWorkerAhead } from '../internal/pool.js';
import type { EntryModule } from '../internal/task.js';
import type { WorkerLimits } from '../host/host.js';
import { allocateThreadId } from '../internal/thread-registry.js';
import { JoinHandle } from './join-handle.js';
import { Borrowed, Moved } from './move.js';
import { ThreadEntry } from './thread-entry.js';

/**
 * Each closure source, found at its first spawn: where it comes from and
 * whether it calls out (see closure-site.ts), and its source id, so that a
 * warm spawn pays one lookup. The same source spawned from two places is
 * taken to come from the first.
 */
const closures = new Map<string, FoundClosure & { readonly sourceId: number }>();
/** Each thread entry's source id, by module, then export. */
const entries = new Map<string, Map<string, number>>();

/**
 * Runs `body` on a new thread and returns its `JoinHandle`. The closure
 * crosses as source text: it sees its parameters, the value bindings the
 * spawning module imports (the thread imports those modules itself, once per
 * worker), the runtime's own exports, and `import()` relative to this module.
 * Give it values with `move(...)`: they must be Send, and so must its result.
 * A name it uses that a thread cannot have (declared in the spawning module
 * itself, or around the closure) is refused here, with a `TypeError`.
 * An `async` closure's thread ends when its promise settles.
 *
 * @example
 * ```ts
 * const numbers = [1, 2, 3];
 * const handle = spawn(move(numbers), (numbers) => numbers.length);
 * handle.join(); // 3
 * // @ts-expect-error: `Function` cannot be sent between threads safely (at result)
 * spawn(() => () => 1);
 * ```
 */
export function spawn<Result>(body: () => CheckSendAwaited<Result, 'result'>): JoinHandle<Awaited<Result>>;
export function spawn<Values extends unknown[], Result>(
  captures: Moved<Values>,
  body: (...values: Values) => CheckSendAwaited<Result, 'result'>,
): JoinHandle<Awaited<Result>>;
export function spawn(first: unknown, second?: unknown): JoinHandle<unknown> {
  return second === undefined
    ? spawnThread(undefined, undefined, undefined, first)
    : spawnThread(undefined, undefined, first, second);
}

/** @internal What a `Builder` sets for its thread (none of it for `spawn` and `Scope.spawn`). */
export interface ThreadSettings {
  readonly name: string | undefined;
  /** A stack size or heap limit (see `Builder.stackSize`), or undefined for a pooled worker's. */
  readonly limits: WorkerLimits | undefined;
}

/** @internal `spawn`, `Builder.spawn` and `Scope.spawn`, after their overloads. */
export function spawnThread(
  settings: ThreadSettings | undefined,
  borrowed: unknown,
  moved: unknown,
  body: unknown,
): JoinHandle<unknown> {
  const entry = body instanceof ThreadEntry ? body : undefined;
  if (entry === undefined && typeof body !== 'function') throw new TypeError('spawn expects a closure');
  const borrows = borrowed === undefined ? undefined : Borrowed.valuesOf(borrowed);
  const captures = moved === undefined ? undefined : Moved.valuesOf(moved);
  let source: string | undefined;
  let site: ClosureSite | undefined;
  let sourceId: number;
  // A thread entry's module is not read here: it may make anything.
  let callsOut = true;
  if (entry === undefined) {
    source = Function.prototype.toString.call(body);
    let known = closures.get(source);
    if (known === undefined) {
      // A worker starts meanwhile, if the spawn will need a new one anyway.
      if (!runtimeBundled()) startWorkerAhead();
      known = { ...closureSite(source), sourceId: newSourceId() };
      closures.set(source, known);
    }
    site = known.site;
    sourceId = known.sourceId;
    callsOut = known.callsOut;
  } else {
    sourceId = entrySourceId(entry.entry);
  }
  const name = settings?.name;
  const id = allocateThreadId();
  const handle = new JoinHandle<unknown>(id, name);
  const record = dispatch({
    outcome: handle,
    id,
    sourceId,
    name,
    source,
    site,
    callsOut,
    entry: entry?.entry,
    worker: entry?.worker,
    borrows,
    captures,
    limits: settings?.limits,
  });
  handle.attach(record);
  return handle;
}

/** The source id of a thread entry, the same for each spawn of it. */
function entrySourceId(entry: EntryModule): number {
  let byExport = entries.get(entry.module);
  if (byExport === undefined) {
    byExport = new Map();
    entries.set(entry.module, byExport);
  }
  let sourceId = byExport.get(entry.export);
  if (sourceId === undefined) {
    sourceId = newSourceId();
    byExport.set(entry.export, sourceId);
  }
  return sourceId;
}
