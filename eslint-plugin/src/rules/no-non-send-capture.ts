import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import ts from 'typescript';

import { whyNot } from '../util/auto-trait.js';
import { createRule } from '../util/create-rule.js';
import { findFirst } from '../util/find-first.js';
import { helperArguments } from '../util/helper-call.js';
import { argumentLabel, traitMessageData } from '../util/messages.js';
import { isRuntimeFunctionCall } from '../util/runtime.js';
import type { FunctionNode, SpawnSite } from '../util/spawn-site.js';
import { isSpawnArgument, spawnSite } from '../util/spawn-site.js';
import { NO_TYPE_INFORMATION_MESSAGE, typeInformation } from '../util/type-info.js';
import { isPromiseLike } from '../util/types.js';

export type Options = [];
export type MessageIds = 'noTypeInformation' | 'notSend';

export default createRule<Options, MessageIds>({
  name: 'no-non-send-capture',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow moving values that are not `Send` into threads, and threads whose result is not `Send`',
      recommended: 'recommended',
      requiresTypeChecking: true,
    },
    messages: {
      notSend: '{{problem}}{{reason}}; required because {{cause}}',
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

    function check(node: TSESTree.Node, root: string, cause: string, type = services.getTypeAtLocation(node)): void {
      const failure = whyNot(checker, type, 'Send');
      if (failure) context.report({ node, messageId: 'notSend', data: { ...traitMessageData(failure, root), cause } });
    }

    /**
     * A thread's result crosses back to the thread that joins it, once a
     * promise the closure returns has settled (an `async` closure's, or any
     * other: the marker's `CheckSendAwaited`). A closure that is not written
     * here (a parameter, `spawn(body)`) is checked through its type.
     */
    function checkResult(site: SpawnSite): void {
      const closure = site.body ?? site.call.arguments[site.call.arguments.length - 1];
      const signature = checker.getSignaturesOfType(services.getTypeAtLocation(closure), ts.SignatureKind.Call)[0];
      if (!signature) return;
      const returned = checker.getReturnTypeOfSignature(signature);
      const awaited = site.body?.async === true || isPromiseLike(checker, returned);
      const result = awaited ? (checker.getAwaitedType(returned) ?? returned) : returned;
      check(site.body ? resultNode(site.body) : closure, 'result', 'the result of the closure passed to `spawn` is sent to the thread that joins it', result);
    }

    return {
      CallExpression(node): void {
        const site = spawnSite(services, node);
        if (site) checkResult(site);
        if (!isRuntimeFunctionCall(services, node, 'move')) {
          for (const { argument, label, by } of helperArguments(services, node, 'Send')) check(argument, label, `\`${label}\` is ${by}`);
          return;
        }
        const into = isSpawnArgument(services, node) ? 'moved into the closure passed to `spawn`' : 'moved with `move(...)`';
        node.arguments.forEach((argument, index) => {
          // a spread (`...rcs`) passes its elements: the walk of the array or tuple reaches them (`rcs[i]`)
          const value = argument.type === AST_NODE_TYPES.SpreadElement ? argument.argument : argument;
          const label = argumentLabel(value, 'captures', index);
          check(value, label, `\`${label}\` is ${into}`);
        });
      },
    };
  },
});

/** Where a closure's result is written: its expression body, or its first `return` with a value, or the closure. */
function resultNode(fn: FunctionNode): TSESTree.Node {
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return fn.body;
  return firstReturned(fn.body) ?? fn;
}

function firstReturned(body: TSESTree.BlockStatement): TSESTree.Node | undefined {
  return findFirst(body, (node) => {
    if (node.type === AST_NODE_TYPES.ReturnStatement) return node.argument ?? 'skip';
    return isFunctionOrClass(node) ? 'skip' : undefined;
  });
}

function isFunctionOrClass(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.FunctionDeclaration ||
    node.type === AST_NODE_TYPES.FunctionExpression ||
    node.type === AST_NODE_TYPES.ArrowFunctionExpression ||
    node.type === AST_NODE_TYPES.ClassBody
  );
}
