import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import { whyNot } from '../util/auto-trait.js';
import { createRule } from '../util/create-rule.js';
import { argumentLabel, traitMessageData } from '../util/messages.js';
import { isRuntimeFunctionCall } from '../util/runtime.js';
import { isSpawnArgument } from '../util/spawn-site.js';
import { NO_TYPE_INFORMATION_MESSAGE, typeInformation } from '../util/type-info.js';

export type Options = [];
export type MessageIds = 'noTypeInformation' | 'notSync' | 'notSyncInteriorMutability';

/** The runtime's single-threaded interior mutability, for which rustc suggests `RwLock` or an atomic. */
const INTERIOR_MUTABILITY = new Set(['Cell', 'RefCell', 'OnceCell']);

export default createRule<Options, MessageIds>({
  name: 'no-non-sync-borrow',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow borrowing values that are not `Sync` into scoped threads',
      recommended: 'recommended',
      requiresTypeChecking: true,
    },
    messages: {
      notSync: '{{problem}}{{reason}}; required because {{cause}}',
      notSyncInteriorMutability:
        '{{problem}}{{reason}}; required because {{cause}}; if you want to do aliasing and mutation between multiple threads, use `RwLock` or an atomic instead',
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

    return {
      CallExpression(node): void {
        if (!isRuntimeFunctionCall(services, node, 'borrow')) return;
        const by = isSpawnArgument(services, node) ? 'borrowed by the closure passed to `spawn`' : 'borrowed with `borrow(...)`';
        node.arguments.forEach((argument, index) => {
          if (argument.type === AST_NODE_TYPES.SpreadElement) return;
          const failure = whyNot(checker, services.getTypeAtLocation(argument), 'Sync');
          if (!failure) return;
          const label = argumentLabel(argument, 'borrows', index);
          const interior = failure.kind === 'rejected' && failure.brand !== undefined && INTERIOR_MUTABILITY.has(failure.brand);
          context.report({
            node: argument,
            messageId: interior ? 'notSyncInteriorMutability' : 'notSync',
            data: { ...traitMessageData(failure, label), cause: `\`${label}\` is ${by}` },
          });
        });
      },
    };
  },
});
