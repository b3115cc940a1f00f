// @ts-check
/**
 * What the marker's checks cost `tsc`: runs the type-tests workspace's
 * `npm run bench:types` (200 checked call sites against the same file
 * unchecked, under TypeScript 6 and 7, interleaved repetitions, medians) and
 * reports its check times as rows, the unchecked file being the floor. A
 * quick run reads that script's last output if there is one.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const OUTPUT = new URL('../../type-tests/.generated/bench-types.json', import.meta.url);
/** Where the import-cost programs are written: inside the repository, so that they resolve its packages. */
const IMPORT_COST_DIR = new URL('../.generated/import-cost/', import.meta.url);
/** The compilers whose cost of checking the runtime's declarations is tracked. */
const COMPILERS = [
  { name: 'TypeScript 6', tsc: fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)) },
  { name: 'TypeScript 7', tsc: fileURLToPath(new URL('../../node_modules/typescript-7/bin/tsc', import.meta.url)) },
];
/** The programs compared: the same two lines, with and without importing the runtime. */
const PROGRAMS = {
  plain: 'const handle = { join: () => 1 };\nhandle.join();\nexport {};\n',
  imported: "import { spawn } from '@sendsync/runtime';\nspawn(() => 1).join();\n",
};

/**
 * What importing the runtime costs a program that checks its libraries (no
 * `skipLibCheck`, as the README's tsconfig.json): instantiations and check
 * time of a two-line program with and without the import, under each
 * compiler, as a floor row and one of ours with the budget.
 * @returns {Promise<import('../lib/measure.js').RowResult[]>}
 */
async function importCost() {
  const dir = fileURLToPath(IMPORT_COST_DIR);
  mkdirSync(dir, { recursive: true });
  const options = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023', 'ESNext.Disposable'], types: ['node'], strict: true, noEmit: true };
  for (const [name, source] of Object.entries(PROGRAMS)) {
    writeFileSync(new URL(`${name}.ts`, IMPORT_COST_DIR), source);
    writeFileSync(new URL(`tsconfig.${name}.json`, IMPORT_COST_DIR), JSON.stringify({ compilerOptions: options, files: [`${name}.ts`] }, null, 2));
  }
  /** @type {import('../lib/measure.js').RowResult[]} */
  const results = [];
  for (const compiler of COMPILERS) {
    const key = compiler.name.replace(/\s+/g, '').toLowerCase();
    /** @type {Record<string, { instantiations: number, checkSeconds: number }>} */
    const cost = {};
    for (const name of Object.keys(PROGRAMS)) {
      const { stdout } = await run(process.execPath, [compiler.tsc, '-p', `tsconfig.${name}.json`, '--extendedDiagnostics'], { cwd: dir, timeout: 300_000 });
      const instantiations = Number(/^Instantiations:\s+([\d,]+)/m.exec(stdout)?.[1]?.replaceAll(',', ''));
      const checkSeconds = Number(/^Check time:\s+([\d.]+)s/m.exec(stdout)?.[1]);
      if (!Number.isFinite(instantiations) || !Number.isFinite(checkSeconds)) throw new Error(`${compiler.name}: no diagnostics in\n${stdout}`);
      cost[name] = { instantiations, checkSeconds };
    }
    const facts = {
      instantiationsPlain: cost.plain.instantiations,
      instantiationsImported: cost.imported.instantiations,
      instantiationsAdded: cost.imported.instantiations - cost.plain.instantiations,
    };
    results.push(
      {
        group: 'types',
        id: `floor.import-${key}-plain`,
        label: `${compiler.name}, a two-line program, no skipLibCheck (${facts.instantiationsPlain.toLocaleString('en')} instantiations)`,
        role: 'floor',
        op: `import-${key}`,
        kind: 'cost',
        n: 1,
        samples: [cost.plain.checkSeconds * 1e9],
        extra: facts,
      },
      {
        group: 'types',
        id: `ours.import-${key}-runtime`,
        label: `${compiler.name}, the same importing @sendsync/runtime (+${facts.instantiationsAdded.toLocaleString('en')} instantiations)`,
        role: 'ours',
        op: `import-${key}`,
        floor: `floor.import-${key}-plain`,
        kind: 'cost',
        n: 1,
        samples: [cost.imported.checkSeconds * 1e9],
        extra: facts,
        budget: { of: 'instantiationsAdded', max: 50_000, text: '≤ 50,000 instantiations added' },
      },
    );
  }
  return results;
}

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
  results.push(...(await importCost()));
  return { id: 'types', title: `${title}; the cost of importing the runtime`, rows: [], results };
}
