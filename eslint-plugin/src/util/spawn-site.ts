/**
 * Spawn sites: calls to the runtime's `spawn` (the function, `Builder#spawn`
 * or `Scope#spawn`), with the closure they ship and the values they move and
 * borrow.
 */

import type { ParserServicesWithTypeInformation, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import ts from 'typescript';

import { isRuntimeFunctionCall, runtimeCallee } from './runtime.js';

/** A closure a thread runs. */
export type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionDeclaration | TSESTree.FunctionExpression;

/** A call that starts a thread. */
export interface SpawnSite {
  readonly call: TSESTree.CallExpression;
  /** The closure that crosses as source text, when it is written here or declared in this file. */
  readonly body: FunctionNode | undefined;
  /** The `move(...)` argument, if any. */
  readonly moveCall: TSESTree.CallExpression | undefined;
  /** The `borrow(...)` argument, if any. */
  readonly borrowCall: TSESTree.CallExpression | undefined;
  /** Whether every argument before the body is a `move(...)` or `borrow(...)` written here (so the body's parameters are known). */
  readonly capturesKnown: boolean;
  /** Whether the thread is a scoped one (`Scope#spawn`), whose closure borrows what it refers to, as in Rust. */
  readonly scoped: boolean;
}

const sites = new WeakMap<TSESTree.CallExpression, SpawnSite | null>();

/**
 * The spawn site a call is, or `undefined`. Cached per node.
 *
 * @example
 * ```ts
 * // spawn(move(a), (a) => a + 1)
 * spawnSite(services, call)?.moveCall; // the `move(a)` call
 * ```
 */
export function spawnSite(services: ParserServicesWithTypeInformation, call: TSESTree.CallExpression): SpawnSite | undefined {
  const cached = sites.get(call);
  if (cached !== undefined) return cached ?? undefined;
  let site: SpawnSite | null = null;
  const callee = runtimeCallee(services, call);
  if (call.arguments.length > 0 && callee?.name === 'spawn') {
    const last = call.arguments[call.arguments.length - 1];
    let moveCall: TSESTree.CallExpression | undefined;
    let borrowCall: TSESTree.CallExpression | undefined;
    let capturesKnown = true;
    for (const argument of call.arguments.slice(0, -1)) {
      if (isRuntimeFunctionCall(services, argument, 'move')) moveCall = argument;
      else if (isRuntimeFunctionCall(services, argument, 'borrow')) borrowCall = argument;
      else capturesKnown = false;
    }
    site = { call, body: closureOf(services, last), moveCall, borrowCall, capturesKnown, scoped: callee.owner === 'Scope' };
  }
  sites.set(call, site);
  return site ?? undefined;
}

/**
 * The function an argument is: written inline, or named here and declared in
 * this file (`function work() {}`, `const work = () => ...`).
 */
function closureOf(services: ParserServicesWithTypeInformation, argument: TSESTree.Node): FunctionNode | undefined {
  if (argument.type === AST_NODE_TYPES.ArrowFunctionExpression || argument.type === AST_NODE_TYPES.FunctionExpression) return argument;
  if (argument.type !== AST_NODE_TYPES.Identifier) return undefined;
  const checker = services.program.getTypeChecker();
  const declaration = checker.getSymbolAtLocation(services.esTreeNodeToTSNodeMap.get(argument))?.valueDeclaration;
  if (!declaration || declaration.getSourceFile() !== services.esTreeNodeToTSNodeMap.get(argument).getSourceFile()) return undefined;
  const fn = ts.isFunctionDeclaration(declaration)
    ? declaration
    : ts.isVariableDeclaration(declaration) &&
        declaration.parent.flags & ts.NodeFlags.Const &&
        declaration.initializer &&
        (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer))
      ? declaration.initializer
      : undefined;
  const node = fn && (services.tsNodeToESTreeNodeMap.get(fn) as TSESTree.Node | undefined);
  return node?.type === AST_NODE_TYPES.FunctionDeclaration ||
    node?.type === AST_NODE_TYPES.ArrowFunctionExpression ||
    node?.type === AST_NODE_TYPES.FunctionExpression
    ? node
    : undefined;
}

/**
 * Whether `node` is an argument of a spawn site (a `move(...)` or `borrow(...)` written in the call).
 *
 * @example
 * ```ts
 * isSpawnArgument(services, moveCall); // true for the `move(a)` of `spawn(move(a), (a) => a)`
 * ```
 */
export function isSpawnArgument(services: ParserServicesWithTypeInformation, node: TSESTree.Node): boolean {
  const parent = node.parent;
  return (
    parent?.type === AST_NODE_TYPES.CallExpression &&
    parent.arguments.includes(node as TSESTree.CallExpressionArgument) &&
    spawnSite(services, parent) !== undefined
  );
}
