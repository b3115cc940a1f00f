/**
 * What the app's own functions do with their parameters (Rust's by-value
 * parameters): the ones they move, by a moving call of the runtime
 * (`moving-calls.ts`) or by another such function, the uses a consumed
 * handle given to them meets, and the parameters they call.
 * `no-use-after-move` reads a call of such a function as a move of what it
 * is given.
 */

import ts from 'typescript';

import { type FunctionWithBody, functionValues, variableValues } from './function-values.js';
import { CONSUMABLES, type Consumable, MOVING_CONSTRUCTORS, MOVING_METHODS } from './moving-calls.js';
import { calleeOfSymbol, isRuntimeFile, isRuntimeSymbol, resolveAlias } from './runtime.js';

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

/** What a function does with a parameter (or a field of it) that the runtime refuses once the handle is consumed, each as the text of one place that does it. */
export interface ParameterUses {
  /** Its members read (`h.join`, `a.value`), by name. */
  readonly members: ReadonlyMap<string, string>;
  /** The runtime's static methods given it (`Arc.downgrade(a)`), by name. */
  readonly statics: ReadonlyMap<string, string>;
  /** A `for..of` over it. */
  readonly iterated: string | undefined;
}

/**
 * A parameter the function calls (Rust's `f: impl FnOnce(Job)`), or whose
 * elements it calls (`for (const f of fns) f(req)`): what it passes to the
 * call, as the caller's places, and whether it calls it more than once.
 */
export interface CalledParameter {
  readonly index: number;
  /** Whether the parameter is an array of functions, each called (`for (const f of fns) f(...)`). */
  readonly element: boolean;
  /** Each argument of the call, when it is a parameter or a field of one. */
  readonly args: readonly (Place | undefined)[];
  /** Called in a loop, or twice on the same path: a closure that moves what it captures is called again. */
  readonly repeated: boolean;
}

/** What a function of the app does with its parameters: the moves it makes of them, its uses of each (by index, then by field path, `''` for the parameter itself), and the parameters it calls. */
export interface FunctionSummary {
  readonly moves: readonly ParameterMove[];
  readonly uses: ReadonlyMap<number, ReadonlyMap<string, ParameterUses>>;
  readonly called: readonly CalledParameter[];
  /** The parameters a closure it returns reads (`return (m) => out.send(m)`): the closure borrows what the caller gave there. */
  readonly captured: ReadonlySet<number>;
}

const NOTHING_DONE: FunctionSummary = { moves: [], uses: new Map(), called: [], captured: new Set() };

const summaries = new WeakMap<ts.Program, Map<ts.Node, FunctionSummary>>();

/**
 * What the function `fn` of the app does with its parameters: Rust's `fn
 * post(job: Job)` takes `job` by value, so its caller may not use the value
 * afterwards. A parameter (or a field of it: `req.payload`) is moved when the
 * body, on any path or in a closure it makes, gives it to a moving call of
 * the runtime, to a method that consumes it, to a store through a guard, or
 * to another such function (called, or passed to an array's `forEach`,
 * `map`, ...); one the body assigns is not followed (what moves may be
 * another value). Cached per function and per program; a function reached
 * again while it is being read (recursion) does nothing more.
 *
 * @example
 * ```ts
 * // function post(tx: Sender<Job>, req: Request) { tx.send(req.payload); }
 * functionSummary(program, fn).moves; // [{ index: 1, path: ['payload'], into: 'into `tx.send(...)`' }]
 * ```
 */
export function functionSummary(program: ts.Program, fn: FunctionWithBody): FunctionSummary {
  let cache = summaries.get(program);
  if (!cache) summaries.set(program, (cache = new Map<ts.Node, FunctionSummary>()));
  const known = cache.get(fn);
  if (known) return known;
  cache.set(fn, NOTHING_DONE); // while it is being read: a recursive call does nothing more
  const result = summarize(program, fn);
  cache.set(fn, result);
  return result;
}

/**
 * What a callee's symbol does with its parameters, when it holds functions
 * of the app (see `functionValues`: one declared, or every one a `let`, a
 * field or a property is given): what all of them do, since a call runs
 * one of them and only what is certain is reported.
 *
 * @example
 * ```ts
 * // let post = (m) => tx.send(m); ... post(a);
 * symbolSummary(program, checker.getSymbolAtLocation(callee)).moves; // [{ index: 0, path: [], into: 'into `tx.send(...)`' }]
 * ```
 */
export function symbolSummary(program: ts.Program, symbol: ts.Symbol | undefined, receiver?: ts.Expression): FunctionSummary | undefined {
  const functions = functionValues(program, symbol, receiver);
  return functions && common(functions.map((fn) => functionSummary(program, fn)));
}

/** What every one of `summaries` does: the moves, uses and calls they share. */
function common(all: readonly FunctionSummary[]): FunctionSummary {
  if (all.length === 1) return all[0];
  const [first, ...rest] = all;
  const moves = first.moves.flatMap((move) => {
    const same = rest.map((other) => other.moves.find((candidate) => candidate.index === move.index && candidate.path.join('.') === move.path.join('.')));
    if (same.some((found) => found === undefined)) return [];
    // a value consumed by one and moved by another is certainly consumed: only what the runtime then refuses is reported
    const consumed = [move, ...same].find((found) => found!.consumed !== undefined)?.consumed;
    if (consumed && [move, ...same].some((found) => found!.consumed !== undefined && found!.consumed.method !== consumed.method)) return [];
    return [{ ...move, consumed }];
  });
  const uses = new Map<number, Map<string, ParameterUses>>();
  for (const [index, byPath] of first.uses) {
    for (const [path, mine] of byPath) {
      const others = rest.map((other) => other.uses.get(index)?.get(path));
      if (others.some((found) => found === undefined)) continue;
      const shared = (pick: (uses: ParameterUses) => ReadonlyMap<string, string>): Map<string, string> =>
        new Map([...pick(mine)].filter(([name]) => others.every((other) => pick(other!).has(name))));
      const iterated = others.every((other) => other!.iterated !== undefined) ? mine.iterated : undefined;
      const entry = { members: shared((u) => u.members), statics: shared((u) => u.statics), iterated };
      if (!uses.has(index)) uses.set(index, new Map<string, ParameterUses>());
      uses.get(index)!.set(path, entry);
    }
  }
  const key = (call: CalledParameter): string => JSON.stringify([call.index, call.element, call.args]);
  const called = first.called.filter((call) => rest.every((other) => other.called.some((candidate) => key(candidate) === key(call))));
  const captured = new Set([...first.captured].filter((index) => rest.every((other) => other.captured.has(index))));
  return { moves, uses, called, captured };
}

/** A parameter, or a field of it. */
export interface Place {
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
  const captured = new Set<number>();
  const assigned: Place[] = [];
  const uses = new Map<number, Map<string, MutableUses>>();
  /** Each call of a parameter; `repeated` when the callee it is handed on to calls it more than once. */
  const called: { call: ts.CallExpression; entry: Omit<CalledParameter, 'repeated'>; repeated?: boolean }[] = [];
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
  const useOf = (index: number, path: readonly string[]): MutableUses => {
    let byPath = uses.get(index);
    if (!byPath) uses.set(index, (byPath = new Map<string, MutableUses>()));
    let found = byPath.get(path.join('.'));
    if (!found) byPath.set(path.join('.'), (found = { members: new Map(), statics: new Map(), iterated: undefined }));
    return found;
  };
  /** The uses of a parameter read at `node`, and of each field read through it (`r.reply.send` uses `r`'s `reply` and `r.reply`'s `send`). */
  const recordUse = (node: ts.Identifier, index: number): void => {
    let at: ts.Expression = node;
    const path: string[] = [];
    for (;;) {
      const parent = at.parent;
      if (ts.isPropertyAccessExpression(parent) && parent.expression === at) {
        const members = useOf(index, path).members;
        if (!members.has(parent.name.text)) members.set(parent.name.text, parent.getText());
        if (parent.questionDotToken) return;
        path.push(parent.name.text);
        at = parent;
      } else if (ts.isForOfStatement(parent) && parent.expression === at) {
        useOf(index, path).iterated ??= `for (... of ${at.getText()})`;
        return;
      } else if (ts.isCallExpression(parent) && parent.arguments.includes(at)) {
        const argument = parent.arguments.indexOf(at);
        const callee = calleeOf(checker, parent);
        const runtime = callee && calleeOfSymbol(checker, callee);
        if (runtime?.kind === 'method') {
          const statics = useOf(index, path).statics;
          if (!statics.has(runtime.name)) statics.set(runtime.name, parent.getText());
          return;
        }
        const inner = runtime ? undefined : symbolSummary(program, callee, receiverOf(parent))?.uses.get(argument);
        for (const [innerPath, found] of inner ?? []) {
          const mine = useOf(index, innerPath === '' ? path : [...path, ...innerPath.split('.')]);
          for (const [name, text] of found.members) if (!mine.members.has(name)) mine.members.set(name, text);
          for (const [name, text] of found.statics) if (!mine.statics.has(name)) mine.statics.set(name, text);
          mine.iterated ??= found.iterated;
        }
        return;
      } else {
        return;
      }
    }
  };
  /** A call of a parameter (`f(req)`), of a local name given only that parameter (`const g = f; g(req)`), or of an element of one (`for (const f of fns) f(req)`). */
  const recordCalled = (call: ts.CallExpression): void => {
    if (!ts.isIdentifier(call.expression)) return;
    const args = call.arguments.map((argument) => (ts.isSpreadElement(argument) ? undefined : placeOf(argument)));
    const index = parameterOf(call.expression) ?? aliasedParameter(call.expression);
    if (index !== undefined) {
      called.push({ call, entry: { index, element: false, args } });
      return;
    }
    if (!elementNames.has(call.expression.text)) return; // no loop over a parameter declares that name: no need to ask the checker
    const declaration = checker.getSymbolAtLocation(call.expression)?.valueDeclaration;
    if (!declaration || !ts.isVariableDeclaration(declaration) || !ts.isIdentifier(declaration.name) || !ts.isVariableDeclarationList(declaration.parent)) return;
    const loop = declaration.parent.parent;
    if (!ts.isForOfStatement(loop)) return;
    const over = parameterOf(loop.expression);
    if (over !== undefined) called.push({ call, entry: { index: over, element: true, args } });
  };
  /** The names of the variables of `for (const f of p)` loops over a parameter, whose calls may call its elements. */
  const elementNames = new Set<string>();
  /** The names of the local variables given a parameter where they are declared (`let g = f`): a call of one may call the parameter. */
  const aliasNames = new Set<string>();
  /** The parameter a local variable holds when every value the program gives it is that parameter (`let g = f; g(job)`). */
  const aliasedParameter = (name: ts.Identifier): number | undefined => {
    if (!aliasNames.has(name.text)) return undefined;
    const symbol = checker.getSymbolAtLocation(name);
    const values = symbol && variableValues(program, symbol);
    const indices = new Set(values?.map((value) => parameterOf(skipParentheses(value))));
    const [index] = indices;
    return indices.size === 1 ? index : undefined;
  };
  /**
   * A parameter handed on to another function of the app that calls it
   * (`function run(g) { each(g); }`): a call of this parameter, with what
   * the callee passes it, as this function's places.
   */
  const recordHandedOn = (call: ts.CallExpression): void => {
    const given = call.arguments.map((argument) => (ts.isIdentifier(argument) ? parameterOf(argument) : undefined));
    if (given.every((index) => index === undefined)) return;
    const inner = symbolSummary(program, calleeOf(checker, call), receiverOf(call));
    for (const calledThere of inner?.called ?? []) {
      const index = given[calledThere.index];
      if (index === undefined || call.arguments.slice(0, calledThere.index).some(ts.isSpreadElement)) continue;
      const args = calledThere.args.map((place) => {
        const argument = place && call.arguments[place.index];
        const mine = argument && !call.arguments.slice(0, place.index).some(ts.isSpreadElement) ? placeOf(argument) : undefined;
        return mine && { index: mine.index, path: [...mine.path, ...place!.path] };
      });
      called.push({ call, entry: { index, element: calledThere.element, args }, repeated: calledThere.repeated });
    }
  };
  /** Whether a value written as `node` may be a parameter or a field of one (its root is spelled as one): only then can a call move it, so only then is the checker asked what the call is. */
  const mayBeParameter = (node: ts.Node): boolean =>
    movedValues(node).some((value) => {
      let root = value;
      while (ts.isPropertyAccessExpression(root)) root = root.expression;
      return ts.isIdentifier(root) && names.has(root.text);
    });
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const receiver = ts.isPropertyAccessExpression(node.expression) ? node.expression.expression : undefined;
      if (node.arguments.some(mayBeParameter) || (receiver !== undefined && mayBeParameter(receiver))) {
        take(callMoves(program, node));
        recordHandedOn(node);
      }
      recordCalled(node);
    } else if (ts.isForOfStatement(node) && ts.isVariableDeclarationList(node.initializer) && node.initializer.declarations.length === 1) {
      const name = node.initializer.declarations[0].name;
      if (ts.isIdentifier(name) && parameterOf(node.expression) !== undefined) elementNames.add(name.text);
    } else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isIdentifier(skipParentheses(node.initializer)) && names.has((skipParentheses(node.initializer) as ts.Identifier).text)) {
      aliasNames.add(node.name.text);
    } else if (ts.isNewExpression(node)) {
      if (!(node.arguments ?? []).some(mayBeParameter)) {
        ts.forEachChild(node, visit);
        return;
      }
      const symbol = resolveAlias(checker, checker.getSymbolAtLocation(node.expression));
      if (symbol && symbol.flags & ts.SymbolFlags.Class && isRuntimeSymbol(symbol) && MOVING_CONSTRUCTORS.has(symbol.name)) {
        take((node.arguments ?? []).map((value) => ({ value, path: [], into: `into \`new ${node.expression.getText()}(...)\`` })));
      }
    } else if (ts.isBinaryExpression(node) && isAssignment(node.operatorToken.kind)) {
      const place = placeOf(node.left);
      if (place) assigned.push(place);
      const store = node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left) && mayBeParameter(node.right) && isRuntimeSetter(checker, node.left);
      if (store) take([{ value: node.right, path: [], into: `into \`${node.left.getText()}\`` }]);
    } else if (ts.isIdentifier(node)) {
      const index = parameterOf(node);
      if (index !== undefined) {
        recordUse(node, index);
        if (!captured.has(index) && isInReturnedFunction(node, fn)) captured.add(index);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(fn.body!);
  const isAssigned = (place: Place): boolean => assigned.some((other) => overlaps(other, place));
  const moves = [...moved.values()].filter((move) => !isAssigned(move));
  for (const [index, byPath] of uses) {
    for (const path of byPath.keys()) if (isAssigned({ index, path: path === '' ? [] : path.split('.') })) byPath.delete(path);
    if (byPath.size === 0) uses.delete(index);
  }
  // a parameter given a new value may call another function; its calls of the same parameter on one path run it again
  const calls = called.filter(({ entry }) => !isAssigned({ index: entry.index, path: [] }));
  const calledParameters = calls.map(({ call, entry, repeated }) => ({
    ...entry,
    args: entry.args.map((place) => (place && !isAssigned(place) ? place : undefined)),
    repeated: entry.element || (repeated ?? false) || isInLoop(call, fn) || calls.some((other) => other.call !== call && other.entry.index === entry.index && isUnconditional(other.call, fn) && isUnconditional(call, fn)),
  }));
  for (const index of captured) if (isAssigned({ index, path: [] })) captured.delete(index);
  return moves.length === 0 && uses.size === 0 && calledParameters.length === 0 && captured.size === 0 ? NOTHING_DONE : { moves, uses, called: calledParameters, captured };
}

/** Whether `node` lies in a closure `fn` returns (`return () => ...`, or an arrow's expression body). */
function isInReturnedFunction(node: ts.Node, fn: FunctionWithBody): boolean {
  for (let at = node.parent; at && at !== fn; at = at.parent) {
    if (!ts.isArrowFunction(at) && !ts.isFunctionExpression(at)) continue;
    if (at.parent === fn && fn.body === at) return true;
    if (ts.isReturnStatement(at.parent) && ts.findAncestor(at.parent, ts.isFunctionLike) === fn) return true;
  }
  return false;
}

interface MutableUses {
  members: Map<string, string>;
  statics: Map<string, string>;
  iterated: string | undefined;
}

/** Whether `node` runs in a loop of `fn`'s body (not of a function inside it). */
function isInLoop(node: ts.Node, fn: FunctionWithBody): boolean {
  for (let at = node.parent; at && at !== fn; at = at.parent) {
    if (ts.isFunctionLike(at)) return false;
    if (ts.isIterationStatement(at, false)) return true;
  }
  return false;
}

/** Whether `node` runs every time `fn` runs to its end: no branch, loop, `try`, short circuit or function between them. */
function isUnconditional(node: ts.Node, fn: FunctionWithBody): boolean {
  for (let at: ts.Node = node; at.parent && at.parent !== fn; at = at.parent) {
    const parent = at.parent;
    if (ts.isFunctionLike(parent) || ts.isIterationStatement(parent, false) || ts.isTryStatement(parent) || ts.isCatchClause(parent) || ts.isCaseOrDefaultClause(parent)) return false;
    if (ts.isIfStatement(parent) && at !== parent.expression) return false;
    if (ts.isConditionalExpression(parent) && at !== parent.condition) return false;
    if (ts.isBinaryExpression(parent) && parent.right === at && isShortCircuit(parent.operatorToken.kind)) return false;
    if (ts.isCallExpression(parent) && parent.questionDotToken) return false;
  }
  return true;
}

function isShortCircuit(kind: ts.SyntaxKind): boolean {
  return kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken || kind === ts.SyntaxKind.QuestionQuestionToken;
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
  const summary = symbolSummary(program, calleeOf(checker, call), receiverOf(call));
  if (summary) {
    const spread = call.arguments.findIndex(ts.isSpreadElement);
    const argumentAt = (index: number): ts.Expression | undefined => (spread !== -1 && spread <= index ? undefined : call.arguments[index]);
    const own = summary.moves.flatMap((move) => {
      const value = argumentAt(move.index);
      return value ? [{ value, path: move.path, into: `by \`${label}\`, which moves it ${move.into}`, consumed: move.consumed }] : [];
    });
    return [...own, ...calledMoves(program, summary, argumentAt, label)];
  }
  const callee = call.expression;
  const callback = call.arguments[0];
  if (!ts.isPropertyAccessExpression(callee) || !ELEMENT_CALLBACKS.has(callee.name.text) || !callback || !(ts.isIdentifier(callback) || ts.isPropertyAccessExpression(callback))) return [];
  const receiverType = checker.getTypeAtLocation(callee.expression);
  if (!checker.isArrayType(receiverType) && !checker.isTupleType(receiverType)) return [];
  const passed = symbolSummary(program, resolveAlias(checker, checker.getSymbolAtLocation(ts.isIdentifier(callback) ? callback : callback.name)), ts.isPropertyAccessExpression(callback) ? callback.expression : undefined);
  const move = passed?.moves.find((candidate) => candidate.index === 0 && candidate.path.length === 0);
  if (!move) return [];
  const into = `by \`${label}\`, which passes each element to \`${callback.getText()}\`, which moves it ${move.into}`;
  let receiver: ts.Expression = callee.expression;
  while (ts.isParenthesizedExpression(receiver)) receiver = receiver.expression;
  // the elements of a literal are the values moved (and consumed); an array held elsewhere moves whole, as `into_iter()` moves a `Vec`
  if (ts.isArrayLiteralExpression(receiver)) return receiver.elements.map((value) => ({ value, path: [], into, consumed: move.consumed }));
  return [{ value: callee.expression, path: [], into }];
}

/**
 * What a function of the app that `call` gives its argument `index` to does
 * with it, or with its field `path`, that the runtime refuses of a consumed
 * handle (`consumable`): the text of that use (`x.value`, `r.reply.send`),
 * or `undefined`.
 *
 * @example
 * ```ts
 * // function show(x: Arc<T>) { log(x.value); } ... a.drop(); show(a);
 * refusedInCallee(program, call, 0, CONSUMABLES.get('Arc')!); // 'x.value'
 * ```
 */
export function refusedInCallee(program: ts.Program, call: ts.CallExpression, index: number, consumable: Consumable, path: readonly string[] = []): string | undefined {
  const uses = symbolSummary(program, calleeOf(program.getTypeChecker(), call), receiverOf(call))?.uses.get(index)?.get(path.join('.'));
  if (!uses) return undefined;
  for (const [name, text] of uses.members) if (consumable.refused.has(name)) return text;
  for (const [name, text] of uses.statics) if (consumable.refusedStatics.has(name)) return text;
  return consumable.refusesIteration ? uses.iterated : undefined;
}

/**
 * What the functions given to a function of the app move, when it calls
 * them (`retry(post, job)` with `function retry(f, x) { f(x); }`; `runAll([post],
 * req)` with `for (const f of fns) f(req)`): the caller's arguments that it
 * passes on to a parameter those functions move. Each function given is
 * written at the call: a name (a function, a `const`, ... as
 * `symbolSummary`) or an arrow or function expression, one by one in an
 * array literal for an array of functions.
 */
function calledMoves(program: ts.Program, summary: FunctionSummary, argumentAt: (index: number) => ts.Expression | undefined, label: string): CallMove[] {
  const checker = program.getTypeChecker();
  const found: CallMove[] = [];
  for (const called of summary.called) {
    const given = argumentAt(called.index);
    const list = given === undefined ? [] : called.element ? (ts.isArrayLiteralExpression(skipParentheses(given)) ? (skipParentheses(given) as ts.ArrayLiteralExpression).elements : []) : [given];
    for (const value of list) {
      const passed = skipParentheses(value);
      const inner =
        ts.isArrowFunction(passed) || ts.isFunctionExpression(passed)
          ? functionSummary(program, passed)
          : ts.isIdentifier(passed) || ts.isPropertyAccessExpression(passed)
            ? symbolSummary(program, resolveAlias(checker, checker.getSymbolAtLocation(ts.isIdentifier(passed) ? passed : passed.name)), ts.isPropertyAccessExpression(passed) ? passed.expression : undefined)
            : undefined;
      const name = ts.isIdentifier(passed) || ts.isPropertyAccessExpression(passed) ? `\`${passed.getText()}\`` : 'the function given';
      for (const move of inner?.moves ?? []) {
        const place = called.args[move.index];
        const moved = place && argumentAt(place.index);
        if (!moved) continue;
        found.push({ value: moved, path: [...place.path, ...move.path], into: `by \`${label}\`, which passes it to ${name}, which moves it ${move.into}`, consumed: move.consumed });
      }
    }
  }
  return found;
}

/**
 * Whether a function of the app that `call` gives its argument `index` to
 * calls it more than once (in a loop, or twice on one path): a closure given
 * there runs again, as one given to `forEach` does.
 *
 * @example
 * ```ts
 * // function retry(f: () => void) { for (let i = 0; i < 3; i++) f(); } ... retry(() => tx.send(a));
 * callsRepeatedly(program, call, 0); // true
 * ```
 */
export function callsRepeatedly(program: ts.Program, call: ts.CallExpression, index: number): boolean {
  return symbolSummary(program, calleeOf(program.getTypeChecker(), call), receiverOf(call))?.called.some((called) => called.index === index && !called.element && called.repeated) ?? false;
}

/**
 * Whether the function of the app `call` calls returns a closure that reads
 * its argument `index` (`const log = makeLogger(tx)`): that closure borrows
 * the argument, as Rust's `fn make_logger(tx: &Sender) -> impl Fn(&str) + '_`.
 *
 * @example
 * ```ts
 * // function makeLogger(out: Sender<string>) { return (line: string) => out.send(line); } ... makeLogger(tx);
 * returnsCapture(program, call, 0); // true
 * ```
 */
export function returnsCapture(program: ts.Program, call: ts.CallExpression, index: number): boolean {
  return symbolSummary(program, calleeOf(program.getTypeChecker(), call), receiverOf(call))?.captured.has(index) ?? false;
}

function skipParentheses(node: ts.Expression): ts.Expression {
  let at = node;
  while (ts.isParenthesizedExpression(at) || ts.isAsExpression(at) || ts.isSatisfiesExpression(at) || ts.isNonNullExpression(at)) at = at.expression;
  return at;
}

/** The object a call's callee is read from (`handlers` of `handlers.post(req)`). */
function receiverOf(call: ts.CallExpression): ts.Expression | undefined {
  return ts.isPropertyAccessExpression(call.expression) ? call.expression.expression : undefined;
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
