/**
 * How a type is named in messages, exactly as `@sendsync/marker`'s `TypeName`
 * names it (`Rc<number>`, `Map<string, Cell<number>>`, `Function`, `{…}`),
 * computed over the checker's `ts.Type` instead of inside the type system.
 */

import ts from 'typescript';

import { brandParam, brandString, hasLibSymbol, isFunctionLike, isPromiseLike, isPrimitiveFlags, libTypeArguments, dataKeys } from './types.js';

/** How deep names nest before the rest is written `…` (the marker's `MaxNameDepth`). */
const MAX_NAME_DEPTH = 4;

/**
 * The name of `type` in our diagnostics.
 *
 * @example
 * ```ts
 * typeName(checker, checker.getTypeAtLocation(node)); // 'Rc<number>'
 * ```
 */
export function typeName(checker: ts.TypeChecker, type: ts.Type): string {
  return nameOf(checker, type, 0);
}

function nameOf(checker: ts.TypeChecker, type: ts.Type, depth: number): string {
  if (depth === MAX_NAME_DEPTH) return '…';
  if (type.flags & ts.TypeFlags.Any) return 'any';
  if (type.flags & ts.TypeFlags.Unknown) return 'unknown';
  if (type.flags & ts.TypeFlags.Never) return 'never';
  if (type.isUnion() && !isBooleanOnly(type)) return unionName(checker, type, depth);
  return singleName(checker, type, depth);
}

function isBooleanOnly(type: ts.UnionType): boolean {
  return type.types.every((member) => (member.flags & ts.TypeFlags.BooleanLike) !== 0);
}

/** A union in a fixed order, primitives first, so that the text never depends on the compiler's member order. */
function unionName(checker: ts.TypeChecker, type: ts.UnionType, depth: number): string {
  const parts: string[] = [];
  const has = (flags: ts.TypeFlags): boolean => type.types.some((member) => (member.flags & flags) !== 0);
  if (has(ts.TypeFlags.StringLike)) parts.push('string');
  if (has(ts.TypeFlags.NumberLike)) parts.push('number');
  if (has(ts.TypeFlags.BigIntLike)) parts.push('bigint');
  const booleans = type.types.filter((member) => (member.flags & ts.TypeFlags.BooleanLike) !== 0);
  if (booleans.length === 2) parts.push('boolean');
  else if (booleans.length === 1) parts.push(singleName(checker, booleans[0], depth));
  if (has(ts.TypeFlags.ESSymbolLike)) parts.push('symbol');
  if (has(ts.TypeFlags.Null)) parts.push('null');
  if (has(ts.TypeFlags.Undefined | ts.TypeFlags.Void)) parts.push('undefined');
  const rest = type.types.filter((member) => !isPrimitiveFlags(member.flags) && !(member.flags & ts.TypeFlags.ESSymbolLike));
  if (rest.length > 1) parts.push('…');
  else if (rest.length === 1) parts.push(nameOf(checker, rest[0], depth));
  return parts.join(' | ');
}

function singleName(checker: ts.TypeChecker, type: ts.Type, depth: number): string {
  const brand = brandString(checker, type, '~name');
  if (brand !== undefined) return brandedName(checker, type, brand, depth + 1);
  const flags = type.flags;
  if (flags & ts.TypeFlags.BooleanLiteral) return (type as { intrinsicName?: string }).intrinsicName ?? 'boolean';
  if (flags & ts.TypeFlags.Boolean) return 'boolean';
  if (flags & ts.TypeFlags.StringLike) return 'string';
  if (flags & ts.TypeFlags.NumberLike) return 'number';
  if (flags & ts.TypeFlags.BigIntLike) return 'bigint';
  if (flags & ts.TypeFlags.ESSymbolLike) return 'symbol';
  if (flags & ts.TypeFlags.Null) return 'null';
  if (flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return 'undefined';
  if (isFunctionLike(checker, type)) return 'Function';
  if (checker.isArrayType(type) || checker.isTupleType(type)) return arrayName(checker, type as ts.TypeReference, depth + 1);
  return objectName(checker, type, depth + 1);
}

function brandedName(checker: ts.TypeChecker, type: ts.Type, name: string, depth: number): string {
  const param = brandParam(checker, type);
  if (param === undefined || param.flags & ts.TypeFlags.Never) return name;
  if (checker.isTupleType(param) && !hasRest(param as ts.TypeReference)) {
    return `${name}<${listNames(checker, checker.getTypeArguments(param as ts.TypeReference), depth)}>`;
  }
  return `${name}<${nameOf(checker, param, depth)}>`;
}

function hasRest(type: ts.TypeReference): boolean {
  return ((type.target as ts.TupleType).combinedFlags & ts.ElementFlags.Variable) !== 0;
}

function listNames(checker: ts.TypeChecker, types: readonly ts.Type[], depth: number): string {
  return types.map((member) => nameOf(checker, member, depth)).join(', ');
}

function arrayName(checker: ts.TypeChecker, type: ts.TypeReference, depth: number): string {
  const elements = checker.getTypeArguments(type);
  if (checker.isTupleType(type) && !hasRest(type)) return `[${listNames(checker, elements, depth)}]`;
  const element = elements.length === 1 ? elements[0] : (checker.getIndexTypeOfType(type, ts.IndexKind.Number) ?? checker.getUnknownType());
  const text = nameOf(checker, element, depth);
  return element.isUnion() && !isBooleanOnly(element) ? `(${text})[]` : `${text}[]`;
}

function objectName(checker: ts.TypeChecker, type: ts.Type, depth: number): string {
  if (isPromiseLike(checker, type)) {
    const [value] = libTypeArguments(checker, type, ['Promise', 'PromiseLike']) ?? [checker.getAwaitedType(type) ?? checker.getUnknownType()];
    return `Promise<${nameOf(checker, value, depth)}>`;
  }
  const map = libTypeArguments(checker, type, ['Map', 'ReadonlyMap']);
  if (map) return `Map<${nameOf(checker, map[0], depth)}, ${nameOf(checker, map[1], depth)}>`;
  const set = libTypeArguments(checker, type, ['Set', 'ReadonlySet']);
  if (set) return `Set<${nameOf(checker, set[0], depth)}>`;
  const weakMap = libTypeArguments(checker, type, ['WeakMap']);
  if (weakMap) return `WeakMap<${nameOf(checker, weakMap[0], depth)}, ${nameOf(checker, weakMap[1], depth)}>`;
  const weakSet = libTypeArguments(checker, type, ['WeakSet']);
  if (weakSet) return `WeakSet<${nameOf(checker, weakSet[0], depth)}>`;
  const weakRef = libTypeArguments(checker, type, ['WeakRef']);
  if (weakRef) return `WeakRef<${nameOf(checker, weakRef[0], depth)}>`;
  if (hasLibSymbol(checker, type, ['Date'])) return 'Date';
  if (hasLibSymbol(checker, type, ['RegExp'])) return 'RegExp';
  const tag = toStringTag(checker, type);
  if (tag !== undefined) return tag;
  if (hasLibSymbol(checker, type, ['Error'])) return 'Error';
  if (dataKeys(checker, type, false).length > 0 || checker.getIndexInfosOfType(type).length > 0) return '{…}';
  // `{}` accepts a string; `object` (or a class of #private fields only) does not
  return checker.isTypeAssignableTo(checker.getStringType(), type) ? '{}' : 'object';
}

/** The literal type of `[Symbol.toStringTag]`, as typed arrays and `ArrayBuffer` declare it. */
function toStringTag(checker: ts.TypeChecker, type: ts.Type): string | undefined {
  for (const property of checker.getPropertiesOfType(type)) {
    if (!String(property.escapedName).startsWith('__@toStringTag@')) continue;
    const tag = checker.getTypeOfSymbol(property);
    return tag.isStringLiteral() ? tag.value : undefined;
  }
  return undefined;
}
