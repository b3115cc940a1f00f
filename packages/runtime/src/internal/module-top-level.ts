/**
 * Whether the code running now is a module's top level, read off the
 * stack: what a thread's closure makes while an `import()` of its is pending
 * is the thread's, and what the imported module's top level (or a module it
 * loads) makes then is the worker's (the module outlives the thread).
 *
 * The closure's own code and a module's evaluation never share a
 * synchronous stack: a module is evaluated in a job of its own, and the
 * closure runs on in others (after an `await`, in a callback). So the
 * frames above the first asynchronous one say which it is, in one of two
 * ways:
 *
 * - Where V8's `CallSite` says where a frame's function starts (Node,
 *   Chromium): a module's top level is a frame of no function, whose
 *   enclosing code starts at the file's first line and column (an ES
 *   module's body, first run or resumed after a top-level `await`;
 *   CommonJS's wrapper), and never `eval`'s (a closure compiled without its
 *   file's positions). Functions the module defines and its top level calls
 *   sit above that frame, and count with it.
 * - Elsewhere (Deno, whose V8 frames lack those positions; Bun's
 *   JavaScriptCore frames), by where the closures compiled in this worker
 *   stand (`closureCompiled`): among the frames of the app's own code (not
 *   the host's, nor this runtime's), an anonymous one outside every
 *   closure's text may be a module's top level (ES or CommonJS, evaluated
 *   in its own job or required by the closure), or a library's arrow
 *   function, and cannot be told: undefined. Otherwise it is no module's
 *   top level: frames in a closure's text, named functions, or no frame of
 *   the app's at all (a callback's frame that a proper tail call took away,
 *   as JavaScriptCore does; a module's top level is no call, and its frame
 *   stays). A closure the bundler plugin lifted stands in a module of its
 *   own, all of whose file is the closure's (`threadModuleImported`); one
 *   whose place in its file was not found is such an anonymous frame: what
 *   it makes while its `import()` is pending is not noted.
 *
 * Undefined means "cannot tell": the caller then notes nothing (it never
 * drops what a module's top level made).
 */

/** The part of V8's and JavaScriptCore's `CallSite` read here. */
interface CallSite {
  getFunctionName(): string | null;
  getFileName(): string | null | undefined;
  getLineNumber(): number | null;
  getColumnNumber(): number | null;
  isEval(): boolean;
  isNative?(): boolean;
  isAsync?(): boolean;
  getEnclosingLineNumber?(): number | null;
  getEnclosingColumnNumber?(): number | null;
}

/** `Error`'s V8 stack hooks (not in the standard library's types; JavaScriptCore has them too). */
const V8Error = Error as unknown as {
  prepareStackTrace?: (this: void, error: Error, sites: CallSite[]) => unknown;
  stackTraceLimit: number;
};

/** The text a closure compiled in this worker spans in its file: its first and last tokens' 0-based lines and columns. */
type Span = readonly [firstLine: number, firstColumn: number, lastLine: number, lastColumn: number];

/**
 * The closures compiled in this worker, by file, each place once: on a
 * global symbol, since the worker's bootstrap (which compiles them) is
 * bundled with a copy of this module and the runtime's modules (which ask)
 * import another.
 */
const spans: Map<string, Map<string, Span>> = ((globalThis as Record<symbol, Map<string, Map<string, Span>> | undefined>)[Symbol.for('sendsync.closureSpans')] ??= new Map<string, Map<string, Span>>());

/**
 * The name a closure compiled through a source map, or not found in its
 * file, has (`closure.ts`): every frame of such a name is that closure's.
 */
const MAPPED_CLOSURE = /#thread-closure-\d+$/;

/**
 * Notes where a closure compiled in this worker stands: `file` as its stack
 * frames name it, and `positions` its tokens' triples (an offset, a 0-based
 * line and column, see `ClosureSite`).
 */
export function closureCompiled(file: string, positions: readonly number[]): void {
  if (positions.length < 3) return;
  const key = pathOf(file);
  let inFile = spans.get(key);
  if (inFile === undefined) spans.set(key, (inFile = new Map<string, Span>()));
  const last = positions.length - 3;
  inFile.set(`${positions[1]}:${positions[2]}`, [positions[1], positions[2], positions[last + 1], positions[last + 2]]);
}

/**
 * Notes that the module at `url` holds a closure the bundler plugin lifted (a thread entry's, see
 * thread/thread-entry.ts), imported by this worker: every frame in its file is the closure's (a thread module holds
 * the closure alone, and the top level of a module bundled into its file ran as the worker imported it, before any
 * thread ran the closure).
 */
export function threadModuleImported(url: string): void {
  spans.set(pathOf(url), new Map([['*', WHOLE_FILE]]));
}

/** The span of a whole file. */
const WHOLE_FILE: Span = [0, 0, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER];

/** True when a module's top level is running, false when not, undefined where the stack does not say (see above). */
export function inModuleTopLevel(): boolean | undefined {
  const sites = callSites();
  if (sites === undefined || sites.length === 0) return undefined;
  if (typeof sites[0].getEnclosingLineNumber?.() !== 'number') return bySpans(sites);
  for (const site of sites) {
    if (site.isAsync?.() === true) break;
    if (site.getFunctionName() === null && !site.isEval() && site.getEnclosingLineNumber!() === 1 && site.getEnclosingColumnNumber!() === 1) return true;
  }
  return false;
}

/**
 * This runtime's built files (this module is `internal/module-top-level.js` in them): their frames are skipped. Found
 * on first use (the worker's bootstrap holds a copy of this module that never asks); null in a bundle, whose chunks
 * mix the runtime's code with the app's (and whose folder holds the app's modules): nothing is skipped by its file
 * there, and the runtime's own frames are named functions.
 */
let runtimeDir: string | null | undefined;
/** This module's file as the runtime ships it: any other means a bundler built it into a chunk. */
const OWN_FILE = /\/internal\/module-top-level\.[cm]?[jt]s$/;
/**
 * This file's URL, read when needed (in the worker's CommonJS bootstrap, making it loads `node:url`, see bundle.js);
 * through a function: webpack and Rspack take `new URL(path, import.meta.url)` for an asset of the bundle's, and `..`
 * for a folder they cannot resolve.
 */
const here = (): string => import.meta.url;

/**
 * `inModuleTopLevel` where frames do not say where their function starts:
 * a module's top level is a frame of no function name, so any such frame of
 * the app's that is not in a closure's text may be one (or a library's
 * arrow function: it cannot be told); frames in a closure's text, named
 * functions, and no frame of the app's at all are no module's top level.
 */
function bySpans(sites: readonly CallSite[]): boolean | undefined {
  runtimeDir ??= OWN_FILE.test(here()) ? pathOf(new URL('..', here()).href) : null;
  for (const site of sites) {
    if (site.isAsync?.() === true) break;
    const file = site.getFileName();
    // The host's own frames (its event loop, its module loader) and this runtime's (the worker's bootstrap calling the closure).
    if (typeof file !== 'string' || file === '' || site.isNative?.() === true || /^(?:ext|node|internal|native|bun):/.test(file) || (runtimeDir !== null && pathOf(file).startsWith(runtimeDir))) continue;
    const name = site.getFunctionName();
    if ((name === null || name === '') && !inClosure(file, site)) return undefined;
  }
  // No frame of the app's at all is a callback's own frame gone in a tail call (JavaScriptCore makes proper tail calls,
  // as strict mode allows: `.then(() => arc.clone())` leaves the runtime's frames alone), or the runtime's own work: a
  // module's top level is never a call, and its frame stays.
  return false;
}

/** Whether `site` stands in the text of a closure compiled in this worker. */
function inClosure(file: string, site: CallSite): boolean {
  if (MAPPED_CLOSURE.test(file)) return true;
  const inFile = spans.get(pathOf(file));
  if (inFile === undefined) return false;
  const line = (site.getLineNumber() ?? 0) - 1;
  const column = (site.getColumnNumber() ?? 0) - 1;
  for (const [firstLine, firstColumn, lastLine, lastColumn] of inFile.values()) {
    // A frame's position is a call's, which stands after the closure's first token and before its last (JavaScriptCore may point a character on).
    const afterFirst = line > firstLine || (line === firstLine && column >= firstColumn);
    const beforeLast = line < lastLine || (line === lastLine && column <= lastColumn + 1);
    if (afterFirst && beforeLast) return true;
  }
  return false;
}

/** A file's name as a path: frames name a module by URL on some hosts, by path on others. */
function pathOf(file: string): string {
  if (!file.startsWith('file://')) return file;
  try {
    const url = new URL(file);
    return decodeURIComponent(url.pathname) + url.hash;
  } catch {
    return file;
  }
}

/** The stack's frames, whole, as V8 gives them; undefined where it does not. */
function callSites(): CallSite[] | undefined {
  const prepare = V8Error.prepareStackTrace;
  const limit = V8Error.stackTraceLimit;
  V8Error.stackTraceLimit = Infinity;
  // The app's own hook (source maps) would format the frames: this reads them raw, and puts it back.
  V8Error.prepareStackTrace = (_error, sites) => sites;
  try {
    const stack: unknown = new Error().stack;
    return Array.isArray(stack) ? (stack as CallSite[]) : undefined;
  } finally {
    V8Error.prepareStackTrace = prepare;
    V8Error.stackTraceLimit = limit;
  }
}
