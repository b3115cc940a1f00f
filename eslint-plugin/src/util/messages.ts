/**
 * The pieces of rustc's E0277 wording that the Send and Sync rules share.
 * The first clause of each message is, word for word, the message `tsc`
 * gives through `@sendsync/marker` (`WhyNotSend<T, 'config'>`); the rules add
 * rustc's notes after it.
 */

import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/utils';

import type { Failure } from './auto-trait.js';

/** Data for a "cannot be sent/shared between threads safely" message. */
export interface TraitMessageData extends Record<string, string> {
  /** The marker's message: "`Rc<number>` cannot be sent between threads safely (at config.cache)". */
  problem: string;
  /** rustc's help, for a culprit that does not implement the trait: ": the trait `Send` is not implemented for `Rc<number>`". */
  reason: string;
}

/**
 * The problem and its reason for a value named `root` (a variable, or `captures[1]`).
 *
 * @example
 * ```ts
 * traitMessageData(failure, 'config');
 * // { problem: '`Rc<number>` cannot be sent between threads safely (at config.cache)', reason: ': the trait `Send` is not implemented for `Rc<number>`' }
 * ```
 */
export function traitMessageData(failure: Failure, root: string): TraitMessageData {
  const at = ` (at ${root}${failure.path})`;
  const verb = failure.trait === 'Send' ? 'sent' : 'shared';
  switch (failure.kind) {
    case 'rejected':
      return {
        problem: `\`${failure.culprit}\` cannot be ${verb} between threads safely${at}`,
        reason: `: the trait \`${failure.trait}\` is not implemented for \`${failure.culprit}\``,
      };
    case 'unbounded':
      return {
        problem: `\`${failure.culprit}\` cannot be ${verb} between threads safely${at}`,
        reason: `: consider restricting type parameter \`${failure.culprit}\` with \`${failure.trait}\`: ${checkedAtEachCall(failure, root)} (\`@sendsync/marker\`), which checks it at each call`,
      };
    case 'noCodec':
      return {
        problem: `\`${failure.culprit}\` cannot be ${verb} between threads safely${at}`,
        reason: `: a class instance crosses only with a codec registered for its class (\`registerCodec\`) or a \`Send\` opt-in (\`interface ${failure.culprit.replace(/<.*$/, '')} extends Send {}\`); without one it would arrive as a plain object`,
      };
    case 'unproven':
      return { problem: `\`${failure.culprit}\` cannot be ${verb} between threads safely: its type does not prove it is ${failure.trait}${at}`, reason: '' };
    case 'tooDeep':
      return { problem: `a value nested more than 100 levels deep cannot be proven ${failure.trait}${at}`, reason: '' };
  }
}

/** The marker's type that checks a generic helper's value at each of its calls, as rustc checks a bound. */
function checkedAtEachCall(failure: Failure, root: string): string {
  const param = failure.culprit;
  if (failure.trait === 'Sync') return `take the value as \`Borrowable<${param}>\``;
  return root === 'result' ? `take the closure as \`() => CheckSendAwaited<${param}, 'result'>\`` : `take the value as \`Movable<${param}>\``;
}

/**
 * How a moved or borrowed argument is named in messages: the variable or the
 * property chain read (`this.hits`), or its place in the call.
 *
 * @example
 * ```ts
 * argumentLabel(argument, 'captures', 1); // 'config' for `move(a, config)`, 'captures[1]' for `move(a, new Rc(1))`
 * ```
 */
export function argumentLabel(node: TSESTree.Node, list: string, index: number): string {
  return chainText(node) ?? `${list}[${index}]`;
}

/**
 * `a`, `this`, `a.b.c`: a name and the properties read from it, without computed keys or calls.
 *
 * @example
 * ```ts
 * chainText(node); // 'this.stats.hits' for `this.stats.hits`, undefined for `list[0]`
 * ```
 */
export function chainText(node: TSESTree.Node): string | undefined {
  if (node.type === AST_NODE_TYPES.Identifier) return node.name;
  if (node.type === AST_NODE_TYPES.ThisExpression) return 'this';
  if (node.type !== AST_NODE_TYPES.MemberExpression || node.computed || node.property.type !== AST_NODE_TYPES.Identifier) return undefined;
  const object = chainText(node.object);
  return object === undefined ? undefined : `${object}.${node.property.name}`;
}
