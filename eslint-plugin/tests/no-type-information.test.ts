/**
 * A file without type information: the rules neither crash nor pass
 * silently; the file gets one clear message, whichever rules are on.
 */

import { ESLint, type Linter } from 'eslint';
import { RuleTester } from '@typescript-eslint/rule-tester';
import type { TSESLint } from '@typescript-eslint/utils';
import { describe, expect, it } from 'vitest';

import plugin from '../src/index.js';
import { NO_TYPE_INFORMATION_MESSAGE } from '../src/util/type-info.js';
import './rule-tester.js';

const code = `import { spawn, move } from '@sendsync/runtime';\nconst rc = 1;\nspawn(() => rc);\n`;

// typescript-eslint's parser without a project: an AST, no program
const untypedTester = new RuleTester();

function runUntyped(name: string, rule: TSESLint.RuleModule<string, []>): void {
  untypedTester.run(`${name} without type information`, rule, {
    valid: [],
    invalid: [{ code, errors: [{ messageId: 'noTypeInformation', line: 1, column: 1 }] }],
  });
}

for (const [name, rule] of Object.entries(plugin.rules)) runUntyped(name, rule);

describe('with every rule on', () => {
  it('says it once per file, under ESLint\'s own parser too', async () => {
    const eslint = new ESLint({
      overrideConfigFile: true,
      overrideConfig: [plugin.configs.recommended as unknown as Linter.Config],
    });
    const [result] = await eslint.lintText(code.replace(/^import .*\n/, ''), { filePath: 'plain.js' });
    expect(result.messages.map(({ ruleId, message, line }) => ({ ruleId, message, line }))).toEqual([
      { ruleId: 'sendsync/no-guard-across-await', message: NO_TYPE_INFORMATION_MESSAGE, line: 1 },
    ]);
  }, 30_000);
});
