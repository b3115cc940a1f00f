type Trait = 'Send' | 'Sync';
export type Bound = 'always' | 'never' | 'T: Send' | 'T: Sync' | 'T: Send + Sync';
export interface Send { readonly '~send': 'always' }
export interface Sync { readonly '~sync': 'always' }
export interface NotSend { readonly '~send': 'never' }
export interface NotSync { readonly '~sync': 'never' }
export interface Traits<Name extends string, Param, SendBound extends Bound, SyncBound extends Bound> {
  readonly '~name': Name; readonly '~param': Param; readonly '~send': SendBound; readonly '~sync': SyncBound;
}
type BrandKey = '~name' | '~param' | '~send' | '~sync';
type Primitive = string | number | bigint | boolean | null | undefined | void;
type Leaf = Date | RegExp | Error | ArrayBuffer | SharedArrayBuffer | ArrayBufferView;
type NotSendable = symbol | Function | PromiseLike<unknown> | WeakMap<any, any> | WeakSet<any> | WeakRef<any>;
type MaxDepth = 64;

// item: [type, path, trait]
type Item = [unknown, string, Trait];

type Verb<Tr> = Tr extends 'Send' ? 'sent' : 'shared';
type At<P extends string> = P extends '' ? '' : ` (at ${P})`;
type Fail<Name extends string, P extends string, Tr extends Trait> = `\`${Name}\` cannot be ${Verb<Tr>} between threads safely${At<P>}`;
type Unproven<Name extends string, P extends string, Tr extends Trait> = `\`${Name}\` cannot be ${Verb<Tr>} between threads safely: its type does not prove it is ${Tr}${At<P>}`;

type BoundOf<T, Tr extends Trait> = Tr extends 'Send'
  ? (T extends { readonly '~send': infer B } ? [B] extends [never] ? 'never' : B : 'none')
  : (T extends { readonly '~sync': infer B } ? [B] extends [never] ? 'never' : B : 'none');

type StructKeys<T> = Exclude<keyof T, BrandKey>;
type KeyPath<K, P extends string> = K extends string | number ? (string extends K ? `${P}[string]` : number extends K ? `${P}[number]` : `${P}.${K}`) : `${P}[symbol]`;

/** What is wrong with one item itself (not its children): a message, or never. */
type FailureOf<I> = I extends [infer T, infer P extends string, infer Tr extends Trait]
  ? 0 extends 1 & T ? Unproven<'any', P, Tr>
  : unknown extends T ? Unproven<'unknown', P, Tr>
  : BoundOf<T, Tr> extends infer B
    ? B extends 'never' ? Fail<TypeName<T>, P, Tr>
    : B extends 'none'
      ? T extends Primitive | Leaf ? never
      : T extends NotSendable ? Fail<TypeName<T>, P, Tr>
      : T extends ReadonlyMap<any, any> | ReadonlySet<any> | readonly unknown[] ? never
      : T extends object ? ([StructKeys<T>] extends [never] ? Unproven<TypeName<T>, P, Tr> : Extract<StructKeys<T>, symbol> extends never ? never : Fail<'symbol', `${P}[symbol]`, Tr>)
      : never
    : never
    : never
  : never;

/** The items a composite item requires in turn. */
type ChildrenOf<I> = I extends [infer T, infer P extends string, infer Tr extends Trait]
  ? 0 extends 1 & T ? never : unknown extends T ? never
  : BoundOf<T, Tr> extends infer B
    ? B extends 'always' | 'never' ? never
    : B extends 'T: Send' ? Spread<T extends { readonly '~param': infer V } ? V : never, P, 'Send'>
    : B extends 'T: Sync' ? Spread<T extends { readonly '~param': infer V } ? V : never, P, 'Sync'>
    : B extends 'T: Send + Sync' ? Spread<T extends { readonly '~param': infer V } ? V : never, P, Trait>
    : T extends Primitive | Leaf | NotSendable ? never
    : T extends ReadonlyMap<infer K, infer V> ? Spread<K, `${P}<key>`, Tr> | Spread<V, `${P}<value>`, Tr>
    : T extends ReadonlySet<infer V> ? Spread<V, `${P}<item>`, Tr>
    : T extends readonly unknown[] ? (number extends T['length'] ? Spread<T[number], `${P}[i]`, Tr> : { [K in keyof T]: Spread<T[K], `${P}[${K & string}]`, Tr> }[number])
    : T extends object ? { [K in StructKeys<T>]-?: Spread<T[K], KeyPath<K, P>, Tr> }[StructKeys<T>]
    : never
    : never
  : never;

/** One item per member of a union type, per trait. */
type Spread<T, P extends string, Tr extends Trait> = T extends unknown ? Tr extends unknown ? [T, P, Tr] : never : never;

type Equals<A, B> = (<G>() => G extends A ? 1 : 2) extends (<G>() => G extends B ? 1 : 2) ? true : false;
type Seen<I, Visited> = I extends [infer T, string, infer Tr] ? (Visited extends [infer VT, infer VTr] ? Equals<[T, Tr], [VT, VTr]> extends true ? I : never : never) : never;
type KeyOf<I> = I extends [infer T, string, infer Tr] ? [T, Tr] : never;

type Walk<Frontier, Visited, Depth extends 0[]> =
  [Frontier] extends [never] ? never
  : FailureOf<Frontier> extends infer F
    ? [F] extends [never]
      ? Depth['length'] extends MaxDepth ? 'too deep'
      : Walk<Exclude<ChildrenOf<Frontier>, Seen<ChildrenOf<Frontier>, Visited | KeyOf<Frontier>>>, Visited | KeyOf<Frontier>, [...Depth, 0]>
      : F
    : never;

type WhyNot<T, Tr extends Trait, P extends string = ''> = Walk<Spread<T, P, Tr>, never, []>;
export type WhyNotSend<T, P extends string = ''> = WhyNot<T, 'Send', P>;
export type WhyNotSync<T, P extends string = ''> = WhyNot<T, 'Sync', P>;
export type IsSend<T> = [WhyNot<T, 'Send'>] extends [never] ? true : false;
export type IsSync<T> = [WhyNot<T, 'Sync'>] extends [never] ? true : false;
export type CheckSend<T, P extends string = ''> = [WhyNot<T, 'Send', P>] extends [never] ? T : WhyNot<T, 'Send', P>;
export type CheckSync<T, P extends string = ''> = [WhyNot<T, 'Sync', P>] extends [never] ? T : WhyNot<T, 'Sync', P>;
export type CheckSendEach<Values extends readonly unknown[], Prefix extends string> = { [K in keyof Values]: CheckSend<Values[K], `${Prefix}[${K & string}]`> };
export type CheckSyncEach<Values extends readonly unknown[], Prefix extends string> = { [K in keyof Values]: CheckSync<Values[K], `${Prefix}[${K & string}]`> };

export type TypeName<T, D extends 0[] = []> =
  D['length'] extends 3 ? '…'
  : 0 extends 1 & T ? 'any' : unknown extends T ? 'unknown' : [T] extends [never] ? 'never'
  : T extends { readonly '~name': infer N extends string } ? (T extends { readonly '~param': infer V } ? ([V] extends [never] ? N : `${N}<${TypeName<V, [...D, 0]>}>`) : N)
  : [T] extends [boolean] ? ([boolean] extends [T] ? 'boolean' : T extends true ? 'true' : 'false')
  : [T] extends [string] ? 'string' : [T] extends [number] ? 'number' : [T] extends [bigint] ? 'bigint'
  : [T] extends [symbol] ? 'symbol' : [T] extends [null] ? 'null' : [T] extends [undefined] ? 'undefined'
  : [T] extends [Function] ? 'Function'
  : [T] extends [PromiseLike<infer V>] ? `Promise<${TypeName<V, [...D, 0]>}>`
  : [T] extends [readonly unknown[]] ? (number extends T['length'] ? `${TypeName<T[number], [...D, 0]>}[]` : '[…]')
  : [T] extends [object] ? '{…}'
  : 'union';
