/**
 * The auto-trait computation: why a type is not `Send` (or not `Sync`), as
 * Rust derives both for a struct from its fields.
 *
 * The walk is breadth-first and tail-recursive, so that nesting depth costs
 * iterations rather than compiler stack (no TS2589 on deep types):
 *
 * - the frontier is a union of items `[Type, Path, Trait]`: a type that must
 *   be `Trait`, found at `Path` inside the checked value;
 * - each step reports the items that fail by themselves (`FailureOf`), and
 *   otherwise goes on with the items they require (`RequirementsOf`), minus
 *   those already checked (a recursive type requires itself: `Visited`);
 * - the result is the union of messages of the shallowest failures, or `never`.
 *
 * Not exported from the package: `check.ts` is the public face.
 */

import type { BrandKey } from './brand.js';
import type { TypeName } from './type-name.js';

export type Trait = 'Send' | 'Sync';

/** How many levels of nesting are checked; deeper values are rejected as unproven. */
type MaxDepth = 100;

/** Types that are `Send` and `Sync` with nothing inside to check. */
type Primitive = string | number | bigint | boolean | null | undefined | void;
/** Built-in classes that structured clone copies whole, with nothing inside to check. */
type CloneableLeaf = Date | RegExp | ArrayBuffer | SharedArrayBuffer | ArrayBufferView;
/** Containers whose parts are checked (`Map`, `Set`, arrays and tuples). */
type Container = ReadonlyMap<unknown, unknown> | ReadonlySet<unknown> | readonly unknown[];
/**
 * What can never cross: no copy of it means the same thing in another thread.
 * `Function` (not a call signature) so that the `Function` type itself and
 * class constructors match too; `any` so that every instantiation matches.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type, @typescript-eslint/no-explicit-any
type NeverCrosses = symbol | Function | PromiseLike<unknown> | WeakMap<any, any> | WeakSet<any> | WeakRef<any>;

type Verb<T extends Trait> = T extends 'Send' ? 'sent' : 'shared';
type At<Path extends string> = Path extends '' ? '' : ` (at ${Path})`;

/** rustc's E0277, in our words: "`Rc<number>` cannot be sent between threads safely (at captures[0])". */
type Rejected<Name extends string, Path extends string, T extends Trait> =
  `\`${Name}\` cannot be ${Verb<T>} between threads safely${At<Path>}`;

/** For `any`, `unknown`, `{}`, `object`: nothing says what the value is, so nothing proves it safe. */
type Unproven<Name extends string, Path extends string, T extends Trait> =
  `\`${Name}\` cannot be ${Verb<T>} between threads safely: its type does not prove it is ${T}${At<Path>}`;

/** The bound a type's brand states for `T`, `'none'` without a brand. */
type BoundOf<Type, T extends Trait> = T extends 'Send'
  ? Type extends { readonly '~send': infer B }
    ? [B] extends [never]
      ? 'never' // contradictory brands (`Send & NotSend`) mean not Send
      : B
    : 'none'
  : Type extends { readonly '~sync': infer B }
    ? [B] extends [never]
      ? 'never'
      : B
    : 'none';

/** The parameter a brand's bound speaks of. */
type ParamOf<Type> = Type extends { readonly '~param': infer Param } ? Param : never;

/** The keys that hold data: not brands, and for an `Error` not `cause` (structured clone checks that at run time). */
type DataKeys<Type> = Type extends Error ? Exclude<keyof Type, BrandKey | 'cause'> : Exclude<keyof Type, BrandKey>;

/**
 * The keys every array, tuple and typed array (or `DataView`) has of its own
 * kind (every typed array's keys are `Uint8Array`'s, or fewer); computed
 * once. Any other key of such a type was added to it
 * (`Object.assign([1, 2], { cache })`, an interface extending `Array`).
 */
type BuiltInKeys = keyof unknown[] | `${number}` | keyof Uint8Array | keyof DataView;

/** The properties added to an array or a typed array: parts of the value like an object's. */
type AddedParts<Type, Path extends string, T extends Trait> = Exclude<keyof Type, BuiltInKeys | BrandKey> extends infer Key
  ? [Key] extends [never]
    ? never
    : { [K in Key & keyof Type]-?: Spread<Type[K], KeyPath<K, Path>, T> }[Key & keyof Type]
  : never;

type KeyPath<Key, Path extends string> = Key extends string | number
  ? string extends Key
    ? `${Path}[string]`
    : number extends Key
      ? `${Path}[number]`
      : `${Path}.${Key}`
  : `${Path}[symbol]`;

/** One item per member of a union (and per trait, for `'T: Send + Sync'`). */
export type Spread<Type, Path extends string, T extends Trait> = Type extends unknown
  ? T extends unknown
    ? [Type, Path, T]
    : never
  : never;

/** The message for an item that fails by itself, or `never`. */
type FailureOf<I> = I extends [infer Type, infer Path extends string, infer T extends Trait]
  ? 0 extends 1 & Type
    ? Unproven<'any', Path, T>
    : unknown extends Type
      ? Unproven<'unknown', Path, T>
      : BoundOf<Type, T> extends infer B
        ? B extends 'never'
          ? Rejected<TypeName<Type>, Path, T>
          : B extends 'none'
            ? StructuralFailure<Type, Path, T>
            : never
        : never
  : never;

type StructuralFailure<Type, Path extends string, T extends Trait> = Type extends Primitive | CloneableLeaf
  ? never
  : Type extends Container // before NeverCrosses: a Map is structurally a WeakMap
    ? never
    : Type extends NeverCrosses
      ? Rejected<TypeName<Type>, Path, T>
      : Type extends object
        ? [DataKeys<Type>] extends [never]
          ? Unproven<TypeName<Type>, Path, T>
          : [Extract<DataKeys<Type>, symbol>] extends [never]
            ? never
            : Rejected<'symbol', `${Path}[symbol]`, T> // structured clone drops symbol-keyed properties
        : never;

/** The items an item requires in turn: its brand's parameter, or its parts. */
type RequirementsOf<I> = I extends [infer Type, infer Path extends string, infer T extends Trait]
  ? 0 extends 1 & Type
    ? never
    : unknown extends Type
      ? never
      : BoundOf<Type, T> extends infer B
        ? B extends 'T: Send'
          ? Spread<ParamOf<Type>, Path, 'Send'>
          : B extends 'T: Sync'
            ? Spread<ParamOf<Type>, Path, 'Sync'>
            : B extends 'T: Send + Sync'
              ? Spread<ParamOf<Type>, Path, Trait>
              : B extends 'none'
                ? PartsOf<Type, Path, T>
                : never
        : never
  : never;

type PartsOf<Type, Path extends string, T extends Trait> = Type extends Primitive
  ? never
  : Type extends ArrayBufferView
    ? AddedParts<Type, Path, T>
    : Type extends CloneableLeaf
      ? never
      : Type extends ReadonlyMap<infer Key, infer Value>
        ? Spread<Key, `${Path}<key>`, T> | Spread<Value, `${Path}<value>`, T>
        : Type extends ReadonlySet<infer Value>
          ? Spread<Value, `${Path}<item>`, T>
          : Type extends readonly unknown[]
            ? ElementParts<Type, Path, T> | AddedParts<Type, Path, T>
            : Type extends NeverCrosses
              ? never
              : Type extends object
                ? { [K in DataKeys<Type>]-?: Spread<Type[K & keyof Type], KeyPath<K, Path>, T> }[DataKeys<Type>]
                : never;

type ElementParts<Type extends readonly unknown[], Path extends string, T extends Trait> = number extends Type['length']
  ? Spread<Type[number], `${Path}[i]`, T>
  : { [K in keyof Type]: Spread<Type[K], `${Path}[${K & string}]`, T> }[number];

/** Strict identity (not mutual assignability: `{}` and `{ f?: () => void }` are mutually assignable). */
type Identical<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;

/** What was checked: a type, for a trait. */
type CheckedKey<I> = I extends [infer Type, string, infer T] ? [Type, T] : never;

/** The items of `Items` already checked (for the same trait) in `Visited`. */
type AlreadyChecked<Items, Visited> = Items extends [infer Type, string, infer T]
  ? Visited extends [infer SeenType, infer SeenTrait]
    ? Identical<[Type, T], [SeenType, SeenTrait]> extends true
      ? Items
      : never
    : never
  : never;

type TooDeep<Frontier> = Frontier extends [unknown, infer Path extends string, infer T extends Trait]
  ? `a value nested more than 100 levels deep cannot be proven ${T}${At<Path>}`
  : never;

/** The walk itself; tail-recursive in every branch that recurses. */
export type Walk<Frontier, Visited, Depth extends 0[]> = [Frontier] extends [never]
  ? never
  : FailureOf<Frontier> extends infer Failures
    ? [Failures] extends [never]
      ? Depth['length'] extends MaxDepth
        ? TooDeep<Frontier>
        : Walk<
            Exclude<RequirementsOf<Frontier>, AlreadyChecked<RequirementsOf<Frontier>, Visited | CheckedKey<Frontier>>>,
            Visited | CheckedKey<Frontier>,
            [...Depth, 0]
          >
      : Failures
    : never;
