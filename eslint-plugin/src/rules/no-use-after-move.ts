import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import { isTypeQuery } from '../util/captures.js';
import type { Cuts, PathPoint } from '../util/code-path.js';
import { CodePathTracker, addCut, reaches } from '../util/code-path.js';
import { createRule } from '../util/create-rule.js';
import { isRuntimeFunctionCall } from '../util/runtime.js';
import { typeName } from '../util/type-name.js';
import { isCopyType } from '../util/types.js';
import { NO_TYPE_INFORMATION_MESSAGE, typeInformation } from '../util/type-info.js';

export type Options = [];
export type MessageIds = 'movedInCallback' | 'movedInLoop' | 'noTypeInformation' | 'useAfterMove';

interface Move {
  readonly identifier: TSESTree.Identifier;
  /** The call that owns the move: the spawn it is passed to, or the `move(...)` itself. */
  readonly owner: TSESTree.Node;
  readonly point: PathPoint;
}

export default createRule<Options, MessageIds>({
  name: 'no-use-after-move',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow using a variable after it was moved into a thread with `move(...)`',
      recommended: 'recommended',
      requiresTypeChecking: true,
    },
    messages: {
      useAfterMove:
        'use of moved value: `{{name}}`: it was moved into a thread on line {{line}}; move occurs because `{{name}}` has type `{{type}}`, which does not implement `Copy` (a primitive); use it before the move, or move a clone',
      movedInLoop:
        'use of moved value: `{{name}}`: value moved here, in previous iteration of loop; move occurs because `{{name}}` has type `{{type}}`, which does not implement `Copy` (a primitive); move a clone in each iteration',
      movedInCallback:
        'use of moved value: `{{name}}`: value moved here, in a closure that runs more than once (it is passed to `{{callee}}`); move occurs because `{{name}}` has type `{{type}}`, which does not implement `Copy` (a primitive); move a clone in each run',
      noTypeInformation: NO_TYPE_INFORMATION_MESSAGE,
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const info = typeInformation(context);
    if ('listeners' in info) return info.listeners;
    const { services } = info;
    const checker = services.program.getTypeChecker();
    const sourceCode = context.sourceCode;
    const paths = new CodePathTracker();
    const points = new Map<TSESTree.Node, PathPoint>();
    const moves: Move[] = [];

    function isCopy(node: TSESTree.Node): boolean {
      return isCopyType(services.getTypeAtLocation(node), checker);
    }

    function referenceOf(identifier: TSESTree.Identifier): TSESLint.Scope.Reference | undefined {
      for (let scope: TSESLint.Scope.Scope | null = sourceCode.getScope(identifier); scope; scope = scope.upper) {
        const found = scope.references.find((reference) => reference.identifier === identifier);
        if (found) return found;
      }
      return undefined;
    }

    function check(move: Move, reported: Set<TSESTree.Node>): void {
      const variable = referenceOf(move.identifier)?.resolved;
      if (!variable || isCopy(move.identifier)) return;
      const cuts: Cuts = new Map();
      const uses: { identifier: TSESTree.Identifier; point: PathPoint }[] = [];
      for (const reference of variable.references) {
        if (!reference.isValueReference || isTypeQuery(reference.identifier)) continue; // `typeof v` in a type reads no value
        const identifier = reference.identifier as TSESTree.Identifier;
        const recorded = points.get(identifier);
        if (!recorded) continue;
        const point = paths.lift(recorded, identifier, move.point.codePath);
        if (!point) continue;
        if (reference.isWrite() && !reference.isRead()) {
          if (point === recorded) addCut(cuts, { ...point, offset: reference.identifier.range[1] });
          continue;
        }
        const inOwner = identifier.range[0] >= move.owner.range[0] && identifier.range[1] <= move.owner.range[1];
        if (inOwner && identifier !== move.identifier) continue;
        uses.push({ identifier, point });
      }
      const data = {
        name: move.identifier.name,
        line: String(move.identifier.loc.start.line),
        type: typeName(checker, services.getTypeAtLocation(move.identifier)),
      };
      const callee = repeatingCallee(move.identifier, variable);
      if (callee !== undefined && !reported.has(move.identifier)) {
        reported.add(move.identifier);
        context.report({ node: move.identifier, messageId: 'movedInCallback', data: { ...data, callee } });
      }
      for (const use of uses) {
        if (reported.has(use.identifier)) continue;
        const again = use.identifier === move.identifier;
        const from = again ? { ...move.point, offset: Infinity } : move.point;
        // the move's own argument is a use only when the move runs again (a loop): "value moved here, in previous iteration of loop"
        if (!reaches(from, use.point, cuts)) continue;
        reported.add(use.identifier);
        context.report({ node: use.identifier, messageId: again ? 'movedInLoop' : 'useAfterMove', data });
      }
    }

    return {
      ...paths.listeners,
      Identifier(node): void {
        points.set(node, paths.here(node));
      },
      CallExpression(node): void {
        if (!isRuntimeFunctionCall(services, node, 'move')) return;
        const parent = node.parent;
        const owner = parent.type === AST_NODE_TYPES.CallExpression && parent.arguments.includes(node) ? parent : node;
        for (const argument of node.arguments) {
          if (argument.type !== AST_NODE_TYPES.Identifier) continue;
          moves.push({ identifier: argument, owner, point: { ...paths.here(node), offset: owner.range[1] } });
        }
      },
      'Program:exit'(): void {
        const reported = new Set<TSESTree.Node>();
        for (const move of moves) check(move, reported);
      },
    };
  },
});


/**
 * Callbacks that run once per element or per event: a value captured from
 * outside and moved inside one is moved again on its second run.
 */
const REPEATING_CALLEES: ReadonlySet<string> = new Set([
  'map', 'forEach', 'flatMap', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast',
  'findLastIndex', 'from', 'setInterval', 'addEventListener', 'on',
]);

/**
 * The name of the call a move's closure is passed to, when that call runs it
 * more than once and the moved variable is declared outside the closure.
 */
function repeatingCallee(identifier: TSESTree.Identifier, variable: TSESLint.Scope.Variable): string | undefined {
  let fn: TSESTree.Node | undefined = identifier.parent;
  while (fn && fn.type !== AST_NODE_TYPES.ArrowFunctionExpression && fn.type !== AST_NODE_TYPES.FunctionExpression) fn = fn.parent;
  if (!fn) return undefined;
  const declaredInside = variable.defs.some((definition) => definition.name.range[0] >= fn.range[0] && definition.name.range[1] <= fn.range[1]);
  if (declaredInside) return undefined;
  const call = fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(fn)) return undefined;
  const name =
    call.callee.type === AST_NODE_TYPES.Identifier
      ? call.callee.name
      : call.callee.type === AST_NODE_TYPES.MemberExpression && call.callee.property.type === AST_NODE_TYPES.Identifier
        ? call.callee.property.name
        : undefined;
  return name !== undefined && REPEATING_CALLEES.has(name) ? name : undefined;
}
