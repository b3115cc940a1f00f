/**
 * Recognising `@sendsync/runtime`'s functions, methods and types by what they
 * resolve to through the type checker (named, aliased, namespace and
 * re-exported imports, `Builder#spawn`, `Scope#spawn`), never by spelling: a
 * declaration belongs to the runtime when the nearest `package.json` above its
 * file is the runtime's.
 */

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { ParserServicesWithTypeInformation, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import ts from 'typescript';

import { isDefaultLibFile } from './types.js';

/** The package whose declarations the rules recognise. */
export const RUNTIME_PACKAGE = '@sendsync/runtime';

/** The package of the check types, whose generic checks the rules trust (`tsc` makes them at each call). */
export const MARKER_PACKAGE = '@sendsync/marker';

/** The runtime's guard classes: RAII handles that hold a lock or a borrow. */
export const GUARD_NAMES: ReadonlySet<string> = new Set(['MutexGuard', 'RwLockReadGuard', 'RwLockWriteGuard', 'Ref', 'RefMut']);

const packageOfDirectory = new Map<string, string | null>();

/** The name in the nearest `package.json` at or above `directory` (cached). */
function packageName(directory: string): string | null {
  const cached = packageOfDirectory.get(directory);
  if (cached !== undefined) return cached;
  let name: string | null = null;
  const manifest = join(directory, 'package.json');
  if (existsSync(manifest)) {
    try {
      name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name ?? null;
    } catch {
      name = null;
    }
  } else {
    const parent = dirname(directory);
    name = parent === directory ? null : packageName(parent);
  }
  packageOfDirectory.set(directory, name);
  return name;
}

const filePackages = new Map<string, string | null>();

/** The package a declaration file belongs to (`null` for TypeScript's own lib files and files of no package), cached per file. */
function packageOfFile(sourceFile: ts.SourceFile): string | null {
  const fileName = sourceFile.fileName;
  let known = filePackages.get(fileName);
  if (known === undefined) {
    known = isDefaultLibFile(sourceFile) ? null : packageName(dirname(fileName));
    filePackages.set(fileName, known);
  }
  return known;
}

/**
 * Whether a declaration file belongs to `@sendsync/runtime`.
 *
 * @example
 * ```ts
 * isRuntimeFile(declaration.getSourceFile()); // true for packages/runtime/dist/sync/mutex.d.ts
 * ```
 */
export function isRuntimeFile(sourceFile: ts.SourceFile): boolean {
  return packageOfFile(sourceFile) === RUNTIME_PACKAGE;
}

/**
 * Whether a declaration file belongs to `@sendsync/marker`.
 *
 * @example
 * ```ts
 * isMarkerFile(alias.declarations[0].getSourceFile()); // true for packages/marker/dist/check.d.ts
 * ```
 */
export function isMarkerFile(sourceFile: ts.SourceFile): boolean {
  return packageOfFile(sourceFile) === MARKER_PACKAGE;
}

/**
 * Whether one of a symbol's declarations is the runtime's.
 *
 * @example
 * ```ts
 * isRuntimeSymbol(resolveAlias(checker, checker.getSymbolAtLocation(name))); // true for an import of `spawn`
 * ```
 */
export function isRuntimeSymbol(symbol: ts.Symbol | undefined): boolean {
  return symbol?.declarations?.some((declaration) => isRuntimeFile(declaration.getSourceFile())) ?? false;
}

/** What a callee resolves to in the runtime: a top-level function or a method, by its declared name. */
export interface RuntimeCallee {
  readonly name: string;
  readonly kind: 'function' | 'method';
  /** For a method, the class that declares it (`'Scope'` for `Scope#spawn`). */
  readonly owner: string | undefined;
  /** Whether a signature declares a guard (or a promise of one) as its result: `lock()`, `lockAsync()`, `borrowMut()`. */
  readonly returnsGuard: boolean;
}

const calleesBySymbol = new WeakMap<ts.Symbol, RuntimeCallee | null>();

/**
 * The runtime callee a resolved symbol is, or `null` (cached per symbol).
 *
 * @example
 * ```ts
 * calleeOfSymbol(checker, resolveAlias(checker, checker.getSymbolAtLocation(name))); // { name: 'send', kind: 'method', owner: 'Sender', ... }
 * ```
 */
export function calleeOfSymbol(checker: ts.TypeChecker, symbol: ts.Symbol): RuntimeCallee | null {
  const cached = calleesBySymbol.get(symbol);
  if (cached !== undefined) return cached;
  let result: RuntimeCallee | null = null;
  const declaration = symbol.declarations?.find((candidate) => isRuntimeFile(candidate.getSourceFile()));
  if (declaration) {
    const isFunction = ts.isFunctionDeclaration(declaration) || ts.isVariableDeclaration(declaration);
    const owner = !isFunction && ts.isClassDeclaration(declaration.parent) ? declaration.parent.name?.text : undefined;
    result = { name: symbol.name, kind: isFunction ? 'function' : 'method', owner, returnsGuard: declaresGuardResult(checker, symbol) };
  }
  calleesBySymbol.set(symbol, result);
  return result;
}

/**
 * Whether one of a symbol's signatures, as declared (not instantiated at a
 * call: that would make the checker resolve the call), returns a guard or a
 * promise of one.
 */
function declaresGuardResult(checker: ts.TypeChecker, symbol: ts.Symbol): boolean {
  for (const declaration of symbol.declarations ?? []) {
    if (!ts.isFunctionLike(declaration)) continue;
    const signature = checker.getSignatureFromDeclaration(declaration);
    if (!signature) continue;
    const result = checker.getReturnTypeOfSignature(signature);
    if (guardType(result) || guardType(checker.getAwaitedType(result) ?? result)) return true;
  }
  return false;
}

/**
 * A symbol with its import and re-export aliases followed to the declaration.
 *
 * @example
 * ```ts
 * resolveAlias(checker, symbolOfImportSpecifier); // the `spawn` function declared in the runtime
 * ```
 */
export function resolveAlias(checker: ts.TypeChecker, symbol: ts.Symbol | undefined): ts.Symbol | undefined {
  return symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

const callees = new WeakMap<TSESTree.Node, RuntimeCallee | null>();

/**
 * What a call's callee resolves to in the runtime, or `undefined`. Cached per
 * node, so that the rules of one lint run share the work.
 *
 * @example
 * ```ts
 * // import { spawn as go } from '@sendsync/runtime'; go(() => 1);
 * runtimeCallee(services, call); // { name: 'spawn', kind: 'function' }
 * ```
 */
export function runtimeCallee(services: ParserServicesWithTypeInformation, call: TSESTree.CallExpression): RuntimeCallee | undefined {
  const callee = call.callee;
  const cached = callees.get(callee);
  if (cached !== undefined) return cached ?? undefined;
  const symbol = symbolOfName(services, callee);
  const result = symbol ? calleeOfSymbol(services.program.getTypeChecker(), symbol) : null;
  callees.set(callee, result);
  return result ?? undefined;
}

/**
 * Whether a call is the runtime's top-level function `name` (`move`, `borrow`, `spawn`, `scope`).
 *
 * @example
 * ```ts
 * isRuntimeFunctionCall(services, node, 'move'); // true for `give(a)` after `import { move as give }`
 * ```
 */
export function isRuntimeFunctionCall(
  services: ParserServicesWithTypeInformation,
  node: TSESTree.Node,
  name: string,
): node is TSESTree.CallExpression {
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = runtimeCallee(services, node);
  return callee?.kind === 'function' && callee.name === name;
}

/**
 * Whether `type` (or a member of a union) is one of the runtime's guards; gives that guard's type.
 *
 * @example
 * ```ts
 * guardType(checker.getTypeAtLocation(node)); // the `RefMut<number>` of `RefMut<number> | undefined`
 * ```
 */
export function guardType(type: ts.Type): ts.Type | undefined {
  for (const member of type.isUnion() ? type.types : [type]) {
    const symbol = member.getSymbol();
    if (symbol && GUARD_NAMES.has(symbol.name) && isRuntimeSymbol(symbol)) return member;
  }
  return undefined;
}

/**
 * The runtime class a `new` expression constructs (its declared name, through
 * aliases and re-exports), or `undefined`.
 *
 * @example
 * ```ts
 * // import { Mutex as Lock } from '@sendsync/runtime/sync'; new Lock([1]);
 * runtimeClassOf(services, node); // 'Mutex'
 * ```
 */
export function runtimeClassOf(services: ParserServicesWithTypeInformation, node: TSESTree.NewExpression): string | undefined {
  const symbol = symbolOfName(services, node.callee);
  return symbol && symbol.flags & ts.SymbolFlags.Class && isRuntimeSymbol(symbol) ? symbol.name : undefined;
}

/**
 * The runtime class that declares a setter read by `member` (`guard.value`
 * for a `MutexGuard`), or `undefined` when the property is no runtime setter.
 *
 * @example
 * ```ts
 * // using guard = mutex.lock(); guard.value = next;
 * runtimeSetterOwner(services, assignment.left); // 'MutexGuard'
 * ```
 */
export function runtimeSetterOwner(services: ParserServicesWithTypeInformation, member: TSESTree.MemberExpression): string | undefined {
  const symbol = symbolOfName(services, member);
  const setter = symbol?.declarations?.find((declaration) => ts.isSetAccessorDeclaration(declaration) && isRuntimeFile(declaration.getSourceFile()));
  return setter && ts.isClassDeclaration(setter.parent) ? setter.parent.name?.text : undefined;
}

/** The symbol an identifier or a non-computed member's property names, with aliases followed. */
function symbolOfName(services: ParserServicesWithTypeInformation, node: TSESTree.Node): ts.Symbol | undefined {
  const nameNode =
    node.type === AST_NODE_TYPES.Identifier ? node : node.type === AST_NODE_TYPES.MemberExpression && !node.computed ? node.property : undefined;
  if (!nameNode) return undefined;
  const checker = services.program.getTypeChecker();
  return resolveAlias(checker, checker.getSymbolAtLocation(services.esTreeNodeToTSNodeMap.get(nameNode)));
}
