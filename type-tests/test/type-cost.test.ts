/**
 * The instantiation budget of the checks: at most 2,000 type instantiations
 * per checked call site on average, under both compilers. Instantiation
 * counts are exact, so this is a test; times are only reported by
 * `npm run bench:types`.
 */

import { expect, it } from 'vitest';
import { callSites, measureTypeCost } from '../src/bench-types.js';

it('checks 200 call sites within 2,000 instantiations each, under TypeScript 6 and 7', async () => {
  const results = await measureTypeCost(1);
  for (const result of results) {
    const perCallSite = (result.instantiations.checked - result.instantiations.unchecked) / callSites;
    expect({ compiler: result.compiler, overBudget: perCallSite > 2000 }).toEqual({ compiler: result.compiler, overBudget: false });
    expect(perCallSite).toBeGreaterThan(0); // the checks did run
  }
});
