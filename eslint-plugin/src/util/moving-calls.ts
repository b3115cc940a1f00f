/**
 * The runtime's calls that take ownership of a value (Rust's by-value `T`
 * and `self`), and the handles some of its methods consume:
 * `no-use-after-move` reads a call of one as a move of what it is given
 * (`function-summary.ts` follows them through the app's own functions).
 */

import ts from 'typescript';

import { isRuntimeSymbol } from './runtime.js';

/**
 * The runtime's methods that take ownership of their arguments, by the class
 * that declares them: those whose Rust counterpart takes `T` by value. A
 * method that returns what it takes (`Condvar#wait(guard)` gives back the
 * same guard) or only reads it (`Arc.downgrade`, `Arc.ptrEq`) moves nothing.
 */
export const MOVING_METHODS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['Sender', new Set(['send', 'sendAsync'])], // Sender::send(&self, t: T)
  ['SyncSender', new Set(['send', 'trySend', 'sendAsync'])], // SyncSender::send, try_send(&self, t: T)
  ['OnceLock', new Set(['set'])], // OnceLock::set(&self, value: T)
  ['OnceCell', new Set(['set'])], // OnceCell::set(&self, value: T)
  ['Cell', new Set(['set', 'replace'])], // Cell::set, replace(&self, val: T)
  ['RefCell', new Set(['replace'])], // RefCell::replace(&self, t: T)
  ['Vec', new Set(['push', 'set'])], // Vec::push(&mut self, value: T), `v[i] = value`
  ['VecDeque', new Set(['pushBack', 'pushFront'])], // VecDeque::push_back, push_front(&mut self, value: T)
  ['HashMap', new Set(['set'])], // HashMap::insert(&mut self, k: K, v: V)
  ['HashSet', new Set(['add'])], // HashSet::insert(&mut self, value: T)
  ['Arc', new Set(['intoInner'])], // Arc::into_inner(this: Arc<T>)
  ['Rc', new Set(['new', 'tryUnwrap'])], // Rc::new(value: T), Rc::try_unwrap(this: Rc<T>)
]);

/** A runtime handle that some of its methods consume, and what the runtime refuses of it afterwards. */
export interface Consumable {
  /** The methods that take ownership of the handle (Rust's `self`, or `drop(x)`). */
  readonly by: ReadonlySet<string>;
  /** Its methods and properties that throw once it is consumed (a second `join()`, `value` of a dropped `Arc`). */
  readonly refused: ReadonlySet<string>;
  /** Its class's static methods that throw when given it (`Arc.downgrade(arc)`). */
  readonly refusedStatics: ReadonlySet<string>;
  /** Whether iterating it (`for (const x of rx)`) throws. */
  readonly refusesIteration: boolean;
}

const NOTHING: ReadonlySet<string> = new Set();

/**
 * The runtime's handles whose methods take ownership of their receiver, by
 * the class that declares those methods, read from the runtime: after a
 * `drop()` or a `join()` the handle's state is dropped or joined, and only
 * the uses listed here throw (`UseAfterDropError`, `JoinedError`); moving
 * the handle anywhere throws too (their codecs refuse it). What the runtime
 * still serves is not listed, though Rust rejects it: a second `drop()`
 * (nothing happens), `strongCount()` of a dropped `Arc`, `thread()` and
 * `isFinished()` of a joined handle. `intoInner()` of a lock, a `OnceLock`
 * or an atomic leaves a handle to shared memory that the runtime still
 * serves (they are `Copy` here), and that of a `Cell`, `RefCell` or
 * `OnceCell` leaves the cell as it was: none of them consumes anything.
 */
export const CONSUMABLES: ReadonlyMap<string, Consumable> = new Map([
  // drop(arc)
  ['Arc', { by: new Set(['drop']), refused: new Set(['value', 'clone']), refusedStatics: new Set(['downgrade', 'intoInner']), refusesIteration: false }],
  // `sync::Weak` and `rc::Weak`
  ['Weak', { by: new Set(['drop']), refused: new Set(['upgrade', 'clone']), refusedStatics: NOTHING, refusesIteration: false }],
  [
    'Rc',
    {
      by: new Set(['drop']),
      refused: new Set(['value', 'clone']),
      refusedStatics: new Set(['strongCount', 'weakCount', 'ptrEq', 'downgrade', 'tryUnwrap', 'getMut']),
      refusesIteration: false,
    },
  ],
  // Sender's and SyncSender's
  ['SenderHandle', { by: new Set(['drop']), refused: new Set(['send', 'sendAsync', 'trySend', 'clone']), refusedStatics: NOTHING, refusesIteration: false }],
  ['Receiver', { by: new Set(['drop']), refused: new Set(['recv', 'tryRecv', 'recvTimeout', 'recvAsync', 'tryIter']), refusedStatics: NOTHING, refusesIteration: true }],
  // JoinHandle::join(self)
  ['JoinHandle', { by: new Set(['join', 'joinAsync']), refused: new Set(['join', 'joinAsync']), refusedStatics: NOTHING, refusesIteration: false }],
]);

/**
 * The runtime's handles to shared memory that cannot be cloned (Rust's
 * `Mutex`, atomics, `Condvar`, ...: not `Clone`): a moved one is left moved
 * in the giver, and threads share one through an `Arc`, as the runtime's own
 * E0382 says ("put it in an `Arc` and move clones").
 */
const SHARED_THROUGH_ARC: ReadonlySet<string> = new Set([
  'Mutex', 'RwLock', 'Condvar', 'Barrier', 'Once', 'OnceLock', 'AtomicBool', 'AtomicI32', 'AtomicU32', 'AtomicI64', 'AtomicU64', 'SharedStruct',
]);

/**
 * Whether a type is one of the runtime's handles that threads share through
 * an `Arc` rather than by clones of their own (a lock, an atomic, ...).
 *
 * @example
 * ```ts
 * isSharedThroughArc(checker.getTypeAtLocation(node)); // true for `Mutex<number>`, false for `Arc<Mutex<number>>` or an app's own `Mutex`
 * ```
 */
export function isSharedThroughArc(type: ts.Type): boolean {
  const symbol = type.getSymbol();
  return symbol !== undefined && SHARED_THROUGH_ARC.has(symbol.getName()) && isRuntimeSymbol(symbol);
}

/** The runtime's shared collections: their memory moves with them, and their `clone()` is a copy. */
const COLLECTIONS: ReadonlySet<string> = new Set(['Vec', 'VecDeque', 'HashMap', 'HashSet']);

/**
 * Whether a type is one of the runtime's shared collections, whose moved
 * handle the runtime refuses with a fix of its own ("move a clone instead if
 * the performance cost is acceptable", or share it through a lock in an `Arc`).
 *
 * @example
 * ```ts
 * isCollection(checker.getTypeAtLocation(node)); // true for `Vec<number>`, false for `Mutex<Vec<number>>` or `number[]`
 * ```
 */
export function isCollection(type: ts.Type): boolean {
  const symbol = type.getSymbol();
  return symbol !== undefined && COLLECTIONS.has(symbol.getName()) && isRuntimeSymbol(symbol);
}

/** The runtime's classes whose constructor takes ownership of its value (`Mutex::new(t: T)`, ...). */
export const MOVING_CONSTRUCTORS: ReadonlySet<string> = new Set(['Mutex', 'RwLock', 'Arc', 'Rc', 'Cell', 'RefCell', 'OnceCell']);
