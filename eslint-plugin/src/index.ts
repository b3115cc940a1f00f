/**
 * `@sendsync/eslint-plugin`: typed rules that reject, in rustc's words, the
 * values that cannot cross threads, the captures a thread cannot see, uses
 * after a move, and guards held too long.
 *
 * @example
 * ```js
 * // eslint.config.js
 * import tseslint from 'typescript-eslint';
 * import sendsync from '@sendsync/eslint-plugin';
 *
 * export default tseslint.config(
 *   { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } } },
 *   sendsync.configs.recommended,
 * );
 * ```
 */

import type { TSESLint } from '@typescript-eslint/utils';
import { readFileSync } from 'node:fs';

import { rules } from './rules/index.js';

const { name, version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
};

type RuleName = keyof typeof rules;
type RuleLevels = Partial<Record<`sendsync/${RuleName}`, 'error' | 'warn' | 'off'>>;

/** The plugin object, without its configs (they refer to it). */
const plugin = {
  meta: { name, version },
  rules,
} satisfies Omit<TSESLint.FlatConfig.Plugin, 'configs'>;

function levels(level: 'error' | 'off', include: (rule: RuleName) => boolean): RuleLevels {
  const result: RuleLevels = {};
  for (const rule of Object.keys(rules) as RuleName[]) if (include(rule)) result[`sendsync/${rule}`] = level;
  return result;
}

/** The rules of a config level: `recommended` has those marked so, `strict` all. */
function inConfig(config: 'recommended' | 'strict'): (rule: RuleName) => boolean {
  return (rule) => config === 'strict' || rules[rule].meta.docs?.recommended === 'recommended';
}

/**
 * The flat configs:
 *
 * - `recommended`: every rule that finds a definite bug (a value that cannot
 *   cross, a capture the thread cannot see, a use after move, a guard held
 *   across `await` or never released), as errors;
 * - `strict`: `recommended` plus the rules that ask for a style
 *   (currently the same set: every rule finds a bug);
 * - `disableTypeChecked`: turns every rule off, for files linted without
 *   type information (plain `.js` config files).
 */
const configs = {
  recommended: { name: 'sendsync/recommended', plugins: { sendsync: plugin }, rules: levels('error', inConfig('recommended')) },
  strict: { name: 'sendsync/strict', plugins: { sendsync: plugin }, rules: levels('error', inConfig('strict')) },
  disableTypeChecked: { name: 'sendsync/disable-type-checked', rules: levels('off', () => true) },
} satisfies Record<string, TSESLint.FlatConfig.Config>;

/** The plugin: `rules`, and `configs.recommended`, `configs.strict`, `configs.disableTypeChecked` (flat config). */
const sendsync = { ...plugin, configs };

export default sendsync;
export { configs, rules };
