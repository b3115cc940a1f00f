/**
 * Calls of a generic helper whose parameter is typed by the marker's
 * `Movable<T>` or `Borrowable<T>`: the helper moves (or lends) what its
 * caller passes, so the caller's argument is checked at the call, as rustc
 * checks a call of `fn run<T: Send>(x: T)` against the bound, and named as
 * the caller wrote it (`tsc` can only name the place in the helper's
 * `move(...)`, `captures[0]`).
 */

import type { ParserServicesWithTypeInformation, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import ts from 'typescript';

import type { Trait } from './auto-trait.js';
import { chainText } from './messages.js';
import { isMarkerFile, resolveAlias } from './runtime.js';

/** A parameter of a helper, typed `Movable<T>` (checked for `Send`) or `Borrowable<T>` (for `Sync`). */
export interface CheckedParameter {
  readonly index: number;
  readonly name: string;
  readonly trait: Trait;
}

/** The marker's helper parameter types, by the trait their values are checked for. */
const HELPER_CHECKS: ReadonlyMap<string, Trait> = new Map([
  ['Movable', 'Send'],
  ['Borrowable', 'Sync'],
]);

/** An argument a helper moves or lends, with its name in messages and what the helper does with it. */
export interface HelperArgument {
  readonly argument: TSESTree.Expression;
  /** As the caller wrote it (`config`, `this.hits`), or the helper's parameter's name. */
  readonly label: string;
  /** "passed to `run`, which moves it into a thread (its parameter `x` is `Movable`)" */
  readonly by: string;
}

/**
 * The arguments of a call that the called helper checks for `trait`
 * (through a `Movable` or `Borrowable` parameter); none after a spread, whose
 * elements' places are not known.
 *
 * @example
 * ```ts
 * // function run<T>(x: Movable<T>) { ... }  run(config);
 * helperArguments(services, call, 'Send'); // [{ argument: config, label: 'config', by: 'passed to `run`, ...' }]
 * ```
 */
export function helperArguments(services: ParserServicesWithTypeInformation, call: TSESTree.CallExpression, trait: Trait): HelperArgument[] {
  const helper = chainText(call.callee) ?? calledName(call.callee);
  const spread = call.arguments.findIndex((argument) => argument.type === AST_NODE_TYPES.SpreadElement);
  return checkedParameters(services, call).flatMap((parameter): HelperArgument[] => {
    const argument = call.arguments[parameter.index];
    if (parameter.trait !== trait || !argument || argument.type === AST_NODE_TYPES.SpreadElement || (spread !== -1 && spread < parameter.index)) return [];
    const does = trait === 'Send' ? 'moves it into a thread' : 'lends it to scoped threads';
    const type = trait === 'Send' ? 'Movable' : 'Borrowable';
    return [{ argument, label: chainText(argument) ?? parameter.name, by: `passed to \`${helper}\`, which ${does} (its parameter \`${parameter.name}\` is \`${type}\`)` }];
  });
}

const bySymbol = new WeakMap<ts.Symbol, readonly CheckedParameter[]>();

/**
 * The checked parameters of the function a call calls (declared as a
 * function, a method, or a `const` holding an arrow or function expression),
 * or none. Cached per function, so that the rules share the work.
 */
function checkedParameters(services: ParserServicesWithTypeInformation, call: TSESTree.CallExpression): readonly CheckedParameter[] {
  const callee = call.callee;
  const nameNode = callee.type === AST_NODE_TYPES.Identifier ? callee : callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed ? callee.property : undefined;
  if (!nameNode) return [];
  const checker = services.program.getTypeChecker();
  const symbol = resolveAlias(checker, checker.getSymbolAtLocation(services.esTreeNodeToTSNodeMap.get(nameNode)));
  if (!symbol) return [];
  let parameters = bySymbol.get(symbol);
  if (!parameters) {
    parameters = parametersOf(checker, symbol);
    bySymbol.set(symbol, parameters);
  }
  return parameters;
}

function parametersOf(checker: ts.TypeChecker, symbol: ts.Symbol): readonly CheckedParameter[] {
  for (const declaration of symbol.declarations ?? []) {
    const initializer = ts.isVariableDeclaration(declaration) ? declaration.initializer : undefined;
    const fn = ts.isFunctionLike(declaration) ? declaration : initializer && (ts.isArrowFunction(initializer) || ts.isFunctionExpression(initializer)) ? initializer : undefined;
    const checked = (fn?.parameters ?? []).flatMap((parameter, index): CheckedParameter[] => {
      const trait = parameter.type && !parameter.dotDotDotToken ? helperCheck(checker.getTypeFromTypeNode(parameter.type)) : undefined;
      return trait ? [{ index, name: ts.isIdentifier(parameter.name) ? parameter.name.text : `arguments[${index}]`, trait }] : [];
    });
    if (checked.length > 0) return checked;
  }
  return [];
}

function helperCheck(type: ts.Type): Trait | undefined {
  const alias = type.aliasSymbol;
  const trait = alias && HELPER_CHECKS.get(alias.getName());
  return trait && alias.declarations?.some((declaration) => isMarkerFile(declaration.getSourceFile())) ? trait : undefined;
}

/** The name a call's callee is written with, for a callee that is no plain chain (`new Pool().share`: `share`). */
function calledName(callee: TSESTree.Expression): string {
  return callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier ? callee.property.name : 'the helper';
}
