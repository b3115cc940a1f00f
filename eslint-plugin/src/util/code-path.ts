/**
 * Where a node sits in ESLint's code path graph, for the rules that ask
 * "can this run after that?" (a use after a move) or "does every path pass
 * here?" (a guard's release). ESLint 9 removed `codePath.currentSegments`;
 * this tracks the current segments from the segment events instead.
 */

import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

type CodePath = TSESLint.CodePath;
type Segment = TSESLint.CodePathSegment;

/** A place in a code path: the segments current there, and a source offset to order places within a segment. */
export interface PathPoint {
  readonly codePath: CodePath;
  readonly segments: readonly Segment[];
  readonly offset: number;
}

interface Frame {
  readonly codePath: CodePath;
  readonly current: Set<Segment>;
  snapshot: readonly Segment[] | undefined;
}

/**
 * Tracks the current code path and segments during traversal; spread
 * `listeners` into the rule's listeners and call `here(node)` from any node
 * listener.
 *
 * @example
 * ```ts
 * const paths = new CodePathTracker();
 * return { ...paths.listeners, Identifier(node) { points.set(node, paths.here(node)); } };
 * ```
 */
export class CodePathTracker {
  private readonly frames: Frame[] = [];
  /** Where each function (its node) is created, in the code path around it. */
  readonly creation = new WeakMap<TSESTree.Node, PathPoint>();
  /** Each function's own code path (its node's). */
  readonly pathOf = new WeakMap<TSESTree.Node, CodePath>();

  /** The listeners that keep the tracker up to date. */
  readonly listeners: TSESLint.RuleListener = {
    onCodePathStart: ((codePath: CodePath, node: TSESTree.Node): void => {
      if (this.frames.length > 0) this.creation.set(node, this.here(node));
      this.pathOf.set(node, codePath);
      this.frames.push({ codePath, current: new Set(), snapshot: undefined });
    }) as never,
    onCodePathEnd: (): void => {
      this.frames.pop();
    },
    onCodePathSegmentStart: (segment: Segment): void => this.enter(segment),
    onCodePathSegmentEnd: (segment: Segment): void => this.leave(segment),
    onUnreachableCodePathSegmentStart: (segment: Segment): void => this.enter(segment),
    onUnreachableCodePathSegmentEnd: (segment: Segment): void => this.leave(segment),
  };

  private enter(segment: Segment): void {
    const frame = this.frames[this.frames.length - 1];
    frame.current.add(segment);
    frame.snapshot = undefined;
  }

  private leave(segment: Segment): void {
    const frame = this.frames[this.frames.length - 1];
    frame.current.delete(segment);
    frame.snapshot = undefined;
  }

  /** The current place, at `node`'s start. */
  here(node: TSESTree.Node): PathPoint {
    const frame = this.frames[this.frames.length - 1];
    frame.snapshot ??= [...frame.current];
    return { codePath: frame.codePath, segments: frame.snapshot, offset: node.range[0] };
  }

  /**
   * `point` seen from `codePath`: itself when it is in that path, else the
   * place where its enclosing function is created there (a closure made
   * after a move uses the moved value), or `undefined` when it is not inside.
   */
  lift(point: PathPoint, node: TSESTree.Node, codePath: CodePath): PathPoint | undefined {
    let current: PathPoint | undefined = point;
    let at: TSESTree.Node | undefined = node;
    while (current && current.codePath !== codePath) {
      at = enclosingFunction(at);
      if (!at) return undefined;
      current = this.creation.get(at);
    }
    return current;
  }
}

/** The nearest function around `node` (not `node` itself). */
function enclosingFunction(node: TSESTree.Node | undefined): TSESTree.Node | undefined {
  for (let at = node?.parent; at; at = at.parent) {
    if (
      at.type === AST_NODE_TYPES.ArrowFunctionExpression ||
      at.type === AST_NODE_TYPES.FunctionExpression ||
      at.type === AST_NODE_TYPES.FunctionDeclaration
    ) {
      return at;
    }
  }
  return undefined;
}

/** Offsets of the places (in one code path) that cut a path: a re-assignment, a release. */
export type Cuts = Map<Segment, number[]>;

/**
 * Records a cut at `point`.
 *
 * @example
 * ```ts
 * addCut(cuts, paths.here(writeIdentifier)); // `v = next` makes `v` usable again
 * ```
 */
export function addCut(cuts: Cuts, point: PathPoint): void {
  for (const segment of point.segments) {
    const list = cuts.get(segment);
    if (list) list.push(point.offset);
    else cuts.set(segment, [point.offset]);
  }
}

function cutBetween(cuts: Cuts, segment: Segment, from: number, to: number): boolean {
  return cuts.get(segment)?.some((offset) => offset > from && offset < to) ?? false;
}

/**
 * Whether `to` can run after `from` on some path that passes no cut: later
 * in the same segment, or in a segment reachable from it (through a loop,
 * `from`'s own segment again).
 *
 * @example
 * ```ts
 * reaches(movePoint, usePoint, cuts); // true for `spawn(move(v), ...); log(v)`
 * ```
 */
export function reaches(from: PathPoint, to: PathPoint, cuts: Cuts): boolean {
  for (const segment of from.segments) {
    if (to.segments.includes(segment) && to.offset > from.offset && !cutBetween(cuts, segment, from.offset, to.offset)) return true;
  }
  const queue: Segment[] = [];
  for (const segment of from.segments) {
    if (!cutBetween(cuts, segment, from.offset, Infinity)) queue.push(...segment.nextSegments);
  }
  const seen = new Set<Segment>();
  while (queue.length > 0) {
    const segment = queue.pop()!;
    if (seen.has(segment)) continue;
    seen.add(segment);
    if (to.segments.includes(segment) && !cutBetween(cuts, segment, -1, to.offset)) return true;
    if (!cuts.has(segment)) queue.push(...segment.nextSegments);
  }
  return false;
}

/**
 * Whether some path from `from` ends its function (returns or throws) without passing a cut.
 *
 * @example
 * ```ts
 * escapes(declarationPoint, releases); // true when an early `return` skips `guard[Symbol.dispose]()`
 * ```
 */
export function escapes(from: PathPoint, cuts: Cuts): boolean {
  const finals = new Set(from.codePath.finalSegments);
  const queue: Segment[] = [];
  for (const segment of from.segments) {
    if (cutBetween(cuts, segment, from.offset, Infinity)) continue;
    if (finals.has(segment)) return true;
    queue.push(...segment.nextSegments);
  }
  const seen = new Set<Segment>();
  while (queue.length > 0) {
    const segment = queue.pop()!;
    if (seen.has(segment) || cuts.has(segment)) continue;
    seen.add(segment);
    if (finals.has(segment)) return true;
    queue.push(...segment.nextSegments);
  }
  return false;
}
