/**
 * How a type is named in messages: `Rc<number>`, `Map<string, Cell<number>>`,
 * `Function`. TypeScript cannot print a type from within the type system, so
 * this is an approximation that is the same under every compiler version: no
 * part of it depends on the order in which a compiler lists union members.
 */

import type { BrandKey } from './brand.js';

/** How deep names nest before the rest is written `…`. */
type MaxNameDepth = 4;

type Primitive = string | number | bigint | boolean | symbol | null | undefined | void;

/**
 * The name of a type in our diagnostics: a branded type's own name with its
 * parameter (`Arc<Mutex<number>>`), a primitive's keyword (literal types are
 * widened: `1` is `number`), `T[]`, tuples, the names of the built-in classes,
 * `Function` for anything callable, and `{…}` for other object types.
 *
 * @example
 * ```ts
 * type A = TypeName<Rc<1>>;                    // 'Rc<number>'
 * type B = TypeName<Map<string, Cell<bigint>>>; // 'Map<string, Cell<bigint>>'
 * type C = TypeName<string | number>;           // 'string | number'
 * ```
 */
export type TypeName<Value> = NameOf<Value, []>;

type NameOf<T, Depth extends 0[]> = Depth['length'] extends MaxNameDepth
  ? '…'
  : 0 extends 1 & T
    ? 'any'
    : unknown extends T
      ? 'unknown'
      : [T] extends [never]
        ? 'never'
        : IsUnion<T> extends true
          ? UnionName<T, Depth>
          : SingleName<T, Depth>;

type IsUnion<T> = [T] extends [boolean] ? false : [T] extends [UnionToIntersection<T>] ? false : true;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/**
 * A union, written in a fixed order (primitives first, by keyword), so that
 * every compiler prints the same text. The parts sit behind `[T] extends
 * [unknown]` (always true) so that, while T is generic (when a program checks
 * these declarations without `skipLibCheck`), `JoinUnion` waits for T instead
 * of unrolling over eight undecided parts, 2^8 branches deep.
 */
type UnionName<T, Depth extends 0[]> = JoinUnion<
  [T] extends [unknown]
    ? [
        [Extract<T, string>] extends [never] ? never : 'string',
        [Extract<T, number>] extends [never] ? never : 'number',
        [Extract<T, bigint>] extends [never] ? never : 'bigint',
        [Extract<T, boolean>] extends [never] ? never : NameOf<Extract<T, boolean>, Depth>,
        [Extract<T, symbol>] extends [never] ? never : 'symbol',
        [Extract<T, null>] extends [never] ? never : 'null',
        [Extract<T, undefined>] extends [never] ? never : 'undefined',
        [Exclude<T, Primitive>] extends [never]
          ? never
          : IsUnion<Exclude<T, Primitive>> extends true
            ? '…'
            : NameOf<Exclude<T, Primitive>, Depth>,
      ]
    : []
>;

type JoinUnion<Parts extends unknown[], Text extends string = ''> = Parts extends [infer Head, ...infer Rest]
  ? [Head] extends [never]
    ? JoinUnion<Rest, Text>
    : JoinUnion<Rest, Text extends '' ? `${Head & string}` : `${Text} | ${Head & string}`>
  : Text;

// Not distributed (`[T]`): `boolean` reaches here whole, and is one name.
type SingleName<T, Depth extends 0[]> = [T] extends [{ readonly '~name': infer Name extends string }]
  ? BrandedName<Name, T, [...Depth, 0]>
  : [T] extends [boolean]
    ? [boolean] extends [T]
      ? 'boolean'
      : T extends true
        ? 'true'
        : 'false'
    : T extends string
      ? 'string'
      : T extends number
        ? 'number'
        : T extends bigint
          ? 'bigint'
          : T extends symbol
            ? 'symbol'
            : T extends null
              ? 'null'
              : T extends undefined | void
                ? 'undefined'
                : // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- the `Function` type and constructors are named `Function` too
                  T extends Function
                  ? 'Function'
                  : T extends readonly unknown[]
                    ? ArrayName<T, [...Depth, 0]>
                    : ObjectName<T, [...Depth, 0]>;

type BrandedName<Name extends string, T, Depth extends 0[]> = T extends { readonly '~param': infer Param }
  ? [Param] extends [never]
    ? Name
    : `${Name}<${ParamNames<Param, Depth>}>`
  : Name;

/** A tuple parameter (`Traits<'Pair', [A, B], …>`) reads as `Pair<A, B>`. */
type ParamNames<Param, Depth extends 0[]> = [Param] extends [readonly unknown[]] // not distributed: `Cell<boolean>` is one name
  ? number extends Param['length']
    ? NameOf<Param, Depth>
    : JoinList<Param, Depth>
  : NameOf<Param, Depth>;

type JoinList<Items extends readonly unknown[], Depth extends 0[], Text extends string = ''> = Items extends readonly [
  infer Head,
  ...infer Rest,
]
  ? JoinList<Rest, Depth, Text extends '' ? NameOf<Head, Depth> : `${Text}, ${NameOf<Head, Depth>}`>
  : Text;

type ArrayName<T extends readonly unknown[], Depth extends 0[]> = number extends T['length']
  ? IsUnion<T[number]> extends true
    ? `(${NameOf<T[number], Depth>})[]`
    : `${NameOf<T[number], Depth>}[]`
  : `[${JoinList<T, Depth>}]`;

type ObjectName<T, Depth extends 0[]> =
  T extends PromiseLike<infer Value>
    ? `Promise<${NameOf<Value, Depth>}>`
    : T extends ReadonlyMap<infer Key, infer Value>
      ? `Map<${NameOf<Key, Depth>}, ${NameOf<Value, Depth>}>`
      : T extends ReadonlySet<infer Value>
        ? `Set<${NameOf<Value, Depth>}>`
        : T extends WeakMap<infer Key, infer Value>
          ? `WeakMap<${NameOf<Key, Depth>}, ${NameOf<Value, Depth>}>`
          : T extends WeakSet<infer Value>
            ? `WeakSet<${NameOf<Value, Depth>}>`
            : T extends WeakRef<infer Value>
              ? `WeakRef<${NameOf<Value, Depth>}>`
              : T extends Date
                ? 'Date'
                : T extends RegExp
                  ? 'RegExp'
                  : T extends { readonly [Symbol.toStringTag]: infer Tag extends string }
                    ? string extends Tag
                      ? '{…}'
                      : Tag
                    : T extends Error
                      ? 'Error'
                      : [Exclude<keyof T, BrandKey>] extends [never]
                        ? string extends T
                          ? '{}'
                          : 'object'
                        : '{…}';
