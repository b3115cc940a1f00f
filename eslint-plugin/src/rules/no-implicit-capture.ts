import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import { createRule } from '../util/create-rule.js';
import type { CaptureVerdict } from '../util/capture-verdict.js';
import { captureVerdict } from '../util/capture-verdict.js';
import type { Capture } from '../util/captures.js';
import { capturesOf } from '../util/captures.js';
import { chainText } from '../util/messages.js';
import { passInFix } from '../util/pass-in-fix.js';
import type { SpawnSite } from '../util/spawn-site.js';
import { spawnSite } from '../util/spawn-site.js';
import { NO_TYPE_INFORMATION_MESSAGE, typeInformation } from '../util/type-info.js';

export type Options = [];
export type MessageIds = 'borrowIn' | 'implicitBorrow' | 'implicitCapture' | 'mainThreadGlobal' | 'moveIn' | 'noTypeInformation' | 'thisCapture';

export default createRule<Options, MessageIds>({
  name: 'no-implicit-capture',
  meta: {
    type: 'problem',
    hasSuggestions: true,
    docs: {
      description: 'Disallow closures passed to `spawn` that refer to names of their module other than its imports',
      recommended: 'recommended',
      requiresTypeChecking: true,
    },
    messages: {
      implicitCapture:
        '`{{name}}` is not an import of this module, so the thread that runs the closure passed to `spawn` cannot have it: move it to its own module and import it, or `move(...)` it if it is Send data',
      implicitBorrow:
        '`{{name}}` is not an import of this module, so the scoped thread that runs the closure passed to `spawn` cannot have it: lend it with `borrow({{name}})`',
      thisCapture:
        '`{{chain}}`: the closure passed to `spawn` reads the `this` of the method around it, which is only valid in that method, and the thread cannot have it (rustc: borrowed data escapes outside of method); {{advice}}',
      mainThreadGlobal:
        '`{{name}}` is a global of the main thread, and the closure passed to `spawn` runs in a worker, which may not have it; pass what it needs with `move(...)`',
      moveIn: 'Move `{{name}}` into the thread with `move({{name}})`',
      borrowIn: 'Lend `{{name}}` to the thread with `borrow({{name}})`',
      noTypeInformation: NO_TYPE_INFORMATION_MESSAGE,
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const info = typeInformation(context);
    if ('listeners' in info) return info.listeners;
    const { services } = info;
    const sourceCode = context.sourceCode;
    const scopeManager = sourceCode.scopeManager!;

    function report(site: SpawnSite, capture: Capture): void {
      const node = capture.node;
      const data = { name: capture.name };
      const verdict = captureVerdict(services, capture, site.scoped);
      if (capture.name === 'this') {
        const chain = chainText(node) ?? 'this';
        if (verdict.kind !== 'notSync') context.report({ node, messageId: 'thisCapture', data: { chain, advice: thisAdvice(node, chain, verdict.kind) } });
        return;
      }
      switch (verdict.kind) {
        case 'mainThreadGlobal':
          context.report({ node, messageId: 'mainThreadGlobal', data });
          return;
        case 'notSync':
          return; // rustc's E0277: `no-non-sync-borrow` reports it
        case 'borrow': {
          const fix = passInFix(sourceCode, services, site, capture.name, 'borrow');
          context.report({ node, messageId: 'implicitBorrow', data, suggest: fix ? [{ messageId: 'borrowIn', data, fix }] : [] });
          return;
        }
        default: {
          // never `move(fn)`: a function or class is not Send, it is imported
          const fix = verdict.kind === 'move' ? passInFix(sourceCode, services, site, capture.name, 'move') : undefined;
          context.report({ node, messageId: 'implicitCapture', data, suggest: fix ? [{ messageId: 'moveIn', data, fix }] : [] });
        }
      }
    }

    return {
      CallExpression(node): void {
        const site = spawnSite(services, node);
        if (!site?.body) return;
        for (const capture of capturesOf(scopeManager, site.body)) report(site, capture);
      },
    };
  },
});

/**
 * rustc's way out of "borrowed data escapes outside of method": read the
 * field into a local before the thread starts and pass the local
 * (`let size = self.size; thread::spawn(move || size)`).
 */
function thisAdvice(node: TSESTree.Node, chain: string, verdict: CaptureVerdict['kind']): string {
  if (verdict === 'declaration') return 'a function does not cross threads: import it from a module of its own';
  const how = verdict === 'borrow' ? 'borrow' : 'move';
  if (node.type !== AST_NODE_TYPES.MemberExpression || node.property.type !== AST_NODE_TYPES.Identifier) {
    return `read the fields it needs into locals before the spawn and pass them with \`${how}(...)\``;
  }
  if (verdict === 'notSend') return `\`${chain}\` is not Send either: read the Send data the thread needs into locals before the spawn and pass them with \`move(...)\``;
  const local = node.property.name;
  return `read it into a local before the spawn (\`const ${local} = ${chain};\`) and pass that with \`${how}(${local})\``;
}

