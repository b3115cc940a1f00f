// @ts-check
/**
 * What the marker's checks cost `tsc`: runs the type-tests workspace's
 * `npm run bench:types` (200 checked call sites against the same file
 * unchecked, under TypeScript 6 and 7, interleaved repetitions, medians) and
 * reports its check times as rows, the unchecked file being the floor. A
 * quick run reads that script's last output if there is one.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const OUTPUT = new URL('../../type-tests/.generated/bench-types.json', import.meta.url);

/**
 * @typedef {{
 *   compiler: string,
 *   'instantiations checked': number, 'instantiations unchecked': number, 'per call site': number,
 *   'check s checked': number, 'check s unchecked': number,
 * }} TypeCostRow
 */

/** @param {import('../lib/measure.js').Mode} mode @returns {Promise<import('../lib/measure.js').Group>} */
export default async function types(mode) {
  // A quick run reuses the last measurement when there is one (the type-tests workspace tests the
  // budget itself); a full run measures afresh, in this run.
  if (!mode.quick || !existsSync(OUTPUT)) {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const args = ['run', 'bench:types', '-w', 'type-tests', ...(mode.quick ? ['--', '--quick'] : [])];
    await run(npm, args, { cwd: REPO, maxBuffer: 16 * 1024 * 1024, timeout: 300_000 });
  }
  /** @type {{ callSites: number, results: TypeCostRow[] }} */
  const measured = JSON.parse(readFileSync(OUTPUT, 'utf8'));
  const title = `Type-check cost: ${measured.callSites} call sites, tsc --extendedDiagnostics (check time per run)`;
  /** @type {import('../lib/measure.js').RowResult[]} */
  const results = [];
  for (const cost of measured.results) {
    const key = cost.compiler.replace(/\s+/g, '').toLowerCase();
    const facts = {
      instantiationsChecked: cost['instantiations checked'],
      instantiationsUnchecked: cost['instantiations unchecked'],
      instantiationsPerCallSite: cost['per call site'],
    };
    results.push(
      {
        group: 'types',
        id: `floor.types-${key}-unchecked`,
        label: `${cost.compiler}, unchecked (${cost['instantiations unchecked'].toLocaleString('en')} instantiations)`,
        role: 'floor',
        op: `types-${key}`,
        kind: 'cost',
        n: 1,
        samples: [cost['check s unchecked'] * 1e9],
        extra: facts,
      },
      {
        group: 'types',
        id: `ours.types-${key}-checked`,
        label: `${cost.compiler}, CheckSendEach (${cost['instantiations checked'].toLocaleString('en')} instantiations, ${cost['per call site']} per call site)`,
        role: 'ours',
        op: `types-${key}`,
        floor: `floor.types-${key}-unchecked`,
        kind: 'cost',
        budget: { of: 'instantiationsPerCallSite', max: 2000, text: '≤ 2,000 instantiations per call site' },
        n: 1,
        samples: [cost['check s checked'] * 1e9],
        extra: facts,
      },
    );
  }
  return { id: 'types', title, rows: [], results };
}
