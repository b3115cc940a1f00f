/**
 * The auto-trait computation of `@sendsync/marker` (`packages/marker/src/walk.ts`),
 * over the checker's `ts.Type`: why a type is not `Send` (or not `Sync`), with
 * the same culprit name and path as `tsc`'s message.
 *
 * Breadth-first like the marker: the frontier is a list of items (a type that
 * must be `Trait`, at `path` inside the value); a level reports the items that
 * fail by themselves, otherwise the walk goes on with what they require (a
 * brand's parameter, or the parts of an unbranded type), skipping what was
 * already checked, so recursive types end. The shallowest failure wins.
 * Results are cached per `ts.Type` and trait.
 */

import ts from 'typescript';

import { hasRegisteredCodec, isPrototypeMember } from './class-codec.js';
import { isMarkerFile } from './runtime.js';
import { typeName } from './type-name.js';
import {
  ARRAY_BUFFER_VIEWS,
  CLONEABLE_LEAVES,
  brandBounds,
  brandParam,
  brandString,
  dataKeys,
  hasLibSymbol,
  isFunctionLike,
  isPrimitiveFlags,
  isPromiseLike,
  isSymbolKey,
  libType,
  libTypeArguments,
} from './types.js';

/** The two auto traits. */
export type Trait = 'Send' | 'Sync';

/**
 * Why a value is not `Send`/`Sync`: `rejected` (the trait is not implemented
 * for `culprit`), `unproven` (`any`, `unknown`, `{}`: nothing proves it),
 * `unbounded` (a type parameter without a constraint: rustc's "consider
 * restricting type parameter `T`"), `noCodec` (an instance of a class with
 * neither a codec nor a `Send` opt-in, which would arrive as a plain object)
 * or `tooDeep` (nested more than 100 levels).
 */
export interface Failure {
  readonly kind: 'rejected' | 'unproven' | 'unbounded' | 'noCodec' | 'tooDeep';
  /** The culprit's name, as the marker's `TypeName` writes it. */
  readonly culprit: string;
  /** The culprit's brand name (`'Cell'`), when it has one. */
  readonly brand: string | undefined;
  /** Where the culprit sits inside the value: `''`, `.cache`, `[0]`, `<value>`. */
  readonly path: string;
  /** The trait that is missing there. */
  readonly trait: Trait;
}

/** How many levels of nesting are checked (the marker's `MaxDepth`). */
const MAX_DEPTH = 100;

interface Item {
  readonly type: ts.Type;
  readonly path: string;
  readonly trait: Trait;
  /** The type parameter whose constraint `type` is: where nothing proves the constraint, rustc blames the parameter. */
  readonly param?: ts.Type;
}

const caches = new WeakMap<ts.TypeChecker, Record<Trait, WeakMap<ts.Type, Failure | null>>>();

/**
 * Why `type` is not `trait`, or `undefined` when it is. Cached per checker,
 * type and trait.
 *
 * @example
 * ```ts
 * whyNot(checker, checker.getTypeAtLocation(node), 'Send'); // { kind: 'rejected', culprit: 'Rc<number>', path: '.cache', ... }
 * ```
 */
export function whyNot(checker: ts.TypeChecker, type: ts.Type, trait: Trait): Failure | undefined {
  let perChecker = caches.get(checker);
  if (!perChecker) {
    perChecker = { Send: new WeakMap(), Sync: new WeakMap() };
    caches.set(checker, perChecker);
  }
  const cache = perChecker[trait];
  const cached = cache.get(type);
  if (cached !== undefined) return cached ?? undefined;
  const result = walk(checker, type, trait);
  cache.set(type, result ?? null);
  return result;
}

function walk(checker: ts.TypeChecker, type: ts.Type, trait: Trait): Failure | undefined {
  const visited: Record<Trait, Set<ts.Type>> = { Send: new Set(), Sync: new Set() };
  let frontier: Item[] = [];
  spread(checker, type, '', trait, frontier);
  for (let depth = 0; frontier.length > 0; depth++) {
    for (const item of frontier) {
      const failure = failureOf(checker, item);
      if (failure) return failure;
    }
    if (depth === MAX_DEPTH) {
      const first = frontier[0];
      return { kind: 'tooDeep', culprit: typeName(checker, first.type), brand: undefined, path: first.path, trait: first.trait };
    }
    for (const item of frontier) visited[item.trait].add(item.type);
    const next: Item[] = [];
    for (const item of frontier) requirementsOf(checker, item, next);
    frontier = [];
    for (const item of next) {
      if (visited[item.trait].has(item.type)) continue;
      visited[item.trait].add(item.type);
      frontier.push(item);
    }
  }
  return undefined;
}

/**
 * One item per member of a union (the marker's `Spread`); generic types stand
 * for their constraint, as rustc checks a `where` clause; a type parameter
 * without one stays itself, and fails as `unbounded`.
 */
function spread(checker: ts.TypeChecker, type: ts.Type, path: string, trait: Trait, into: Item[], param?: ts.Type): void {
  if (isCheckedBy(type, trait)) return;
  if (type.flags & (ts.TypeFlags.InstantiableNonPrimitive | ts.TypeFlags.Index)) {
    const constraint = checker.getBaseConstraintOfType(type);
    if (type.flags & ts.TypeFlags.TypeParameter) param = type;
    if (constraint && constraint !== type) type = constraint;
    else if (!(type.flags & ts.TypeFlags.TypeParameter)) type = checker.getUnknownType();
  }
  if (type.flags & ts.TypeFlags.Never || isEmptyIntersection(checker, type)) return;
  if (type.isUnion()) {
    for (const member of type.types) spread(checker, member, path, trait, into, param);
    return;
  }
  into.push({ type, path, trait, ...(param ? { param } : {}) });
}

/** The marker's check types, by the trait a value of their (still generic) type was checked for. */
const CHECKS: Readonly<Record<Trait, ReadonlySet<string>>> = {
  Send: new Set(['CheckSend', 'CheckSendAwaited', 'Movable']),
  Sync: new Set(['CheckSync', 'Borrowable']),
};

/**
 * A generic helper's parameter typed by a marker check (`value: Movable<T>`):
 * `tsc` checked each argument at the helper's call, as rustc checks a bound
 * at the call of `fn run<T: Send>`, so the value is `trait` inside.
 */
function isCheckedBy(type: ts.Type, trait: Trait): boolean {
  const alias = type.aliasSymbol;
  if (!alias || !(type.flags & ts.TypeFlags.Conditional) || !CHECKS[trait].has(alias.getName())) return false;
  return alias.declarations?.some((declaration) => isMarkerFile(declaration.getSourceFile())) ?? false;
}

/**
 * An intersection that TypeScript reduces to `never` (`{ kind: 'a' } & {
 * kind: 'b' }`: its `kind` is `'a' & 'b'`): the checker gives it no
 * properties although its members have some. No value has this type.
 * (Contradictory brands are not reduced: the marker tags their literals.)
 */
function isEmptyIntersection(checker: ts.TypeChecker, type: ts.Type): boolean {
  return (
    type.isIntersection() &&
    checker.getPropertiesOfType(type).length === 0 &&
    type.types.some((member) => !isPrimitiveFlags(member.flags) && checker.getPropertiesOfType(member).length > 0)
  );
}

/** The bounds the item's brand states for its trait. */
function boundsOf(checker: ts.TypeChecker, item: Item): readonly string[] {
  return brandBounds(checker, item.type, item.trait === 'Send' ? '~send' : '~sync');
}

/**
 * The failure of an item that fails by itself (the marker's `FailureOf`);
 * nothing proving a type parameter's constraint (or a parameter without
 * one) blames the parameter, as rustc does.
 */
function failureOf(checker: ts.TypeChecker, item: Item): Failure | undefined {
  const failure = ownFailureOf(checker, item);
  if (failure?.kind === 'unproven' && item.param && failure.path === item.path) {
    return { kind: 'unbounded', culprit: checker.typeToString(item.param), brand: undefined, path: item.path, trait: item.trait };
  }
  return failure;
}

function ownFailureOf(checker: ts.TypeChecker, item: Item): Failure | undefined {
  const { type, path, trait } = item;
  if (type.flags & ts.TypeFlags.Any) return { kind: 'unproven', culprit: 'any', brand: undefined, path, trait };
  if (type.flags & ts.TypeFlags.Unknown) return { kind: 'unproven', culprit: 'unknown', brand: undefined, path, trait };
  if (type.flags & ts.TypeFlags.TypeParameter) return { kind: 'unproven', culprit: checker.typeToString(type), brand: undefined, path, trait };
  const bounds = boundsOf(checker, item);
  if (bounds.includes('never')) return rejected(checker, type, path, trait);
  if (bounds.includes('none')) return structuralFailure(checker, item);
  return undefined;
}

function rejected(checker: ts.TypeChecker, type: ts.Type, path: string, trait: Trait): Failure {
  return { kind: 'rejected', culprit: typeName(checker, type), brand: brandString(checker, type, '~name'), path, trait };
}

/** The marker's `Primitive | CloneableLeaf`; a branded primitive (`string & { __brand: 'Id' }`) is still a primitive. */
function isLeaf(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (isPrimitiveFlags(type.flags)) return true;
  if (type.isIntersection() && type.types.some((member) => isPrimitiveFlags(member.flags))) return true;
  return hasLibSymbol(checker, type, CLONEABLE_LEAVES);
}

function neverCrosses(checker: ts.TypeChecker, type: ts.Type): boolean {
  return (
    (type.flags & ts.TypeFlags.ESSymbolLike) !== 0 ||
    isFunctionLike(checker, type) ||
    isPromiseLike(checker, type) ||
    hasLibSymbol(checker, type, ['WeakMap', 'WeakSet', 'WeakRef'])
  );
}

function isContainer(checker: ts.TypeChecker, type: ts.Type): boolean {
  return arrayPart(checker, type) !== undefined || hasLibSymbol(checker, type, ['Map', 'ReadonlyMap', 'Set', 'ReadonlySet']);
}

/**
 * The array or tuple a type is, extends or intersects (`number[] & { cache:
 * Rc<number> }`, `interface Tagged extends Array<number>`): its elements are
 * the value's, and any other property was added to it.
 */
function arrayPart(checker: ts.TypeChecker, type: ts.Type): ts.TypeReference | undefined {
  if (checker.isArrayType(type) || checker.isTupleType(type)) return type as ts.TypeReference;
  if (!(type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection))) return undefined;
  for (const member of type.isIntersection() ? type.types : [type]) {
    if (checker.isArrayType(member) || checker.isTupleType(member)) return member as ts.TypeReference;
  }
  return libType(checker, type, ['Array', 'ReadonlyArray']) as ts.TypeReference | undefined;
}

function isError(checker: ts.TypeChecker, type: ts.Type): boolean {
  return hasLibSymbol(checker, type, ['Error']);
}

/** The marker's `StructuralFailure`: what an unbranded type fails by itself. */
function structuralFailure(checker: ts.TypeChecker, item: Item): Failure | undefined {
  const { type, path, trait } = item;
  if (isLeaf(checker, type)) return undefined;
  if (isContainer(checker, type)) return undefined;
  if (neverCrosses(checker, type)) return rejected(checker, type, path, trait);
  if (!(type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection | ts.TypeFlags.NonPrimitive))) return undefined;
  if (brandBounds(checker, type, '~send')[0] === 'none' && hasRegisteredCodec(checker, type) === false) {
    return { kind: 'noCodec', culprit: checker.typeToString(type), brand: undefined, path, trait };
  }
  const keys = dataKeys(checker, type, isError(checker, type));
  const indexes = checker.getIndexInfosOfType(type);
  if (keys.length === 0 && indexes.length === 0) {
    return { kind: 'unproven', culprit: typeName(checker, type), brand: undefined, path, trait };
  }
  if (keys.some(isSymbolKey) || indexes.some((index) => index.keyType.flags & ts.TypeFlags.ESSymbolLike)) {
    // structured clone drops symbol-keyed properties
    return { kind: 'rejected', culprit: 'symbol', brand: undefined, path: `${path}[symbol]`, trait };
  }
  return undefined;
}

/** The items an item requires in turn (the marker's `RequirementsOf`). */
function requirementsOf(checker: ts.TypeChecker, item: Item, into: Item[]): void {
  const { type, path } = item;
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter)) return;
  for (const bound of boundsOf(checker, item)) {
    if (bound === 'none') partsOf(checker, item, into);
    else if (bound === 'T: Send' || bound === 'T: Sync' || bound === 'T: Send + Sync') {
      const param = brandParam(checker, type) ?? checker.getNeverType();
      if (bound !== 'T: Sync') spread(checker, param, path, 'Send', into);
      if (bound !== 'T: Send') spread(checker, param, path, 'Sync', into);
    }
  }
}

/** The marker's `PartsOf`: the parts of an unbranded type, each with its path. */
function partsOf(checker: ts.TypeChecker, item: Item, into: Item[]): void {
  const { type, path, trait } = item;
  if (isLeaf(checker, type)) {
    const view = type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection) ? libType(checker, type, ARRAY_BUFFER_VIEWS) : undefined;
    if (view) addedParts(checker, item, view, into);
    return;
  }
  const map = libTypeArguments(checker, type, ['Map', 'ReadonlyMap']);
  if (map) {
    spread(checker, map[0], `${path}<key>`, trait, into);
    spread(checker, map[1], `${path}<value>`, trait, into);
    return;
  }
  const set = libTypeArguments(checker, type, ['Set', 'ReadonlySet']);
  if (set) {
    spread(checker, set[0], `${path}<item>`, trait, into);
    return;
  }
  const array = arrayPart(checker, type);
  if (array) {
    const elements = checker.getTypeArguments(array);
    if (checker.isTupleType(array)) {
      const variable = (array.target as ts.TupleType).combinedFlags & ts.ElementFlags.Variable;
      elements.forEach((element, index) => spread(checker, element, variable ? `${path}[i]` : `${path}[${index}]`, trait, into));
    } else {
      spread(checker, elements[0], `${path}[i]`, trait, into);
    }
    addedParts(checker, item, array, into);
    return;
  }
  if (neverCrosses(checker, type) || !(type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Intersection))) return;
  // private and `#private` fields are data too; methods of a class with a codec are its prototype's, which the codec rebuilds
  const withCodec = hasRegisteredCodec(checker, type) === true;
  for (const property of dataKeys(checker, type, isError(checker, type), true)) {
    if (withCodec && isPrototypeMember(property)) continue;
    const key = isSymbolKey(property) ? `${path}[symbol]` : `${path}.${property.name}`;
    spread(checker, checker.getTypeOfSymbol(property), key, trait, into);
  }
  for (const index of checker.getIndexInfosOfType(type)) {
    const key = index.keyType.flags & ts.TypeFlags.NumberLike ? '[number]' : index.keyType.flags & ts.TypeFlags.ESSymbolLike ? '[symbol]' : '[string]';
    spread(checker, index.type, `${path}${key}`, trait, into);
  }
}

/**
 * The properties added to an array or a typed array (those its built-in
 * `base` does not have): parts of the value, as an object's are.
 */
function addedParts(checker: ts.TypeChecker, item: Item, base: ts.Type, into: Item[]): void {
  const { type, path, trait } = item;
  if (type === base) return;
  const own = new Set(checker.getPropertiesOfType(base).map((property) => property.escapedName));
  for (const property of dataKeys(checker, type, false)) {
    if (own.has(property.escapedName) || /^\d+$/.test(property.name)) continue;
    const key = isSymbolKey(property) ? `${path}[symbol]` : `${path}.${property.name}`;
    spread(checker, checker.getTypeOfSymbol(property), key, trait, into);
  }
}
