/**
 * A depth-first search of the syntax tree in source order, for the questions
 * the rules ask of a closure's body (its first `return`, its first `this`).
 */

import type { TSESTree } from '@typescript-eslint/utils';

/** What `visit` says of a node: the answer, `'skip'` (do not look inside), or `undefined` (look inside). */
export type Visit = (node: TSESTree.Node) => TSESTree.Node | 'skip' | undefined;

/**
 * The first answer `visit` gives, searching `node` and then its children.
 *
 * @example
 * ```ts
 * findFirst(body, (node) => (node.type === AST_NODE_TYPES.ThisExpression ? node : undefined));
 * ```
 */
export function findFirst(node: TSESTree.Node, visit: Visit): TSESTree.Node | undefined {
  const answer = visit(node);
  if (answer === 'skip') return undefined;
  if (answer) return answer;
  for (const key of Object.keys(node) as (keyof typeof node)[]) {
    if (key === 'parent') continue;
    const value = node[key] as unknown;
    for (const child of Array.isArray(value) ? value : [value]) {
      if (!isNode(child)) continue;
      const found = findFirst(child, visit);
      if (found) return found;
    }
  }
  return undefined;
}

function isNode(value: unknown): value is TSESTree.Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
