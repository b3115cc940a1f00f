/**
 * What the checks cost `tsc`: a file of 200 call sites of a spawn-like API
 * whose captures are checked with `CheckSendEach`, against the same file with
 * the check removed from the API, compiled with `--extendedDiagnostics`.
 * Instantiation counts are exact and repeatable; check times are not, so the
 * time ratio is reported, never asserted.
 */

import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { tsc7 } from './compile.js';
import { writeProject } from './generate.js';

const run = promisify(execFile);
const tsc6 = createRequire(import.meta.url).resolve('typescript/bin/tsc');

export const callSites = 200;

/** A spawn-like API, with or without the marker's check on what is moved. */
function api(checked: boolean): string {
  const parameter = checked ? `CheckSendEach<Values, 'captures'>` : 'Values';
  return `import type { CheckSendEach, Traits } from '@sendsync/marker';
export interface Moved<Values extends unknown[]> { readonly values: Values }
export declare function move<Values extends unknown[]>(...values: ${parameter}): Moved<Values>;
export declare function spawn<Values extends unknown[], Result>(captures: Moved<Values>, body: (...values: Values) => Result): { join(): Result };
export declare class Shared<T> { constructor(value: T); get(): T }
export interface Shared<T> extends Traits<'Shared', T, 'T: Send + Sync', 'T: Send + Sync'> {}
export declare class Guarded<T> { constructor(value: T); lock(): T }
export interface Guarded<T> extends Traits<'Guarded', T, 'T: Send', 'T: Send'> {}
`;
}

/** The captures of call site `i`: a mix of what real code moves into threads. */
function captures(i: number): string {
  switch (i % 8) {
    case 0:
      return `${i}, 'job-${i}'`;
    case 1:
      return `[1, 2, ${i}], { id: ${i}, name: 'n' }`;
    case 2:
      return `new Map([['k', ${i}]]), new Set(['a'])`;
    case 3:
      return `{ config: { retries: ${i}, tags: ['x'], limits: { cpu: 1, memory: 2 } } }`;
    case 4:
      return `new Shared(${i}), new Guarded([${i}])`;
    case 5:
      return `new Shared(new Guarded({ hits: ${i} }))`;
    case 6:
      return `new Uint8Array(${i}), new Date(${i}), /x${i}/`;
    default:
      return `${i}n, true, null, undefined, [[${i}]], { deep: { deeper: { deepest: [${i}] } } }`;
  }
}

function callers(): string {
  const lines = [`import { move, spawn, Shared, Guarded } from './api.js';`];
  for (let i = 0; i < callSites; i++) lines.push(`export const h${i} = spawn(move(${captures(i)}), (...values) => values.length);`);
  return lines.join('\n') + '\n';
}

export interface TypeCost {
  readonly compiler: 'TypeScript 6' | 'TypeScript 7';
  readonly instantiations: { readonly checked: number; readonly unchecked: number };
  readonly checkSeconds: { readonly checked: number; readonly unchecked: number };
}

function statistic(output: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+([\\d.]+)`, 'm').exec(output);
  if (match === null) throw new Error(`no "${name}" in --extendedDiagnostics output:\n${output}`);
  return Number(match[1]);
}

async function diagnose(compiler: string, folder: string): Promise<{ instantiations: number; checkSeconds: number }> {
  const { stdout } = await run(process.execPath, [compiler, '-p', folder, '--extendedDiagnostics'], { maxBuffer: 16 * 1024 * 1024 });
  return { instantiations: statistic(stdout, 'Instantiations'), checkSeconds: statistic(stdout, 'Check time') };
}

/** Compiles both files with both compilers; the time is the median of `repetitions` runs. */
export async function measureTypeCost(repetitions = 1): Promise<TypeCost[]> {
  const projects = {
    checked: writeProject('bench-types-checked', { 'api.ts': api(true), 'callers.ts': callers() }),
    unchecked: writeProject('bench-types-unchecked', { 'api.ts': api(false), 'callers.ts': callers() }),
  };
  const results: TypeCost[] = [];
  for (const [compiler, path] of [['TypeScript 6', tsc6], ['TypeScript 7', tsc7]] as const) {
    const samples = { checked: [] as number[], unchecked: [] as number[] };
    const instantiations = { checked: 0, unchecked: 0 };
    for (let r = 0; r < repetitions; r++) {
      // Interleaved, so that a burst of load on the machine hits both alike.
      for (const kind of ['checked', 'unchecked'] as const) {
        const measured = await diagnose(path, projects[kind]);
        instantiations[kind] = measured.instantiations;
        samples[kind].push(measured.checkSeconds);
      }
    }
    results.push({ compiler, instantiations, checkSeconds: { checked: median(samples.checked), unchecked: median(samples.unchecked) } });
  }
  return results;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
