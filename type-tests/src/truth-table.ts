/**
 * The one table of Send/Sync verdicts that `tsc` (the marker types), the
 * ESLint rules and the run-time backstop are all checked against.
 *
 * Each case names a type (`type`, a TypeScript type expression, with whatever
 * it needs declared in `setup`) and says whether it is `Send` and whether it
 * is `Sync`. The rows of DESIGN.md's table come first, as Rust states them;
 * then primitives, containers, functions, classes, `any`/`unknown`/`never`,
 * unions, intersections, optional and readonly properties, recursive types and
 * deep nesting.
 */

export interface TruthCase {
  /** A short, unique description, used as the test's name. */
  readonly name: string;
  /** TypeScript source that declares what `type` needs (imports, interfaces); may be empty. */
  readonly setup: string;
  /** A type expression. */
  readonly type: string;
  readonly send: boolean;
  readonly sync: boolean;
  /** Why the verdict is what it is, where that is not obvious. */
  readonly why?: string;
  /**
   * A value of the type, as a TypeScript expression (with `setup` in scope
   * and the runtime's modules as `thread`, `sync`, `mpsc`, `cell`, `rc`), for
   * the run-time backstop: moving it into a thread
   * and lending it to a scoped thread must end as `tsc` says of the type,
   * with the same sentence. Where a type admits values that are not safe
   * (`{}`, `unknown`), the value is one of those. Missing where the type has
   * no value, or where what decides the verdict exists only in the type (a
   * brand, a channel's type parameter).
   */
  readonly value?: string;
  /**
   * Where the run time knowingly ends otherwise than `tsc` says (see
   * `value`): the outcome of a move and of a borrow, in full (`'accepted'`
   * or the refusal's message), and why.
   */
  readonly runtime?: { readonly moved?: string; readonly borrowed?: string; readonly why: string };
  /** Where the ESLint rules' verdict or message differs from `tsc`'s, and why. */
  readonly lint?: { readonly send: boolean; readonly sync: boolean; readonly why: string };
}

const sync = `import type { Arc, Weak as ArcWeak, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard, Condvar, Barrier, Once, OnceLock, AtomicBool, AtomicI32, AtomicU32, AtomicI64, AtomicU64 } from '@sendsync/runtime/sync';`;
const cell = `import type { Cell, RefCell, OnceCell, Ref, RefMut } from '@sendsync/runtime/cell';`;
const collections = `import type { Vec, VecDeque, HashMap, HashSet } from '@sendsync/runtime/collections';`;
const rc = `import type { Rc, Weak as RcWeak } from '@sendsync/runtime/rc';`;
const thread = `import type { JoinHandle, Thread } from '@sendsync/runtime';`;
const mpsc = `import type { Sender, SyncSender, Receiver } from '@sendsync/runtime/sync/mpsc';`;
const marker = `import type { Send, Sync, NotSend, NotSync, Traits, Named } from '@sendsync/marker';`;

/** A case whose type needs these imports. */
function row(setup: string | string[], type: string, send: boolean, sync: boolean, why?: string): TruthCase {
  const declarations = Array.isArray(setup) ? setup.join('\n') : setup;
  return { name: type, setup: declarations, type, send, sync, ...(why === undefined ? {} : { why }) };
}

/** A case with its own name, for types whose expression is long or generated. */
function named(name: string, setup: string | string[], type: string, send: boolean, sync: boolean, why?: string): TruthCase {
  return { ...row(setup, type, send, sync, why), name };
}

/** `{ a: { a: ... { a: Leaf } } }`, `depth` levels deep. */
export function nested(depth: number, leaf: string): string {
  return '{ a: '.repeat(depth) + leaf + ' }'.repeat(depth);
}

const union500 = Array.from({ length: 500 }, (_, i) => `'k${i}'`).join(' | ');
const objectUnion100 = Array.from({ length: 100 }, (_, i) => `{ kind: ${i}; value: number }`).join(' | ');

const typeOnlyRows: readonly TruthCase[] = [
  // DESIGN.md's table, row by row.
  row(rc, 'Rc<number>', false, false),
  row(rc, 'RcWeak<number>', false, false, 'rc::Weak is neither, like Rc'),
  row(sync, 'Arc<number>', true, true),
  row([sync, cell], 'Arc<Cell<number>>', false, false, 'Arc<T> needs T: Send + Sync; Cell is not Sync'),
  row([sync, rc], 'Arc<Rc<number>>', false, false),
  row(sync, 'Arc<Mutex<number>>', true, true),
  row([sync, cell], 'Arc<Mutex<Cell<number>>>', true, true, 'Mutex<T> is Sync when T is Send'),
  row(sync, 'ArcWeak<number>', true, true),
  row([sync, cell], 'ArcWeak<Cell<number>>', false, false),
  row(cell, 'Cell<number>', true, false),
  row(cell, 'Cell<boolean>', true, false, 'named Cell<boolean>, not split into Cell<true> | Cell<false>'),
  row([cell, rc], 'Cell<Rc<number>>', false, false),
  row(cell, 'RefCell<string[]>', true, false),
  row([cell, rc], 'RefCell<Rc<number>>', false, false),
  row(cell, 'OnceCell<number>', true, false),
  row(cell, 'Ref<number>', false, false, "a RefCell's borrow guard refers to the cell's borrow count, a Cell: never Sync, even when T is"),
  row(cell, 'RefMut<number>', false, false, 'like Ref'),
  row([cell, sync], 'Ref<Mutex<number>>', false, false, 'a Sync T does not make the guard Sync'),
  row(sync, 'Mutex<number>', true, true),
  row([sync, cell], 'Mutex<Cell<number>>', true, true),
  row([sync, rc], 'Mutex<Rc<number>>', false, false),
  row(sync, 'RwLock<number>', true, true),
  row([sync, cell], 'RwLock<Cell<number>>', true, false, 'RwLock<T> is Sync only when T is Send + Sync'),
  row([sync, rc], 'RwLock<Rc<number>>', false, false),
  row(sync, 'MutexGuard<number>', false, true, 'a guard never leaves the thread that locked'),
  row([sync, cell], 'MutexGuard<Cell<number>>', false, false),
  row(sync, 'RwLockReadGuard<number>', false, true),
  row(sync, 'RwLockWriteGuard<number>', false, true),
  row([sync, cell], 'RwLockReadGuard<Cell<number>>', false, false),
  row([sync, cell], 'RwLockWriteGuard<Cell<number>>', false, false),
  row(sync, 'OnceLock<number>', true, true),
  row([sync, cell], 'OnceLock<Cell<number>>', true, false),
  row(sync, 'Condvar', true, true),
  row(sync, 'Barrier', true, true),
  row(sync, 'Once', true, true),
  row(sync, 'AtomicBool', true, true),
  row(sync, 'AtomicI32', true, true),
  row(sync, 'AtomicU32', true, true),
  row(sync, 'AtomicI64', true, true),
  row(sync, 'AtomicU64', true, true),
  row(thread, 'Thread', true, true),
  row(thread, 'JoinHandle<number>', true, true),
  row(mpsc, 'Sender<number>', true, true),
  row([mpsc, rc], 'Sender<Rc<number>>', false, false),
  row(mpsc, 'SyncSender<string>', true, true),
  row(mpsc, 'Receiver<number>', true, false, 'a receiver may move, but only one thread may receive'),
  row([mpsc, rc], 'Receiver<Rc<number>>', false, false),
  row(collections, 'Vec<number>', true, false, 'a collection is never Sync on its own: a handle can mutate, so sharing needs a lock'),
  row(collections, 'Vec<string>', true, false),
  row([collections, rc], 'Vec<Rc<number>>', false, false),
  row([collections, rc], 'VecDeque<Rc<number>>', false, false),
  row(collections, 'VecDeque<{ id: number; payload: string }>', true, false),
  row([collections, cell], 'HashMap<string, Cell<number>>', true, false, 'a Cell is Send, so the map is; neither is Sync'),
  row([collections, rc], 'HashMap<string, Rc<number>>', false, false),
  row(collections, 'HashSet<bigint>', true, false),
  row([sync, collections], 'Mutex<VecDeque<number>>', true, true, 'Mutex<T> is Sync when T is Send: the lock is what makes sharing safe'),
  row([sync, collections, rc], 'Mutex<VecDeque<Rc<number>>>', false, false),
  row([sync, collections], 'Arc<Mutex<HashMap<string, number>>>', true, true),
  row([sync, collections], 'Arc<Vec<number>>', false, false, 'Arc<T> needs T: Send + Sync'),
  row([sync, collections], 'RwLock<Vec<number>>', true, true, 'RwLock<T> is Sync when T is Send + Sync, and a read guard lends the Vec read-only: Sync when its elements are, as Rust\'s &Vec<T>'),
  row([mpsc, cell], 'Sender<Cell<number>>', true, true, 'Sender<T> needs only T: Send, for both'),
  row([mpsc, cell], 'Receiver<Cell<number>>', true, false),
  row([thread, rc], 'JoinHandle<Rc<number>>', true, true, 'unsafe impl<T> Send and Sync for JoinHandle<T>: no bound (spawn requires T: Send)'),
  row(collections, 'VecDeque<string>', true, false),
  row(collections, 'HashMap<string, number>', true, false),
  row(collections, 'HashSet<number>', true, false),
  row([collections, sync], 'Mutex<Vec<number>>', true, true, 'Mutex<T> is Sync when T is Send'),

  // Primitives.
  row('', 'number', true, true),
  row('', 'string', true, true),
  row('', 'boolean', true, true),
  row('', 'bigint', true, true),
  row('', 'null', true, true),
  row('', 'undefined', true, true),
  row('', 'void', true, true),
  row('', '42', true, true),
  row('', "'ready'", true, true),
  row('', 'true', true, true),
  row('', '`id-${number}`', true, true),
  named('enum', 'enum Color { Red, Green }', 'Color', true, true),
  named('branded primitive', '', "string & { readonly __brand: 'UserId' }", true, true, 'a primitive with a phantom brand is still a primitive'),
  row('', 'symbol', false, false, 'a symbol has no meaning in another thread'),
  named('unique symbol', 'declare const tag: unique symbol;', 'typeof tag', false, false),

  // Containers of Send data.
  row('', 'number[]', true, true),
  row('', 'readonly string[]', true, true),
  row('', '[number, string]', true, true),
  row('', '[]', true, true),
  row('', '[number, ...string[]]', true, true),
  row('', '[name: string, age?: number]', true, true),
  row('', 'Map<string, number>', true, true),
  row('', 'ReadonlyMap<string, Date>', true, true),
  row('', 'Set<number>', true, true),
  row('', 'Date', true, true),
  row('', 'RegExp', true, true),
  row('', 'Error', true, true),
  row('', 'TypeError', true, true),
  row('', 'ArrayBuffer', true, true),
  row('', 'SharedArrayBuffer', true, true),
  row('', 'Uint8Array', true, true),
  row('', 'Float64Array', true, true),
  row('', 'BigInt64Array', true, true),
  row('', 'DataView', true, true),
  row('', 'Array<Date>', true, true),
  row('', 'Map<string, () => void>', false, false),
  row('', 'Set<symbol>', false, false),
  row('', 'Array<() => void>', false, false),
  row('', '[number, Promise<number>]', false, false),
  row(rc, 'Map<Rc<number>, string>', false, false, 'map keys are checked too'),
  // Properties added to an array or a typed array are parts of the value, checked like an object's.
  row(rc, 'number[] & { cache: Rc<number> }', false, false, 'an Rc hung on an array of Send elements'),
  row('', 'string[] & { label: string }', true, true, "an array's added property is checked, not refused"),
  row(cell, '[number, string] & { hits: Cell<number> }', true, false),
  named('interface extending Array', [rc, 'interface Tagged extends Array<number> { owner: Rc<number> }'], 'Tagged', false, false),
  row(rc, 'Uint8Array & { owner: Rc<number> }', false, false, 'an Rc hung on a typed array'),
  row('', 'Float64Array & { unit: string }', true, true),

  // Plain objects.
  row('', '{ a: number }', true, true),
  row('', '{ a?: number }', true, true),
  row('', '{ readonly a: string }', true, true),
  row('', '{ a: { b: { c: number[] } } }', true, true),
  row('', 'Record<string, number>', true, true),
  row('', '{ [key: string]: number }', true, true),
  row('', '{ [index: number]: string }', true, true),
  row('', '{ a: never }', true, true, 'never is vacuously Send and Sync'),
  row('', '{ run(): void }', false, false, 'a method is a function'),
  row('', '{ run?: () => void }', false, false, 'an optional function is still a function'),
  row('', '{ done: Promise<number> }', false, false),
  row('', '{ tag: symbol }', false, false),
  row('', '{ [Symbol.iterator](): Iterator<number> }', false, false, 'structured clone drops symbol-keyed properties'),
  row('', '{}', false, false, 'every non-nullish value is a {}: nothing proves it Send'),
  row('', 'object', false, false, 'any object, functions included'),
  row('', '{ a: any }', false, false),
  row('', '{ a: unknown }', false, false),
  row('', '{ cache: WeakMap<object, number> }', false, false),
  row('', 'WeakSet<object>', false, false),
  row('', 'WeakRef<object>', false, false),

  // Functions and promises.
  row('', '() => void', false, false),
  row('', 'Function', false, false),
  row('', '(x: number) => Promise<number>', false, false),
  named('class constructor', 'class Point { x = 0 }', 'typeof Point', false, false, 'a constructor is a function'),
  row('', 'Promise<number>', false, false),
  row('', 'PromiseLike<string>', false, false),

  // Classes.
  named('class with methods', 'class Counter { count = 0; increment() { this.count++; } }', 'Counter', false, false),
  named(
    'class with only public data',
    'class Point { x = 0; y = 0 }',
    'Point',
    true,
    true,
    'tsc sees only structure: a class of public data looks like an object literal (the ESLint rule and the run-time backstop know better)',
  ),
  named('class with only #private fields', 'class Secret { #key = 1 }', 'Secret', false, false, 'no visible structure: nothing proves it Send'),
  named(
    'class with a private Rc',
    [rc, cell, 'class Holder { private rc?: Rc<number>; #hits?: Cell<number>; size = 1 }'],
    'Holder',
    true,
    true,
    'keyof shows neither private nor #private fields: tsc sees only size',
  ),
  named(
    'class with private fields, its row stated with Traits',
    [marker, rc, cell, 'class Cache { private rc?: Rc<number>; #hits?: Cell<number>; size = 1 }', "interface Cache extends Traits<'Cache', [Rc<number>, Cell<number>], 'T: Send', 'T: Sync'> {}"],
    'Cache',
    false,
    false,
    'a struct is Send when every field is: the row names the fields tsc cannot see',
  ),
  named(
    'class opted in with Send',
    [marker, 'class Point { constructor(readonly x: number) {} norm() { return Math.abs(this.x); } }', 'interface Point extends Send {}'],
    'Point',
    true,
    false,
    'unsafe impl Send does not make it Sync: its methods are not',
  ),
  named(
    'class opted in with Send and Sync',
    [marker, 'class Palette { constructor(readonly colors: readonly string[]) {} pick(i: number) { return this.colors[i]; } }', 'interface Palette extends Send, Sync {}'],
    'Palette',
    true,
    true,
  ),
  named('object opted out with NotSend', marker, '{ token: string } & NotSend', false, true),
  named('object opted out with NotSync', marker, '{ buffer: number[] } & NotSync', true, false),
  named('contradictory Send & NotSend', marker, '{ a: number } & Send & NotSend', false, true, 'contradictory brands mean not Send; Sync is stated by neither'),
  row([marker, rc], 'Rc<number> & Send', false, false, 'a forged opt-in: the brands contradict, and a contradiction is not Send'),
  row([marker, cell], 'Cell<number> & Sync', true, false, 'a forged opt-in: Cell is never Sync, whatever is added'),
  named('named type', [marker, rc], "{ cache: Rc<number> } & Named<'Config'>", false, false),
  named('user generic container, Send parts', [marker, 'interface Pair<A, B> extends Traits<\'Pair\', [A, B], \'T: Send\', \'T: Sync\'> { first: A; second: B }'], 'Pair<number, string>', true, true),
  named('user generic container, non-Sync part', [marker, cell, 'interface Pair<A, B> extends Traits<\'Pair\', [A, B], \'T: Send\', \'T: Sync\'> { first: A; second: B }'], 'Pair<number, Cell<number>>', true, false),

  // any, unknown, never.
  row('', 'any', false, false, 'any proves nothing'),
  row('', 'unknown', false, false, 'unknown proves nothing'),
  row('', 'never', true, true, 'no value has type never'),
  row('', 'any[]', false, false),
  row('', 'Map<string, unknown>', false, false),

  // Unions and intersections.
  row('', 'number | string', true, true),
  row('', 'string | undefined', true, true),
  row('', 'number | (() => void)', false, false),
  row(rc, 'Rc<number> | number', false, false),
  row([sync, cell], 'Arc<number> | Cell<number>', true, false),
  named('union of 500 literals', '', union500, true, true),
  named('union of 100 object types', '', objectUnion100, true, true),
  row('', '{ a: number } & { b: string }', true, true),
  row('', '{ a: number } & { run(): void }', false, false),
  named('object with Send opt-in keeps structural Sync', marker, '{ run(): void } & Send', true, false),

  // Composites of the library's types.
  row(sync, '{ lock: Mutex<number>; ready: Condvar }', true, true),
  row(cell, '{ hits: Cell<number> }', true, false),
  row(sync, 'Map<string, Arc<number>>', true, true),
  row(rc, 'Array<Rc<number>>', false, false),
  row(sync, 'Promise<Arc<number>>', false, false),
  row([sync, mpsc], '[Sender<number>, Arc<Mutex<string[]>>]', true, true),
  row([sync, mpsc], '{ jobs: Receiver<string>; done: Arc<AtomicU32> }', true, false),
  row(sync, 'Mutex<{ hits: AtomicU32; log: Arc<RwLock<string[]>> }>', true, true, 'shared handles inside a lock value live in its handle table'),
  row([sync, mpsc], 'Arc<Mutex<Receiver<string>>>', true, true, "the Rust book's worker pool"),

  // Types a careful user writes, each checked against a Rust twin (issue 17's adversarial pass).
  row(rc, 'ReadonlyArray<Rc<number>>', false, false),
  row(rc, 'Set<Rc<number>>', false, false),
  row(rc, '{ rc?: Rc<number> }', false, false, 'an optional Rc is an Option<Rc<T>>: not Send'),
  row(rc, 'Awaited<Promise<Rc<number>>>', false, false, 'what an await gives is checked, not the promise'),
  named('indexed access to an Rc field', [rc, 'interface Slots { a: number; b: Rc<number> }'], "Slots['b']", false, false),
  row(cell, 'ReturnType<() => { hits: Cell<number> }>', true, false),
  row(cell, 'Partial<{ hits: Cell<number>; n: number }>', true, false, 'an optional Cell is an Option<Cell<T>>: Send, not Sync'),
  row(cell, 'ReadonlyMap<string, Cell<number>>', true, false, "HashMap<String, Cell<i32>>: Send, not Sync"),
  named('string enum as a Map key', "enum Kind { A = 'a', B = 'b' }", 'Map<Kind, number>', true, true),
  row(sync, '{ readonly hits: AtomicU32; name: string }', true, true),
  named('overloaded function', '', '{ (x: number): number; (x: string): string }', false, false),
  row('', 'Record<string, () => void>', false, false),
  named('namespace with a function', 'namespace Util { export function twice(n: number): number { return n * 2; } export const k = 1; }', 'typeof Util', false, false, 'a namespace is an object of its exports: a function is one'),
  named('discriminated union holding a guard', sync, "{ kind: 'idle' } | { kind: 'busy'; guard: MutexGuard<number> }", false, true, 'MutexGuard<T> is Sync when T is, never Send'),

  // Recursive and deep types.
  named('linked list', 'interface List { value: number; next: List | null }', 'List', true, true),
  named('JSON value', 'type Json = string | number | boolean | null | Json[] | { [key: string]: Json };', 'Json', true, true),
  named('tree with a Map of children', 'interface Tree { label: string; children: Map<string, Tree> }', 'Tree', true, true),
  named('mutually recursive types', 'interface Ping { pong: Pong | null }\ninterface Pong { ping: Ping; at: Date }', 'Ping', true, true),
  named('recursive type with a function inside', 'interface Node { value: number; next: Node | null; onVisit: () => void }', 'Node', false, false),
  named('recursive generic type', 'interface Nested<T> { value: T; inner: Nested<T> | undefined }', 'Nested<string>', true, true),
  named('50 levels of nesting', '', nested(50, 'number'), true, true),
  named('50 levels of nesting with an Rc at the bottom', rc, nested(50, 'Rc<number>'), false, false),
  named('90 levels of nesting', '', nested(90, 'string'), true, true),

  // Collections that readers share read-only (an RwLock's read guards, a OnceLock's get): Sync when their elements are.
  row([sync, collections, cell], 'RwLock<Vec<Cell<number>>>', true, false, 'the readers of a Vec share its elements, so they must be Sync'),
  row([sync, collections], 'Arc<RwLock<VecDeque<string>>>', true, true),
  row([sync, collections], 'OnceLock<HashMap<string, number>>', true, true, 'a collection set in a OnceLock is read-only'),
  // Collections inside plain data in a lock's value: the lock keeps each, and a read guard lends each read-only.
  row([sync, collections], 'Mutex<{ queue: VecDeque<number>; done: boolean }>', true, true, "Rust's Mutex<State { queue: VecDeque<i32>, done: bool }>"),
  row([sync, collections], 'Arc<Mutex<Vec<number>[]>>', true, true, 'one Vec per shard, behind one lock'),
  row([sync, collections], 'RwLock<{ index: HashMap<string, number> }>', true, true, 'each reader is lent the HashMap read-only: Sync when its entries are'),
  row([sync, collections, cell], 'RwLock<{ items: Vec<Cell<number>> }>', true, false, 'the readers of the Vec share its elements, at any depth of the value'),
];

/** `{ a: { a: ... leaf } }`, `depth` levels deep, as a value. */
function nestedValue(depth: number, leaf: string): string {
  return '{ a: '.repeat(depth) + leaf + ' }'.repeat(depth);
}

/** Values for the run-time backstop, by case name (see `TruthCase.value`). */
const values: Record<string, string> = {
  'Rc<number>': 'new rc.Rc(1)',
  'ReadonlyArray<Rc<number>>': '[new rc.Rc(1)]',
  'Set<Rc<number>>': 'new Set([new rc.Rc(1)])',
  '{ rc?: Rc<number> }': '{ rc: new rc.Rc(1) }',
  'Awaited<Promise<Rc<number>>>': 'new rc.Rc(1)',
  'indexed access to an Rc field': 'new rc.Rc(1)',
  'ReturnType<() => { hits: Cell<number> }>': '{ hits: new cell.Cell(0) }',
  'Partial<{ hits: Cell<number>; n: number }>': '{ hits: new cell.Cell(0), n: 1 }',
  'ReadonlyMap<string, Cell<number>>': "new Map([['a', new cell.Cell(1)]])",
  'string enum as a Map key': 'new Map([[Kind.A, 1]])',
  '{ readonly hits: AtomicU32; name: string }': "{ hits: new sync.AtomicU32(0), name: 'x' }",
  'overloaded function': 'function named() {}',
  'RcWeak<number>': 'rc.Rc.downgrade(new rc.Rc(1))',
  'Arc<number>': 'new sync.Arc(1)',
  'Arc<Cell<number>>': 'new sync.Arc(new cell.Cell(1))',
  'Arc<Rc<number>>': 'new sync.Arc(new rc.Rc(1))',
  'Arc<Mutex<number>>': 'new sync.Arc(new sync.Mutex(1))',
  'Arc<Mutex<Cell<number>>>': 'new sync.Arc(new sync.Mutex(new cell.Cell(1)))',
  'ArcWeak<number>': 'sync.Arc.downgrade(new sync.Arc(1))',
  'ArcWeak<Cell<number>>': 'sync.Arc.downgrade(new sync.Arc(new cell.Cell(1)))',
  'Cell<number>': 'new cell.Cell(1)',
  'Cell<boolean>': 'new cell.Cell(true)',
  'Cell<Rc<number>>': 'new cell.Cell(new rc.Rc(1))',
  'RefCell<string[]>': "new cell.RefCell(['a'])",
  'RefCell<Rc<number>>': 'new cell.RefCell(new rc.Rc(1))',
  'OnceCell<number>': '(() => { const once = new cell.OnceCell<number>(); once.set(1); return once; })()',
  'Mutex<number>': 'new sync.Mutex(1)',
  'Mutex<Cell<number>>': 'new sync.Mutex(new cell.Cell(1))',
  'Mutex<Rc<number>>': 'new sync.Mutex(new rc.Rc(1))',
  'RwLock<number>': 'new sync.RwLock(1)',
  'RwLock<Cell<number>>': 'new sync.RwLock(new cell.Cell(1))',
  'RwLock<Rc<number>>': 'new sync.RwLock(new rc.Rc(1))',
  'MutexGuard<number>': 'new sync.Mutex(1).lock()',
  'MutexGuard<Cell<number>>': 'new sync.Mutex(new cell.Cell(1)).lock()',
  'RwLockReadGuard<number>': 'new sync.RwLock(1).read()',
  'RwLockWriteGuard<number>': 'new sync.RwLock(1).write()',
  'OnceLock<number>': '(() => { const once = new sync.OnceLock<number>(); once.set(1); return once; })()',
  'OnceLock<Cell<number>>': '(() => { const once = new sync.OnceLock<cell.Cell<number>>(); once.set(new cell.Cell(1)); return once; })()',
  Condvar: 'new sync.Condvar()',
  Barrier: 'new sync.Barrier(1)',
  Once: 'new sync.Once()',
  AtomicBool: 'new sync.AtomicBool(false)',
  AtomicI32: 'new sync.AtomicI32(0)',
  AtomicU32: 'new sync.AtomicU32(0)',
  AtomicI64: 'new sync.AtomicI64(0n)',
  AtomicU64: 'new sync.AtomicU64(0n)',
  Thread: 'thread.current()',
  'JoinHandle<number>': 'thread.spawn(() => 1)',
  'Sender<number>': 'mpsc.channel<number>()[0]',
  'SyncSender<string>': 'mpsc.syncChannel<string>(1)[0]',
  'Receiver<number>': 'mpsc.channel<number>()[1]',
  'Vec<number>': 'collections.Vec.from([1, 2])',
  'Vec<string>': "collections.Vec.from(['a'])",
  'Vec<Rc<number>>': 'collections.Vec.from([new rc.Rc(1)])',
  'VecDeque<Rc<number>>': 'collections.VecDeque.from([new rc.Rc(1)])',
  'VecDeque<{ id: number; payload: string }>': "collections.VecDeque.from([{ id: 1, payload: 'p' }])",
  'HashMap<string, Cell<number>>': "collections.HashMap.from([['hits', new cell.Cell(1)]])",
  'HashMap<string, Rc<number>>': "collections.HashMap.from([['a', new rc.Rc(1)]])",
  'HashSet<bigint>': 'collections.HashSet.from([1n])',
  'Mutex<VecDeque<number>>': 'new sync.Mutex(collections.VecDeque.from([1]))',
  'Mutex<VecDeque<Rc<number>>>': 'new sync.Mutex(collections.VecDeque.from([new rc.Rc(1)]))',
  'Arc<Mutex<HashMap<string, number>>>': "new sync.Arc(new sync.Mutex(collections.HashMap.from([['a', 1]])))",
  'Arc<Vec<number>>': 'new sync.Arc(collections.Vec.from([1]))',
  'RwLock<Vec<number>>': 'new sync.RwLock(collections.Vec.from([1]))',
  'RwLock<Vec<Cell<number>>>': 'new sync.RwLock(collections.Vec.from([new cell.Cell(1)]))',
  'Mutex<{ queue: VecDeque<number>; done: boolean }>': 'new sync.Mutex({ queue: collections.VecDeque.from([1]), done: false })',
  'Arc<Mutex<Vec<number>[]>>': 'new sync.Arc(new sync.Mutex([collections.Vec.from([1]), new collections.Vec<number>()]))',
  'RwLock<{ index: HashMap<string, number> }>': "new sync.RwLock({ index: collections.HashMap.from([['a', 1]]) })",
  'RwLock<{ items: Vec<Cell<number>> }>': 'new sync.RwLock({ items: collections.Vec.from([new cell.Cell(1)]) })',
  'Arc<RwLock<VecDeque<string>>>': "new sync.Arc(new sync.RwLock(collections.VecDeque.from(['a'])))",
  'OnceLock<HashMap<string, number>>': "(() => { const once = new sync.OnceLock<collections.HashMap<string, number>>(); once.set(collections.HashMap.from([['a', 1]])); return once; })()",
  number: '1',
  string: "'s'",
  boolean: 'true',
  bigint: '1n',
  null: 'null',
  undefined: 'undefined',
  void: 'undefined',
  '42': '42',
  "'ready'": "'ready'",
  true: 'true',
  '`id-${number}`': "'id-1'",
  enum: 'Color.Green',
  'branded primitive': "'user-1'",
  symbol: "Symbol('s')",
  'number[]': '[1, 2]',
  'readonly string[]': "['a']",
  '[number, string]': "[1, 'a']",
  '[]': '[]',
  '[number, ...string[]]': "[1, 'a', 'b']",
  '[name: string, age?: number]': "['n', 3]",
  'Map<string, number>': "new Map([['a', 1]])",
  'ReadonlyMap<string, Date>': "new Map([['a', new Date(0)]])",
  'Set<number>': 'new Set([1])',
  Date: 'new Date(0)',
  RegExp: '/x+/g',
  Error: "new Error('e')",
  TypeError: "new TypeError('t')",
  ArrayBuffer: 'new ArrayBuffer(8)',
  SharedArrayBuffer: 'new SharedArrayBuffer(8)',
  Uint8Array: 'new Uint8Array([1, 2])',
  Float64Array: 'new Float64Array([0.5])',
  BigInt64Array: 'new BigInt64Array([1n])',
  DataView: 'new DataView(new ArrayBuffer(8))',
  'Array<Date>': '[new Date(0)]',
  'Map<string, () => void>': "new Map([['f', () => {}]])",
  'Set<symbol>': "new Set([Symbol('s')])",
  'Array<() => void>': '[() => {}]',
  '[number, Promise<number>]': '[1, Promise.resolve(1)]',
  'Map<Rc<number>, string>': "new Map([[new rc.Rc(1), 'a']])",
  'number[] & { cache: Rc<number> }': 'Object.assign([1, 2], { cache: new rc.Rc(1) })',
  'string[] & { label: string }': "Object.assign(['a'], { label: 'l' })",
  '[number, string] & { hits: Cell<number> }': "Object.assign([1, 'a'], { hits: new cell.Cell(0) })",
  'Uint8Array & { owner: Rc<number> }': 'Object.assign(new Uint8Array(2), { owner: new rc.Rc(1) })',
  'Float64Array & { unit: string }': "Object.assign(new Float64Array(1), { unit: 'm' })",
  '{ a: number }': '{ a: 1 }',
  '{ a?: number }': '{}',
  '{ readonly a: string }': "{ a: 'x' }",
  '{ a: { b: { c: number[] } } }': '{ a: { b: { c: [1] } } }',
  'Record<string, number>': '{ x: 1, y: 2 }',
  '{ [key: string]: number }': '{ x: 1 }',
  '{ [index: number]: string }': "{ 0: 'a' }",
  '{ run(): void }': '{ run() {} }',
  '{ run?: () => void }': '{ run: () => {} }',
  '{ done: Promise<number> }': '{ done: Promise.resolve(1) }',
  '{ tag: symbol }': "{ tag: Symbol('t') }",
  '{ [Symbol.iterator](): Iterator<number> }': '{ [Symbol.iterator]: () => [1][Symbol.iterator]() }',
  '{}': '() => 1',
  object: '() => 1',
  '{ a: any }': '{ a: () => 1 }',
  '{ a: unknown }': "{ a: Symbol('u') }",
  '{ cache: WeakMap<object, number> }': '{ cache: new WeakMap<object, number>() }',
  'WeakSet<object>': 'new WeakSet<object>()',
  'WeakRef<object>': 'new WeakRef({})',
  '() => void': '() => {}',
  Function: 'function named() {}',
  '(x: number) => Promise<number>': 'async (x: number) => x',
  'class constructor': 'Point',
  'Promise<number>': 'Promise.resolve(1)',
  'PromiseLike<string>': "Promise.resolve('a')",
  'class with methods': 'new Counter()',
  'class with only public data': 'new Point()',
  'class with only #private fields': 'new Secret()',
  'class with a private Rc': 'new Holder()',
  'class with private fields, its row stated with Traits': 'new Cache()',
  'named type': '{ cache: new rc.Rc(1) }',
  'Rc<number> & Send': 'new rc.Rc(1)',
  'Cell<number> & Sync': 'new cell.Cell(1)',
  any: '() => 0',
  unknown: "Symbol('u')",
  'any[]': '[() => 0]',
  'Map<string, unknown>': "new Map([['k', () => 0]])",
  'number | string': "'s'",
  'string | undefined': 'undefined',
  'number | (() => void)': '() => {}',
  'Rc<number> | number': 'new rc.Rc(1)',
  'Arc<number> | Cell<number>': 'new cell.Cell(1)',
  'union of 500 literals': "'k1'",
  'union of 100 object types': '{ kind: 7, value: 1 }',
  '{ a: number } & { b: string }': "{ a: 1, b: 's' }",
  '{ a: number } & { run(): void }': '{ a: 1, run() {} }',
  '{ lock: Mutex<number>; ready: Condvar }': '{ lock: new sync.Mutex(1), ready: new sync.Condvar() }',
  '{ hits: Cell<number> }': '{ hits: new cell.Cell(0) }',
  'Map<string, Arc<number>>': "new Map([['a', new sync.Arc(1)]])",
  'Array<Rc<number>>': '[new rc.Rc(1)]',
  'Promise<Arc<number>>': 'Promise.resolve(new sync.Arc(1))',
  '[Sender<number>, Arc<Mutex<string[]>>]': "[mpsc.channel<number>()[0], new sync.Arc(new sync.Mutex(['a']))]",
  '{ jobs: Receiver<string>; done: Arc<AtomicU32> }': '{ jobs: mpsc.channel<string>()[1], done: new sync.Arc(new sync.AtomicU32(0)) }',
  'Mutex<{ hits: AtomicU32; log: Arc<RwLock<string[]>> }>': "new sync.Mutex({ hits: new sync.AtomicU32(0), log: new sync.Arc(new sync.RwLock(['a'])) })",
  'Arc<Mutex<Receiver<string>>>': 'new sync.Arc(new sync.Mutex(mpsc.channel<string>()[1]))',
  'linked list': '{ value: 1, next: { value: 2, next: null } }',
  'JSON value': "{ a: [1, 'b', null, { c: true }] }",
  'tree with a Map of children': "{ label: 'r', children: new Map([['c', { label: 'c', children: new Map() }]]) }",
  'mutually recursive types': '{ pong: { ping: { pong: null }, at: new Date(0) } }',
  'recursive type with a function inside': '{ value: 1, next: null, onVisit: () => {} }',
  'recursive generic type': "{ value: 'a', inner: undefined }",
  '50 levels of nesting': nestedValue(50, '1'),
  '50 levels of nesting with an Rc at the bottom': nestedValue(50, 'new rc.Rc(1)'),
  '90 levels of nesting': nestedValue(90, "'s'"),
};

/**
 * Rows for the run-time backstop (issue 17's upcasts and values shaped like
 * built-ins): types whose values carry what only the run time can see.
 * Their type columns are what `tsc` says of the types as written.
 */
const runtimeRows: readonly TruthCase[] = [
  named('upcast: an Rc as a structural type', '', '{ readonly value: number }', true, true, 'the brand is gone from the type: only the value says Rc'),
  named('upcast: a guard as a structural type', '', '{ value: number }', true, true, 'the brand is gone from the type: only the value says MutexGuard'),
  named('Error whose cause is not Send', '', 'Error', true, true, 'an Error\'s cause is typed unknown and left to the run time'),
  named('Error with an added property', '', 'Error & { code: string }', true, true, 'a copy of an Error keeps only its message, stack and cause'),
];

/** Values for the run-time rows, by case name (see `TruthCase.value`). */
const runtimeValues: Record<string, string> = {
  'upcast: an Rc as a structural type': 'new rc.Rc(1)',
  'upcast: a guard as a structural type': 'new sync.Mutex(1).lock()',
  'Error whose cause is not Send': "new Error('e', { cause: () => 1 })",
  'Error with an added property': "Object.assign(new Error('e'), { code: 'E_BUSY' })",
};

/** The same outcome for a move and a borrow of the value, in full: refused with `sent` or `shared`. */
function refused(name: string, at: string, why: string, detail = ''): TruthCase['runtime'] {
  return {
    moved: `\`${name}\` cannot be sent between threads safely${detail} (at captures[0]${at})`,
    borrowed: `\`${name}\` cannot be shared between threads safely${detail} (at borrows[0]${at})`,
    why,
  };
}

const seesTheValue = 'the type proves nothing; the run time names the value it finds there';
const constructionChecks = 'a lock checks its value as it is stored: it cannot even hold one that is not Send';
const guardLent = 'a guard is bound to the lock held by its own thread; the run time lends no guard to another thread, even where Rust would let it read through one';
const elementRefused = 'refused at construction: `Rc<number>` cannot be sent between threads safely (at element)';
const addedToArray = "the run time does not look for properties added to an array or a typed array (finding them costs one key per element): tsc and ESLint check them";
const noTypeParameter = "a value does not carry its type parameter: the run time names what it can see";

/** Where the run time knowingly ends otherwise than `tsc` says, by case name (see `TruthCase.runtime`). */
const runtimeDivergences: Record<string, TruthCase['runtime']> = {
  'Mutex<Rc<number>>': {
    moved: 'refused at construction: `Rc<number>` cannot be sent between threads safely (at value)',
    borrowed: 'refused at construction: `Rc<number>` cannot be sent between threads safely (at value)',
    why: constructionChecks,
  },
  'RwLock<Rc<number>>': {
    moved: 'refused at construction: `Rc<number>` cannot be sent between threads safely (at value)',
    borrowed: 'refused at construction: `Rc<number>` cannot be sent between threads safely (at value)',
    why: constructionChecks,
  },
  'MutexGuard<number>': { borrowed: '`MutexGuard<number>` cannot be shared between threads safely (at borrows[0])', why: guardLent },
  'MutexGuard<Cell<number>>': { borrowed: '`MutexGuard<Cell<number>>` cannot be shared between threads safely (at borrows[0])', why: guardLent },
  'RwLockReadGuard<number>': { borrowed: '`RwLockReadGuard<number>` cannot be shared between threads safely (at borrows[0])', why: guardLent },
  'RwLockWriteGuard<number>': { borrowed: '`RwLockWriteGuard<number>` cannot be shared between threads safely (at borrows[0])', why: guardLent },
  'Receiver<number>': { borrowed: '`Receiver` cannot be shared between threads safely (at borrows[0])', why: noTypeParameter },
  '{ jobs: Receiver<string>; done: Arc<AtomicU32> }': {
    borrowed: '`Receiver` cannot be shared between threads safely (at borrows[0].jobs)',
    why: noTypeParameter,
  },
  '[number, Promise<number>]': refused('Promise<unknown>', '[i]', 'a run-time array is not a tuple: its elements are all at `[i]`, and a promise does not say what it will hold'),
  '{ done: Promise<number> }': refused('Promise<unknown>', '.done', noTypeParameter),
  'Promise<number>': refused('Promise<unknown>', '', noTypeParameter),
  'PromiseLike<string>': refused('Promise<unknown>', '', noTypeParameter),
  'Promise<Arc<number>>': refused('Promise<unknown>', '', noTypeParameter),
  '{ cache: WeakMap<object, number> }': refused('WeakMap<object, unknown>', '.cache', noTypeParameter),
  '{}': refused('Function', '', seesTheValue),
  object: refused('Function', '', seesTheValue),
  '{ a: any }': refused('Function', '.a', seesTheValue),
  '{ a: unknown }': refused('symbol', '.a', seesTheValue),
  any: refused('Function', '', seesTheValue),
  unknown: refused('symbol', '', seesTheValue),
  'any[]': refused('Function', '[i]', seesTheValue),
  'Map<string, unknown>': refused('Function', '<value>', seesTheValue),
  'class with methods': refused('Counter', '', 'a class instance without a codec would lose its class (and methods) in the copy: the run time names the class'),
  'class with only public data': refused('Point', '', 'a class instance without a codec would lose its class in the copy: the run time refuses it'),
  'class with only #private fields': refused('Secret', '', 'a copy would lose the class and its #private fields: the run time names the class'),
  'class with a private Rc': refused('Holder', '', 'a class instance without a codec would lose its class in the copy: the run time refuses it'),
  'class with private fields, its row stated with Traits': refused('Cache', '', 'a class instance without a codec would lose its class in the copy: the run time refuses it'),
  // A collection's element type is not in its value (an empty Vec has none): the run time names the bare type.
  'Vec<number>': { borrowed: '`Vec` cannot be shared between threads safely (at borrows[0])', why: noTypeParameter },
  'Vec<string>': { borrowed: '`Vec` cannot be shared between threads safely (at borrows[0])', why: noTypeParameter },
  'VecDeque<{ id: number; payload: string }>': { borrowed: '`VecDeque` cannot be shared between threads safely (at borrows[0])', why: noTypeParameter },
  'HashMap<string, Cell<number>>': { borrowed: '`HashMap` cannot be shared between threads safely (at borrows[0])', why: noTypeParameter },
  'HashSet<bigint>': { borrowed: '`HashSet` cannot be shared between threads safely (at borrows[0])', why: noTypeParameter },
  'RwLock<Vec<Cell<number>>>': {
    borrowed: 'accepted',
    why: 'each element a reader reads is its own copy (a Cell in a collection is stored as its value), so readers share nothing they can change; the run time does not read every element to name their type',
  },
  'RwLock<{ items: Vec<Cell<number>> }>': {
    borrowed: 'accepted',
    why: 'as for RwLock<Vec<Cell<number>>>: the collection is lent read-only at any depth of the value, and each element read is a copy',
  },
  'Arc<Vec<number>>': {
    moved: '`Vec` cannot be shared between threads safely (at captures[0])',
    borrowed: '`Vec` cannot be shared between threads safely (at borrows[0])',
    why: noTypeParameter,
  },
  // A collection checks each element as it is stored: it cannot even hold one that is not Send.
  'Vec<Rc<number>>': { moved: elementRefused, borrowed: elementRefused, why: 'a collection checks each element as it is stored: it cannot even hold one that is not Send' },
  'VecDeque<Rc<number>>': { moved: elementRefused, borrowed: elementRefused, why: 'a collection checks each element as it is stored: it cannot even hold one that is not Send' },
  'HashMap<string, Rc<number>>': { moved: elementRefused, borrowed: elementRefused, why: 'a collection checks each element as it is stored: it cannot even hold one that is not Send' },
  'Mutex<VecDeque<Rc<number>>>': { moved: elementRefused, borrowed: elementRefused, why: 'a collection checks each element as it is stored: it cannot even hold one that is not Send' },
  // The run time walks an array's elements only, and a typed array not at all: listing their own keys costs one per element.
  'number[] & { cache: Rc<number> }': { moved: 'accepted', borrowed: 'accepted', why: addedToArray },
  '[number, string] & { hits: Cell<number> }': { borrowed: 'accepted', why: addedToArray },
  'Uint8Array & { owner: Rc<number> }': { moved: 'accepted', borrowed: 'accepted', why: addedToArray },
  'upcast: an Rc as a structural type': refused('Rc<number>', '', 'the run time sees the Rc behind the structural type'),
  'upcast: a guard as a structural type': refused('MutexGuard<number>', '', 'the run time sees the guard behind the structural type'),
  'Error whose cause is not Send': refused('Function', '.cause', 'the run time checks the cause as any other part'),
  'Error with an added property': refused('Error', '', 'a copy would arrive without it', ': a copy would lose its property `code`'),
};

/**
 * Where the ESLint rules knowingly differ from `tsc`: they see classes, which
 * `tsc` sees only as structure, and refuse an instance of a class with
 * neither a registered codec nor a `Send` opt-in, naming the class.
 */
const lintDivergences: Record<string, TruthCase['lint']> = Object.fromEntries(
  ['class with only public data', 'class with methods', 'class with only #private fields', 'class with a private Rc'].map((name) => [
    name,
    { send: false, sync: false, why: 'a class instance without a codec would arrive as a plain object: the rules refuse the class itself' },
  ]),
);

export const truthTable: readonly TruthCase[] = [...typeOnlyRows, ...runtimeRows].map((c) => {
  const value = values[c.name] ?? runtimeValues[c.name];
  const runtime = runtimeDivergences[c.name];
  const lint = lintDivergences[c.name];
  return {
    ...c,
    ...(value === undefined ? {} : { value }),
    ...(runtime === undefined ? {} : { runtime }),
    ...(lint === undefined ? {} : { lint }),
  };
});

/** Every value above names a case: a renamed case must not silently lose its value. */
for (const name of [...Object.keys(values), ...Object.keys(runtimeValues), ...Object.keys(runtimeDivergences), ...Object.keys(lintDivergences)]) {
  if (!truthTable.some((c) => c.name === name)) throw new Error(`truth table: no case named ${name}`);
}
