/**
 * Type information for a rule, or a single clear message when the file has
 * none: the rules need the type checker both to recognise the runtime's
 * functions and to read the brands, and must neither crash nor pass silently.
 */

import type { ParserServicesWithTypeInformation, TSESLint, TSESTree } from '@typescript-eslint/utils';

/** The message every rule carries for a file without type information. */
export const NO_TYPE_INFORMATION_MESSAGE =
  'sendsync: this file has no type information, so its threads cannot be checked: lint it with typescript-eslint\'s `parserOptions.projectService` (or `project`), or turn the sendsync rules off for it with `sendsync.configs.disableTypeChecked`';

/** Files (by their `SourceCode`) that already carry the message: one per file, whichever rule comes first. */
const told = new WeakSet<object>();

/**
 * The parser services with a program, or `undefined` after arranging for
 * the file's one "no type information" report (from `Program`).
 *
 * @example
 * ```ts
 * create(context) {
 *   const services = typeInformation(context, listeners);
 *   if (!services) return listeners;
 *   ...
 * }
 * ```
 */
export function typeInformation<MessageIds extends string>(
  context: Readonly<TSESLint.RuleContext<MessageIds | 'noTypeInformation', readonly unknown[]>>,
): { services: ParserServicesWithTypeInformation } | { listeners: TSESLint.RuleListener } {
  // Not `ESLintUtils.getParserServices`: it throws under a parser other than typescript-eslint's.
  const services = context.sourceCode.parserServices;
  if (services?.program && services.esTreeNodeToTSNodeMap) return { services: services as ParserServicesWithTypeInformation };
  const sourceCode = context.sourceCode;
  if (told.has(sourceCode)) return { listeners: {} };
  told.add(sourceCode);
  return {
    listeners: {
      Program(node: TSESTree.Program): void {
        context.report({ node, loc: { line: 1, column: 0 }, messageId: 'noTypeInformation' });
      },
    },
  };
}
