/**
 * Scope analysis of an ESTree (oxc-parser's, TypeScript included): the names
 * each scope declares, and the free names a function uses (those it reads
 * from around it), so that a lifted closure imports exactly what it uses and
 * a name no thread can have is refused with its place.
 */

/** An ESTree node as oxc-parser gives it. */
export interface Node {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly [key: string]: unknown;
}

/** A name a function reads from around it, at its first use. */
export interface FreeName {
  readonly name: string;
  readonly at: number;
}

/** What a function uses that is not its own. */
export interface Uses {
  /** Free names, each once, in order of first use. */
  readonly free: FreeName[];
  /** Where it uses `this` or `super` of the code around it (an arrow function's), if it does. */
  thisAt: number | undefined;
  /** Where it uses the `arguments` of the function around it (an arrow function's), if it does. */
  argumentsAt: number | undefined;
  /** Where it uses `import.meta`, if it does. */
  importMetaAt: number | undefined;
  /** Its `import()` expressions, in order (the thread module tracks each, see lift.ts). */
  readonly dynamicImports: { readonly start: number; readonly end: number }[];
}

/** Keys that never hold an expression or a declaration (types, positions, decorators' metadata). */
const SKIPPED_KEYS = new Set(['type', 'start', 'end', 'typeAnnotation', 'returnType', 'typeParameters', 'typeArguments', 'superTypeArguments', 'implements', 'range', 'loc']);
/** TypeScript nodes that wrap an expression to walk (the rest are types: no value names). */
const TS_EXPRESSIONS = new Set(['TSAsExpression', 'TSSatisfiesExpression', 'TSNonNullExpression', 'TSTypeAssertion', 'TSInstantiationExpression']);
const FUNCTIONS = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

export function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** The names a binding pattern declares (`a`, `{ b, c: [d] }`, `...e`, `f = 1`). */
export function patternNames(pattern: Node, into: string[] = []): string[] {
  switch (pattern.type) {
    case 'Identifier':
      into.push(pattern.name as string);
      break;
    case 'ObjectPattern':
      for (const property of pattern.properties as Node[]) patternNames(property.type === 'RestElement' ? property : (property.value as Node), into);
      break;
    case 'ArrayPattern':
      for (const element of pattern.elements as (Node | null)[]) if (element !== null) patternNames(element, into);
      break;
    case 'AssignmentPattern':
      patternNames(pattern.left as Node, into);
      break;
    case 'RestElement':
      patternNames(pattern.argument as Node, into);
      break;
    case 'TSParameterProperty':
      patternNames(pattern.parameter as Node, into);
      break;
    default:
      break;
  }
  return into;
}

/**
 * The names a block or a function body declares directly: `let`, `const`,
 * `class`, `function`, imports; and, for a function's scope (`hoist`), every
 * `var` inside it but not inside a nested function.
 */
export function declaredIn(statements: readonly Node[], hoist: boolean): Set<string> {
  const names = new Set<string>();
  for (const statement of statements) {
    const declaration = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? (statement.declaration as Node | null) : statement;
    if (declaration === null || declaration === undefined) continue;
    if (declaration.type === 'VariableDeclaration' && declaration.kind !== 'var') {
      for (const declarator of declaration.declarations as Node[]) for (const name of patternNames(declarator.id as Node)) names.add(name);
    } else if ((declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration' || declaration.type === 'TSEnumDeclaration') && isNode(declaration.id)) {
      names.add(declaration.id.name as string);
    } else if (declaration.type === 'ImportDeclaration' && declaration.importKind !== 'type') {
      for (const specifier of declaration.specifiers as Node[]) if (specifier.importKind !== 'type') names.add((specifier.local as Node).name as string);
    }
  }
  if (hoist) for (const statement of statements) addVars(statement, names);
  return names;
}

/** Adds the `var` names declared in `node`, not looking into nested functions, nor into expressions (a `var` stands only among statements). */
function addVars(node: Node, names: Set<string>): void {
  if (node.type === 'VariableDeclaration') {
    if (node.kind === 'var') for (const declarator of node.declarations as Node[]) for (const name of patternNames(declarator.id as Node)) names.add(name);
    return;
  }
  if (!HOLDS_STATEMENTS.test(node.type)) return;
  for (const child of children(node)) addVars(child, names);
}
/** The nodes that may hold a statement (a block, a loop's body, a branch, a case, a catch clause, an export's declaration). */
const HOLDS_STATEMENTS = /Statement$|^(?:SwitchCase|CatchClause|ExportNamedDeclaration|ExportDefaultDeclaration)$/;

/** A node's child nodes, types and positions left out (an array: a generator costs the walk of every node more than its work). */
export function children(node: Node): Node[] {
  const found: Node[] = [];
  if (node.type.startsWith('TS') && !TS_EXPRESSIONS.has(node.type) && node.type !== 'TSParameterProperty') return found;
  for (const key in node) {
    if (SKIPPED_KEYS.has(key)) continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) found.push(item);
    } else if (isNode(value)) {
      found.push(value);
    }
  }
  return found;
}

/** The scopes a walk is inside, innermost last. */
export type ScopeStack = Set<string>[];

/** Whether `name` is declared in one of `scopes`; the index of the innermost that declares it, else -1. */
export function declaringScope(scopes: ScopeStack, name: string): number {
  for (let index = scopes.length - 1; index >= 0; index--) if (scopes[index].has(name)) return index;
  return -1;
}

/** The scope a node opens, if it opens one, before its children are walked. */
export function scopeOf(node: Node): Set<string> | undefined {
  switch (node.type) {
    case 'Program':
      return declaredIn(node.body as Node[], true);
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression': {
      const names = new Set<string>();
      for (const param of node.params as Node[]) for (const name of patternNames(param)) names.add(name);
      // A function expression's own name is seen inside it only.
      if (node.type === 'FunctionExpression' && isNode(node.id)) names.add(node.id.name as string);
      const body = node.body as Node | null;
      if (body?.type === 'BlockStatement') for (const name of declaredIn(body.body as Node[], true)) names.add(name);
      return names;
    }
    case 'BlockStatement':
    case 'StaticBlock':
      return declaredIn(node.body as Node[], false);
    case 'ForStatement':
    case 'ForInStatement':
    case 'ForOfStatement': {
      const head = (node.type === 'ForStatement' ? node.init : node.left) as Node | null;
      return head?.type === 'VariableDeclaration' ? declaredIn([head], false) : new Set();
    }
    case 'CatchClause':
      return new Set(isNode(node.param) ? patternNames(node.param) : []);
    case 'ClassExpression':
      return new Set(isNode(node.id) ? [node.id.name as string] : []);
    case 'SwitchStatement':
      return declaredIn((node.cases as Node[]).flatMap((each) => each.consequent as Node[]), false);
    default:
      return undefined;
  }
}

/** What a walk does: `visit` each identifier read as a value, `enter` each node, and not look inside a node it may `skip`. */
export interface Walker {
  visit(identifier: Node, scopes: ScopeStack, parent: Node | undefined): void;
  enter?(node: Node, scopes: ScopeStack, parent: Node | undefined): void;
  /** Whether nothing inside `node` (entered, not walked into) matters to the walk. */
  skip?(node: Node): boolean;
}

/**
 * Calls `walker.visit` on each identifier `node` reads as a value, with the
 * scopes around it (inside `node`), skipping property names, labels, types
 * and the names a declaration binds.
 */
export function walkReferences(node: Node, scopes: ScopeStack, walker: Walker, parent?: Node): void {
  walker.enter?.(node, scopes, parent);
  if (node.type === 'Identifier') {
    walker.visit(node, scopes, parent);
    return;
  }
  if (walker.skip?.(node) === true) return;
  const scope = scopeOf(node);
  if (scope !== undefined) scopes.push(scope);
  try {
    for (const child of children(node)) {
      if (isBindingPosition(node, child)) {
        // A default value or a computed key inside a pattern is an expression.
        walkPatternExpressions(child, scopes, walker, node);
        continue;
      }
      if (!isReferencePosition(node, child)) continue;
      walkReferences(child, scopes, walker, node);
    }
  } finally {
    if (scope !== undefined) scopes.pop();
  }
}

function walkPatternExpressions(pattern: Node, scopes: ScopeStack, walker: Walker, parent: Node): void {
  switch (pattern.type) {
    case 'AssignmentPattern':
      walkPatternExpressions(pattern.left as Node, scopes, walker, pattern);
      walkReferences(pattern.right as Node, scopes, walker, pattern);
      break;
    case 'ObjectPattern':
      for (const property of pattern.properties as Node[]) {
        if (property.type === 'RestElement') walkPatternExpressions(property, scopes, walker, pattern);
        else {
          if (property.computed === true) walkReferences(property.key as Node, scopes, walker, property);
          walkPatternExpressions(property.value as Node, scopes, walker, property);
        }
      }
      break;
    case 'ArrayPattern':
      for (const element of pattern.elements as (Node | null)[]) if (element !== null) walkPatternExpressions(element, scopes, walker, pattern);
      break;
    case 'RestElement':
      walkPatternExpressions(pattern.argument as Node, scopes, walker, pattern);
      break;
    case 'TSParameterProperty':
      walkPatternExpressions(pattern.parameter as Node, scopes, walker, pattern);
      break;
    case 'Identifier':
      break;
    default:
      // A member expression as an assignment target (`[a.b] = ...`): it reads `a`.
      walkReferences(pattern, scopes, walker, parent);
  }
}

/** Whether `child` of `node` binds names (a parameter, a declarator's id, a catch parameter). */
function isBindingPosition(node: Node, child: Node): boolean {
  if (FUNCTIONS.has(node.type)) return (node.params as Node[]).includes(child) || child === node.id;
  if (node.type === 'VariableDeclarator') return child === node.id;
  if (node.type === 'CatchClause') return child === node.param;
  if (node.type === 'ClassDeclaration' || node.type === 'ClassExpression') return child === node.id;
  return false;
}

/** Whether `child` of `node` is read as a value (not a property name, a label, an import or export name). */
function isReferencePosition(node: Node, child: Node): boolean {
  switch (node.type) {
    case 'MemberExpression':
      return child !== node.property || node.computed === true;
    case 'Property':
    case 'MethodDefinition':
    case 'PropertyDefinition':
    case 'AccessorProperty':
      return child !== node.key || node.computed === true;
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
      return child !== node.label;
    case 'ImportDeclaration':
    case 'ExportAllDeclaration':
      return false;
    case 'ExportNamedDeclaration':
      return child === node.declaration;
    case 'MetaProperty':
      return false;
    default:
      return true;
  }
}

/** What the function `fn` uses from around it. */
export function usesOf(fn: Node): Uses {
  const uses: Uses = { free: [], thisAt: undefined, argumentsAt: undefined, importMetaAt: undefined, dynamicImports: [] };
  const seen = new Set<string>();
  // Functions between `fn` and a node (arrows do not have their own `this` and `arguments`).
  const ownThis: Node[] = [];
  walkReferences(fn, [], {
    visit(identifier, scopes) {
      const name = identifier.name as string;
      if (declaringScope(scopes, name) !== -1) return;
      if (name === 'arguments' && !hasOwnThis(fn, identifier, ownThis)) {
        uses.argumentsAt ??= identifier.start;
        return;
      }
      if (name === 'undefined' || seen.has(name)) return;
      seen.add(name);
      uses.free.push({ name, at: identifier.start });
    },
    enter(node) {
      if (node !== fn && (node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration')) ownThis.push(node);
      if ((node.type === 'ThisExpression' || node.type === 'Super') && !hasOwnThis(fn, node, ownThis)) uses.thisAt ??= node.start;
      if (node.type === 'MetaProperty' && (node.meta as Node).name === 'import') uses.importMetaAt ??= node.start;
      if (node.type === 'ImportExpression') uses.dynamicImports.push({ start: node.start, end: node.end });
    },
  });
  return uses;
}

/** Whether `node` inside `fn` sees a `this` (and `arguments`) of a function of its own: `fn` itself when it is not an arrow, or a non-arrow function around `node`. */
function hasOwnThis(fn: Node, node: Node, functions: readonly Node[]): boolean {
  if (fn.type !== 'ArrowFunctionExpression') return true;
  return functions.some((each) => each.start <= node.start && node.end <= each.end);
}
