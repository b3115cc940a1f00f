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

/** The runtime's classes whose constructor takes ownership of its value (`Mutex::new(t: T)`, ...). */
export const MOVING_CONSTRUCTORS: ReadonlySet<string> = new Set(['Mutex', 'RwLock', 'Arc', 'Rc', 'Cell', 'RefCell', 'OnceCell']);


/** How a function moves one of its parameters. */
export interface ParameterMove {
  /** Where it goes, for messages: "into `tx.send(...)`". */
  readonly into: string;
  /** When the function consumes the handle it is given (`h.join()`): the method, its name, and what the runtime refuses afterwards. */
  readonly consumed?: { readonly method: string; readonly name: string; readonly consumable: Consumable };
}

/** What a function does with its parameters: how it moves each one it moves, by index. */
export type ParameterMoves = ReadonlyMap<number, ParameterMove>;

const NONE: ParameterMoves = new Map();

const summaries = new WeakMap<ts.Program, Map<ts.Node, ParameterMoves>>();

/**
 * The parameters that the function declared at `declaration` moves, when it
 * is a function of the program with a body (a function, a method, or a
 * `const` holding an arrow or function expression; the app's own files, not
 * declaration files nor packages'): Rust's `fn post(job: Job)` takes `job`
 * by value, so its caller may not use the value afterwards. A parameter is
 * moved when the body, on any path or in a closure it makes, gives it to a
 * moving call of the runtime, to a method that consumes it, to a store
 * through a guard, or to another such function; one the body assigns is not
 * followed (what moves may be another value). Cached per declaration and per
 * program; a function reached again while it is being read (recursion)
 * moves nothing more.
 *
 * @example
 * ```ts
 * // function post(job: Job) { tx.send(job); }
 * parameterMoves(program, declaration); // Map { 0 => { into: 'into `tx.send(...)`' } }
 * ```
 */
export function parameterMoves(program: ts.Program, declaration: ts.Declaration): ParameterMoves {
  let cache = summaries.get(program);
  if (!cache) summaries.set(program, (cache = new Map<ts.Node, ParameterMoves>()));
  const known = cache.get(declaration);
  if (known) return known;
  cache.set(declaration, NONE); // while it is being read: a recursive call moves nothing
  const fn = functionOf(declaration);
  const result = fn ? movesOf(program, fn) : NONE;
  cache.set(declaration, result);
  return result;
}

/**
 * The function of the app a callee's symbol is, as its declaration: exactly
 * one declaration with a body, in the program's own files.
 *
 * @example
 * ```ts
 * userFunction(program, resolveAlias(checker, checker.getSymbolAtLocation(callee))); // the `post` of `function post(job) {...}`
 * ```
 */
export function userFunction(program: ts.Program, symbol: ts.Symbol | undefined): ts.Declaration | undefined {
  const found = (symbol?.declarations ?? []).filter((declaration) => functionOf(declaration) !== undefined);
  if (found.length !== 1) return undefined;
  const sourceFile = found[0].getSourceFile();
  if (sourceFile.isDeclarationFile || program.isSourceFileFromExternalLibrary(sourceFile) || isRuntimeFile(sourceFile)) return undefined;
  return found[0];
}

type FunctionWithBody = ts.FunctionDeclaration | ts.MethodDeclaration | ts.ArrowFunction | ts.FunctionExpression;

function functionOf(declaration: ts.Declaration): FunctionWithBody | undefined {
  // a `let` may hold another function by the time it is called
  const constant = ts.isVariableDeclaration(declaration) && ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const;
  const fn = ts.isVariableDeclaration(declaration) ? (constant ? declaration.initializer : undefined) : declaration;
  if (!fn || !(ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  return fn.body ? fn : undefined;
}

function movesOf(program: ts.Program, fn: FunctionWithBody): ParameterMoves {
  const checker = program.getTypeChecker();
  const indexOf = new Map<ts.Symbol, number>();
  fn.parameters.forEach((parameter, index) => {
    const symbol = ts.isIdentifier(parameter.name) && !parameter.dotDotDotToken ? checker.getSymbolAtLocation(parameter.name) : undefined;
    if (symbol) indexOf.set(symbol, index);
  });
  if (indexOf.size === 0) return NONE;
  const moved = new Map<number, ParameterMove>();
  const assigned = new Set<number>();
  const parameterOf = (node: ts.Node): number | undefined => {
    if (!ts.isIdentifier(node)) return undefined;
    // `{ job }` names the property; the value is the variable's
    const symbol = ts.isShorthandPropertyAssignment(node.parent) ? checker.getShorthandAssignmentValueSymbol(node.parent) : checker.getSymbolAtLocation(node);
    return symbol && indexOf.get(symbol);
  };
  const take = (values: readonly ts.Node[], how: ParameterMove): void => {
    for (const value of values.flatMap(movedIdentifiers)) {
      const index = parameterOf(value);
      if (index !== undefined && !moved.has(index)) moved.set(index, how);
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) callMoves(program, node, take);
    else if (ts.isNewExpression(node)) {
      const symbol = resolveAlias(checker, checker.getSymbolAtLocation(node.expression));
      if (symbol && symbol.flags & ts.SymbolFlags.Class && isRuntimeSymbol(symbol) && MOVING_CONSTRUCTORS.has(symbol.name)) {
        take(node.arguments ?? [], { into: `into \`new ${node.expression.getText()}(...)\`` });
      }
    } else if (ts.isBinaryExpression(node) && isAssignment(node.operatorToken.kind)) {
      const index = parameterOf(node.left);
      if (index !== undefined) assigned.add(index);
      const store = node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && isRuntimeSetter(checker, node.left);
      if (store) take([node.right], { into: `into \`${node.left.getText()}\`` });
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body!);
  for (const index of assigned) moved.delete(index);
  return moved.size === 0 ? NONE : moved;
}

/** The values a call in a function's body moves: a runtime moving call's arguments or receiver, or what another user function moves. */
function callMoves(program: ts.Program, call: ts.CallExpression, take: (values: readonly ts.Node[], how: ParameterMove) => void): void {
  const checker = program.getTypeChecker();
  const callee = call.expression;
  const nameNode = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
  const symbol = nameNode && resolveAlias(checker, checker.getSymbolAtLocation(nameNode));
  if (!symbol) return;
  const runtime = calleeOfSymbol(checker, symbol);
  if (runtime) {
    const consumable = runtime.owner === undefined ? undefined : CONSUMABLES.get(runtime.owner);
    if (runtime.kind === 'function' && runtime.name === 'move') take(call.arguments, { into: 'into a thread' });
    else if (runtime.owner && MOVING_METHODS.get(runtime.owner)?.has(runtime.name)) take(call.arguments, { into: `into \`${callee.getText()}(...)\`` });
    else if (consumable?.by.has(runtime.name) && ts.isPropertyAccessExpression(callee)) {
      take([callee.expression], { into: `by \`${callee.getText()}()\``, consumed: { method: `${runtime.owner}#${runtime.name}`, name: runtime.name, consumable } });
    }
    return;
  }
  const declaration = userFunction(program, symbol);
  if (!declaration) return;
  const spread = call.arguments.findIndex(ts.isSpreadElement);
  for (const [index, how] of parameterMoves(program, declaration)) {
    const argument = call.arguments[index];
    if (argument && (spread === -1 || spread > index)) take([argument], { ...how, into: `by \`${callee.getText()}(...)\`, which moves it ${how.into}` });
  }
}

/** Whether a property access is a setter declared by the runtime (`guard.value = v` stores into the lock). */
function isRuntimeSetter(checker: ts.TypeChecker, access: ts.PropertyAccessExpression): boolean {
  const symbol = checker.getSymbolAtLocation(access.name);
  return symbol?.declarations?.some((declaration) => ts.isSetAccessorDeclaration(declaration) && isRuntimeFile(declaration.getSourceFile())) ?? false;
}

/** The variables a value written as `node` moves: itself, or those in an object or array literal around it (as the rule's `movedPlaces`). */
function movedIdentifiers(node: ts.Node): ts.Identifier[] {
  if (ts.isIdentifier(node)) return [node];
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node) || ts.isSatisfiesExpression(node)) return movedIdentifiers(node.expression);
  if (ts.isArrayLiteralExpression(node)) return node.elements.flatMap(movedIdentifiers);
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.flatMap((property) =>
      ts.isPropertyAssignment(property) ? movedIdentifiers(property.initializer) : ts.isShorthandPropertyAssignment(property) ? [property.name] : [],
    );
  }
  return [];
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}
