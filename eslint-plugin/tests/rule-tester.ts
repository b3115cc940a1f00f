/**
 * The RuleTester every rule test uses: typescript-eslint's, wired to vitest,
 * typed through the fixture project in `tests/fixtures` (its `tsconfig.json`
 * and `file.ts`), with a timeout fit for typed linting.
 */

import { fileURLToPath } from 'node:url';

import { RuleTester } from '@typescript-eslint/rule-tester';
import { afterAll, describe, it } from 'vitest';

/** Typed linting of the first case builds the program: allow it time. */
const TEST_TIMEOUT_MS = 300_000;

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = (name: string, fn: () => void): void => {
  it(name, fn, TEST_TIMEOUT_MS);
};

/** The fixture project's root. */
export const fixturesDir = fileURLToPath(new URL('./fixtures', import.meta.url));

/** A RuleTester whose cases are `file.ts` of the fixture project. */
export function createRuleTester(): RuleTester {
  return new RuleTester({
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: fixturesDir,
      },
    },
  });
}
