/**
 * `npm run bench:types`: what the marker's checks cost `tsc`, per call site,
 * printed as a table and written to `type-tests/.generated/bench-types.json`.
 */

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { callSites, measureTypeCost } from '../src/bench-types.js';

const quick = process.argv.includes('--quick');
const results = await measureTypeCost(quick ? 1 : 5);
const rows = results.map((r) => ({
  compiler: r.compiler,
  'instantiations checked': r.instantiations.checked,
  'instantiations unchecked': r.instantiations.unchecked,
  'per call site': Math.round((r.instantiations.checked - r.instantiations.unchecked) / callSites),
  'check s checked': r.checkSeconds.checked,
  'check s unchecked': r.checkSeconds.unchecked,
  'time ratio': Number((r.checkSeconds.checked / Math.max(r.checkSeconds.unchecked, 0.001)).toFixed(2)),
}));
console.log(`Type-check cost of ${callSites} checked call sites (budget: 2,000 instantiations per call site)`);
console.table(rows);
const file = fileURLToPath(new URL('../.generated/bench-types.json', import.meta.url));
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), callSites, results: rows }, null, 2) + '\n');
console.log(`written to ${file}`);
