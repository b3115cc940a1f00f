/**
 * Whether the code running now is a module's top level, read off the
 * stack: what a thread's closure makes while an `import()` of its is pending
 * is the thread's, and what the imported module's top level (or a module it
 * loads) makes then is the worker's (the module outlives the thread).
 *
 * The closure's own code and a module's evaluation never share a
 * synchronous stack: a module is evaluated in a job of its own, and the
 * closure runs on in others (after an `await`, in a callback). So the
 * frames above the first asynchronous one (V8's async stack traces add the
 * closure awaiting the import below them) say which it is: a module's top
 * level is a frame of no function, whose enclosing code starts at the file's
 * first line and column (an ES module's body, first run or resumed after a
 * top-level `await`; CommonJS's wrapper), and never `eval`'s (a closure
 * compiled without its file's positions). Functions the module defines and
 * its top level calls sit above that frame, and count with it.
 *
 * V8's `CallSite` API says where a frame's function starts on Node and in
 * Chromium; where it does not (Deno's frames, JavaScriptCore's: Bun, Safari)
 * this answers undefined, and the caller keeps to what it can tell.
 */

/** The part of V8's `CallSite` read here. */
interface CallSite {
  getFunctionName(): string | null;
  isEval(): boolean;
  isAsync?(): boolean;
  getEnclosingLineNumber?(): number | null;
  getEnclosingColumnNumber?(): number | null;
}

/** `Error`'s V8 stack hooks (not in the standard library's types). */
const V8Error = Error as unknown as {
  prepareStackTrace?: (this: void, error: Error, sites: CallSite[]) => unknown;
  stackTraceLimit: number;
};

/** True when a module's top level is running, false when not, undefined where the stack does not say (see above). */
export function inModuleTopLevel(): boolean | undefined {
  const sites = callSites();
  // Deno's and Bun's frames say no position of their function: there it cannot be told.
  if (sites === undefined || sites.length === 0 || typeof sites[0].getEnclosingLineNumber?.() !== 'number') return undefined;
  for (const site of sites) {
    if (site.isAsync?.() === true) break;
    if (site.getFunctionName() === null && !site.isEval() && site.getEnclosingLineNumber!() === 1 && site.getEnclosingColumnNumber!() === 1) return true;
  }
  return false;
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
