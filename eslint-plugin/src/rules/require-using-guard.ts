import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import type ts from 'typescript';

import type { Cuts, PathPoint } from '../util/code-path.js';
import { CodePathTracker, addCut, escapes } from '../util/code-path.js';
import { createRule } from '../util/create-rule.js';
import { guardOf, isDisposeCall, isHandedOn, outerExpression } from '../util/guards.js';
import { typeName } from '../util/type-name.js';
import { NO_TYPE_INFORMATION_MESSAGE, typeInformation } from '../util/type-info.js';

export type Options = [];
export type MessageIds = 'discarded' | 'noTypeInformation' | 'notReleased' | 'useUsing';

interface Candidate {
  readonly node: TSESTree.Node;
  readonly guard: ts.Type;
}

export default createRule<Options, MessageIds>({
  name: 'require-using-guard',
  meta: {
    type: 'problem',
    hasSuggestions: true,
    docs: {
      description: 'Require guards (`lock()`, `read()`, `write()`, `borrow()`, `borrowMut()`) to be bound with `using` or released on every path',
      recommended: 'recommended',
      requiresTypeChecking: true,
    },
    messages: {
      notReleased:
        'this `{{guard}}` is not released on every path, so the lock can stay held: bind it with `using` (`using {{name}} = …`) so that it is released at the end of its block',
      discarded:
        'this `{{guard}}` is never released, so the lock stays held: bind it with `using` (`using guard = …`) and work through `guard.value`',
      useUsing: 'Bind it with `using`',
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
    const candidates: Candidate[] = [];

    function candidate(node: TSESTree.CallExpression | TSESTree.AwaitExpression): void {
      if (node.type === AST_NODE_TYPES.CallExpression && node.parent.type === AST_NODE_TYPES.AwaitExpression) return;
      const guard = guardOf(services, node);
      if (guard) candidates.push({ node, guard });
    }

    function checkDeclared(candidate: Candidate, declarator: TSESTree.VariableDeclarator): void {
      const declaration = declarator.parent;
      if (declaration.kind === 'using' || declaration.kind === 'await using') return;
      if (declarator.id.type !== AST_NODE_TYPES.Identifier) return;
      const variable = sourceCode.getDeclaredVariables(declarator)[0];
      const start = points.get(declarator);
      if (!variable || !start) return;
      const cuts: Cuts = new Map();
      for (const reference of variable.references) {
        const identifier = reference.identifier as TSESTree.Identifier;
        if (reference.init) continue;
        const absentBranch = nullishBranch(identifier);
        if (absentBranch) {
          // `if (guard === undefined) return;`: on that branch there is no guard to release
          const point = points.get(absentBranch);
          if (point && point.codePath === start.codePath) addCut(cuts, point);
          continue;
        }
        if (!isDisposeCall(identifier) && !isHandedOn(identifier)) continue;
        const point = points.get(identifier);
        if (point && point.codePath === start.codePath) addCut(cuts, point);
      }
      if (!escapes({ ...start, offset: declarator.range[1] }, cuts)) return;
      const name = declarator.id.name;
      const canUse =
        declaration.kind === 'const' &&
        declaration.declarations.length === 1 &&
        (declaration.parent.type === AST_NODE_TYPES.BlockStatement ||
          declaration.parent.type === AST_NODE_TYPES.Program ||
          declaration.parent.type === AST_NODE_TYPES.StaticBlock ||
          declaration.parent.type === AST_NODE_TYPES.SwitchCase);
      const keyword = sourceCode.getFirstToken(declaration)!;
      context.report({
        node: candidate.node,
        messageId: 'notReleased',
        data: { guard: typeName(checker, candidate.guard), name },
        suggest: canUse ? [{ messageId: 'useUsing', fix: (fixer): TSESLint.RuleFix => fixer.replaceText(keyword, 'using') }] : [],
      });
    }

    return {
      ...paths.listeners,
      Identifier(node): void {
        points.set(node, paths.here(node));
      },
      VariableDeclarator(node): void {
        points.set(node, paths.here(node));
      },
      ':statement'(node: TSESTree.Node): void {
        points.set(node, paths.here(node));
      },
      CallExpression: candidate,
      AwaitExpression: candidate,
      'Program:exit'(): void {
        for (const found of candidates) {
          const outer = outerExpression(found.node);
          const parent = outer.parent!;
          if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.init === outer) checkDeclared(found, parent);
          else if (
            parent.type === AST_NODE_TYPES.ExpressionStatement ||
            (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === outer) ||
            (parent.type === AST_NODE_TYPES.ChainExpression && parent.expression === outer)
          ) {
            context.report({ node: found.node, messageId: 'discarded', data: { guard: typeName(checker, found.guard) } });
          }
          // anything else hands the guard on (returned, passed, stored): its new owner releases it
        }
      },
    };
  },
});

/**
 * The branch of an `if` on which a guard from a `try...()` is absent:
 * the consequent of `if (guard === undefined)`, `if (guard == null)` or
 * `if (!guard)`, when `identifier` is that test's operand.
 */
function nullishBranch(identifier: TSESTree.Identifier): TSESTree.Statement | undefined {
  const test = identifier.parent;
  const ifStatement = test.parent;
  if (ifStatement?.type !== AST_NODE_TYPES.IfStatement || ifStatement.test !== test) return undefined;
  if (test.type === AST_NODE_TYPES.UnaryExpression && test.operator === '!') return ifStatement.consequent;
  if (test.type !== AST_NODE_TYPES.BinaryExpression || (test.operator !== '===' && test.operator !== '==')) return undefined;
  const other = test.left === identifier ? test.right : test.left;
  const isNullish =
    (other.type === AST_NODE_TYPES.Identifier && other.name === 'undefined') ||
    (other.type === AST_NODE_TYPES.Literal && other.value === null);
  return isNullish ? ifStatement.consequent : undefined;
}
