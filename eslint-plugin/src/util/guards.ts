/**
 * What the guard rules share: whether an expression is a guard, and which
 * references to a guard's variable release it or hand it on.
 */

import type { ParserServicesWithTypeInformation, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import type ts from 'typescript';

import { guardType, runtimeCallee } from './runtime.js';

/**
 * The guard type an expression evaluates to, when it is a call of the
 * runtime's (`mutex.lock()`, `cell.borrowMut()`, or a lock's `PoisonError`'s
 * `intoInner()`/`getRef()`, which takes the lock) or an `await` of one.
 *
 * @example
 * ```ts
 * guardOf(services, call); // the `MutexGuard<number>` type for `m.lock()`, undefined for `m.isPoisoned()`
 * ```
 */
export function guardOf(services: ParserServicesWithTypeInformation, node: TSESTree.Node): ts.Type | undefined {
  const call = node.type === AST_NODE_TYPES.AwaitExpression ? node.argument : node;
  // the declared result decides cheaply; only a guard-returning call is resolved, for its instantiated type
  if (call.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const callee = runtimeCallee(services, call);
  if (!callee?.returnsGuard && !(callee?.owner === 'PoisonError' && TAKES_THE_LOCK.has(callee.name))) return undefined;
  return guardType(services.getTypeAtLocation(node));
}

/** `PoisonError`'s methods that, for a lock's error, take the lock and give the guard (declared generic: the instantiated type decides). */
const TAKES_THE_LOCK = new Set(['intoInner', 'getRef']);

/**
 * Whether `node` is `name[Symbol.dispose]` called: the explicit release.
 *
 * @example
 * ```ts
 * isDisposeCall(identifier); // true for the `g` of `g[Symbol.dispose]()`
 * ```
 */
export function isDisposeCall(node: TSESTree.Identifier): boolean {
  const member = node.parent;
  return (
    member?.type === AST_NODE_TYPES.MemberExpression &&
    member.object === node &&
    member.computed &&
    member.property.type === AST_NODE_TYPES.MemberExpression &&
    member.property.object.type === AST_NODE_TYPES.Identifier &&
    member.property.object.name === 'Symbol' &&
    member.property.property.type === AST_NODE_TYPES.Identifier &&
    member.property.property.name === 'dispose' &&
    member.parent.type === AST_NODE_TYPES.CallExpression &&
    member.parent.callee === member
  );
}

/**
 * The expression a value flows into, past type-only wrappers (`as`, `!`, `satisfies`).
 *
 * @example
 * ```ts
 * outerExpression(call); // the `m.lock() as MutexGuard<number>` around `m.lock()`
 * ```
 */
export function outerExpression(node: TSESTree.Node): TSESTree.Node {
  let at = node;
  while (
    at.parent &&
    (at.parent.type === AST_NODE_TYPES.TSAsExpression ||
      at.parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      at.parent.type === AST_NODE_TYPES.TSSatisfiesExpression ||
      at.parent.type === AST_NODE_TYPES.TSTypeAssertion)
  ) {
    at = at.parent;
  }
  return at;
}

/**
 * Whether a value at `node` is handed to a new owner (returned, passed,
 * stored, yielded), so that releasing it is the owner's job.
 *
 * @example
 * ```ts
 * isHandedOn(identifier); // true for the `g` of `return g`, `cv.wait(g)`, `held.push(g)`
 * ```
 */
export function isHandedOn(node: TSESTree.Node): boolean {
  const outer = outerExpression(node);
  const parent = outer.parent;
  if (!parent) return false;
  switch (parent.type) {
    case AST_NODE_TYPES.ReturnStatement:
    case AST_NODE_TYPES.YieldExpression:
    case AST_NODE_TYPES.ArrayExpression:
    case AST_NODE_TYPES.Property:
    case AST_NODE_TYPES.AssignmentExpression:
    case AST_NODE_TYPES.ArrowFunctionExpression:
      return parent.type !== AST_NODE_TYPES.AssignmentExpression || parent.right === outer;
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression:
      return parent.arguments.includes(outer as TSESTree.CallExpressionArgument);
    default:
      return false;
  }
}
