import { ESLintUtils } from '@typescript-eslint/utils';

/** What every rule of this plugin says about itself in `meta.docs`. */
export interface SendsyncRuleDocs {
  /** The shared config the rule is enabled in. */
  recommended?: 'recommended' | 'strict';
  /** Every rule reads types: it finds the runtime's functions and the brands through the type checker. */
  requiresTypeChecking: true;
}

/**
 * Where a rule's documentation lives.
 *
 * @example
 * ```ts
 * ruleDocsUrl('no-use-after-move'); // '…/eslint-plugin/docs/rules/no-use-after-move.md'
 * ```
 */
export function ruleDocsUrl(name: string): string {
  return `https://github.com/sendsync/sendsync/blob/main/eslint-plugin/docs/rules/${name}.md`;
}

/**
 * The rule factory, as typescript-eslint's own plugin has it: the rule's name
 * gives its docs URL.
 *
 * @example
 * ```ts
 * export default createRule<Options, MessageIds>({ name: 'no-use-after-move', meta: { ... }, defaultOptions: [], create(context) { ... } });
 * ```
 */
export const createRule = ESLintUtils.RuleCreator<SendsyncRuleDocs>(ruleDocsUrl);
