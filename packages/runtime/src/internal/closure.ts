/**
 * In a thread: turns a closure's source text back into a function.
 *
 * The closure sees its parameters and, as free names, only three kinds of
 * things, bound by name when its source mentions them: the compilers' emit
 * helpers, the runtime's own exports (`current`, `Mutex`, ... also under the
 * names bundlers give them: `current2`, `import_runtime.current`), and
 * `import()`, which resolves relative specifiers against the module that
 * spawned the thread.
 */

import { emitHelpers } from './emit-helpers.js';

/** The runtime's modules, relative to this file, whose exports a closure may name. */
const RUNTIME_MODULES = ['../index.js', '../sync/index.js', '../sync/mpsc/index.js', '../cell/index.js', '../rc/index.js'];

/** Words that are never free variables. */
const KEYWORDS = new Set(
  (
    'async await break case catch class const continue debugger default delete do else enum export extends false ' +
    'finally for function if import in instanceof let new null of return static super switch this throw true try ' +
    'typeof var void while with yield get set arguments eval undefined as from'
  ).split(' '),
);

/** Identifiers not after a `.` (property names are not free variables). */
const IDENTIFIER = /(?<![.$\w])[A-Za-z_$][\w$]*/g;
/** A dynamic import. */
const DYNAMIC_IMPORT = /(?<![.$\w])import\s*\(/g;
/**
 * Names that compilers and bundlers give a module namespace (tsc's CommonJS
 * `runtime_1`, esbuild's `import_runtime`, vitest's `__vite_ssr_import_0__`,
 * tslib's `tslib_1`): bound to the runtime's exports (or the emit helpers).
 */
const NAMESPACE = /^import_|_\d+$|^tslib|^__vite_ssr_import_\d+__$/;
/** The name the rewritten `import(` calls. */
const IMPORT_NAME = '__sendsyncImport';

let runtimeExports: Map<string, unknown> | undefined;
let runtimeNamespace: Record<string, unknown> | undefined;

async function loadRuntimeExports(): Promise<Map<string, unknown>> {
  if (runtimeExports === undefined) {
    const exports = new Map<string, unknown>();
    for (const path of RUNTIME_MODULES) {
      try {
        const module = (await import(new URL(path, import.meta.url).href)) as Record<string, unknown>;
        for (const [name, value] of Object.entries(module)) if (!exports.has(name)) exports.set(name, value);
      } catch {
        // A subpath that is not built (yet): its names stay unbound.
      }
    }
    runtimeExports = exports;
    runtimeNamespace = Object.freeze(Object.fromEntries(exports));
  }
  return runtimeExports;
}

/** Makes a function of a closure's source text; `callerUrl` is the spawning module. */
export async function compileClosure(source: string, callerUrl: string | undefined): Promise<Function> {
  let text = source;
  const bound = new Map<string, unknown>();
  if (DYNAMIC_IMPORT.test(text)) {
    DYNAMIC_IMPORT.lastIndex = 0;
    text = text.replace(DYNAMIC_IMPORT, `${IMPORT_NAME}(`);
    bound.set(IMPORT_NAME, importer(callerUrl));
  }
  DYNAMIC_IMPORT.lastIndex = 0;
  const unresolved: string[] = [];
  for (const name of new Set(text.match(IDENTIFIER) ?? [])) {
    if (KEYWORDS.has(name) || bound.has(name)) continue;
    const helper = emitHelpers.get(name);
    if (helper !== undefined && !(name in globalThis)) bound.set(name, helper);
    else if (!(name in globalThis)) unresolved.push(name);
  }
  if (unresolved.length > 0) {
    const exports = await loadRuntimeExports();
    for (const name of unresolved) {
      const value = exports.get(name) ?? exports.get(name.replace(/\d+$/, ''));
      if (value !== undefined) bound.set(name, value);
      else if (NAMESPACE.test(name)) bound.set(name, tslibOrRuntime(name));
      else if (name === '__vite_ssr_dynamic_import__') bound.set(name, importer(callerUrl));
    }
  }
  const names = [...bound.keys()];
  const values = [...bound.values()];
  try {
    return new Function(...names, `"use strict";\nreturn (${text}\n);`)(...values) as Function;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    // A method's source (`name() {}`, `async name() {}`) is not an expression: make it a function.
    const asMethod = /^async\s/.test(text) ? text.replace(/^async\s+/, 'async function ') : `function ${text}`;
    return new Function(...names, `"use strict";\nreturn (${asMethod}\n);`)(...values) as Function;
  }
}

/** `import()` relative to the spawning module. */
function importer(callerUrl: string | undefined): (specifier: string, options?: ImportCallOptions) => Promise<unknown> {
  return (specifier, options) => import(resolveSpecifier(String(specifier), callerUrl), options);
}

function tslibOrRuntime(name: string): unknown {
  return /^tslib/.test(name) ? Object.fromEntries(emitHelpers) : runtimeNamespace;
}

function resolveSpecifier(specifier: string, callerUrl: string | undefined): string {
  if (callerUrl !== undefined && (specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/'))) {
    return new URL(specifier, callerUrl).href;
  }
  return specifier;
}
