import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import { createRule } from '../util/create-rule.js';
import { guardOf } from '../util/guards.js';
import { typeName } from '../util/type-name.js';
import { NO_TYPE_INFORMATION_MESSAGE, typeInformation } from '../util/type-info.js';

export type Options = [];
export type MessageIds = 'heldAcrossAwait' | 'noTypeInformation';

type FunctionNode = TSESTree.ArrowFunctionExpression | TSESTree.FunctionDeclaration | TSESTree.FunctionExpression;

interface Held {
  readonly declarator: TSESTree.VariableDeclarator & { id: TSESTree.Identifier };
  readonly guard: string;
  readonly block: TSESTree.Node;
  readonly fn: FunctionNode;
  readonly using: boolean;
}

export default createRule<Options, MessageIds>({
  name: 'no-guard-across-await',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow holding a `Mutex` or `RwLock` guard, or a `RefCell` borrow, across an `await`',
      recommended: 'recommended',
      requiresTypeChecking: true,
    },
    messages: {
      heldAcrossAwait:
        'this `{{guard}}` is held across an `await` point (line {{line}}): while the function is suspended, other code on this thread that takes the same lock or borrow deadlocks or fails; release `{{name}}` before awaiting (end its block, or call `{{name}}[Symbol.dispose]()`), or use the awaitable lock',
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
    const functions: FunctionNode[] = [];
    const held: Held[] = [];
    const awaits: { node: TSESTree.Node; fn: FunctionNode }[] = [];

    function enter(node: FunctionNode): void {
      functions.push(node);
    }
    function leave(): void {
      functions.pop();
    }
    function currentAsync(): FunctionNode | undefined {
      const fn = functions[functions.length - 1];
      return fn?.async ? fn : undefined;
    }

    return {
      ArrowFunctionExpression: enter,
      'ArrowFunctionExpression:exit': leave,
      FunctionDeclaration: enter,
      'FunctionDeclaration:exit': leave,
      FunctionExpression: enter,
      'FunctionExpression:exit': leave,
      VariableDeclarator(node): void {
        const fn = currentAsync();
        if (!fn || !node.init || node.id.type !== AST_NODE_TYPES.Identifier) return;
        const guard = guardOf(services, node.init);
        if (!guard) return;
        const declaration = node.parent;
        held.push({
          declarator: node as Held['declarator'],
          guard: typeName(checker, guard),
          block: declaration.parent,
          fn,
          using: declaration.kind === 'using' || declaration.kind === 'await using',
        });
      },
      AwaitExpression(node): void {
        const fn = currentAsync();
        if (fn) awaits.push({ node, fn });
      },
      'ForOfStatement[await=true]'(node: TSESTree.ForOfStatement): void {
        const fn = currentAsync();
        if (fn) awaits.push({ node, fn });
      },
      'Program:exit'(): void {
        for (const guard of held) {
          const start = guard.declarator.range[1];
          const end = releaseOffset(guard) ?? guard.block.range[1];
          const across = awaits.find(({ node, fn }) => fn === guard.fn && node.range[0] > start && node.range[0] < end);
          if (!across) continue;
          context.report({
            node: guard.declarator.id,
            messageId: 'heldAcrossAwait',
            data: { guard: guard.guard, name: guard.declarator.id.name, line: String(across.node.loc.start.line) },
          });
        }
      },
    };
  },
});

/**
 * Where a guard bound without `using` is released unconditionally: the first
 * `name[Symbol.dispose]()` statement of its own block.
 */
function releaseOffset(guard: Held): number | undefined {
  if (guard.using || !('body' in guard.block) || !Array.isArray(guard.block.body)) return undefined;
  const name = guard.declarator.id.name;
  for (const statement of guard.block.body as TSESTree.Node[]) {
    if (statement.range[0] < guard.declarator.range[1] || statement.type !== AST_NODE_TYPES.ExpressionStatement) continue;
    const call = statement.expression;
    if (
      call.type === AST_NODE_TYPES.CallExpression &&
      call.callee.type === AST_NODE_TYPES.MemberExpression &&
      call.callee.computed &&
      call.callee.object.type === AST_NODE_TYPES.Identifier &&
      call.callee.object.name === name &&
      call.callee.property.type === AST_NODE_TYPES.MemberExpression &&
      call.callee.property.object.type === AST_NODE_TYPES.Identifier &&
      call.callee.property.object.name === 'Symbol' &&
      call.callee.property.property.type === AST_NODE_TYPES.Identifier &&
      call.callee.property.property.name === 'dispose'
    ) {
      return statement.range[0];
    }
  }
  return undefined;
}
