/**
 * The pieces of rustc's E0277 wording that the Send and Sync rules share.
 */

import type { Failure } from './auto-trait.js';

/** Data for a "cannot be sent/shared between threads safely" message. */
export interface TraitMessageData extends Record<string, string> {
  culprit: string;
  verb: string;
  at: string;
  reason: string;
}

/**
 * The culprit, where it sits (`` (at config.cache)``) and why, for a value
 * named `root` (a variable, or `captures[1]`).
 *
 * @example
 * ```ts
 * traitMessageData(failure, 'config'); // { culprit: 'Rc<number>', verb: 'sent', at: ' (at config.cache)', reason: 'the trait `Send` is not implemented for `Rc<number>`' }
 * ```
 */
export function traitMessageData(failure: Failure, root: string): TraitMessageData {
  const reason =
    failure.kind === 'rejected'
      ? `the trait \`${failure.trait}\` is not implemented for \`${failure.culprit}\``
      : failure.kind === 'unproven'
        ? `its type does not prove that it is \`${failure.trait}\``
        : `a value nested more than 100 levels deep cannot be proven \`${failure.trait}\``;
  const verb = failure.trait === 'Send' ? 'sent' : 'shared';
  return { culprit: failure.culprit, verb, at: ` (at ${root}${failure.path})`, reason };
}

/** How a moved or borrowed argument is named in messages: the variable, or its place in the call. */
export function argumentLabel(node: { type: string; name?: string }, list: string, index: number): string {
  return node.type === 'Identifier' && node.name !== undefined ? node.name : `${list}[${index}]`;
}
