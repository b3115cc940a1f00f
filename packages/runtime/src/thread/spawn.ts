/**
 * `spawn`: runs a closure on a new thread, as `std::thread::spawn`.
 */

import type { CheckSend } from '@sendsync/marker';
import moduleImports from '../internal/module-imports.cjs';
import { dispatch } from '../internal/pool.js';
import { allocateThreadId } from '../internal/thread-registry.js';
import { JoinHandle } from './join-handle.js';
import { Borrowed, Moved } from './move.js';

/** A dynamic import in a closure's source: the spawning module's URL is then needed. */
const DYNAMIC_IMPORT = /(?<![.$\w])import\s*\(|__vite_ssr_dynamic_import__/;
/** Identifiers not after a `.`: the names a closure may take from its module's imports. */
const IDENTIFIER = /(?<![.$\w])[A-Za-z_$][\w$]*/g;
/**
 * The spawning module's URL by closure source, when the thread needs it (the
 * closure uses an import of that module, or `import()`): found once per
 * source, so that a warm spawn pays one lookup. The same source spawned from
 * two modules is taken to come from the first.
 */
const callerUrls = new Map<string, string | undefined>();
/** This package's code, built and (through source maps) source, to skip its frames when looking for the caller. */
const RUNTIME_DIRS = [new URL('..', import.meta.url).href, new URL('../../src/', import.meta.url).href];

/**
 * Runs `body` on a new thread and returns its `JoinHandle`. The closure
 * crosses as source text: it sees its parameters, the value bindings the
 * spawning module imports (the thread imports those modules itself, once per
 * worker), the runtime's own exports, and `import()` relative to this module.
 * Give it values with `move(...)`: they must be Send, and so must its result.
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
export function spawn<Result>(body: () => Promise<CheckSend<Result, 'result'>>): JoinHandle<Result>;
export function spawn<Result>(body: () => CheckSend<Result, 'result'>): JoinHandle<Result>;
export function spawn<Values extends unknown[], Result>(
  captures: Moved<Values>,
  body: (...values: Values) => Promise<CheckSend<Result, 'result'>>,
): JoinHandle<Result>;
export function spawn<Values extends unknown[], Result>(
  captures: Moved<Values>,
  body: (...values: Values) => CheckSend<Result, 'result'>,
): JoinHandle<Result>;
export function spawn(first: unknown, second?: unknown): JoinHandle<unknown> {
  return second === undefined
    ? spawnThread(undefined, undefined, undefined, first)
    : spawnThread(undefined, undefined, first, second);
}

/** @internal `spawn`, `Builder.spawn` and `Scope.spawn`, after their overloads. */
export function spawnThread(
  name: string | undefined,
  borrowed: unknown,
  moved: unknown,
  body: unknown,
): JoinHandle<unknown> {
  if (typeof body !== 'function') throw new TypeError('spawn expects a closure');
  const borrows = borrowed === undefined ? undefined : Borrowed.valuesOf(borrowed);
  const captures = moved === undefined ? undefined : Moved.valuesOf(moved);
  const source = Function.prototype.toString.call(body);
  let callerUrl = callerUrls.get(source);
  if (callerUrl === undefined && !callerUrls.has(source)) {
    callerUrl = callerUrlFor(source);
    callerUrls.set(source, callerUrl);
  }
  const id = allocateThreadId();
  const handle = new JoinHandle<unknown>(id, name);
  const record = dispatch(
    handle,
    id,
    name,
    source,
    callerUrl,
    borrows,
    captures,
  );
  handle.attach(record);
  return handle;
}

/** The spawning module's URL if the closure `source` uses one of its imports or `import()`, else undefined. */
function callerUrlFor(source: string): string | undefined {
  const url = callerModuleUrl();
  if (url === undefined) return undefined;
  if (DYNAMIC_IMPORT.test(source)) return url;
  const imports = moduleImports.moduleImports(url);
  if (imports.size === 0) return undefined;
  for (const [name] of source.matchAll(IDENTIFIER)) if (imports.has(name)) return url;
  return undefined;
}

/** The URL of the first module on the stack outside this package: the one that spawned. */
function callerModuleUrl(): string | undefined {
  const stack = new Error().stack ?? '';
  for (const line of stack.split('\n').slice(1)) {
    const match = /((?:file|https?|data):\/\/[^\s)]+?|\/[^\s)]+?):\d+:\d+\)?\s*$/.exec(line);
    if (match === null) continue;
    const location = match[1];
    const url = location.startsWith('/') ? `file://${encodeURI(location)}` : location;
    if (!RUNTIME_DIRS.some((dir) => url.startsWith(dir))) return url;
  }
  return undefined;
}
