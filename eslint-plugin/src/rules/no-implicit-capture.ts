import type { ParserServicesWithTypeInformation, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, TSESLint } from '@typescript-eslint/utils';
import ts from 'typescript';

import { whyNot } from '../util/auto-trait.js';
import type { Capture } from '../util/captures.js';
import { capturesOf } from '../util/captures.js';
import { createRule } from '../util/create-rule.js';
import { RUNTIME_PACKAGE, isRuntimeFile, resolveAlias } from '../util/runtime.js';
import type { SpawnSite } from '../util/spawn-site.js';
import { spawnSite } from '../util/spawn-site.js';
import { NO_TYPE_INFORMATION_MESSAGE, typeInformation } from '../util/type-info.js';

export type Options = [];
export type MessageIds = 'implicitCapture' | 'implicitCaptureNotSend' | 'mainThreadGlobal' | 'moveIn' | 'noTypeInformation';

export default createRule<Options, MessageIds>({
  name: 'no-implicit-capture',
  meta: {
    type: 'problem',
    hasSuggestions: true,
    docs: {
      description: 'Disallow closures passed to `spawn` that refer to variables from outside them without moving them in',
      recommended: 'recommended',
      requiresTypeChecking: true,
    },
    messages: {
      implicitCapture:
        '`{{name}}` is captured by the closure passed to `spawn` without being moved: the closure runs in another thread, where `{{name}}` does not exist (a `ReferenceError`); move it in with `move({{name}})`',
      implicitCaptureNotSend:
        '`{{name}}` is captured by the closure passed to `spawn` without being moved: the closure runs in another thread, where `{{name}}` does not exist (a `ReferenceError`), and it cannot be moved there because it is not `Send`; create it inside the closure, or share it through a `Send` handle',
      mainThreadGlobal:
        '`{{name}}` is a global of the main thread, and the closure passed to `spawn` runs in a worker, which may not have it; pass what it needs with `move(...)`',
      moveIn: 'Move `{{name}}` into the thread with `move({{name}})`',
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
    const scopeManager = sourceCode.scopeManager!;

    function report(site: SpawnSite, capture: Capture): void {
      const node = capture.references[0].identifier;
      const data = { name: capture.name };
      if (capture.kind === 'mainThreadGlobal') {
        context.report({ node, messageId: 'mainThreadGlobal', data });
        return;
      }
      if (whyNot(checker, services.getTypeAtLocation(node), 'Send')) {
        context.report({ node, messageId: 'implicitCaptureNotSend', data });
        return;
      }
      const fix = moveInFix(sourceCode, services, site, capture.name);
      context.report({
        node,
        messageId: 'implicitCapture',
        data,
        suggest: fix ? [{ messageId: 'moveIn', data, fix }] : [],
      });
    }

    return {
      CallExpression(node): void {
        const site = spawnSite(services, node);
        if (!site?.body) return;
        for (const capture of capturesOf(scopeManager, services, site.body)) report(site, capture);
      },
    };
  },
});

/**
 * The suggestion's edit: add `name` to the site's `move(...)` (or add one),
 * and a parameter of that name to the closure, in the place the runtime
 * passes it (borrowed values first, then moved ones). `undefined` when the
 * closure's parameters do not line up with the values passed.
 */
function moveInFix(
  sourceCode: Readonly<TSESLint.SourceCode>,
  services: ParserServicesWithTypeInformation,
  site: SpawnSite,
  name: string,
): TSESLint.ReportFixFunction | undefined {
  const body = site.body!;
  if (!site.capturesKnown || site.call.arguments[site.call.arguments.length - 1] !== body) return undefined;
  const passed = [site.moveCall, site.borrowCall].flatMap((call) => call?.arguments ?? []);
  if (passed.some((argument) => argument.type === AST_NODE_TYPES.SpreadElement)) return undefined;
  const params = body.params;
  if (params.length !== passed.length || params.some((param) => param.type === AST_NODE_TYPES.RestElement)) return undefined;
  const moveName = site.moveCall ? undefined : moveReference(sourceCode, services);
  if (!site.moveCall && moveName === undefined) return undefined;
  const parenthesis = params.length === 0 ? sourceCode.getFirstToken(body, { filter: (token) => token.value === '(' }) : null;
  if (params.length === 0 && !parenthesis) return undefined;

  return (fixer) => {
    const fixes: TSESLint.RuleFix[] = [];
    const moveCall = site.moveCall;
    if (moveCall) {
      const last = moveCall.arguments[moveCall.arguments.length - 1];
      fixes.push(last ? fixer.insertTextAfter(last, `, ${name}`) : fixer.insertTextBefore(sourceCode.getLastToken(moveCall)!, name));
    } else {
      const { reference, importText, addTo } = moveName!;
      fixes.push(fixer.insertTextBefore(body, `${reference}(${name}), `));
      if (addTo) fixes.push(fixer.insertTextAfter(addTo, ', move'));
      else if (importText) fixes.push(fixer.insertTextBefore(sourceCode.ast.body[0], importText));
    }
    const lastParam = params[params.length - 1];
    if (!lastParam) fixes.push(fixer.insertTextAfter(parenthesis!, name));
    else if (sourceCode.getTokenBefore(lastParam)?.value === '(' || params.length > 1) fixes.push(fixer.insertTextAfter(lastParam, `, ${name}`));
    else fixes.push(fixer.replaceText(lastParam, `(${sourceCode.getText(lastParam)}, ${name})`));
    return fixes;
  };
}

/**
 * How this file can call the runtime's `move`: an import of it (under any
 * name), a namespace import of the runtime, or, when the name is free, `move`
 * added to an existing named import of the runtime (`addTo`: its last
 * specifier) or a new `import { move }`.
 */
function moveReference(
  sourceCode: Readonly<TSESLint.SourceCode>,
  services: ParserServicesWithTypeInformation,
): { reference: string; importText: string; addTo?: TSESTree.ImportSpecifier } | undefined {
  const checker = services.program.getTypeChecker();
  const moduleScope = sourceCode.scopeManager!.globalScope!.childScopes.find((scope) => scope.type === TSESLint.Scope.ScopeType.module);
  const scope = moduleScope ?? sourceCode.scopeManager!.globalScope!;
  for (const variable of scope.variables) {
    const definition = variable.defs[0];
    if (definition?.type !== TSESLint.Scope.DefinitionType.ImportBinding) continue;
    const tsNode = services.esTreeNodeToTSNodeMap.get(definition.node) as ts.Node;
    const symbol = resolveAlias(checker, checker.getSymbolAtLocation((tsNode as ts.NamedDeclaration).name ?? tsNode));
    const declaration = symbol?.declarations?.[0];
    if (!symbol || !declaration || !isRuntimeFile(declaration.getSourceFile())) continue;
    if (ts.isSourceFile(declaration) && checker.getExportsOfModule(symbol).some((exported) => exported.name === 'move')) {
      return { reference: `${variable.name}.move`, importText: '' };
    }
    if (symbol.name === 'move' && ts.isFunctionDeclaration(declaration)) return { reference: variable.name, importText: '' };
  }
  if (scope.set.has('move') || sourceCode.scopeManager!.globalScope!.set.has('move')) return undefined;
  const runtimeImport = sourceCode.ast.body.find(
    (statement): statement is TSESTree.ImportDeclaration =>
      statement.type === AST_NODE_TYPES.ImportDeclaration &&
      statement.source.value === RUNTIME_PACKAGE &&
      statement.importKind !== 'type' &&
      statement.specifiers.some((specifier) => specifier.type === AST_NODE_TYPES.ImportSpecifier),
  );
  const specifiers = runtimeImport?.specifiers.filter((specifier) => specifier.type === AST_NODE_TYPES.ImportSpecifier) ?? [];
  const addTo = specifiers[specifiers.length - 1];
  if (addTo) return { reference: 'move', importText: '', addTo };
  return { reference: 'move', importText: `import { move } from '${RUNTIME_PACKAGE}';\n` };
}
