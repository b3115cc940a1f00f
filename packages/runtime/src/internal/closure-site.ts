/**
 * On the spawning thread: where a closure comes from, and whether a thread
 * can run it. Found once per closure source, at its first spawn: the
 * spawning module (from the stack), the closure's place in its file (so that
 * the thread's stack frames name it), the module's imports the closure uses
 * (which the thread imports and binds), and the names it uses that no thread
 * can have, refused here with a `TypeError` before any thread runs.
 */

import { host } from '#host';
import closures from './closure.js';
import { closureNeeds, tokenize, type Token } from './closure-names.js';
import { CLOSURE_FRAGMENT, compiledModuleOf } from './compiled-closures.js';
import { namesRefusal } from './closure-refusal.js';
import moduleImports from './module-imports.js';
import type { ClosureSite, ImportToBind } from './task.js';

export type { ClosureSite, ImportToBind };

/** This package's code, built and (through source maps) source: its frames are skipped when looking for the spawner. */
// Through a variable: webpack takes `new URL(path, import.meta.url)` for an asset of the bundle's, and this is this module's own URL.
const here = import.meta.url;
const RUNTIME_DIRS = [new URL('..', here).href, new URL('../../src/', here).href];
/** Names compilers give an emit helper (provided by the thread). */
const HELPER_NAME = /^__|^SuppressedError$|^_usingCtx\d*$/;
/** tsc's CommonJS name for a required module: `const helper_1 = require("./helper")`. */
const COMMONJS_NAMESPACE = /^[A-Za-z_$][\w$]*_\d+$/;
/** vitest's names for an imported module and for `import.meta`. */
const VITEST_IMPORT = /^__vite_ssr_import_\d+__$/;
const VITEST_IMPORT_META = '__vite_ssr_import_meta__';
/** This package's specifiers, whose exports a thread binds by itself. */
const RUNTIME_SPECIFIER = /^@sendsync\/runtime(?:\/|$)/;
/** The most tokens of a closure's head (its parameters) matched against its file to find where it is. */
const HEAD_TOKENS = 40;
/** How far after the spawn call the closure is looked for first (it is usually an argument of that call). */
const NEAR_CHARACTERS = 4096;

/** A frame of the stack: a file's URL and a 1-based position. */
interface Frame {
  readonly url: string;
  readonly line: number;
  readonly column: number;
}

/** How far ahead in its file each token of a closure is looked for (past types and other tokens compiled away). */
const ALIGN_WINDOW = 48;

/** A closure read at its first spawn: where it was written, and whether it calls out (see `closureSite`). */
export interface FoundClosure {
  readonly site: ClosureSite | undefined;
  /**
   * It reaches code beyond its own text: an import, one of the runtime's exports, or code it loads (`import()`,
   * `eval`, `Function`). One that does not makes no channel end, lock or thread: its thread needs the courier only
   * through the handles it is given (see internal/courier.ts's `courierMayBeWanted`).
   */
  readonly callsOut: boolean;
}

/**
 * The closure `source` being spawned by the caller of the runtime's `spawn`:
 * its site, and whether it calls out; throws a `TypeError` naming what a
 * thread cannot have.
 */
export function closureSite(source: string): FoundClosure {
  if (runtimeBundled()) refuseBundled();
  const needs = closureNeeds(source);
  refuseForm(source, needs);
  const module = spawningModule();
  // Where a thread's closure spawns, its frame may be unmapped (Deno maps no eval's source map; a closure not found in its file has
  // none): the closure spawned is looked for in the file the thread's closure stands in.
  const shown = shownFrame() ?? (module?.file === undefined ? undefined : { url: module.file, line: 1, column: 1 });
  // The module's imports are read only for names that are not globals (the import of a name is read from the module's source).
  const wanted = needs.free.filter((name) => !(name in globalThis) && (!HELPER_NAME.test(name) || name.startsWith('__vite_ssr_')));
  const imports = module === undefined || wanted.length === 0 ? new Map<string, ImportToBind>() : importsOf(module);
  const bind: ImportToBind[] = [];
  const refused: string[] = [];
  for (const name of wanted) {
    const binding = imports.get(name);
    if (binding !== undefined) bind.push({ local: name, specifier: binding.specifier, name: binding.name });
    else if (name === VITEST_IMPORT_META) refuseImportMeta();
    else if (COMMONJS_NAMESPACE.test(name) && module !== undefined) refuseCommonJs(name, module.url);
    else if (!threadHas(name)) refused.push(name);
  }
  // A host that cannot read the module here (a browser): the thread reads its imports, and refuses the rest in the same words.
  const unresolved = refused.length > 0 && module !== undefined && !host.canReadSync ? refused : undefined;
  if (refused.length > 0 && unresolved === undefined) refuseNames(refused, module?.url);
  const callsOut = wanted.length > 0 || needs.loadsCode;
  if (module === undefined) return { site: undefined, callsOut };
  const positions = shown === undefined ? [] : positionsIn(source, shown);
  const site = { module: module.url, file: shown?.url ?? module.url, positions, imports: bind, ...(unresolved === undefined ? {} : { unresolved }) };
  return { site, callsOut };
}

/** This module's file, as the runtime ships it (a bundler renames or merges it). */
const OWN_FILE = /\/internal\/closure-site\.[cm]?[jt]s$/;
let bundledRuntime: boolean | undefined;

/**
 * Whether a bundler built this runtime into the program: this module's URL
 * is not its own file (esbuild, Rollup, Vite), or its code runs from another
 * file than that URL says (webpack writes the source's URL in).
 */
export function runtimeBundled(): boolean {
  bundledRuntime ??= !OWN_FILE.test(here) || !RUNTIME_DIRS.some((dir) => (callSites(runtimeBundled)[0]?.url ?? dir).startsWith(dir));
  return bundledRuntime;
}

/** A closure's text cannot cross from a bundle: its names are renamed, and its module is the whole bundle. */
function refuseBundled(): never {
  throw new TypeError(
    'spawn: this program is bundled, and a closure cannot cross from a bundle as source text (a minifier renames ' +
      'what it uses, and its module is the whole bundle): build it with @sendsync/bundler-plugin, which makes each ' +
      "spawned closure a module of its own (the runtime's README: \"Building for production\")",
  );
}

/** Refuses a function whose form a thread cannot compile on its own. */
function refuseForm(source: string, needs: ReturnType<typeof closureNeeds>): void {
  const method = /^(?:async\s*)?\*?\s*([\p{ID_Start}$_\\][\p{ID_Continue}$\\]*)\s*\(/u.exec(source)?.[1];
  if (needs.form === 'native') {
    throw new TypeError(
      'spawn: a bound or built-in function cannot run in a thread: a thread compiles its closure from the source text, ' +
        'and this function has none; give spawn an arrow function, e.g. `() => f(...)` with `f` imported',
    );
  }
  if (needs.form === 'class') throw new TypeError('spawn: a class cannot run in a thread; give spawn a function');
  if (needs.form === 'accessor') {
    throw new TypeError('spawn: a getter or setter cannot run in a thread without its object; give spawn an arrow function');
  }
  if (needs.form === 'method' && (method === undefined || needs.thisOrSuper)) {
    throw new TypeError(
      `spawn: the method ${method === undefined ? '' : `\`${method}\` `}cannot run in a thread without its object or class` +
        `${needs.thisOrSuper ? ' (it uses `this` or `super`)' : ''}; give spawn an arrow function that does the work`,
    );
  }
  if (needs.importMeta) refuseImportMeta();
  if (needs.enclosingThis) {
    throw new TypeError(
      'spawn: the closure uses `this` of the method around it, which a thread does not have: read what it needs ' +
        'into locals before the spawn and move(...) them in',
    );
  }
  if (needs.enclosingArguments) {
    throw new TypeError(
      "spawn: the closure uses `arguments` of the function around it, which a thread does not have: move(...) the values it needs",
    );
  }
}

function refuseImportMeta(): never {
  throw new TypeError(
    'spawn: the closure uses `import.meta`, which a thread does not have: read what it needs (`import.meta.url`, …) ' +
      'before the spawn and move(...) it in',
  );
}

/** Refuses names that are neither imported, nor globals, nor the runtime's: the spawning module's own, or locals around the closure. */
function refuseNames(names: readonly string[], moduleUrl: string | undefined): never {
  throw namesRefusal(names, moduleUrl, moduleUrl === undefined ? undefined : readSource(moduleUrl));
}

/**
 * Refuses `name` if the spawning module is CommonJS (tsc's `module:
 * commonjs` output) and `name` is what it required, other than this package:
 * only an ES module's imports are bound in a thread.
 */
function refuseCommonJs(name: string, moduleUrl: string): void {
  const source = readSource(moduleUrl);
  const required = source === undefined ? undefined : commonJsRequire(source, name);
  if (required === undefined) return;
  throw new TypeError(
    `spawn: the closure uses \`${name}\`, a CommonJS require of '${required}' (tsc's CommonJS output), which a thread cannot bind: ` +
      'compile to ES modules ("module": "NodeNext" with "type": "module" in package.json)',
  );
}

/** Whether a thread can have `name` without the spawning module: a global, an emit helper, or the runtime's own export. */
function threadHas(name: string): boolean {
  if (name in globalThis || HELPER_NAME.test(name) || VITEST_IMPORT.test(name)) return true;
  if (closures.RUNTIME_EXPORTS.has(name) || closures.RUNTIME_EXPORTS.has(name.replace(/\d+$/, ''))) return true;
  // Names compilers give the runtime's namespace: esbuild's `import_runtime`, tslib's `tslib_1`, tsc's CommonJS `runtime_1`.
  return /^import_|^tslib/.test(name) || COMMONJS_NAMESPACE.test(name);
}

/** `name = require("x")` (also through tsc's `__importDefault`/`__importStar`) in CommonJS `source`: `x`, unless it is this package. */
function commonJsRequire(source: string, name: string): string | undefined {
  const required = new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\s*=\\s*(?:__import\\w+\\()?require\\(["']([^"']+)["']\\)`).exec(source)?.[1];
  return required === undefined || RUNTIME_SPECIFIER.test(required) ? undefined : required;
}

/**
 * The spawning module's imports by local name: its import declarations, or,
 * under vitest, its transformed module's; in a thread, spawning from its
 * closure, first those the closure binds (vitest's names among them, which
 * only the spawning thread could read).
 */
function importsOf(module: SpawningModule): ReadonlyMap<string, ImportToBind> {
  const own = vitestImports(module.url) ?? moduleImports.moduleImports(module.url);
  return module.imports === undefined ? own : new Map([...own, ...module.imports]);
}

/**
 * Under vitest, a module's imports are renamed `__vite_ssr_import_N__`
 * (namespaces, whose properties the code reads): maps each to the module it
 * imports, from the transformed code vitest keeps for the module.
 */
function vitestImports(moduleUrl: string): Map<string, ImportToBind> | undefined {
  const state = (globalThis as { __vitest_worker__?: VitestWorkerState }).__vitest_worker__;
  const modules = state?.evaluatedModules?.fileToModulesMap;
  if (modules === undefined || !moduleUrl.startsWith('file:')) return undefined;
  const file = host.pathOf(moduleUrl);
  for (const node of modules.get(file) ?? []) {
    const code = node.meta?.code;
    if (typeof code !== 'string') continue;
    // The module's URL in vite is its path from the project's root (or `/@fs/` and an absolute path).
    const root = node.url !== undefined && file.endsWith(node.url) ? file.slice(0, file.length - node.url.length) : '';
    const imports = new Map<string, ImportToBind>();
    for (const [, local, id] of code.matchAll(/\b(__vite_ssr_import_\d+__)\s*=\s*await\s+__vite_ssr_import__\(\s*"((?:[^"\\]|\\.)*)"/g)) {
      imports.set(local, { local, specifier: viteIdToSpecifier(JSON.parse(`"${id}"`) as string, root), name: '*' });
    }
    return imports;
  }
  return undefined;
}

/** What vitest keeps of a test worker's modules (the part read here). */
interface VitestWorkerState {
  readonly evaluatedModules?: {
    readonly fileToModulesMap?: Map<string, Iterable<{ readonly url?: string; readonly meta?: { readonly code?: unknown } }>>;
  };
}

/** A vite module id as a specifier a thread can import: `/@fs/abs`, `/from/root`, an absolute path, or a package or `node:` name. */
function viteIdToSpecifier(id: string, root: string): string {
  const path = id.replace(/[?#].*$/, '');
  if (path.startsWith('/@fs/')) return host.urlOfPath(path.slice('/@fs'.length));
  if (path.startsWith('/')) {
    if (root !== '' && host.fileExists(host.urlOfPath(root + path))) return host.urlOfPath(root + path);
    return host.urlOfPath(path);
  }
  return path;
}

/** The module that called `spawn`; from a closure a thread compiled, also the file the closure stands in and the imports it binds. */
interface SpawningModule {
  readonly url: string;
  readonly file?: string;
  readonly imports?: ReadonlyMap<string, ImportToBind>;
}

/**
 * The module that called `spawn`: the first frame outside this package, as
 * the engine reports it (not source-mapped: that module's imports are
 * resolved against its own URL). A frame of a closure this thread compiled
 * names the closure's file (or an eval's source URL), not a module the
 * thread loaded: it stands for the closure's spawning module.
 */
function spawningModule(): SpawningModule | undefined {
  for (const { url } of callSites(spawningModule)) {
    if (/^(?:file|https?|data):/.test(url) && !RUNTIME_DIRS.some((dir) => url.startsWith(dir))) return compiledModuleOf(url) ?? { url };
  }
  return undefined;
}

/**
 * The files of the stack's frames above `from`, as the engine reports them
 * (not source-mapped), as URLs; an eval's, by its source URL (a closure a
 * thread compiled with a source map, see compiled-closures.ts).
 */
function callSites(from: (...args: never[]) => unknown): { readonly url: string }[] {
  // Restored as it was found (vitest's and source-map support's own formatter included).
  // eslint-disable-next-line @typescript-eslint/unbound-method -- only put back, never called here
  const prepare = Error.prepareStackTrace;
  let sites: NodeJS.CallSite[] = [];
  try {
    Error.prepareStackTrace = (_error, callSites) => callSites;
    const holder: { stack?: unknown } = {};
    Error.captureStackTrace(holder, from);
    sites = holder.stack as NodeJS.CallSite[];
  } finally {
    Error.prepareStackTrace = prepare;
  }
  const urls: { url: string }[] = [];
  for (const site of sites) {
    const name = site.getFileName() ?? site.getScriptNameOrSourceURL();
    if (name !== undefined && name !== null) urls.push({ url: name.startsWith('/') ? host.urlOfPath(name) : name });
  }
  return urls;
}

/**
 * The spawning frame as the program's stack traces show it: through the
 * source map of a module compiled with one (tsx, vitest, `--enable-source-maps`),
 * so that the thread's frames name the file the user wrote.
 */
function shownFrame(): Frame | undefined {
  for (const line of (new Error().stack ?? '').split('\n').slice(1)) {
    const match = /((?:file|https?|data):\/\/[^\s)]+?|\/[^\s)]+?):(\d+):(\d+)\)?\s*$/.exec(line);
    if (match === null) continue;
    const url = match[1].startsWith('/') ? host.urlOfPath(match[1]) : match[1];
    if (RUNTIME_DIRS.some((dir) => url.startsWith(dir))) continue;
    // A closure a thread compiled, not mapped to its file: where it stands there is not shown.
    if (url.includes(CLOSURE_FRAGMENT)) return undefined;
    return { url, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}

/**
 * Where the closure's tokens are in the file of `frame` (see
 * `ClosureSite.positions`). Its head (the tokens up to its `=>` or body) is
 * found as the closest run of them after the spawn call (types and other
 * compiled-away tokens may sit between), or anywhere in the file when it was
 * declared elsewhere; from there each of its names and literals is matched
 * to the next equal token of the file. So it survives what compilers do to
 * a closure's text: types stripped, whitespace minified (tsx), imports
 * renamed (vitest).
 */
function positionsIn(source: string, frame: Frame): number[] {
  const text = readSource(frame.url);
  if (text === undefined) return [];
  const closure = tokenize(source);
  const head: string[] = [];
  for (const token of closure) {
    head.push(keyOf(token));
    if (token.text === '=>' || token.text === '{' || head.length === HEAD_TOKENS) break;
  }
  // The closure is usually an argument of the spawn call: the file is read from there, and all of it only if need be.
  const callAt = offsetOf(text, frame.line, frame.column);
  let tokens = tokenize(text.slice(0, callAt + NEAR_CHARACTERS + source.length * 2), callAt);
  let start = closestRun(tokens, head, 0, tokens.length);
  if (start === undefined) {
    tokens = tokenize(text);
    start = closestRun(tokens, head, 0, tokens.length);
  }
  if (start === undefined) return [];
  const lines = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lines.push(index + 1);
  const positions: number[] = [];
  // Positions only move forward: so does the line they are on.
  let line = 0;
  const add = (offset: number, at: number): void => {
    while (line + 1 < lines.length && lines[line + 1] <= at) line++;
    positions.push(offset, line, at - lines[line]);
  };
  add(0, tokens[start].start);
  let next = start + 1;
  for (const token of closure.slice(1)) {
    if (token.kind === 'punct') continue;
    const key = keyOf(token);
    const end = Math.min(tokens.length, next + ALIGN_WINDOW);
    for (let index = next; index < end; index++) {
      if (keyOf(tokens[index]) !== key) continue;
      add(token.start, tokens[index].start);
      next = index + 1;
      break;
    }
  }
  return positions;
}

/** What a token is compared by: its text, but any string literal is `"`. */
function keyOf(token: Token): string {
  return token.kind === 'literal' && token.text === "'" ? '"' : token.text;
}

/**
 * The index of the token starting the shortest run of `tokens` that holds
 * `head` in order, among those starting in `from` to `to`; runs more than
 * four times as long as `head` do not count.
 */
function closestRun(tokens: readonly Token[], head: readonly string[], from: number, to: number): number | undefined {
  let best: number | undefined;
  let bestSpan = head.length * 4 + 8;
  for (let start = from; start < Math.min(to, tokens.length); start++) {
    if (keyOf(tokens[start]) !== head[0]) continue;
    let at = start + 1;
    for (let index = 1; index < head.length && at !== -1; index++) {
      while (at < tokens.length && at - start < bestSpan && keyOf(tokens[at]) !== head[index]) at++;
      at = at < tokens.length && at - start < bestSpan ? at + 1 : -1;
    }
    if (at === -1) continue;
    best = start;
    bestSpan = at - start;
    if (bestSpan === head.length) break;
  }
  return best;
}

/** The offset of a 1-based line and column in `text`. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return offset + Math.max(0, column - 1);
}

/** The text of a module or source file, if it is on disk. */
function readSource(url: string): string | undefined {
  return host.readTextSync(url);
}

