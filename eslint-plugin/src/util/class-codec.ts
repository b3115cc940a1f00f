/**
 * Class instances and their codecs: structured clone copies a class instance
 * as a plain object (its class, methods and `#private` fields lost), so a
 * class instance crosses only with a codec registered for its class
 * (`registerCodec({ type: Point, ... })`, in the class's own module, as the
 * runtime requires) or a `Send` opt-in (`interface Point extends Send {}`,
 * which the brands already read).
 */

import ts from 'typescript';

import { isRuntimeFile, isRuntimeSymbol, resolveAlias } from './runtime.js';
import { isDefaultLibFile } from './types.js';

const codecs = new WeakMap<ts.Symbol, boolean>();

/**
 * For an instance of a class of the program (not of the default library, not
 * of the runtime): whether a codec is registered for its class in its module;
 * `undefined` for any other type.
 *
 * @example
 * ```ts
 * // class Point { x = 0 }  (no registerCodec)
 * hasRegisteredCodec(checker, pointType); // false
 * ```
 */
export function hasRegisteredCodec(checker: ts.TypeChecker, type: ts.Type): boolean | undefined {
  const symbol = type.getSymbol();
  if (!symbol || !(symbol.flags & ts.SymbolFlags.Class)) return undefined;
  const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
  if (!declaration) return undefined;
  const file = declaration.getSourceFile();
  if (isDefaultLibFile(file) || isRuntimeFile(file)) return undefined;
  let registered = codecs.get(symbol);
  if (registered === undefined) {
    registered = registersCodec(checker, file, symbol);
    codecs.set(symbol, registered);
  }
  return registered;
}

/**
 * Whether a property is a method or accessor: it lives on the class's
 * prototype, which a codec rebuilds, not on the instance.
 */
export function isPrototypeMember(property: ts.Symbol): boolean {
  return (property.declarations ?? []).some(
    (declaration) => ts.isMethodDeclaration(declaration) || ts.isGetAccessorDeclaration(declaration) || ts.isSetAccessorDeclaration(declaration),
  );
}

/** Whether `file` calls the runtime's `registerCodec` with `{ type: <the class> }`. */
function registersCodec(checker: ts.TypeChecker, file: ts.SourceFile, symbol: ts.Symbol): boolean {
  const visit = (node: ts.Node): boolean => {
    if (ts.isCallExpression(node) && isRegisterCodec(checker, node.expression)) {
      const [argument] = node.arguments;
      if (argument && ts.isObjectLiteralExpression(argument)) {
        for (const property of argument.properties) {
          if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
          if (property.name.getText(file) !== 'type') continue;
          const value = ts.isPropertyAssignment(property) ? property.initializer : property.name;
          if (resolveAlias(checker, checker.getSymbolAtLocation(value)) === symbol) return true;
        }
      }
    }
    return ts.forEachChild(node, visit) ?? false;
  };
  return visit(file);
}

function isRegisterCodec(checker: ts.TypeChecker, callee: ts.Expression): boolean {
  const name = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
  const symbol = resolveAlias(checker, checker.getSymbolAtLocation(name));
  return symbol?.name === 'registerCodec' && isRuntimeSymbol(symbol);
}
