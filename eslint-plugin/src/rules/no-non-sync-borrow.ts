import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import type { Failure } from '../util/auto-trait.js';
import { whyNot } from '../util/auto-trait.js';
import { captureVerdict } from '../util/capture-verdict.js';
import { capturesOf } from '../util/captures.js';
import { createRule } from '../util/create-rule.js';
import { helperArguments } from '../util/helper-call.js';
import { argumentLabel, traitMessageData } from '../util/messages.js';
import { isRuntimeFunctionCall } from '../util/runtime.js';
import { passInFix } from '../util/pass-in-fix.js';
import type { SpawnSite } from '../util/spawn-site.js';
import { isSpawnArgument, spawnSite } from '../util/spawn-site.js';
import { NO_TYPE_INFORMATION_MESSAGE, typeInformation } from '../util/type-info.js';

export type Options = [];
export type MessageIds = 'moveIn' | 'noTypeInformation' | 'notSync' | 'notSyncInteriorMutability';

/** The runtime's single-threaded interior mutability, for which rustc suggests `RwLock` or an atomic. */
const INTERIOR_MUTABILITY = new Set(['Cell', 'RefCell', 'OnceCell']);

export default createRule<Options, MessageIds>({
  name: 'no-non-sync-borrow',
  meta: {
    type: 'problem',
    hasSuggestions: true,
    docs: {
      description: 'Disallow lending values that are not `Sync` to scoped threads, with `borrow(...)` or by referring to them',
      recommended: 'recommended',
      requiresTypeChecking: true,
    },
    messages: {
      notSync: '{{problem}}{{reason}}; required because {{cause}}',
      notSyncInteriorMutability:
        '{{problem}}{{reason}}; required because {{cause}}; if you want to do aliasing and mutation between multiple threads, use `RwLock` or an atomic instead',
      moveIn: 'Move `{{name}}` into the thread with `move({{name}})` instead: it is Send',
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

    function report(node: TSESTree.Node, failure: Failure, label: string, by: string, site?: SpawnSite): void {
      const interior = failure.kind === 'rejected' && failure.brand !== undefined && INTERIOR_MUTABILITY.has(failure.brand);
      const fix = site && passInFix(sourceCode, services, site, label, 'move');
      context.report({
        node,
        messageId: interior ? 'notSyncInteriorMutability' : 'notSync',
        data: { ...traitMessageData(failure, label), cause: `\`${label}\` is ${by}` },
        suggest: fix ? [{ messageId: 'moveIn', data: { name: label }, fix }] : [],
      });
    }

    return {
      CallExpression(node): void {
        if (isRuntimeFunctionCall(services, node, 'borrow')) {
          const by = isSpawnArgument(services, node) ? 'borrowed by the closure passed to `spawn`' : 'borrowed with `borrow(...)`';
          node.arguments.forEach((argument, index) => {
            // a spread (`...cells`) lends its elements: the walk of the array or tuple reaches them (`cells[i]`)
            const value = argument.type === AST_NODE_TYPES.SpreadElement ? argument.argument : argument;
            const failure = whyNot(checker, services.getTypeAtLocation(value), 'Sync');
            if (failure) report(value, failure, argumentLabel(value, 'borrows', index), by);
          });
          return;
        }
        for (const { argument, label, by } of helperArguments(services, node, 'Sync')) {
          const failure = whyNot(checker, services.getTypeAtLocation(argument), 'Sync');
          if (failure) report(argument, failure, label, by);
        }
        // a scoped thread's closure borrows what it refers to, as a Rust closure does
        const site = spawnSite(services, node);
        if (!site?.body || !site.scoped) return;
        for (const capture of capturesOf(sourceCode.scopeManager!, site.body)) {
          const verdict = captureVerdict(services, capture, true);
          if (verdict.kind !== 'notSync') continue;
          const label = capture.name === 'this' ? sourceCode.getText(capture.node) : capture.name;
          report(capture.node, verdict.failure, label, 'borrowed by the closure passed to `spawn`', verdict.sendable && capture.name !== 'this' ? site : undefined);
        }
      },
    };
  },
});
