/**
 * The suggestion that passes a captured value to its thread explicitly:
 * `move(x)` or `borrow(x)` added to the spawn call, and a parameter of that
 * name added to the closure where the runtime passes it (borrowed values
 * first, then moved ones).
 */

import type { ParserServicesWithTypeInformation, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, TSESLint } from '@typescript-eslint/utils';
import ts from 'typescript';

import { RUNTIME_PACKAGE, isRuntimeFile, resolveAlias } from './runtime.js';
import type { SpawnSite } from './spawn-site.js';

/** How a value reaches the thread. */
export type PassBy = 'move' | 'borrow';

/**
 * The edit that passes `name` to the site's thread by `how`, or `undefined`
 * when the closure's parameters do not line up with the values passed (a
 * spread, a rest parameter, a closure declared elsewhere).
 *
 * @example
 * ```ts
 * // spawn(() => a + 1)  becomes  spawn(move(a), (a) => a + 1)
 * passInFix(sourceCode, services, site, 'a', 'move');
 * ```
 */
export function passInFix(
  sourceCode: Readonly<TSESLint.SourceCode>,
  services: ParserServicesWithTypeInformation,
  site: SpawnSite,
  name: string,
  how: PassBy,
): TSESLint.ReportFixFunction | undefined {
  const body = site.body!;
  if (!site.capturesKnown || site.call.arguments[site.call.arguments.length - 1] !== body) return undefined;
  const passCall = how === 'move' ? site.moveCall : site.borrowCall;
  const passed = [site.borrowCall, site.moveCall].flatMap((call) => call?.arguments ?? []);
  if (passed.some((argument) => argument.type === AST_NODE_TYPES.SpreadElement)) return undefined;
  const params = body.params;
  if (params.length !== passed.length || params.some((param) => param.type === AST_NODE_TYPES.RestElement)) return undefined;
  const reference = passCall ? undefined : runtimeReference(sourceCode, services, how);
  if (!passCall && reference === undefined) return undefined;
  const parenthesis = params.length === 0 ? sourceCode.getFirstToken(body, { filter: (token) => token.value === '(' }) : null;
  if (params.length === 0 && !parenthesis) return undefined;
  // the new parameter's place: after the borrowed ones for a borrow, last for a move
  const at = how === 'borrow' ? (site.borrowCall?.arguments.length ?? 0) : params.length;

  return (fixer) => {
    const fixes: TSESLint.RuleFix[] = [];
    if (passCall) {
      const last = passCall.arguments[passCall.arguments.length - 1];
      fixes.push(last ? fixer.insertTextAfter(last, `, ${name}`) : fixer.insertTextBefore(sourceCode.getLastToken(passCall)!, name));
    } else {
      const { text, importText, addTo } = reference!;
      fixes.push(fixer.insertTextBefore(how === 'borrow' ? site.call.arguments[0] : body, `${text}(${name}), `));
      if (addTo) fixes.push(fixer.insertTextAfter(addTo, `, ${how}`));
      else if (importText) fixes.push(fixer.insertTextBefore(sourceCode.ast.body[0], importText));
    }
    const lastParam = params[params.length - 1];
    if (!lastParam) fixes.push(fixer.insertTextAfter(parenthesis!, name));
    else if (at < params.length) fixes.push(fixer.insertTextBefore(params[at], `${name}, `));
    else if (sourceCode.getTokenBefore(lastParam)?.value === '(' || params.length > 1) fixes.push(fixer.insertTextAfter(lastParam, `, ${name}`));
    else fixes.push(fixer.replaceText(lastParam, `(${sourceCode.getText(lastParam)}, ${name})`));
    return fixes;
  };
}

/**
 * How this file can call the runtime's `move` or `borrow` (`how`): an import
 * of it (under any name), a namespace import of the runtime, or, when the
 * name is free, the name added to an existing named import of the runtime
 * (`addTo`: its last specifier) or a new import.
 */
function runtimeReference(
  sourceCode: Readonly<TSESLint.SourceCode>,
  services: ParserServicesWithTypeInformation,
  how: PassBy,
): { text: string; importText: string; addTo?: TSESTree.ImportSpecifier } | undefined {
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
    if (ts.isSourceFile(declaration) && checker.getExportsOfModule(symbol).some((exported) => exported.name === how)) {
      return { text: `${variable.name}.${how}`, importText: '' };
    }
    if (symbol.name === how && ts.isFunctionDeclaration(declaration)) return { text: variable.name, importText: '' };
  }
  if (scope.set.has(how) || sourceCode.scopeManager!.globalScope!.set.has(how)) return undefined;
  const runtimeImport = sourceCode.ast.body.find(
    (statement): statement is TSESTree.ImportDeclaration =>
      statement.type === AST_NODE_TYPES.ImportDeclaration &&
      statement.source.value === RUNTIME_PACKAGE &&
      statement.importKind !== 'type' &&
      statement.specifiers.some((specifier) => specifier.type === AST_NODE_TYPES.ImportSpecifier),
  );
  const specifiers = runtimeImport?.specifiers.filter((specifier) => specifier.type === AST_NODE_TYPES.ImportSpecifier) ?? [];
  const addTo = specifiers[specifiers.length - 1];
  if (addTo) return { text: how, importText: '', addTo };
  return { text: how, importText: `import { ${how} } from '${RUNTIME_PACKAGE}';\n` };
}
