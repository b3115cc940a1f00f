import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import { whyNot } from '../util/auto-trait.js';
import { createRule } from '../util/create-rule.js';
import { argumentLabel, traitMessageData } from '../util/messages.js';
import { isRuntimeFunctionCall } from '../util/runtime.js';
import { isSpawnArgument } from '../util/spawn-site.js';
import { NO_TYPE_INFORMATION_MESSAGE, typeInformation } from '../util/type-info.js';

export type Options = [];
export type MessageIds = 'noTypeInformation' | 'notSend';

export default createRule<Options, MessageIds>({
  name: 'no-non-send-capture',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow moving values that are not `Send` into threads',
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

    function check(node: TSESTree.Node, root: string, cause: string): void {
      const failure = whyNot(checker, services.getTypeAtLocation(node), 'Send');
      if (failure) context.report({ node, messageId: 'notSend', data: { ...traitMessageData(failure, root), cause } });
    }

    return {
      CallExpression(node): void {
        if (!isRuntimeFunctionCall(services, node, 'move')) return;
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
