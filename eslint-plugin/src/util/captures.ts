/**
 * What a spawned closure captures: the variables from around it that it
 * refers to, found by scope analysis (`scopeManager.acquire(fn).through`),
 * value references only.
 */

import type { ParserServicesWithTypeInformation, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, TSESLint } from '@typescript-eslint/utils';
import ts from 'typescript';

import { isRuntimeSymbol, resolveAlias } from './runtime.js';
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

/** One variable the closure refers to without receiving it. */
export interface Capture {
  readonly name: string;
  /** Every reference the closure makes to it, in source order. */
  readonly references: readonly Reference[];
  /** `local`: a variable of the program; `mainThreadGlobal`: a global a thread may not have (`document`). */
  readonly kind: 'local' | 'mainThreadGlobal';
}

const cache = new WeakMap<FunctionNode, readonly Capture[]>();

/**
 * The captures of a closure, in order of first reference. Skips type
 * positions, unresolved names, globals that every thread has, and the
 * runtime's own exports (which every thread has too). Cached per closure.
 *
 * @example
 * ```ts
 * // const a = 1; spawn(() => a + Math.PI);
 * capturesOf(scopeManager, services, body).map((c) => c.name); // ['a']
 * ```
 */
export function capturesOf(
  scopeManager: TSESLint.Scope.ScopeManager,
  services: ParserServicesWithTypeInformation,
  fn: FunctionNode,
): readonly Capture[] {
  const cached = cache.get(fn);
  if (cached) return cached;
  const scope = scopeManager.acquire(fn);
  const byVariable = new Map<Variable, Reference[]>();
  for (const reference of scope?.through ?? []) {
    const variable = reference.resolved;
    if (!variable || !reference.isValueReference || isTypeQuery(reference.identifier)) continue;
    const list = byVariable.get(variable);
    if (list) list.push(reference);
    else byVariable.set(variable, [reference]);
  }
  const captures: Capture[] = [];
  for (const [variable, references] of byVariable) {
    const isGlobal = variable.scope.type === TSESLint.Scope.ScopeType.global && variable.defs.length === 0;
    if (isGlobal && THREAD_GLOBALS.has(variable.name)) continue;
    if (!isGlobal && isRuntimeImport(services, variable)) continue;
    captures.push({ name: variable.name, references, kind: isGlobal ? 'mainThreadGlobal' : 'local' });
  }
  cache.set(fn, captures);
  return captures;
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

/** Whether a variable is an import binding of something the runtime declares. */
function isRuntimeImport(services: ParserServicesWithTypeInformation, variable: Variable): boolean {
  const definition = variable.defs[0];
  if (definition?.type !== TSESLint.Scope.DefinitionType.ImportBinding) return false;
  const checker = services.program.getTypeChecker();
  const tsNode = services.esTreeNodeToTSNodeMap.get(definition.node) as ts.Node;
  const name = (tsNode as ts.NamedDeclaration).name ?? tsNode;
  return isRuntimeSymbol(resolveAlias(checker, checker.getSymbolAtLocation(name)));
}
