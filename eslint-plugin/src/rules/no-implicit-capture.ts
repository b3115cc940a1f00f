import { createRule } from '../util/create-rule.js';
import { captureVerdict } from '../util/capture-verdict.js';
import type { Capture } from '../util/captures.js';
import { capturesOf } from '../util/captures.js';
import { passInFix } from '../util/pass-in-fix.js';
import type { SpawnSite } from '../util/spawn-site.js';
import { spawnSite } from '../util/spawn-site.js';
import { NO_TYPE_INFORMATION_MESSAGE, typeInformation } from '../util/type-info.js';

export type Options = [];
export type MessageIds = 'borrowIn' | 'implicitBorrow' | 'implicitCapture' | 'mainThreadGlobal' | 'moveIn' | 'noTypeInformation';

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
      switch (verdict.kind) {
        case 'mainThreadGlobal':
          context.report({ node, messageId: 'mainThreadGlobal', data });
          return;
        case 'notSync':
          return; // rustc's E0277: `no-non-sync-borrow` reports it
        case 'borrow': {
          const fix = capture.name === 'this' ? undefined : passInFix(sourceCode, services, site, capture.name, 'borrow');
          context.report({ node, messageId: 'implicitBorrow', data, suggest: fix ? [{ messageId: 'borrowIn', data, fix }] : [] });
          return;
        }
        default: {
          // never `move(fn)`: a function or class is not Send, it is imported
          const fix = verdict.kind === 'move' && capture.name !== 'this' ? passInFix(sourceCode, services, site, capture.name, 'move') : undefined;
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
