/**
 * Lifts each closure given to `@sendsync/runtime`'s `spawn` (also
 * `Builder.spawn` and a scope's `spawn`) into a module of its own, and
 * rewrites the call to name that module (a thread entry, see the runtime's
 * `thread/thread-entry.ts`): the built program never compiles source text.
 */

import { basename, dirname, extname, resolve } from 'node:path';
import { parseSync } from 'oxc-parser';
import { calleesOutsideImports, importsFromRecord, importsFromText, type ImportBinding, type ModuleImports } from './imports.js';
import { declaringScope, isNode, usesOf, walkReferences, type FreeName, type Node, type ScopeStack } from './scope.js';
import { UNWINDING_LOCAL, unwindingInserts, withInserts, type Insert } from './unwind.js';

/** The runtime's specifiers whose `spawn`, `Builder`, `scope` and `scopeAsync` are the thread API. */
const THREAD_API = /^@sendsync\/runtime(?:\/thread)?$/;
/** The runtime's callees that spawn, and those whose callback's first parameter is a scope. */
const SPAWNERS = new Set(['spawn']);
const SCOPES = new Set(['scope', 'scopeAsync']);
/** The runtime's exports through which a module can spawn (`*`: a namespace import of the thread API). */
const SPAWNING_EXPORTS = new Set([...SPAWNERS, ...SCOPES, 'Builder', '*']);
/** Where the rewritten call finds `threadEntry` (the runtime's contract with this plugin). */
const THREAD_ENTRY = '@sendsync/runtime/internal/thread-entry';
/** The thread module's local name for the runtime's `threadImport` (a name no closure's source holds: see `trackingImports`). */
const THREAD_IMPORT = '__sendsyncThreadImport';
/** The local name the rewritten module gives `threadEntry`, and the start of the names of its thread entries. */
const THREAD_ENTRY_LOCAL = '__sendsyncThreadEntry';
const THREAD_LOCAL = '__sendsyncThread';
/** Names a thread has wherever it runs, though a bundler's Node process may not (a browser's). */
const WEB_GLOBALS = new Set(['self', 'window', 'document', 'navigator', 'location', 'postMessage', 'importScripts', 'onmessage', 'close']);

/** What lifting needs to know beyond the module's text. */
export interface LiftOptions {
  /** The runtime module (a specifier) that exports `name`, if one does: a closure may use it without importing it. */
  readonly runtimeModuleOf: (name: string) => string | undefined;
  /**
   * The runtime's export that `imported` of `specifier` (imported by the
   * module `file`) is, when the specifier is the application's own module
   * re-exporting it; else undefined.
   */
  readonly reexported: (specifier: string, imported: string, file: string) => string | undefined;
  /** Whether the application's module `specifier` (imported by the module `file`) re-exports names of other modules: one may be `spawn` renamed. */
  readonly reexports: (specifier: string, file: string) => boolean;
  /**
   * Whether a thread module imports the spawning module's relative imports
   * by absolute path (when the bundler does not place it beside that module:
   * webpack's virtual modules).
   */
  readonly absoluteImports?: boolean;
  /** The expressions the rewritten call gives `threadEntry`: the thread module's URL and the worker's. */
  readonly refer: (thread: ThreadModule) => { readonly module: string; readonly worker: string };
}

/** A source map (version 3) of a module the plugin writes, line by line (see sameLines), as bundlers take it from a plugin. */
export interface LineMap {
  readonly version: 3;
  readonly sources: string[];
  readonly sourcesContent: string[];
  readonly names: string[];
  readonly mappings: string;
}

/** A lifted closure's module. */
export interface ThreadModule {
  /** Its id: beside the spawning module (so that its relative imports resolve as there), with the same extension. */
  readonly id: string;
  /** A short name for its chunk. */
  readonly name: string;
  readonly code: string;
  readonly map: LineMap;
}

/** The module rewritten, and the modules lifted from it. */
export interface Lifted {
  readonly code: string;
  readonly map: LineMap;
  readonly threads: readonly ThreadModule[];
}

/** A spawn the plugin cannot build, with where it is, in the words the run time uses. */
export class LiftError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;

  constructor(message: string, file: string, code: string, at: number) {
    const { line, column } = lineAndColumn(code, at);
    super(`${file}:${line}:${column}: ${message}`);
    this.name = 'LiftError';
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

/** The ids of lifted modules: the spawning module's id, then this, then its extension. */
export const THREAD_ID = /\.sendsync-thread-(\d+)\.[cm]?[jt]sx?$/;

/** A spawn call found in a module. */
interface Site {
  readonly body: Node;
  readonly scopes: ScopeStack;
}

/**
 * Lifts the closures `code` (the module `file`) spawns; undefined when it
 * spawns none. Throws a `LiftError` for a closure no thread can run.
 */
export function liftThreads(code: string, file: string, options: LiftOptions): Lifted | undefined {
  if (!maySpawn(code, file, options)) return undefined;
  // The text's imports say whether the module spawns without a parse, where they are written in the usual forms.
  const fromText = importsFromText(code);
  const threadNames = fromText === undefined ? undefined : runtimeNames(fromText, code, file, options);
  if (fromText !== undefined && threadNames === undefined) return undefined;
  // Without TypeScript's types in the tree (a third of its size), which the walk skips; which imports are type-only comes from the text or the module record.
  const ast = parseSync(file, code, { sourceType: 'module', lang: langOf(file), astType: 'js' });
  if (ast.errors.length > 0) return undefined;
  // The tree (most of a parse's cost) only for a module that names the thread API.
  const imports = fromText ?? importsFromRecord(ast.module);
  const names = fromText === undefined ? runtimeNames(imports, code, file, options) : threadNames;
  if (names === undefined) return undefined;
  const sites = findSites(ast.program as unknown as Node, code, names);
  if (sites.length === 0) return undefined;
  // Sites are found outer first: a site inside an earlier one's closure is a thread that spawns.
  const nested = sites.find((site, index) => sites.slice(0, index).some(({ body }) => body.start <= site.body.start && site.body.end <= body.end));
  if (nested !== undefined) {
    throw new LiftError(
      'spawn: a closure given to spawn spawns a thread itself, which the plugin cannot lift: move the code that spawns into a function of its own module, and call it from the closure',
      file,
      code,
      nested.body.start,
    );
  }
  // Each line of the rewritten module is the same line of the source (see sameLines): the declarations go before the
  // first line's text, and each closure's place keeps its line breaks.
  let output = `import { threadEntry as ${THREAD_ENTRY_LOCAL} } from ${JSON.stringify(THREAD_ENTRY)};`;
  let from = 0;
  const threads: ThreadModule[] = [];
  for (const site of sites) {
    const thread = liftOne(code, file, site, imports.bindings, options, threads.length);
    const { module, worker } = options.refer(thread);
    // Made once, as the module loads: a spawn then passes it as it is (two URLs to resolve would cost each spawn microseconds).
    const local = `${THREAD_LOCAL}${threads.length}`;
    output += ` const ${local} = /* @__PURE__ */ ${THREAD_ENTRY_LOCAL}(${module}, "default", ${worker});`;
    threads.push(thread);
  }
  output += ' ';
  for (const [index, { body }] of sites.entries()) {
    // A closure's place is inside its call's parentheses, where a line break never ends a statement.
    output += `${code.slice(from, body.start)}${THREAD_LOCAL}${index}${'\n'.repeat(lineBreaks(code, body.start, body.end))}`;
    from = body.end;
  }
  output += code.slice(from);
  return { code: output, map: sameLines(file, code, lineBreaks(output, 0, output.length) + 1), threads };
}

/**
 * Whether the module's text can hold a spawn at all: a spawn names `spawn`
 * as it calls it (`spawn(`, `spawn<T>(`, `Builder`'s, a scope's and a
 * namespace's `.spawn(`) or renames it on import (`spawn as go`), unless
 * the name it calls is one of the application's modules' re-exports (`export
 * { spawn as go } from`). Most modules of an app pass neither test, and cost
 * no more than these: even one that imports `spawn` only to call it
 * elsewhere.
 */
export function maySpawn(code: string, file: string, options: Pick<LiftOptions, 'reexports'>): boolean {
  if (code.includes('spawn') && SPAWN_USE.test(code)) return true;
  for (const [, , specifier] of code.matchAll(RELATIVE_FROM)) if (options.reexports(specifier, file)) return true;
  return false;
}
/** Space between tokens: white space and comments. */
const GAP = String.raw`(?:\s|/\*[\s\S]*?\*/|//[^\n]*\n)*`;
/** A call, method call or renaming import of `spawn`. */
const SPAWN_USE = new RegExp(String.raw`(?<![\w$])spawn${GAP}(?:[(<?!]|as(?![\w$]))|\.${GAP}spawn(?![\w$])`);
/** The specifier of a relative import or re-export (`from "./x.js"`), the only kind whose names the plugin follows (reexports.ts). */
const RELATIVE_FROM = /\bfrom\s*(["'])(\.\.?\/[^"'\n]*)\1/g;

/** The module of one closure: the imports it uses, and the closure as its default export. */
function liftOne(code: string, file: string, site: Site, imports: ReadonlyMap<string, ImportBinding>, options: LiftOptions, index: number): ThreadModule {
  const { body } = site;
  const id = `${file}.sendsync-thread-${index}${extname(file) || '.js'}`;
  const name = `${basename(file, extname(file))}-thread-${index}`;
  if (body.type === 'Identifier') {
    // A function imported by name: the thread module re-exports it.
    const binding = imports.get(body.name as string);
    if (binding === undefined || binding.imported === '*' || declaringScope(site.scopes, body.name as string) !== 0) {
      throw new LiftError(
        'spawn: give spawn the closure itself, or a function imported from another module (the plugin lifts what it can see at the call)',
        file,
        code,
        body.start,
      );
    }
    const specifier = options.absoluteImports === true && binding.specifier.startsWith('.') ? resolve(dirname(file), binding.specifier) : binding.specifier;
    // No line of the source: nothing to map.
    return { id, name, code: `export { ${JSON.stringify(binding.imported)} as default } from ${JSON.stringify(specifier)};\n`, map: sameLines(file, code, 0) };
  }
  if (body.type !== 'ArrowFunctionExpression' && body.type !== 'FunctionExpression') {
    throw new LiftError('spawn: give spawn the closure itself (an arrow function or a function expression)', file, code, body.start);
  }
  const uses = usesOf(body);
  if (uses.importMetaAt !== undefined) {
    throw new LiftError(
      'spawn: the closure uses `import.meta`, which a thread does not have: read what it needs (`import.meta.url`, …) before the spawn and move(...) it in',
      file,
      code,
      uses.importMetaAt,
    );
  }
  if (uses.argumentsAt !== undefined) {
    throw new LiftError("spawn: the closure uses `arguments` of the function around it, which a thread does not have: move(...) the values it needs", file, code, uses.argumentsAt);
  }
  if (uses.thisAt !== undefined) {
    throw new LiftError('spawn: the closure uses `this` of the code around it, which a thread does not have: move(...) the values it needs', file, code, uses.thisAt);
  }
  const lines: string[] = [];
  const refused: FreeName[] = [];
  let topLevel = true;
  for (const free of uses.free) {
    const scope = declaringScope(site.scopes, free.name);
    const binding = imports.get(free.name);
    if (scope === 0 && binding !== undefined) {
      const absolute = options.absoluteImports === true && binding.specifier.startsWith('.');
      lines.push(importLine(free.name, absolute ? { ...binding, specifier: resolve(dirname(file), binding.specifier) } : binding));
    } else if (scope === -1) {
      const runtime = free.name in globalThis || WEB_GLOBALS.has(free.name) ? undefined : options.runtimeModuleOf(free.name);
      if (runtime !== undefined) lines.push(`import { ${free.name} } from ${JSON.stringify(runtime)};`);
    } else {
      refused.push(free);
      topLevel &&= scope === 0;
    }
  }
  if (refused.length > 0) {
    const list = refused.map(({ name }) => `\`${name}\``).join(', ');
    const where = topLevel ? `declared in ${basename(file)} itself` : `declared around the closure (in ${basename(file)} or a function enclosing it)`;
    throw new LiftError(
      `spawn: the closure uses ${list}, ${where}, which a thread cannot see: move ${refused.length > 1 ? 'them' : 'it'} to ` +
        'its own module and import it there, or move(...) it in if it is Send data',
      file,
      code,
      refused[0].at,
    );
  }
  // Each import() of the closure's is tracked: what the imported module's top level makes meanwhile is the worker's.
  if (uses.dynamicImports.length > 0) lines.push(`import { threadImport as ${THREAD_IMPORT} } from ${JSON.stringify(THREAD_ENTRY)};`);
  // The closure on the lines it has in the source, its imports before it on its first line (see sameLines).
  const before = lineBreaks(code, 0, body.start);
  // A `using` in the closure tells its resources of a panic as the runtime's own helpers do (see unwind.ts).
  const unwinding = unwindingInserts(body);
  if (unwinding.length > 0) lines.push(`import { unwinding as ${UNWINDING_LOCAL} } from ${JSON.stringify(THREAD_ENTRY)};`);
  const closure = withInserts(code, body, [...trackingImports(uses.dynamicImports), ...unwinding]);
  const text = `${'\n'.repeat(before)}${lines.join(' ')} export default (${closure});\n`;
  return { id, name, code: text, map: sameLines(file, code, before + lineBreaks(code, body.start, body.end) + 1) };
}

/**
 * The insertions that write each `import(…)` of the closure
 * `threadImport(() => import(…))` (the runtime's `threadImport`, see its
 * `thread/thread-entry.ts`), on the same lines: while the import is pending,
 * what the imported module's top level makes is the worker's, not the
 * thread's. The bundler still sees the `import()` itself, and follows it.
 */
function trackingImports(imports: readonly { readonly start: number; readonly end: number }[]): Insert[] {
  // At an offset where other text goes too, an import's `)` closes first and its opening comes last: it wraps only the import.
  return imports.flatMap(({ start, end }) => [
    { at: start, text: `${THREAD_IMPORT}(() => `, order: Number.MAX_SAFE_INTEGER },
    { at: end, text: ')', order: Number.MIN_SAFE_INTEGER },
  ]);
}

/**
 * The source map of a module of `lines` lines whose each line is the same
 * line of the source `file` (text `code`): each line's start maps to its
 * line's start. A stack frame needs the source's file and line (what Node,
 * browsers and the plugin's tests print), and a module made so costs no
 * editing library and no encoding of positions: a module the plugin writes
 * keeps its source's line breaks where they are.
 */
function sameLines(file: string, code: string, lines: number): LineMap {
  // Segments of [column, source, line, column] as base-64 VLQ deltas: AAAA is (0, 0, 0, 0), AACA the next line's start.
  const mappings = lines === 0 ? '' : `AAAA${';AACA'.repeat(lines - 1)}`;
  return { version: 3, sources: [file], sourcesContent: [code], names: [], mappings };
}

/** How many line breaks `code` holds from `start` to `end`. */
function lineBreaks(code: string, start: number, end: number): number {
  let count = 0;
  for (let at = code.indexOf('\n', start); at !== -1 && at < end; at = code.indexOf('\n', at + 1)) count++;
  return count;
}

/** An import declaration for one binding, as the spawning module wrote it. */
function importLine(local: string, binding: ImportBinding): string {
  const from = JSON.stringify(binding.specifier);
  if (binding.imported === '*') return `import * as ${local} from ${from};`;
  if (binding.imported === 'default') return `import ${local} from ${from};`;
  return `import { ${JSON.stringify(binding.imported)} as ${local} } from ${from};`;
}

/** The runtime's export that each local name of a module is, and the local names through which the module may spawn. */
interface RuntimeNames {
  readonly runtimeName: (local: string) => string | undefined;
  /** The imported names the module calls (or constructs, or reads a member of) that are the thread API. */
  readonly threadApi: readonly string[];
}

/**
 * The runtime's export that each local name of the module is (imported from
 * the runtime, or from a module of the app's that re-exports it); undefined
 * when the module never names, beyond its imports, one it could spawn with.
 */
function runtimeNames(imports: ModuleImports, code: string, file: string, options: LiftOptions): RuntimeNames | undefined {
  const runtimeName = (local: string): string | undefined => {
    const binding = imports.bindings.get(local);
    if (binding === undefined) return undefined;
    if (THREAD_API.test(binding.specifier)) return binding.imported;
    return binding.specifier.startsWith('.') ? options.reexported(binding.specifier, binding.imported, file) : undefined;
  };
  // Only names the module calls can spawn: the others are not looked up (a re-export's look-up reads a file).
  const callees = calleesOutsideImports(code, imports);
  const threadApi = [...imports.bindings.keys()].filter((local) => callees.has(local) && SPAWNING_EXPORTS.has(runtimeName(local) ?? ''));
  return threadApi.length > 0 ? { runtimeName, threadApi } : undefined;
}

/**
 * The spawn calls of a module, found by what their callee is: the runtime's
 * `spawn` (by any local name, or through a namespace), the `spawn` method of
 * a `Builder` (an expression or a variable built from one), or of the scope
 * a `scope` / `scopeAsync` callback receives.
 */
function findSites(program: Node, code: string, { runtimeName, threadApi }: RuntimeNames): Site[] {
  const sites: Site[] = [];
  // A spawn's call, a scope's callback and a Builder's variable each hold one of these words: the walk enters no node without one.
  const marks = wordsAt(code, ['spawn', ...threadApi]);
  const builders = new Set<string>();
  const scopes = new Set<string>();
  /** The runtime's export an identifier or a namespace member names here, if any. */
  const exported = (node: Node, around: ScopeStack): string | undefined => {
    if (node.type === 'Identifier') return declaringScope(around, node.name as string) === 0 ? runtimeName(node.name as string) : undefined;
    if (node.type === 'MemberExpression' && node.computed !== true && (node.object as Node).type === 'Identifier') {
      const namespace = node.object as Node;
      if (declaringScope(around, namespace.name as string) === 0 && runtimeName(namespace.name as string) === '*') return ((node.property as Node).name as string) ?? undefined;
    }
    return undefined;
  };
  const isBuilder = (node: Node, around: ScopeStack): boolean => {
    if (node.type === 'NewExpression') return exported(node.callee as Node, around) === 'Builder';
    if (node.type === 'Identifier') return builders.has(node.name as string);
    if (node.type === 'CallExpression' && (node.callee as Node).type === 'MemberExpression') return isBuilder((node.callee as Node).object as Node, around);
    return false;
  };
  walkReferences(program, [], {
    visit: () => undefined,
    skip: (node) => !holdsMark(marks, node),
    enter(node, around, parent) {
      if (node.type === 'VariableDeclarator' && isNode(node.init) && (node.id as Node).type === 'Identifier' && isBuilder(node.init, around)) {
        const name = (node.id as Node).name as string;
        builders.add(name);
        marks.push(...wordsAt(code, [name]));
        marks.sort((a, b) => a - b);
      }
      if (
        (node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression') &&
        parent?.type === 'CallExpression' &&
        (parent.arguments as Node[])[0] === node &&
        SCOPES.has(exported(parent.callee as Node, around) ?? '')
      ) {
        const first = (node.params as Node[])[0];
        if (first?.type === 'Identifier') scopes.add(first.name as string);
      }
      if (node.type !== 'CallExpression') return;
      const callee = node.callee as Node;
      const args = node.arguments as Node[];
      const body = args.at(-1);
      if (body === undefined || body.type === 'SpreadElement') return;
      let spawns = SPAWNERS.has(exported(callee, around) ?? '');
      if (!spawns && callee.type === 'MemberExpression' && callee.computed !== true && (callee.property as Node).name === 'spawn') {
        const object = callee.object as Node;
        spawns = isBuilder(object, around) || (object.type === 'Identifier' && scopes.has(object.name as string));
      }
      if (spawns) sites.push({ body, scopes: [...around] });
    },
  });
  return sites;
}

/** The offsets, in order, where one of `words` stands as a whole word in `code`. */
function wordsAt(code: string, words: readonly string[]): number[] {
  const pattern = new RegExp(`(?<![\\w$])(?:${words.map((word) => word.replaceAll('$', '\\$')).join('|')})(?![\\w$])`, 'g');
  return [...code.matchAll(pattern)].map(({ index }) => index);
}

/** Whether one of the ordered offsets `marks` falls inside `node`. */
function holdsMark(marks: readonly number[], node: Node): boolean {
  let low = 0;
  let high = marks.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (marks[middle] < node.start) low = middle + 1;
    else high = middle;
  }
  return low < marks.length && marks[low] < node.end;
}

/** oxc's language for a file. */
function langOf(file: string): 'js' | 'jsx' | 'ts' | 'tsx' {
  const extension = extname(file);
  if (/^\.[cm]?ts$/.test(extension)) return 'ts';
  if (extension === '.tsx') return 'tsx';
  if (extension === '.jsx') return 'jsx';
  return 'js';
}

/** The 1-based line and 0-based column of an offset, as bundlers report them. */
function lineAndColumn(code: string, at: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let index = code.indexOf('\n'); index !== -1 && index < at; index = code.indexOf('\n', index + 1)) {
    line++;
    start = index + 1;
  }
  return { line, column: at - start };
}
