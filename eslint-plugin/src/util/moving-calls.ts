/**
 * The runtime's calls that take ownership of a value (Rust's by-value `T`
 * and `self`), and the functions of the app that pass one of their
 * parameters to such a call: `no-use-after-move` reads a call of either as a
 * move of what it is given.
 */

import ts from 'typescript';

import { calleeOfSymbol, isRuntimeFile, isRuntimeSymbol, resolveAlias } from './runtime.js';

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


/** How a function moves one of its parameters, or a field of it. */
export interface ParameterMove {
  /** The parameter's index. */
  readonly index: number;
  /** The field of the parameter that moves (`['payload']` for `req.payload`: Rust's partial move); empty when it moves whole. */
  readonly path: readonly string[];
  /** Where it goes, for messages: "into `tx.send(...)`". */
  readonly into: string;
  /** When the function consumes the handle it is given (`h.join()`): the method, its name, and what the runtime refuses afterwards. */
  readonly consumed?: { readonly method: string; readonly name: string; readonly consumable: Consumable };
}

/** What a function does with a parameter that the runtime refuses once the handle is consumed, each as the text of one place that does it. */
export interface ParameterUses {
  /** Its members read (`h.join`, `a.value`), by name. */
  readonly members: ReadonlyMap<string, string>;
  /** The runtime's static methods given it (`Arc.downgrade(a)`), by name. */
  readonly statics: ReadonlyMap<string, string>;
  /** A `for..of` over it. */
  readonly iterated: string | undefined;
}

/** What a function of the app does with its parameters: the moves it makes of them, and its uses of each, by index. */
export interface FunctionSummary {
  readonly moves: readonly ParameterMove[];
  readonly uses: ReadonlyMap<number, ParameterUses>;
}

const NOTHING_DONE: FunctionSummary = { moves: [], uses: new Map() };

const summaries = new WeakMap<ts.Program, Map<ts.Node, FunctionSummary>>();

/**
 * What the function declared at `declaration` does with its parameters, when
 * it is a function of the program with a body (a function, a method, or a
 * `const` holding an arrow or function expression; the app's own files, not
 * declaration files nor packages'): Rust's `fn post(job: Job)` takes `job`
 * by value, so its caller may not use the value afterwards. A parameter (or
 * a field of it: `req.payload`) is moved when the body, on any path or in a
 * closure it makes, gives it to a moving call of the runtime, to a method
 * that consumes it, to a store through a guard, or to another such function
 * (called, or passed to an array's `forEach`, `map`, ...); one the body
 * assigns is not followed (what moves may be another value). Cached per
 * declaration and per program; a function reached again while it is being
 * read (recursion) does nothing more.
 *
 * @example
 * ```ts
 * // function post(tx: Sender<Job>, req: Request) { tx.send(req.payload); }
 * functionSummary(program, declaration).moves; // [{ index: 1, path: ['payload'], into: 'into `tx.send(...)`' }]
 * ```
 */
export function functionSummary(program: ts.Program, declaration: ts.Declaration): FunctionSummary {
  let cache = summaries.get(program);
  if (!cache) summaries.set(program, (cache = new Map<ts.Node, FunctionSummary>()));
  const known = cache.get(declaration);
  if (known) return known;
  cache.set(declaration, NOTHING_DONE); // while it is being read: a recursive call does nothing more
  const fn = functionOf(declaration);
  const result = fn ? summarize(program, fn) : NOTHING_DONE;
  cache.set(declaration, result);
  return result;
}

/**
 * The function of the app a callee's symbol is, as its declaration: exactly
 * one declaration with a body, in the program's own files, followed through
 * `const` aliases (`const mv = post`).
 *
 * @example
 * ```ts
 * userFunction(program, resolveAlias(checker, checker.getSymbolAtLocation(callee))); // the `post` of `function post(job) {...}`
 * ```
 */
export function userFunction(program: ts.Program, symbol: ts.Symbol | undefined): ts.Declaration | undefined {
  const checker = program.getTypeChecker();
  for (let depth = 0; symbol && depth < MAX_ALIASES; depth++) {
    const found = (symbol.declarations ?? []).filter((declaration) => functionOf(declaration) !== undefined);
    if (found.length === 1) {
      const sourceFile = found[0].getSourceFile();
      if (sourceFile.isDeclarationFile || program.isSourceFileFromExternalLibrary(sourceFile) || isRuntimeFile(sourceFile)) return undefined;
      return found[0];
    }
    const alias = symbol.declarations?.length === 1 ? constantInitializer(symbol.declarations[0]) : undefined;
    symbol = alias && (ts.isIdentifier(alias) || ts.isPropertyAccessExpression(alias)) ? resolveAlias(checker, checker.getSymbolAtLocation(alias)) : undefined;
  }
  return undefined;
}

/** How many `const` aliases of a function are followed (`const a = post; const b = a;`). */
const MAX_ALIASES = 8;

type FunctionWithBody = ts.FunctionDeclaration | ts.MethodDeclaration | ts.ArrowFunction | ts.FunctionExpression;

/** A `const`'s initializer: a `let` may hold another value by the time it is read. */
function constantInitializer(declaration: ts.Declaration): ts.Expression | undefined {
  if (!ts.isVariableDeclaration(declaration) || !(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return undefined;
  return declaration.initializer;
}

function functionOf(declaration: ts.Declaration): FunctionWithBody | undefined {
  const fn = ts.isVariableDeclaration(declaration) ? constantInitializer(declaration) : declaration;
  if (!fn || !(ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  return fn.body ? fn : undefined;
}

/** A parameter, or a field of it. */
interface Place {
  readonly index: number;
  readonly path: readonly string[];
}

/** Whether one place is the other, a field inside it, or holds it (a write of either touches the other). */
function overlaps(a: Place, b: Place): boolean {
  return a.index === b.index && a.path.every((name, i) => i >= b.path.length || b.path[i] === name);
}

function summarize(program: ts.Program, fn: FunctionWithBody): FunctionSummary {
  const checker = program.getTypeChecker();
  const indexOf = new Map<ts.Symbol, number>();
  /** The parameters' names: an identifier spelled otherwise is none of them, without asking the checker. */
  const names = new Set<string>();
  fn.parameters.forEach((parameter, index) => {
    const symbol = ts.isIdentifier(parameter.name) && !parameter.dotDotDotToken ? checker.getSymbolAtLocation(parameter.name) : undefined;
    if (!symbol) return;
    indexOf.set(symbol, index);
    names.add(symbol.name);
  });
  if (indexOf.size === 0) return NOTHING_DONE;
  const moved = new Map<string, ParameterMove>();
  const assigned: Place[] = [];
  const uses = new Map<number, { members: Map<string, string>; statics: Map<string, string>; iterated: string | undefined }>();
  const parameterOf = (node: ts.Node): number | undefined => {
    if (!ts.isIdentifier(node) || !names.has(node.text)) return undefined;
    // `{ job }` names the property; the value is the variable's
    const symbol = ts.isShorthandPropertyAssignment(node.parent) ? checker.getShorthandAssignmentValueSymbol(node.parent) : checker.getSymbolAtLocation(node);
    return symbol && indexOf.get(symbol);
  };
  const placeOf = (node: ts.Node): Place | undefined => {
    const path = fieldPath(checker, node);
    const index = path && parameterOf(path.root);
    return index === undefined ? undefined : { index, path: path!.names };
  };
  const take = (moves: readonly CallMove[]): void => {
    for (const move of moves) {
      for (const value of move.path.length === 0 ? movedValues(move.value) : [move.value]) {
        const place = placeOf(value);
        if (!place) continue;
        const path = [...place.path, ...move.path];
        const key = `${place.index}:${path.join('.')}`;
        if (!moved.has(key)) moved.set(key, { index: place.index, path, into: move.into, consumed: move.consumed });
      }
    }
  };
  const useOf = (index: number): { members: Map<string, string>; statics: Map<string, string>; iterated: string | undefined } => {
    let found = uses.get(index);
    if (!found) uses.set(index, (found = { members: new Map(), statics: new Map(), iterated: undefined }));
    return found;
  };
  const recordUse = (node: ts.Identifier, index: number): void => {
    const parent = node.parent;
    if (ts.isPropertyAccessExpression(parent) && parent.expression === node) {
      const members = useOf(index).members;
      if (!members.has(parent.name.text)) members.set(parent.name.text, parent.getText());
    } else if (ts.isForOfStatement(parent) && parent.expression === node) {
      useOf(index).iterated ??= `for (... of ${node.text})`;
    } else if (ts.isCallExpression(parent) && parent.arguments.includes(node)) {
      const at = parent.arguments.indexOf(node);
      const callee = calleeOf(checker, parent);
      const runtime = callee && calleeOfSymbol(checker, callee);
      if (runtime?.kind === 'method') {
        const statics = useOf(index).statics;
        if (!statics.has(runtime.name)) statics.set(runtime.name, parent.getText());
        return;
      }
      const declaration = !runtime && userFunction(program, callee);
      const inner = declaration ? functionSummary(program, declaration).uses.get(at) : undefined;
      if (!inner) return;
      const mine = useOf(index);
      for (const [name, text] of inner.members) if (!mine.members.has(name)) mine.members.set(name, text);
      for (const [name, text] of inner.statics) if (!mine.statics.has(name)) mine.statics.set(name, text);
      mine.iterated ??= inner.iterated;
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) take(callMoves(program, node));
    else if (ts.isNewExpression(node)) {
      const symbol = resolveAlias(checker, checker.getSymbolAtLocation(node.expression));
      if (symbol && symbol.flags & ts.SymbolFlags.Class && isRuntimeSymbol(symbol) && MOVING_CONSTRUCTORS.has(symbol.name)) {
        take((node.arguments ?? []).map((value) => ({ value, path: [], into: `into \`new ${node.expression.getText()}(...)\`` })));
      }
    } else if (ts.isBinaryExpression(node) && isAssignment(node.operatorToken.kind)) {
      const place = placeOf(node.left);
      if (place) assigned.push(place);
      const store = node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && isRuntimeSetter(checker, node.left);
      if (store) take([{ value: node.right, path: [], into: `into \`${node.left.getText()}\`` }]);
    } else if (ts.isIdentifier(node)) {
      const index = parameterOf(node);
      if (index !== undefined) recordUse(node, index);
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body!);
  const moves = [...moved.values()].filter((move) => !assigned.some((place) => overlaps(place, move)));
  for (const place of assigned) if (place.path.length === 0) uses.delete(place.index);
  return moves.length === 0 && uses.size === 0 ? NOTHING_DONE : { moves, uses };
}

/** A value a call moves: an argument or a receiver (a field of it when `path` is not empty), where it goes, and whether it is consumed. */
export interface CallMove {
  readonly value: ts.Expression;
  /** The field of `value` that moves (a function of the app that moves a field of its parameter). */
  readonly path: readonly string[];
  /** For messages: "into `tx.send(...)`", "by `post(tx, job)`, which moves it into `tx.send(...)`". */
  readonly into: string;
  readonly consumed?: ParameterMove['consumed'];
}

/** The values a call in a function's body moves: a runtime moving call's arguments or receiver, or what a function of the app moves. */
function callMoves(program: ts.Program, call: ts.CallExpression): CallMove[] {
  const checker = program.getTypeChecker();
  const callee = call.expression;
  const symbol = calleeOf(checker, call);
  const runtime = symbol && calleeOfSymbol(checker, symbol);
  if (!runtime) return userCallMoves(program, call, `${callee.getText()}(...)`);
  const consumable = runtime.owner === undefined ? undefined : CONSUMABLES.get(runtime.owner);
  if (runtime.kind === 'function' && runtime.name === 'move') return call.arguments.map((value) => ({ value, path: [], into: 'into a thread' }));
  if (runtime.owner && MOVING_METHODS.get(runtime.owner)?.has(runtime.name)) {
    return call.arguments.map((value) => ({ value, path: [], into: `into \`${callee.getText()}(...)\`` }));
  }
  if (consumable?.by.has(runtime.name) && ts.isPropertyAccessExpression(callee)) {
    const consumed = { method: `${runtime.owner}#${runtime.name}`, name: runtime.name, consumable };
    return [{ value: callee.expression, path: [], into: `by \`${callee.getText()}()\``, consumed }];
  }
  return [];
}

/**
 * The callbacks of an array's methods that run once per element, with the
 * element as their first parameter: a function that moves its parameter,
 * passed to one, moves every element (Rust's `items.into_iter().for_each(post)`).
 */
const ELEMENT_CALLBACKS: ReadonlySet<string> = new Set([
  'forEach', 'map', 'flatMap', 'filter', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex',
]);

/**
 * The values a call of a function of the app moves (`post(tx, job)`, an
 * alias of it, `mv(tx, job)` after `const mv = post`), and the elements an
 * array's method moves when given such a function (`[a, b].forEach(drop)`,
 * `items.map(send)`). `call` is how messages name the call.
 *
 * @example
 * ```ts
 * // function post(req: Request) { tx.send(req.payload); } ... post(req);
 * userCallMoves(program, call, 'post(req)'); // [{ value: req, path: ['payload'], into: 'by `post(req)`, which moves it into `tx.send(...)`' }]
 * ```
 */
export function userCallMoves(program: ts.Program, call: ts.CallExpression, label: string): CallMove[] {
  const checker = program.getTypeChecker();
  const declaration = userFunction(program, calleeOf(checker, call));
  if (declaration) {
    const spread = call.arguments.findIndex(ts.isSpreadElement);
    return functionSummary(program, declaration).moves.flatMap((move) => {
      const value = call.arguments[move.index];
      if (!value || (spread !== -1 && spread <= move.index)) return [];
      return [{ value, path: move.path, into: `by \`${label}\`, which moves it ${move.into}`, consumed: move.consumed }];
    });
  }
  const callee = call.expression;
  const callback = call.arguments[0];
  if (!ts.isPropertyAccessExpression(callee) || !ELEMENT_CALLBACKS.has(callee.name.text) || !callback || !(ts.isIdentifier(callback) || ts.isPropertyAccessExpression(callback))) return [];
  const receiverType = checker.getTypeAtLocation(callee.expression);
  if (!checker.isArrayType(receiverType) && !checker.isTupleType(receiverType)) return [];
  const passed = userFunction(program, resolveAlias(checker, checker.getSymbolAtLocation(ts.isIdentifier(callback) ? callback : callback.name)));
  const move = passed && functionSummary(program, passed).moves.find((candidate) => candidate.index === 0 && candidate.path.length === 0);
  if (!move) return [];
  const into = `by \`${label}\`, which passes each element to \`${callback.getText()}\`, which moves it ${move.into}`;
  let receiver: ts.Expression = callee.expression;
  while (ts.isParenthesizedExpression(receiver)) receiver = receiver.expression;
  // the elements of a literal are the values moved (and consumed); an array held elsewhere moves whole, as `into_iter()` moves a `Vec`
  if (ts.isArrayLiteralExpression(receiver)) return receiver.elements.map((value) => ({ value, path: [], into, consumed: move.consumed }));
  return [{ value: callee.expression, path: [], into }];
}

/**
 * What a function of the app that `call` gives `argument` to does with it
 * that the runtime refuses of a consumed handle (`consumable`): the text of
 * that use (`x.value`), or `undefined`.
 *
 * @example
 * ```ts
 * // function show(x: Arc<T>) { log(x.value); } ... a.drop(); show(a);
 * refusedInCallee(program, call, 0, CONSUMABLES.get('Arc')!); // 'x.value'
 * ```
 */
export function refusedInCallee(program: ts.Program, call: ts.CallExpression, index: number, consumable: Consumable): string | undefined {
  const declaration = userFunction(program, calleeOf(program.getTypeChecker(), call));
  const uses = declaration && functionSummary(program, declaration).uses.get(index);
  if (!uses) return undefined;
  for (const [name, text] of uses.members) if (consumable.refused.has(name)) return text;
  for (const [name, text] of uses.statics) if (consumable.refusedStatics.has(name)) return text;
  return consumable.refusesIteration ? uses.iterated : undefined;
}

/** The symbol a call's callee names (`post`, `api.start`, `tx.send`), aliases resolved. */
function calleeOf(checker: ts.TypeChecker, call: ts.CallExpression): ts.Symbol | undefined {
  const callee = call.expression;
  const nameNode = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
  return nameNode && resolveAlias(checker, checker.getSymbolAtLocation(nameNode));
}

/**
 * A field's path from its root (`{ root: req, names: ['payload'] }` for
 * `req.payload`; no names for `req` itself): plain property names, no `?.`,
 * no accessor (`guard.value` computes what it gives).
 */
function fieldPath(checker: ts.TypeChecker, node: ts.Node): { root: ts.Node; names: string[] } | undefined {
  const names: string[] = [];
  let at = node;
  while (ts.isPropertyAccessExpression(at)) {
    const symbol = checker.getSymbolAtLocation(at.name);
    if (at.questionDotToken || !ts.isIdentifier(at.name) || !symbol || symbol.flags & ts.SymbolFlags.Accessor) return undefined;
    names.unshift(at.name.text);
    at = at.expression;
  }
  return { root: at, names };
}

/** Whether a property access is a setter declared by the runtime (`guard.value = v` stores into the lock). */
function isRuntimeSetter(checker: ts.TypeChecker, access: ts.PropertyAccessExpression): boolean {
  const symbol = checker.getSymbolAtLocation(access.name);
  return symbol?.declarations?.some((declaration) => ts.isSetAccessorDeclaration(declaration) && isRuntimeFile(declaration.getSourceFile())) ?? false;
}

/** The places a value written as `node` moves: itself (a variable or a field), or those in an object or array literal around it (as the rule's `movedPlaces`). */
function movedValues(node: ts.Node): ts.Node[] {
  if (ts.isIdentifier(node) || ts.isPropertyAccessExpression(node)) return [node];
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node)) return movedValues(node.expression);
  if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap(movedValues);
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.flatMap((property) =>
      ts.isPropertyAssignment(property) ? movedValues(property.initializer) : ts.isShorthandPropertyAssignment(property) ? [property.name] : [],
    );
  }
  return [];
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}
