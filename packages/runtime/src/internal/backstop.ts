/**
 * The run-time backstop: is this value Send (may it move into a thread)? Sync
 * (may a scoped thread borrow it)? It catches what `any`, casts and plain
 * JavaScript let past `tsc`, before any thread starts, and says it in the
 * words `tsc` uses (`@sendsync/marker`'s walk, read on values instead of types):
 *
 * - the walk is breadth-first, an item being a value that must be `Send` or
 *   `Sync`, found at a path inside the checked value; the shallowest failure
 *   is reported, as the marker reports the shallowest;
 * - a class states its row of the table (`TraitRow`: `'always'`, `'never'`,
 *   `'T: Send'`, ...) when it registers its codec; a bound on `T` requires
 *   the row's `param` values, at the same path;
 * - paths are the marker's: `.key`, `[i]` for an array's element, `<key>`
 *   and `<value>` in a `Map`, `<item>` in a `Set`, `[symbol]`;
 * - what a copy would carry unfaithfully (a subclass of a built-in, an
 *   `Error`'s or a `Map`'s own properties) is refused, saying what it would lose.
 */

import protocol from './protocol.js';
import { rowFor, type Bound } from '../codec.js';
import { typeNameOf } from './type-name.js';

type Trait = 'Send' | 'Sync';

/** How many levels of nesting are checked, as the marker's `MaxDepth`; deeper values are refused as unproven. */
const MAX_DEPTH = 100;

/**
 * Built-in classes that structured clone carries whole and faithfully, when
 * the value is an instance of exactly that class with no own enumerable
 * property (a copy keeps neither a subclass nor an added property).
 */
const LEAVES = new Set<unknown>([
  Date,
  RegExp,
  Boolean,
  Number,
  ArrayBuffer,
  SharedArrayBuffer,
  DataView,
]);

/** Errors that structured clone carries with their class: `message`, `stack` and a `cause` (checked like any part). */
const ERRORS = new Set<unknown>([Error, EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError]);

/**
 * Leaves with an own property per element (typed arrays, `String` objects):
 * listing their own properties would cost one key per element, so added
 * properties are not looked for (a copy drops them).
 */
const INDEXED = new Set<unknown>([String, ...protocol.TYPED_ARRAYS]);

/**
 * The walk's state. `queue` holds the items, three entries each (the value,
 * its path, the trait it must have), level after level: breadth first.
 */
interface Walk {
  readonly queue: unknown[];
  /** What was checked already, per trait: a value is checked once (cycles, shared parts). */
  seenSend: Set<object> | undefined;
  seenSync: Set<object> | undefined;
  /** True while the parts required are `MAX_DEPTH` levels deep: the first of them is kept in `tooDeep`. */
  atLimit: boolean;
  tooDeep: { readonly path: string; readonly trait: Trait } | undefined;
}

/** rustc's E0277, in the marker's words. */
function rejected(name: string, path: string, trait: Trait, why = ''): string {
  return `\`${name}\` cannot be ${trait === 'Send' ? 'sent' : 'shared'} between threads safely${why} (at ${path})`;
}

/** Adds a part to check, unless it is a primitive (always Send and Sync) or checked already. */
function require(walk: Walk, value: unknown, path: string, trait: Trait): void {
  if (walk.atLimit) walk.tooDeep ??= { path, trait };
  const type = typeof value;
  if (type !== 'object' && type !== 'function' && type !== 'symbol') return;
  if (value === null) return;
  if (type === 'object' && (trait === 'Send' ? walk.seenSend : walk.seenSync)?.has(value as object) === true) return;
  walk.queue.push(value, path, trait);
}

/** The parts a bound requires: none for `'always'`, the row's parameter for `'T: …'`. */
function requireParam(walk: Walk, bound: Bound, param: readonly unknown[] | undefined, path: string): void {
  if (param === undefined || bound === 'always') return;
  for (const value of param) {
    if (bound !== 'T: Sync') require(walk, value, path, 'Send');
    if (bound !== 'T: Send') require(walk, value, path, 'Sync');
  }
}

/** An own enumerable property that a copy would drop, if any (an `Error`'s `cause` is kept). */
function droppedKey(object: object): string | undefined {
  for (const key in object) if (Object.hasOwn(object, key) && key !== 'cause') return key;
  return undefined;
}

/**
 * Checks one item: returns why it fails by itself, or adds the parts it
 * requires to the next level and returns undefined.
 */
function check(walk: Walk, value: unknown, path: string, trait: Trait): string | undefined {
  if (typeof value === 'function') return rejected('Function', path, trait);
  if (typeof value === 'symbol') return rejected('symbol', path, trait);
  const object = value as object;
  if (trait === 'Send') (walk.seenSend ??= new Set()).add(object);
  else (walk.seenSync ??= new Set()).add(object);
  const prototype = Object.getPrototypeOf(object) as object | null;
  if (prototype === Array.prototype) {
    const array = object as unknown[];
    const element = `${path}[i]`;
    for (let index = 0; index < array.length; index++) require(walk, array[index], element, trait);
    return undefined;
  }
  if (prototype === Object.prototype || prototype === null) {
    for (const key of Object.keys(object)) require(walk, (object as Record<string, unknown>)[key], `${path}.${key}`, trait);
    // Structured clone drops symbol-keyed properties: moving them would lose data silently.
    return Object.getOwnPropertySymbols(object).length === 0 ? undefined : rejected('symbol', `${path}[symbol]`, trait);
  }
  if (prototype === Map.prototype || prototype === Set.prototype) {
    const dropped = droppedKey(object);
    if (dropped !== undefined) return rejected(typeNameOf(object), path, trait, `: a copy would lose its property \`${dropped}\``);
    if (object instanceof Map) {
      for (const [key, entry] of object) {
        require(walk, key, `${path}<key>`, trait);
        require(walk, entry, `${path}<value>`, trait);
      }
    } else {
      for (const item of object as Set<unknown>) require(walk, item, `${path}<item>`, trait);
    }
    return undefined;
  }
  const type = object.constructor;
  if (INDEXED.has(type) && prototype === (type as { prototype: object }).prototype) return undefined;
  if ((LEAVES.has(type) || ERRORS.has(type)) && prototype === (type as { prototype: object }).prototype) {
    const dropped = droppedKey(object);
    if (dropped !== undefined) return rejected(typeNameOf(object), path, trait, `: a copy would lose its property \`${dropped}\``);
    if (ERRORS.has(type) && Object.hasOwn(object, 'cause')) require(walk, (object as Error).cause, `${path}.cause`, trait);
    return undefined;
  }
  const row = rowFor(object);
  if (row === undefined) {
    // No row: a class instance would arrive as a plain object, and functions,
    // promises, weak collections and subclasses of built-ins mean nothing (or
    // something else) in another thread.
    return rejected(typeNameOf(object), path, trait);
  }
  const bound = trait === 'Send' ? row.send : row.sync;
  if (bound === 'never') return rejected(typeNameOf(object), path, trait);
  if (bound !== 'always') requireParam(walk, bound, row.param?.(object), path);
  return undefined;
}

/** Why `value`, found at `path`, is not `trait`; undefined when it is. */
function whyNot(value: unknown, path: string, trait: Trait): string | undefined {
  // A handle whose row answers by itself (a `Mutex`, an atomic, a `Sender`) is the common capture: no walk.
  if (typeof value === 'object' && value !== null) {
    const row = rowFor(value);
    if (row !== undefined) {
      const bound = trait === 'Send' ? row.send : row.sync;
      if (bound === 'always' || (bound !== 'never' && row.param === undefined)) return undefined;
    }
  }
  const walk: Walk = { queue: [], seenSend: undefined, seenSync: undefined, atLimit: false, tooDeep: undefined };
  require(walk, value, path, trait);
  const queue = walk.queue;
  let head = 0;
  for (let depth = 0; head < queue.length; depth++) {
    const end = queue.length;
    walk.atLimit = depth === MAX_DEPTH - 1;
    for (; head < end; head += 3) {
      const failure = check(walk, queue[head], queue[head + 1] as string, queue[head + 2] as Trait);
      if (failure !== undefined) return failure;
    }
    // As the marker: the level MAX_DEPTH deep is checked for failures, and anything there (or below) is unproven.
    if (depth === MAX_DEPTH) break;
  }
  const deep = walk.tooDeep;
  return deep === undefined ? undefined : `a value nested more than ${MAX_DEPTH} levels deep cannot be proven ${deep.trait} (at ${deep.path})`;
}

/**
 * The backstop for `move`: throws rustc's E0277 `TypeError` for the first
 * value that is not Send, and where it sits, before anything is transferred.
 */
export function assertSend(values: readonly unknown[], prefix: string): void {
  assertEach(values, prefix, 'Send');
}

/** The backstop for `borrow`: as `assertSend`, for Sync (a `Cell` may move, not be borrowed). */
export function assertSync(values: readonly unknown[], prefix: string): void {
  assertEach(values, prefix, 'Sync');
}

/** The backstop for one value at `path` (a thread's result, a value sent or stored). */
export function assertSendAt(value: unknown, path: string): void {
  const failure = whyNot(value, path, 'Send');
  if (failure !== undefined) throw new TypeError(failure);
}

function assertEach(values: readonly unknown[], prefix: string, trait: Trait): void {
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    if (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol') continue;
    const failure = whyNot(value, `${prefix}[${index}]`, trait);
    if (failure !== undefined) throw new TypeError(failure);
  }
}
