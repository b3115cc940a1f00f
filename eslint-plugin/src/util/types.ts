/**
 * Small questions about a `ts.Type` that the auto-trait walk and the type
 * names both ask: what its brands say, whether it is one of the built-in
 * classes of the default library, which keys hold its data.
 */

import ts from 'typescript';

/** The brand property keys (the marker's `BrandKey`); structural checks skip them. */
export const BRAND_KEYS: ReadonlySet<string> = new Set(['~name', '~param', '~send', '~sync', '~copy']);

/** Flags of the types that are `Send` and `Sync` with nothing inside to check (the marker's `Primitive`). */
const PRIMITIVE_FLAGS =
  ts.TypeFlags.StringLike |
  ts.TypeFlags.NumberLike |
  ts.TypeFlags.BigIntLike |
  ts.TypeFlags.BooleanLike |
  ts.TypeFlags.EnumLike |
  ts.TypeFlags.Null |
  ts.TypeFlags.Undefined |
  ts.TypeFlags.Void;

/**
 * Whether `flags` belong to a primitive other than `symbol`.
 *
 * @example
 * ```ts
 * isPrimitiveFlags(checker.getTypeAtLocation(node).flags); // true for `1 | 'a'` members, false for `symbol`
 * ```
 */
export function isPrimitiveFlags(flags: ts.TypeFlags): boolean {
  return (flags & PRIMITIVE_FLAGS) !== 0;
}

/**
 * Whether moving a value of the type leaves the original usable, as a Rust
 * `Copy` type does: a primitive; a type with the marker's `Copy` brand (the
 * library's `Thread`); a `SharedArrayBuffer`, or a view over one.
 *
 * @example
 * ```ts
 * isCopyType(checker.getTypeAtLocation(node), checker); // true for `Thread`, false for `number[]`, `Mutex<number>` or `Arc<number>`
 * ```
 */
export function isCopyType(type: ts.Type, checker: ts.TypeChecker): boolean {
  return (type.isUnion() ? type.types : [type]).every(
    (member) => isPrimitiveFlags(member.flags) || member.getProperty('~copy') !== undefined || isSharedMemory(member, checker),
  );
}

/** A `SharedArrayBuffer`, or a typed array or `DataView` whose `buffer` is one. */
function isSharedMemory(type: ts.Type, checker: ts.TypeChecker): boolean {
  if (type.getSymbol()?.getName() === 'SharedArrayBuffer') return true;
  const buffer = type.getProperty('buffer');
  if (buffer === undefined || !(type.getProperty('byteOffset') !== undefined)) return false;
  return checker.getTypeOfSymbol(buffer).getSymbol()?.getName() === 'SharedArrayBuffer';
}

/** The typed arrays and `DataView`: views over a buffer, which may have properties added to them. */
export const ARRAY_BUFFER_VIEWS: readonly string[] = [
  'ArrayBufferView',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float16Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

/** The built-in classes that structured clone copies whole (the marker's `CloneableLeaf`). */
export const CLONEABLE_LEAVES: readonly string[] = ['Date', 'RegExp', 'ArrayBuffer', 'SharedArrayBuffer', ...ARRAY_BUFFER_VIEWS];

/**
 * The value of a string-literal brand (`'~name'`), if the type has one.
 *
 * @example
 * ```ts
 * brandString(checker, rcType, '~name'); // 'Rc'
 * ```
 */
export function brandString(checker: ts.TypeChecker, type: ts.Type, key: '~name'): string | undefined {
  if (isPrimitiveFlags(type.flags)) return undefined;
  const property = checker.getPropertyOfType(type, key);
  if (!property) return undefined;
  const value = checker.getTypeOfSymbol(property);
  return value.isStringLiteral() ? value.value : undefined;
}

/**
 * The brand's type parameter (`'~param'`), if the type has one.
 *
 * @example
 * ```ts
 * brandParam(checker, mutexType); // `number` for `Mutex<number>`
 * ```
 */
export function brandParam(checker: ts.TypeChecker, type: ts.Type): ts.Type | undefined {
  const property = checker.getPropertyOfType(type, '~param');
  return property ? checker.getTypeOfSymbol(property) : undefined;
}

/**
 * The bounds a type's `'~send'` or `'~sync'` brand states, `['none']` without
 * a brand; a brand of type `never` (contradictory brands, `Send & NotSend`)
 * reads as `['never']`, as in the marker.
 *
 * @example
 * ```ts
 * brandBounds(checker, mutexType, '~sync'); // ['T: Send']
 * ```
 */
export function brandBounds(checker: ts.TypeChecker, type: ts.Type, key: '~send' | '~sync'): readonly string[] {
  if (isPrimitiveFlags(type.flags) || type.flags & ts.TypeFlags.ESSymbolLike) return NONE;
  const property = checker.getPropertyOfType(type, key);
  if (!property) return NONE;
  const value = checker.getTypeOfSymbol(property);
  if (value.flags & ts.TypeFlags.Never) return NEVER;
  const members = value.isUnion() ? value.types : [value];
  return members.map(boundWords);
}

/** The words of one bound: the marker tags them (`'T: Send' & { '~bound'?: true }`); anything else reads as `'never'`. */
function boundWords(member: ts.Type): string {
  const literal = member.isIntersection() ? member.types.find((part) => part.isStringLiteral()) : member;
  return literal?.isStringLiteral() ? literal.value : 'never';
}
const NONE: readonly string[] = ['none'];
const NEVER: readonly string[] = ['never'];

const DEFAULT_LIB_FILE = /[\\/]lib\.[\w.]+\.d\.ts$/;

/**
 * Whether a file is one of TypeScript's default library files (`lib.es5.d.ts`, ...).
 *
 * @example
 * ```ts
 * isDefaultLibFile(dateDeclaration.getSourceFile()); // true for lib.es5.d.ts
 * ```
 */
export function isDefaultLibFile(sourceFile: ts.SourceFile): boolean {
  return sourceFile.isDeclarationFile && DEFAULT_LIB_FILE.test(sourceFile.fileName);
}

/** Whether a symbol is declared by TypeScript's default library. */
function isLibSymbol(symbol: ts.Symbol): boolean {
  const declaration = symbol.declarations?.[0];
  return declaration !== undefined && isDefaultLibFile(declaration.getSourceFile());
}

/**
 * The default-library class or interface among `names` that `type` is or
 * extends, with its type arguments as `type` instantiates them.
 */
function findLib(checker: ts.TypeChecker, type: ts.Type, names: readonly string[], seen = 0): ts.Type | undefined {
  const symbol = type.getSymbol();
  if (symbol && names.includes(symbol.name) && isLibSymbol(symbol)) return type;
  if (seen > 8 || !(type.flags & ts.TypeFlags.Object)) return undefined;
  const target = (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference ? (type as ts.TypeReference).target : type;
  if (!((target as ts.ObjectType).objectFlags & ts.ObjectFlags.ClassOrInterface)) return undefined;
  for (const base of checker.getBaseTypes(target as ts.InterfaceType)) {
    const found = findLib(checker, base, names, seen + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Whether `type` is, or extends, one of the default library's `names` (`Date`, `Error`, ...).
 *
 * @example
 * ```ts
 * hasLibSymbol(checker, bufferType, ['Uint8Array']); // true: Node's Buffer extends Uint8Array
 * ```
 */
export function hasLibSymbol(checker: ts.TypeChecker, type: ts.Type, names: readonly string[]): boolean {
  return libType(checker, type, names) !== undefined;
}

/**
 * The default library's type among `names` that `type` is, extends, or (for
 * an intersection) one of its members is or extends.
 *
 * @example
 * ```ts
 * libType(checker, taggedType, ['Array']); // `Array<number>` for `interface Tagged extends Array<number> { tag: string }`
 * ```
 */
export function libType(checker: ts.TypeChecker, type: ts.Type, names: readonly string[]): ts.Type | undefined {
  if (!type.isIntersection()) return findLib(checker, type, names);
  for (const member of type.types) {
    const found = findLib(checker, member, names);
    if (found) return found;
  }
  return undefined;
}

/**
 * The type arguments of the default library's generic `names` (`Map`,
 * `ReadonlyMap`) that `type` is or extends; for a `Map` or `Set` subclass
 * they are read from its `forEach`, which is instantiated with `type`.
 *
 * @example
 * ```ts
 * libTypeArguments(checker, mapType, ['Map', 'ReadonlyMap']); // [string, number] for `Map<string, number>`
 * ```
 */
export function libTypeArguments(checker: ts.TypeChecker, type: ts.Type, names: readonly string[]): readonly ts.Type[] | undefined {
  const parts = type.isIntersection() ? type.types : [type];
  for (const part of parts) {
    const found = findLib(checker, part, names);
    if (!found) continue;
    if (found === part) return checker.getTypeArguments(part as ts.TypeReference);
    return forEachArguments(checker, part, names) ?? checker.getTypeArguments(found as ts.TypeReference);
  }
  return undefined;
}

function forEachArguments(checker: ts.TypeChecker, type: ts.Type, names: readonly string[]): readonly ts.Type[] | undefined {
  const forEach = checker.getPropertyOfType(type, 'forEach');
  const callback = forEach && checker.getTypeOfSymbol(forEach).getCallSignatures()[0]?.getParameters()[0];
  const signature = callback && checker.getTypeOfSymbol(callback).getCallSignatures()[0];
  if (!signature) return undefined;
  const [value, key] = signature.getParameters().map((parameter) => checker.getTypeOfSymbol(parameter));
  if (!value || !key) return undefined;
  return names.includes('Map') ? [key, value] : [value];
}

/**
 * `T extends Function`: anything callable or constructible.
 *
 * @example
 * ```ts
 * isFunctionLike(checker, typeOfClassConstructor); // true: a constructor is a function
 * ```
 */
export function isFunctionLike(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (!(type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection))) return false;
  if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) return true;
  return hasLibSymbol(checker, type, ['Function', 'CallableFunction', 'NewableFunction']);
}

/**
 * `T extends PromiseLike<unknown>`: anything with a callable `then`.
 *
 * @example
 * ```ts
 * isPromiseLike(checker, promiseType); // true for `Promise<number>` and any thenable
 * ```
 */
export function isPromiseLike(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (!(type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection))) return false;
  const then = checker.getPropertyOfType(type, 'then');
  return then !== undefined && checker.getTypeOfSymbol(then).getCallSignatures().length > 0;
}

/**
 * Whether a property's key is a symbol (`[Symbol.iterator]`, a `unique symbol`).
 *
 * @example
 * ```ts
 * isSymbolKey(iteratorProperty); // true for `[Symbol.iterator]`
 * ```
 */
export function isSymbolKey(property: ts.Symbol): boolean {
  const name = String(property.escapedName);
  return name.startsWith('__@');
}

/**
 * The properties that hold data, as the marker's `DataKeys` (`keyof` minus
 * the brands): public ones only, and for an `Error` not `cause`; with
 * `withPrivate`, also `private`, `protected` and `#private` fields, which
 * `keyof` does not show but a value carries.
 *
 * @example
 * ```ts
 * dataKeys(checker, pointType, false).map((key) => key.name); // ['x', 'y'] for `class Point { x = 0; y = 0; #secret = 1 }`
 * ```
 */
export function dataKeys(checker: ts.TypeChecker, type: ts.Type, isError: boolean, withPrivate = false): ts.Symbol[] {
  const keys: ts.Symbol[] = [];
  for (const property of checker.getPropertiesOfType(type)) {
    const name = String(property.escapedName);
    if (BRAND_KEYS.has(name)) continue;
    if (isError && name === 'cause') continue;
    if (!withPrivate && !isPublic(property)) continue;
    keys.push(property);
  }
  return keys;
}

function isPublic(property: ts.Symbol): boolean {
  if (String(property.escapedName).startsWith('__#')) return false;
  const declaration = property.valueDeclaration ?? property.declarations?.[0];
  if (!declaration) return true;
  if (ts.getCombinedModifierFlags(declaration) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) return false;
  return !ts.isPrivateIdentifier((declaration as ts.NamedDeclaration).name ?? declaration);
}
