/**
 * Rust's unwinding for `using` in a lifted closure.
 *
 * A closure the runtime compiles from text disposes its `using` resources
 * through the runtime's own helpers, which tell a lock guard that a panic is
 * leaving its block, so the guard poisons its lock as a Rust guard dropped
 * while unwinding does. A lifted closure is compiled by the bundler, with
 * the bundler's helpers (or none: native `using`), which tell nothing, so
 * the same program would poison in development and not once bundled. The
 * plugin therefore puts, after each `using` declaration of the closure, a
 * `try` around the rest of its block whose `catch` hands the exception and
 * the declared resources to the runtime's `unwinding` (the thread-entry
 * module's), then rethrows:
 *
 *     { using g = m.lock(); work(g); }
 *     { using g = m.lock(); try { work(g); } catch (e) { unwinding(e, g); throw e; } }
 *
 * A later declaration nests inside the earlier one's `try`, so each `catch`
 * names only resources already declared. Nothing is added on a line of its
 * own: the lifted module keeps its source's line breaks (`lift.ts`'s line
 * map).
 */

import { isNode, patternNames, type Node } from './scope.js';

/** The name the lifted module gives the runtime's `unwinding`. */
export const UNWINDING_LOCAL = '__sendsyncUnwinding';
const ERROR = '__sendsyncError';

/** An insertion into the closure's text, at an offset of the module it came from. */
export interface Insert {
  readonly at: number;
  readonly text: string;
  /** Among insertions at the same offset, lower first. */
  readonly order: number;
}

/** The catches above for the closure `body`: none when it declares nothing with `using`. */
export function unwindingInserts(body: Node): Insert[] {
  const inserts: Insert[] = [];
  visit(body, inserts);
  return inserts;
}

/** `code.slice(body.start, body.end)` with `inserts` made. */
export function withInserts(code: string, body: Node, inserts: readonly Insert[]): string {
  const sorted = [...inserts].sort((a, b) => a.at - b.at || a.order - b.order);
  let text = '';
  let from = body.start;
  for (const { at, text: added } of sorted) {
    text += code.slice(from, at) + added;
    from = at;
  }
  return text + code.slice(from, body.end);
}

/** The `catch` that closes the `try` after a declaration of `names`. */
function catchOf(names: readonly string[]): string {
  return `} catch (${ERROR}) { ${UNWINDING_LOCAL}(${[ERROR, ...names].join(', ')}); throw ${ERROR}; }`;
}

function isUsing(node: unknown): node is Node {
  return isNode(node) && node.type === 'VariableDeclaration' && (node.kind === 'using' || node.kind === 'await using');
}

function declaredNames(declaration: Node): string[] {
  return (declaration.declarations as Node[]).flatMap((declarator) => patternNames(declarator.id as Node));
}

/** Adds the catches for every statement list and `for (using … of …)` under `node`. */
function visit(node: Node, inserts: Insert[]): void {
  for (const [key, value] of Object.entries(node)) {
    if (key === 'parent') continue;
    if (Array.isArray(value)) {
      if (value.some(isUsing)) statements(value as Node[], inserts);
      for (const child of value) if (isNode(child)) visit(child, inserts);
    } else if (isNode(value)) {
      visit(value, inserts);
    }
  }
  if ((node.type === 'ForOfStatement' || node.type === 'ForInStatement') && isUsing(node.left)) {
    const loopBody = node.body as Node;
    inserts.push({ at: loopBody.start, text: '{ try { ', order: 1 });
    inserts.push({ at: loopBody.end, text: ` ${catchOf(declaredNames(node.left))} }`, order: 0 });
  }
}

/**
 * A statement list with `using` declarations: a `try` after each that has
 * statements after it, closed after the list's last statement, innermost
 * first. A list that declares a function or a class after a `using` is left
 * as it is: the `try` would make the declaration block-scoped, out of reach
 * of the statements before it (function declarations hoist).
 */
function statements(list: readonly Node[], inserts: Insert[]): void {
  const first = list.findIndex(isUsing);
  if (list.slice(first + 1).some((statement) => statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration')) return;
  const end = list[list.length - 1].end;
  let depth = 0;
  list.forEach((statement, index) => {
    if (!isUsing(statement) || index === list.length - 1) return;
    inserts.push({ at: statement.end, text: ' try {', order: 0 });
    // Closings at the list's end: the innermost (the latest declaration) first.
    inserts.push({ at: end, text: ` ${catchOf(declaredNames(statement))}`, order: 1000 - depth++ });
  });
}
