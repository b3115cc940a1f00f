/**
 * What a spawned closure captures: the variables from around it that it
 * refers to, found by scope analysis (`scopeManager.acquire(fn).through`),
 * value references only, and the `this` an arrow function inherits.
 * The value bindings the module imports are not captures: the runtime binds
 * them in the thread.
 */

import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, TSESLint } from '@typescript-eslint/utils';

import { findFirst } from './find-first.js';
import type { FunctionNode } from './spawn-site.js';

type Variable = TSESLint.Scope.Variable;
type Reference = TSESLint.Scope.Reference;

/**
 * Globals that exist in every thread, main or worker, browser or Node: the
 * ECMAScript globals, the web platform's worker globals, and Node's globals
 * that workers have too. A closure may use them freely.
 */
export const THREAD_GLOBALS: ReadonlySet<string> = new Set([
  // ECMAScript
  'globalThis', 'undefined', 'NaN', 'Infinity', 'eval', 'isFinite', 'isNaN', 'parseFloat', 'parseInt',
  'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape',
  'Object', 'Function', 'Array', 'Number', 'Boolean', 'String', 'Symbol', 'BigInt', 'Math', 'JSON', 'Reflect', 'Proxy',
  'Date', 'RegExp', 'Error', 'AggregateError', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError',
  'URIError', 'SuppressedError', 'Promise', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry',
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Atomics', 'Intl', 'Iterator', 'DisposableStack', 'AsyncDisposableStack',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
  // web platform globals that workers have
  'console', 'self', 'queueMicrotask', 'structuredClone', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval',
  'atob', 'btoa', 'performance', 'crypto', 'fetch', 'Request', 'Response', 'Headers', 'FormData', 'URL', 'URLSearchParams',
  'TextEncoder', 'TextDecoder', 'TextEncoderStream', 'TextDecoderStream', 'AbortController', 'AbortSignal', 'Event',
  'EventTarget', 'CustomEvent', 'MessageChannel', 'MessagePort', 'MessageEvent', 'BroadcastChannel', 'Blob', 'File',
  'ReadableStream', 'WritableStream', 'TransformStream', 'CompressionStream', 'DecompressionStream', 'DOMException',
  'WebAssembly', 'WebSocket', 'Worker', 'navigator', 'location', 'postMessage', 'close', 'importScripts',
  // Node's globals, present in worker_threads too
  'process', 'Buffer', 'global', 'setImmediate', 'clearImmediate',
]);

/** One name the closure refers to without receiving it. */
export interface Capture {
  /** The variable's name, or `this`. */
  readonly name: string;
  /** Where the closure first refers to it: the identifier, or the `this` (with its property chain, `this.cache`). */
  readonly node: TSESTree.Node;
  /**
   * `local`: a variable or `this` of the spawning module; `declaration`: a
   * function or class declared in it; `mainThreadGlobal`: a global a thread
   * may not have (`document`).
   */
  readonly kind: 'local' | 'declaration' | 'mainThreadGlobal';
}

const cache = new WeakMap<FunctionNode, readonly Capture[]>();

/**
 * The captures of a closure, in order of first reference. Skips type
 * positions, unresolved names, globals that every thread has, and the
 * module's imports. Cached per closure.
 *
 * @example
 * ```ts
 * // import { parse } from './parse.js'; const a = 1; spawn(() => parse(a) + Math.PI);
 * capturesOf(scopeManager, body).map((c) => c.name); // ['a']
 * ```
 */
export function capturesOf(scopeManager: TSESLint.Scope.ScopeManager, fn: FunctionNode): readonly Capture[] {
  const cached = cache.get(fn);
  if (cached) return cached;
  const scope = scopeManager.acquire(fn);
  const byVariable = new Map<Variable, Reference>();
  for (const reference of scope?.through ?? []) {
    const variable = reference.resolved;
    if (!variable || !reference.isValueReference || isTypeQuery(reference.identifier)) continue;
    if (!byVariable.has(variable)) byVariable.set(variable, reference);
  }
  const captures: Capture[] = [];
  for (const [variable, reference] of byVariable) {
    const isGlobal = variable.scope.type === TSESLint.Scope.ScopeType.global && variable.defs.length === 0;
    if (isGlobal && THREAD_GLOBALS.has(variable.name)) continue;
    const definition = variable.defs[0]?.type;
    if (definition === TSESLint.Scope.DefinitionType.ImportBinding) continue;
    if (isConstEnum(variable)) continue;
    const isDeclaration = definition === TSESLint.Scope.DefinitionType.FunctionName || definition === TSESLint.Scope.DefinitionType.ClassName;
    captures.push({ name: variable.name, node: reference.identifier, kind: isGlobal ? 'mainThreadGlobal' : isDeclaration ? 'declaration' : 'local' });
  }
  const self = fn.type === AST_NODE_TYPES.ArrowFunctionExpression ? inheritedThis(fn.body) : undefined;
  if (self) captures.push({ name: 'this', node: self, kind: 'local' });
  captures.sort((a, b) => a.node.range[0] - b.node.range[0]);
  cache.set(fn, captures);
  return captures;
}

/**
 * Whether a variable names a `const enum`: the compilers (tsc, esbuild)
 * replace each use (`Dir.Up`, the only use allowed) with its value, so the
 * closure's emitted text does not refer to it.
 */
function isConstEnum(variable: Variable): boolean {
  return variable.defs.some((definition) => definition.node.type === AST_NODE_TYPES.TSEnumDeclaration && definition.node.const === true);
}

/**
 * The first `this` of an arrow function's body that is the enclosing one (not
 * inside a nested `function` or class), with the property chain it reads
 * (`this.cache`): the part of the value the closure uses.
 */
function inheritedThis(body: TSESTree.Node): TSESTree.Node | undefined {
  const self = findFirst(body, (node) => {
    if (node.type === AST_NODE_TYPES.ThisExpression) return node;
    const ownThis = node.type === AST_NODE_TYPES.FunctionExpression || node.type === AST_NODE_TYPES.FunctionDeclaration || node.type === AST_NODE_TYPES.ClassBody;
    return ownThis ? 'skip' : undefined;
  });
  let chain = self;
  // the data read, not a method called on it (`this.hits` of `this.hits.get()`)
  while (
    chain?.parent?.type === AST_NODE_TYPES.MemberExpression &&
    chain.parent.object === chain &&
    !chain.parent.computed &&
    !(chain.parent.parent?.type === AST_NODE_TYPES.CallExpression && chain.parent.parent.callee === chain.parent)
  ) {
    chain = chain.parent;
  }
  return chain;
}

/**
 * Whether an identifier is read by a type query (`typeof value` in a type):
 * the scope manager counts it as a value reference, but types are erased,
 * so nothing is read at run time.
 *
 * @example
 * ```ts
 * isTypeQuery(identifier); // true for the `v` of `let copy: typeof v`
 * ```
 */
export function isTypeQuery(identifier: TSESTree.Identifier | TSESTree.JSXIdentifier): boolean {
  let at = identifier.parent;
  while (at?.type === AST_NODE_TYPES.TSQualifiedName) at = at.parent;
  return at?.type === AST_NODE_TYPES.TSTypeQuery;
}
