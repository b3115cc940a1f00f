/**
 * The functions of the app a callee may hold: a function declared once, a
 * `const` holding one, and the places whose every value the program gives
 * is one (a `let`, a class field, an object's property), or a call of a
 * function of the app that returns only such functions. `no-use-after-move`
 * reads a call of such a place as a call of each of those functions.
 */

import ts from 'typescript';

import { isRuntimeFile, resolveAlias } from './runtime.js';

/** A function whose body the summaries read. */
export type FunctionWithBody = ts.FunctionDeclaration | ts.MethodDeclaration | ts.ArrowFunction | ts.FunctionExpression;

/** How many names of a function are followed (`const a = post; let b = a;`). */
const MAX_ALIASES = 8;

/**
 * The functions of the app that a callee's symbol holds, in the program's
 * own files (not declaration files nor packages'): the one function it
 * declares (a function, a method with a body, a `const` holding an arrow or
 * function expression, through `const` aliases), or, for a `let` or `var`,
 * a class field or an object literal's property, every function the program
 * gives it, in its declaration and in each assignment (`this.post = (m) =>
 * tx.send(m)`), and for a call given to it (`let f = pick()`), every
 * function the function of the app it calls returns. `undefined` when any
 * value it is given is not such a function, or is given another way (`+=`,
 * a destructuring, a `for..of`),
 * or it is declared more than once: what it holds is then not certain.
 * `undefined` and `null` given to it are no function and are left out (a
 * call of them throws before anything moves).
 *
 * @example
 * ```ts
 * // let post = (m) => tx.send(m); ... post = (m) => log(m);
 * functionValues(program, symbolOfPost); // [the first arrow, the second arrow]
 * ```
 */
export function functionValues(program: ts.Program, symbol: ts.Symbol | undefined, receiver?: ts.Expression, depth = 0): FunctionWithBody[] | undefined {
  if (!symbol || depth >= MAX_ALIASES) return undefined;
  const declarations = symbol.declarations ?? [];
  const withBody = declarations.filter((declaration) => functionOf(declaration) !== undefined);
  if (withBody.length === 1) return isOwnFile(program, withBody[0].getSourceFile()) ? [functionOf(withBody[0])!] : undefined;
  if (declarations.length !== 1 || !isOwnFile(program, declarations[0].getSourceFile())) return undefined;
  const declaration = declarations[0];
  // an object literal's property is that object's only when read through the `const` that holds it: another object of its type may hold another function
  if ((ts.isPropertyAssignment(declaration) || ts.isShorthandPropertyAssignment(declaration)) && !isHolder(program, receiver, declaration.parent)) return undefined;
  let cache = cached.get(program);
  if (!cache) cached.set(program, (cache = new Map<ts.Declaration, FunctionWithBody[] | null>()));
  let found = cache.get(declaration);
  if (found === undefined) {
    cache.set(declaration, null); // while it is being read: a place given itself holds nothing more
    found = givenFunctions(program, symbol, declaration, depth) ?? null;
    cache.set(declaration, found);
  }
  return found ?? undefined;
}

const cached = new WeakMap<ts.Program, Map<ts.Declaration, FunctionWithBody[] | null>>();

/** Whether `receiver` names the `const` whose value is the object literal `literal` (`handlers` of `const handlers = { post }`). */
function isHolder(program: ts.Program, receiver: ts.Expression | undefined, literal: ts.ObjectLiteralExpression): boolean {
  const holder = literal.parent;
  if (!receiver || !ts.isIdentifier(receiver) || !ts.isVariableDeclaration(holder) || holder.initializer !== literal || !(ts.getCombinedNodeFlags(holder) & ts.NodeFlags.Const)) return false;
  return program.getTypeChecker().getSymbolAtLocation(receiver)?.valueDeclaration === holder;
}

/** The functions a place (not a function declared once) is given, or `undefined` when one of its values is not certain. */
function givenFunctions(program: ts.Program, symbol: ts.Symbol, declaration: ts.Declaration, depth: number): FunctionWithBody[] | undefined {
  const values = valuesGiven(program, symbol, declaration);
  if (!values) return undefined;
  const checker = program.getTypeChecker();
  const found: FunctionWithBody[] = [];
  const queue = [...values];
  /** The functions whose results were read: one that returns its own call's result gives nothing certain. */
  const expanded = new Set<FunctionWithBody>();
  for (let given = queue.pop(); given; given = queue.pop()) {
    const value = skipOuterExpressions(given);
    if ((ts.isArrowFunction(value) || ts.isFunctionExpression(value)) && value.body) {
      found.push(value);
    } else if (ts.isConditionalExpression(value)) {
      queue.push(value.whenTrue, value.whenFalse);
    } else if (value.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(value) && value.text === 'undefined' && !checker.getSymbolAtLocation(value)?.declarations?.length)) {
      continue; // the global `undefined` (a shadowing one has a declaration)
    } else if (ts.isIdentifier(value) || ts.isPropertyAccessExpression(value)) {
      const named = ts.isShorthandPropertyAssignment(value.parent) ? checker.getShorthandAssignmentValueSymbol(value.parent) : checker.getSymbolAtLocation(value);
      const inner = functionValues(program, resolveAlias(checker, named), ts.isPropertyAccessExpression(value) ? value.expression : undefined, depth + 1);
      if (!inner) return undefined;
      found.push(...inner);
    } else if (ts.isCallExpression(value) && (ts.isIdentifier(value.expression) || ts.isPropertyAccessExpression(value.expression))) {
      // a call's result (`let f = pick()`): what every function it may call returns, when each returns only functions of the app
      const callee = value.expression;
      const makers = functionValues(program, resolveAlias(checker, checker.getSymbolAtLocation(ts.isIdentifier(callee) ? callee : callee.name)), ts.isPropertyAccessExpression(callee) ? callee.expression : undefined, depth + 1);
      if (!makers || makers.some((maker) => expanded.has(maker))) return undefined;
      for (const maker of makers) {
        expanded.add(maker);
        const returned = returnedValues(maker);
        if (!returned) return undefined;
        queue.push(...returned);
      }
    } else {
      return undefined;
    }
  }
  return found.length > 0 ? found : undefined;
}

/**
 * The values a function returns: its expression body, or the value of each
 * `return` of its own (not of a function inside it); `undefined` when it may
 * end without one (`return;`, or no `return` on some path it cannot be
 * sure of: any function without a `return` as its last statement).
 */
function returnedValues(fn: FunctionWithBody): ts.Expression[] | undefined {
  const body = fn.body!;
  if (!ts.isBlock(body)) return [body];
  const last = body.statements.at(-1);
  if (!last || !ts.isReturnStatement(last)) return undefined;
  const values: ts.Expression[] = [];
  let bare = false;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isReturnStatement(node)) {
      if (node.expression) values.push(node.expression);
      else bare = true;
    }
    ts.forEachChild(node, visit);
  };
  body.statements.forEach(visit);
  return bare ? undefined : values;
}

/** Every value the program gives a variable declared once (its initializer and each assignment), or `undefined` when it is given one another way. */
export function variableValues(program: ts.Program, symbol: ts.Symbol): ts.Expression[] | undefined {
  const declarations = symbol.declarations ?? [];
  if (declarations.length !== 1 || !ts.isVariableDeclaration(declarations[0]) || !isOwnFile(program, declarations[0].getSourceFile())) return undefined;
  return valuesGiven(program, symbol, declarations[0]);
}

function ownFiles(program: ts.Program): ts.SourceFile[] {
  return program.getSourceFiles().filter((file) => isOwnFile(program, file));
}

/** Whether a file is the app's own: not a declaration file, not a package's, not the runtime's. */
function isOwnFile(program: ts.Program, sourceFile: ts.SourceFile): boolean {
  return !sourceFile.isDeclarationFile && !program.isSourceFileFromExternalLibrary(sourceFile) && !isRuntimeFile(sourceFile);
}

/**
 * Every value the program gives the place `symbol` declared at
 * `declaration`: a `const`'s initializer; a `let`'s initializer and the
 * assignments of it in its file (an import cannot assign it); a field's or
 * property's initializer and the assignments of it in any file of the
 * program. `undefined` when it is given a value another way.
 */
function valuesGiven(program: ts.Program, symbol: ts.Symbol, declaration: ts.Declaration): ts.Expression[] | undefined {
  if (ts.isVariableDeclaration(declaration)) {
    if (!ts.isIdentifier(declaration.name) || !ts.isVariableDeclarationList(declaration.parent) || ts.isForInStatement(declaration.parent.parent) || ts.isForOfStatement(declaration.parent.parent)) return undefined;
    const initial = declaration.initializer ? [declaration.initializer] : [];
    if (ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const) return initial;
    // a module's variable is assigned in its module only (an import is read-only); a script's top-level one is a global
    const file = declaration.getSourceFile();
    const assigned = assignmentsOf(program, symbol, ts.isExternalModule(file) ? [file] : ownFiles(program));
    return assigned && [...initial, ...assigned];
  }
  let initial: ts.Expression[];
  if (ts.isPropertyDeclaration(declaration) && isRedeclared(program, declaration)) return undefined;
  if (ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration)) initial = declaration.initializer ? [declaration.initializer] : [];
  else if (ts.isShorthandPropertyAssignment(declaration)) initial = [declaration.name];
  else return undefined;
  const assigned = assignmentsOf(program, symbol, ownFiles(program));
  return assigned && [...initial, ...assigned];
}

/**
 * Whether a class field may be declared again by a subclass, which gives it
 * other values under another symbol: a member of the same name in a class
 * of the program that extends another (a cheap, cautious stand-in for "a
 * subclass of this one").
 */
function isRedeclared(program: ts.Program, field: ts.PropertyDeclaration): boolean {
  const name = field.name.getText();
  return ownFiles(program).some((file) => (membersIn(file).get(name) ?? []).some((member) => member !== field));
}

const membersByFile = new WeakMap<ts.SourceFile, ReadonlyMap<string, readonly ts.ClassElement[]>>();

/** The members of a file's classes that extend another class, by name. */
function membersIn(file: ts.SourceFile): ReadonlyMap<string, readonly ts.ClassElement[]> {
  const known = membersByFile.get(file);
  if (known) return known;
  const members = new Map<string, ts.ClassElement[]>();
  const visit = (node: ts.Node): void => {
    if (ts.isClassLike(node) && node.heritageClauses?.some((clause) => clause.token === ts.SyntaxKind.ExtendsKeyword)) {
      for (const member of node.members) {
        const name = member.name?.getText();
        if (name === undefined) continue;
        const list = members.get(name);
        if (list) list.push(member);
        else members.set(name, [member]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  membersByFile.set(file, members);
  return members;
}

/** A place a file writes: the name written, and the value given, or `undefined` when it is written otherwise than by `=`. */
interface Write {
  readonly target: ts.Identifier | ts.PropertyAccessExpression | ts.ElementAccessExpression;
  readonly value: ts.Expression | undefined;
}

const writesByFile = new WeakMap<ts.SourceFile, ReadonlyMap<string, readonly Write[]>>();

/** The values `files` give `symbol` by assignment, or `undefined` when one of them writes it otherwise. */
function assignmentsOf(program: ts.Program, symbol: ts.Symbol, files: readonly ts.SourceFile[]): ts.Expression[] | undefined {
  const checker = program.getTypeChecker();
  const values: ts.Expression[] = [];
  for (const file of files) {
    for (const write of writesIn(file).get(symbol.name) ?? []) {
      const name = ts.isPropertyAccessExpression(write.target) ? write.target.name : ts.isElementAccessExpression(write.target) ? write.target.argumentExpression : write.target;
      if (!isSameSymbol(checker.getSymbolAtLocation(name), symbol)) continue;
      if (!write.value) return undefined;
      values.push(write.value);
    }
  }
  return values;
}

/**
 * Where the app's own files write a field or variable named `name`
 * (`x.name = ...`, `x['name'] = ...`, `name++`, a destructuring target),
 * whatever it belongs to: the file and the offset where the written place
 * starts. A closure kept under that name is given another value only there.
 */
export function writeSites(program: ts.Program, name: string): { readonly file: ts.SourceFile; readonly start: number }[] {
  return ownFiles(program).flatMap((file) => (writesIn(file).get(name) ?? []).map((write) => ({ file, start: write.target.getStart() })));
}

/** Whether two symbols are one place (a generic class's field, read through an instance, is an instantiated copy of its symbol). */
function isSameSymbol(a: ts.Symbol | undefined, b: ts.Symbol): boolean {
  return a === b || (a !== undefined && a.declarations?.[0] !== undefined && a.declarations[0] === b.declarations?.[0]);
}

/** The places a file writes, by the name written, read once per file. */
function writesIn(file: ts.SourceFile): ReadonlyMap<string, readonly Write[]> {
  const known = writesByFile.get(file);
  if (known) return known;
  const writes = new Map<string, Write[]>();
  const add = (target: ts.Expression, value: ts.Expression | undefined): void => {
    const at = skipOuterExpressions(target);
    let name: string | undefined;
    if (ts.isIdentifier(at)) name = at.text;
    else if (ts.isPropertyAccessExpression(at)) name = at.name.text;
    else if (ts.isElementAccessExpression(at) && ts.isStringLiteralLike(at.argumentExpression)) name = at.argumentExpression.text;
    else if (ts.isArrayLiteralExpression(at)) return at.elements.forEach((element) => add(ts.isSpreadElement(element) ? element.expression : element, undefined));
    else if (ts.isObjectLiteralExpression(at)) {
      for (const property of at.properties) {
        if (ts.isPropertyAssignment(property)) add(property.initializer, undefined);
        else if (ts.isShorthandPropertyAssignment(property)) add(property.name, undefined);
        else if (ts.isSpreadAssignment(property)) add(property.expression, undefined);
      }
      return;
    } else if (ts.isBinaryExpression(at) && at.operatorToken.kind === ts.SyntaxKind.EqualsToken) return add(at.left, undefined); // a default in a destructuring
    if (name === undefined) return;
    const list = writes.get(name);
    const write = { target: at as Write['target'], value };
    if (list) list.push(write);
    else writes.set(name, [write]);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isBinaryExpression(node) && node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && node.operatorToken.kind <= ts.SyntaxKind.LastAssignment) {
      add(node.left, node.operatorToken.kind === ts.SyntaxKind.EqualsToken && !isPattern(node.left) ? node.right : undefined);
    } else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node)) && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) {
      add(node.operand, undefined);
    } else if ((ts.isForOfStatement(node) || ts.isForInStatement(node)) && !ts.isVariableDeclarationList(node.initializer)) {
      add(node.initializer, undefined);
    } else if (ts.isDeleteExpression(node)) {
      add(node.expression, undefined);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  writesByFile.set(file, writes);
  return writes;
}

function isPattern(node: ts.Expression): boolean {
  const at = skipOuterExpressions(node);
  return ts.isArrayLiteralExpression(at) || ts.isObjectLiteralExpression(at);
}

/** `node` without parentheses and type assertions around it. */
function skipOuterExpressions(node: ts.Expression): ts.Expression {
  let at = node;
  while (ts.isParenthesizedExpression(at) || ts.isAsExpression(at) || ts.isNonNullExpression(at) || ts.isSatisfiesExpression(at) || ts.isTypeAssertionExpression(at)) at = at.expression;
  return at;
}

/** A `const`'s initializer: a `let` may hold another value by the time it is read. */
function constantInitializer(declaration: ts.Declaration): ts.Expression | undefined {
  if (!ts.isVariableDeclaration(declaration) || !(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return undefined;
  return declaration.initializer;
}

/** The function a declaration declares with a body: itself, or the arrow or function expression a `const` holds. */
function functionOf(declaration: ts.Declaration): FunctionWithBody | undefined {
  const fn = ts.isVariableDeclaration(declaration) ? constantInitializer(declaration) : declaration;
  if (!fn || !(ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn) || ts.isArrowFunction(fn) || ts.isFunctionExpression(fn))) return undefined;
  return fn.body ? fn : undefined;
}
