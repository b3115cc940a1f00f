/**
 * In a thread: turns a closure's source text back into a function.
 *
 * The closure sees its parameters and, as free names, bound by name when its
 * source mentions them: the spawning module's imports that it uses (found by
 * the spawner, see closure-site.ts; imported here, once per worker), the
 * compilers' emit helpers, the runtime's own exports (`current`, `Mutex`, ...
 * also under the names bundlers give them: `current2`, `import_runtime.current`),
 * and `import()`, which resolves relative specifiers against the module that
 * spawned the thread. It is compiled as if it stood where it stands in its
 * file, so that its stack frames name that file, line and column.
 */

import { host } from '#host';
import helpers from './emit-helpers.js';
import { namesRefusal } from './closure-refusal.js';
import { CLOSURE_FRAGMENT, closureCompiledFrom } from './compiled-closures.js';
import { closureCompiled } from './module-top-level.js';
import type { ClosureSite, ImportToBind } from './task.js';
import { threadState } from './thread-registry.js';
import { UNWINDING_NAME, withUnwindingText } from './unwind-text.js';
import { unwinding } from './unwinding.js';

/** The emit helpers. */
function emitHelpers(): ReadonlyMap<string, unknown> {
  return helpers.emitHelpers;
}
/** Names that may be emit helpers. */
const HELPER_NAME = /^__|^SuppressedError$|^_usingCtx$/;
/**
 * How vitest (oxc) calls its `using` helper, imported from a helper module:
 * `var _usingCtx = (0, __vite_ssr_import_1__.default)();`. The namespace is
 * bound to one whose `default` is the thread's `_usingCtx`.
 */
const USING_CTX_IMPORT = /_usingCtx\d*\s*=\s*\(0,\s*([A-Za-z_$][\w$]*)\.default\)\(\)/g;
/** This file's URL, read when needed: the runtime's modules are found relative to it (in the CommonJS bootstrap, making it loads `node:url`, see bundle.js). */
const here = (): string => import.meta.url;

/**
 * The runtime's modules, relative to this file, each with the names it
 * exports that no module before it exports (a test keeps the lists true). A
 * closure's free names are looked up here before anything is loaded (its
 * parameters and locals, which the scan below cannot tell from free names,
 * load nothing), and only the modules that define the names it uses are
 * loaded (`MODULE_OF`): the whole runtime costs a fresh worker some 100 to
 * 250 ms.
 */
function runtimeModulesTable(): ReadonlyMap<string, readonly string[]> {
  return new Map(
    Object.entries({
      '../index.js':
        'Borrowed Builder JoinHandle JoinedError Moved PanicError Scope Thread ThreadExitError WouldBlockError ' +
        'availableParallelism borrow current move park parkAsync parkTimeout refuseToSend registerCodec scope ' +
        'scopeAsync sleep sleepAsync spawn typeNameOf',
      '../sync/index.js':
        'Arc AtomicBool AtomicI32 AtomicI64 AtomicU32 AtomicU64 Barrier BarrierWaitResult Condvar Mutex MutexGuard ' +
        'Once OnceLock OnceState Ordering PoisonError ReleasedError RwLock RwLockReadGuard RwLockWriteGuard ' +
        'SharedStruct TryLockError UseAfterDropError WaitTimeoutResult Weak WouldDeadlockError',
      '../sync/mpsc/index.js': 'Receiver RecvError RecvTimeoutError SendError Sender SyncSender TryRecvError TrySendError channel syncChannel',
      '../cell/index.js': 'BorrowError BorrowMutError Cell OnceCell OnceCellFullError ReentrantInitError Ref RefCell RefMut ReleasedBorrowError',
      '../rc/index.js': 'Rc RcMut TryUnwrapError',
      '../collections/index.js': 'HashMap HashSet Vec VecDeque',
    }).map(([path, names]) => [path, names.split(' ')]),
  );
}

/**
 * The module that defines each of the runtime's exports (as the first entry
 * point above that exports the name has it), relative to this file: a closure
 * that names `Mutex` loads `sync/mutex.js` and what it imports, not every
 * module behind `sync/index.js` (tens of milliseconds in a fresh worker). A
 * test keeps it true.
 */
function moduleOfTable(): ReadonlyMap<string, string> {
  return new Map(
    Object.entries({
      '../thread/builder.js': 'Builder',
      '../thread/join-handle.js': 'JoinHandle JoinedError ThreadExitError',
      '../thread/move.js': 'Borrowed Moved borrow move',
      '../thread/panic-error.js': 'PanicError',
      '../thread/scope.js': 'Scope scope scopeAsync',
      '../thread/sleep.js': 'availableParallelism sleep sleepAsync',
      '../thread/spawn.js': 'spawn',
      '../thread/thread.js': 'Thread current park parkAsync parkTimeout',
      '../would-block-error.js': 'WouldBlockError',
      '../codec.js': 'refuseToSend registerCodec',
      './type-name.js': 'typeNameOf',
      '../sync/ordering.js': 'Ordering',
      '../sync/poison.js': 'PoisonError ReleasedError TryLockError WouldDeadlockError',
      '../sync/mutex.js': 'Mutex MutexGuard',
      '../sync/atomic-bool.js': 'AtomicBool',
      '../sync/atomic-i32.js': 'AtomicI32',
      '../sync/atomic-u32.js': 'AtomicU32',
      '../sync/atomic-i64.js': 'AtomicI64',
      '../sync/atomic-u64.js': 'AtomicU64',
      '../sync/condvar.js': 'Condvar WaitTimeoutResult',
      '../sync/rwlock.js': 'RwLock RwLockReadGuard RwLockWriteGuard',
      '../sync/arc.js': 'Arc Weak',
      '../use-after-drop-error.js': 'UseAfterDropError',
      '../sync/barrier.js': 'Barrier BarrierWaitResult',
      '../sync/once.js': 'Once OnceState',
      '../sync/once-lock.js': 'OnceLock',
      '../sync/shared-struct.js': 'SharedStruct',
      '../sync/mpsc/channel.js': 'channel syncChannel',
      '../sync/mpsc/sender.js': 'Sender',
      '../sync/mpsc/sync-sender.js': 'SyncSender',
      '../sync/mpsc/receiver.js': 'Receiver',
      '../sync/mpsc/errors.js': 'RecvError RecvTimeoutError SendError TryRecvError TrySendError',
      '../cell/cell.js': 'Cell',
      '../cell/ref-cell.js': 'Ref RefCell RefMut',
      '../cell/once-cell.js': 'OnceCell',
      '../cell/errors.js': 'BorrowError BorrowMutError OnceCellFullError ReentrantInitError ReleasedBorrowError',
      '../rc/rc.js': 'Rc RcMut',
      '../rc/errors.js': 'TryUnwrapError',
      '../collections/vec.js': 'Vec',
      '../collections/vec-deque.js': 'VecDeque',
      '../collections/hash-map.js': 'HashMap',
      '../collections/hash-set.js': 'HashSet',
    }).flatMap(([path, names]) => names.split(' ').map((name) => [name, path] as const)),
  );
}

/** The runtime's tables (above), and the names they hold, made on first use. */
interface RuntimeTables {
  /** The runtime's modules and the names each exports first (`runtimeModulesTable`). */
  readonly modules: ReadonlyMap<string, readonly string[]>;
  /** Every name the runtime's modules export. */
  readonly exports: ReadonlySet<string>;
  /** The module that defines each export (`moduleOfTable`). */
  readonly moduleOf: ReadonlyMap<string, string>;
}

/**
 * Made when a closure first names something that is neither a parameter, a
 * keyword nor a global, or a test asks: many closures never do, and each
 * object a new worker makes before its first thread ends brings the worker's
 * first garbage collection (milliseconds, in a young heap that Node's own
 * start-up has nearly filled) into that thread's start.
 */
let tables: RuntimeTables | undefined;

function runtimeTables(): RuntimeTables {
  if (tables === undefined) {
    const modules = runtimeModulesTable();
    tables = { modules, exports: new Set([...modules.values()].flat()), moduleOf: moduleOfTable() };
  }
  return tables;
}

/** A thread's closure, once compiled. */
type Closure = (...values: unknown[]) => unknown;

/** Words that are never free variables (made on first use, as `tables`). */
let keywords: ReadonlySet<string> | undefined;

function keywordSet(): ReadonlySet<string> {
  return (keywords ??= new Set(
    (
      'async await break case catch class const continue debugger default delete do else enum export extends false ' +
      'finally for function if import in instanceof let new null of return static super switch this throw true try ' +
      'typeof var void while with yield get set arguments eval undefined as from'
    ).split(' '),
  ));
}

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

/** The runtime's modules this worker loaded (or is loading), by path; one that is not built (yet) has no exports. */
const runtimeModules = new Map<string, Promise<Readonly<Record<string, unknown>>>>();
/** Every export of the runtime in one object, for a namespace name (`runtime_1`), once loaded. */
let runtimeNamespace: Promise<Readonly<Record<string, unknown>>> | undefined;

function loadRuntimeModule(path: string): Promise<Readonly<Record<string, unknown>>> {
  let module = runtimeModules.get(path);
  if (module === undefined) {
    module = (import(/* webpackIgnore: true */ /* @vite-ignore */ new URL(path, here()).href) as Promise<Record<string, unknown>>).catch(() => ({}));
    runtimeModules.set(path, module);
  }
  return module;
}

function loadRuntimeNamespace(): Promise<Readonly<Record<string, unknown>>> {
  runtimeNamespace ??= Promise.all([...runtimeTables().modules.keys()].map(loadRuntimeModule)).then((modules) => {
    const namespace: Record<string, unknown> = {};
    for (const module of modules) for (const [name, value] of Object.entries(module)) if (!Object.hasOwn(namespace, name)) namespace[name] = value;
    return Object.freeze(namespace);
  });
  return runtimeNamespace;
}

/**
 * Binds the runtime's exports that `names` name, as written or as a
 * compiler renamed them (`current2`), loading only their modules; a
 * namespace name (`runtime_1`, `import_runtime`) is bound to them all.
 */
async function bindRuntimeExports(names: readonly string[], bound: Map<string, unknown>): Promise<void> {
  await Promise.all(
    names.map(async (name) => {
      const { moduleOf } = runtimeTables();
      const exported = moduleOf.has(name) ? name : name.replace(/\d+$/, '');
      const path = moduleOf.get(exported);
      const value = path === undefined ? undefined : (await loadRuntimeModule(path))[exported];
      if (value !== undefined) bound.set(name, value);
      else if (NAMESPACE.test(name)) bound.set(name, /^tslib/.test(name) ? Object.fromEntries(emitHelpers()) : await loadRuntimeNamespace());
    }),
  );
}

/** The runtime's modules this worker has loaded so far, in load order (for the tests). */
function loadedRuntimeModules(): string[] {
  return [...runtimeModules.keys()];
}

/**
 * Makes a function of a closure's source text; `site` is where it comes
 * from. Synchronous unless the closure names an import or one of the
 * runtime's exports, whose modules are then loaded first (a promise).
 */
function compileClosure(source: string, site: ClosureSite | undefined): Closure | Promise<Closure> {
  if (site?.unresolved !== undefined) {
    return importsOfUnresolved(site).then((imports) => compileClosure(source, { ...site, imports: [...site.imports, ...imports], unresolved: undefined }));
  }
  // Native `using` in the text (Node 24, Deno, Bun): catches that tell a guard of a panic (unwind-text.ts).
  const unwound = source.includes('using') ? withUnwindingText(source) : undefined;
  if (unwound === undefined) return compileText(source, site, false);
  // A text the catches broke (a case this reading of tokens missed) compiles as it was: no poisoning there, as before.
  const asItWas = (error: unknown): Closure | Promise<Closure> => {
    if (error instanceof SyntaxError) return compileText(source, site, false);
    throw error;
  };
  try {
    const made = compileText(unwound.text, site === undefined ? undefined : { ...site, positions: shifted(site.positions, unwound.added) }, true);
    return made instanceof Promise ? made.catch(asItWas) : made;
  } catch (error) {
    return asItWas(error);
  }
}

/** `positions` (triples of an offset in the closure's text, a line and a column) with the offsets moved past what was `added` before them. */
function shifted(positions: readonly number[], added: readonly (readonly [at: number, length: number])[]): number[] {
  const moved = [...positions];
  for (let index = 0; index < moved.length; index += 3) {
    const offset = positions[index];
    for (const [at, length] of added) if (at <= offset) moved[index] += length;
  }
  return moved;
}

/** Compiles `source` (with `unwinding` bound, for the catches `unwind-text.ts` added) as the thread's closure. */
function compileText(source: string, site: ClosureSite | undefined, withUnwinding: boolean): Closure | Promise<Closure> {
  const callerUrl = site?.module;
  let text = source;
  const bound = new Map<string, unknown>();
  if (withUnwinding) bound.set(UNWINDING_NAME, unwinding);
  // Substring tests before each expression: most closures contain neither, and a worker compiles an expression on first use.
  if (text.includes('import') && DYNAMIC_IMPORT.test(text)) {
    DYNAMIC_IMPORT.lastIndex = 0;
    text = text.replace(DYNAMIC_IMPORT, `${IMPORT_NAME}(`);
    bound.set(IMPORT_NAME, importer(callerUrl));
  }
  DYNAMIC_IMPORT.lastIndex = 0;
  if (text.includes('_usingCtx')) {
    for (const [, namespace] of text.matchAll(USING_CTX_IMPORT)) bound.set(namespace, { default: emitHelpers().get('_usingCtx') });
  }
  const unresolved: string[] = [];
  const imported: { local: string; url: string; name: string }[] = [];
  for (const binding of site?.imports ?? []) {
    if (!bound.has(binding.local)) imported.push({ local: binding.local, url: resolveSpecifier(binding.specifier, callerUrl), name: binding.name });
  }
  const importedNames = new Set(imported.map(({ local }) => local));
  for (const name of new Set(text.match(IDENTIFIER) ?? [])) {
    if (keywordSet().has(name) || bound.has(name) || importedNames.has(name)) continue;
    const helper = HELPER_NAME.test(name) ? emitHelpers().get(name) : undefined;
    if (helper !== undefined && !(name in globalThis)) bound.set(name, helper);
    else if (name === '__vite_ssr_dynamic_import__') bound.set(name, importer(callerUrl));
    else if (!(name in globalThis) && mayNameRuntime(name)) unresolved.push(name);
  }
  if (unresolved.length === 0 && imported.length === 0) return makeClosure(text, bound, site);
  return Promise.all([bindRuntimeExports(unresolved, bound), bindImports(imported, callerUrl!, bound)]).then(() =>
    makeClosure(text, bound, site),
  );
}

/**
 * The imports of the names the spawner could not look up (see
 * `ClosureSite.unresolved`), read from the spawning module's text, fetched
 * here; throws the spawner's refusal, in its words, for the names it does
 * not import (the thread's panic).
 */
async function importsOfUnresolved(site: ClosureSite): Promise<ImportToBind[]> {
  const text = await (await fetch(site.module)).text();
  // Loaded here only: most threads never need the lexer.
  const { default: moduleImports } = (await import(new URL('./module-imports.js', here()).href)) as typeof import('./module-imports.js');
  const imports = moduleImports.importsOf(text);
  const refused = site.unresolved!.filter((name) => !imports.has(name));
  if (refused.length > 0) throw namesRefusal(refused, site.module, text);
  return site.unresolved!.map((name) => imports.get(name)!);
}

/**
 * Imports the modules of the spawning module's imports that the closure uses
 * (each evaluated once per worker, by the module cache) and binds the names.
 */
async function bindImports(
  imported: readonly { local: string; url: string; name: string }[],
  callerUrl: string,
  bound: Map<string, unknown>,
): Promise<void> {
  await Promise.all(
    imported.map(async ({ local, url, name }) => {
      const namespace = (await importer(callerUrl)(url)) as Record<string, unknown>;
      bound.set(local, name === '*' ? namespace : namespace[name]);
    }),
  );
}

/** Whether a free name may be one of the runtime's exports, as written or as a compiler renamed it. */
function mayNameRuntime(name: string): boolean {
  const { exports } = runtimeTables();
  return exports.has(name) || exports.has(name.replace(/\d+$/, '')) || NAMESPACE.test(name);
}

/** The closure made of `text`, with `bound` names in scope. */
function makeClosure(text: string, bound: ReadonlyMap<string, unknown>, site: ClosureSite | undefined): Closure {
  const names = [...bound.keys()];
  const values = [...bound.values()];
  try {
    return makeFactory(names, text, 0, site)(...values);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    // A method's source (`name() {}`, `async name() {}`) is not an expression: make it a function.
    const asMethod = /^async\s/.test(text) ? text.replace(/^async\s+/, 'async function ') : `function ${text}`;
    return makeFactory(names, asMethod, asMethod.length - text.length, site)(...values);
  }
}

/** Put before the closure's text: the factory returns it, in strict mode. */
const PREFIX = '"use strict";return (';
/** The lines `new Function` puts before its body (`function anonymous(names\n) {\n`). */
const WRAPPER_LINES = 2;
/** Numbers the closures compiled here: each gets a source URL, and so a source map, of its own. */
let closureCount = 0;

/**
 * A function of the bound names that returns the closure made of `text`
 * (`shift`: characters added before the closure's own text), compiled so
 * that its stack frames (a panic's, a `console.trace`) name where the closure
 * stands in its file: at that line and column when its text is laid out as
 * in the file (tsc's output, Node's type stripping, plain JavaScript), else
 * through a source map of its tokens' positions (tsx's minified output,
 * vitest's transform), which costs the worker its source map support. One
 * not found in its file has the file's name, with a fragment, at its own
 * text's lines: a spawn from it finds its module by that name.
 */
function makeFactory(names: string[], text: string, shift: number, site: ClosureSite | undefined): (...values: unknown[]) => Closure {
  const body = `${PREFIX}${text}\n);`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the closure crossed as source text
  if (site === undefined) return new Function(...names, body) as (...values: unknown[]) => Closure;
  // Its frames name `site.file`: a spawn from it finds its spawning module through them (see compiled-closures.ts).
  closureCompiledFrom(site);
  if (site.positions.length === 0) {
    // Not found in its file (a compiler renamed its names): its frames name the file, with a fragment, at its own text's lines.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the closure crossed as source text
    return new Function(...names, `${body}\n//# sourceURL=${site.file}${CLOSURE_FRAGMENT}${++closureCount}`) as (...values: unknown[]) => Closure;
  }
  // Where its frames stand, for hosts whose stack does not say where a function starts (see module-top-level.ts).
  closureCompiled(site.file, site.positions);
  const start = startIfLaidOut(text, shift, site.positions);
  if (start !== undefined && host.compileFunction !== undefined) {
    return host.compileFunction(body, names, {
      filename: site.file,
      lineOffset: start.line,
      columnOffset: start.column - PREFIX.length - shift,
    }) as (...values: unknown[]) => Closure;
  }
  host.enableSourceMaps();
  const map = { version: 3, sources: [site.file], names: [], mappings: mappingsOf(text, PREFIX.length, site.positions, shift) };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the closure crossed as source text
  return new Function(
    ...names,
    `${body}\n//# sourceMappingURL=data:application/json;base64,${base64(JSON.stringify(map))}` +
      `\n//# sourceURL=${site.file}${CLOSURE_FRAGMENT}${++closureCount}`,
  ) as (...values: unknown[]) => Closure;
}

/**
 * The 0-based line and column of the closure's first character in its file
 * if every position matched there is where the closure's own layout puts it
 * (its lines as in the file, its first line shifted); else undefined.
 */
function startIfLaidOut(text: string, shift: number, positions: readonly number[]): { line: number; column: number } | undefined {
  const line = positions[1];
  const column = positions[2] - positions[0];
  let textLine = 0;
  let lineStart = shift;
  for (let index = 0; index < positions.length; index += 3) {
    const offset = positions[index] + shift;
    for (let at = text.indexOf('\n', lineStart); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
      textLine++;
      lineStart = at + 1;
    }
    const expected = textLine === 0 ? column + offset - shift : offset - lineStart;
    if (positions[index + 1] !== line + textLine || positions[index + 2] !== expected) return undefined;
  }
  return { line, column };
}

/** Base64 digits of the source map's variable-length numbers. */
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * The `mappings` of a source map from the closure's text, placed in the
 * factory's code (after the wrapper's lines, its first line after `column0`
 * characters), to its file: `positions` holds triples of an offset in the
 * closure's own text (which starts `shift` characters into `text`), a line
 * and a column.
 */
function mappingsOf(text: string, column0: number, positions: readonly number[], shift: number): string {
  const lines: string[][] = [];
  let line = 0;
  let lineStart = -column0;
  let previous = { column: 0, sourceLine: 0, sourceColumn: 0 };
  let searched = 0;
  for (let index = 0; index < positions.length; index += 3) {
    const offset = positions[index] + shift;
    // Lines of the text up to this offset (offsets only move forward).
    for (let at = text.indexOf('\n', searched); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) {
      line++;
      lineStart = at + 1;
      searched = at + 1;
    }
    const column = offset - lineStart;
    const segments = (lines[line] ??= []);
    const columnDelta = segments.length === 0 ? column : column - previous.column;
    segments.push(vlq(columnDelta) + 'A' + vlq(positions[index + 1] - previous.sourceLine) + vlq(positions[index + 2] - previous.sourceColumn));
    previous = { column, sourceLine: positions[index + 1], sourceColumn: positions[index + 2] };
  }
  return ';'.repeat(WRAPPER_LINES) + Array.from(lines, (segments) => (segments ?? []).join(',')).join(';');
}

/** `text`'s UTF-8 bytes in base64 (`btoa` alone takes Latin-1 only). */
function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** A number as a source map writes it: base64 digits of 5 bits, sign in the lowest. */
function vlq(number: number): string {
  let value = number < 0 ? (-number << 1) | 1 : number << 1;
  let digits = '';
  do {
    let digit = value & 31;
    value >>>= 5;
    if (value !== 0) digit |= 32;
    digits += BASE64[digit];
  } while (value !== 0);
  return digits;
}

/** `import()` relative to the spawning module. */
function importer(callerUrl: string | undefined): (specifier: string, options?: ImportCallOptions) => Promise<unknown> {
  return async (specifier, options) => {
    const url = resolveSpecifier(String(specifier), callerUrl);
    if (/\.[cm]?tsx?$/.test(url) && callerUrl !== undefined) await host.loadTypeScriptLoader(callerUrl);
    // What the module's top level makes (an `Arc`) is the worker's, not the thread's: the module outlives it.
    threadState.importing++;
    try {
      // Not a specifier for a bundler to follow: the thread resolved it at run time.
      return (await import(/* webpackIgnore: true */ /* @vite-ignore */ url, options)) as unknown;
    } finally {
      threadState.importing--;
    }
  };
}

/**
 * A relative specifier resolved against the spawning module. From a
 * TypeScript module run by a loader (tsx), `./x.js` means `./x.ts` when only
 * that exists, as the loader would resolve it for the module itself.
 */
function resolveSpecifier(specifier: string, callerUrl: string | undefined): string {
  if (callerUrl === undefined || specifier.startsWith('node:') || /^[a-z][\w+.-]*:/i.test(specifier)) return specifier;
  if (!(specifier.startsWith('./') || specifier.startsWith('../') || specifier.startsWith('/'))) return host.resolvePackage(specifier, callerUrl);
  const url = new URL(specifier, callerUrl);
  if (url.protocol === 'file:' && /\.[cm]?tsx?$/.test(callerUrl) && /\.[cm]?js$/.test(url.pathname) && !host.fileExists(url.href)) {
    const typescript = new URL(url.href.replace(/js$/, 'ts'));
    if (host.fileExists(typescript.href)) return typescript.href;
  }
  return url.href;
}

export default {
  compileClosure,
  loadedRuntimeModules,
  /** Every name the runtime's modules export. */
  get RUNTIME_EXPORTS(): ReadonlySet<string> {
    return runtimeTables().exports;
  },
  /** The runtime's modules, each with the names it exports first. */
  get RUNTIME_MODULES(): ReadonlyMap<string, readonly string[]> {
    return runtimeTables().modules;
  },
  /** The module that defines each of the runtime's exports. */
  get MODULE_OF(): ReadonlyMap<string, string> {
    return runtimeTables().moduleOf;
  },
};
