/**
 * The truth table through `tsc`: every case's Send and Sync verdicts, under
 * TypeScript 6 and TypeScript 7, and the check types never collapsing to
 * `any` or `never`.
 */

import { beforeAll, describe, expect, it } from 'vitest';
import { compileWithTs6, compileWithTs7, formatDiagnostic, type Diagnostic } from '../src/compile.js';
import { writeProject } from '../src/generate.js';
import { truthTable, type TruthCase } from '../src/truth-table.js';

/** The lines of a case's file that assert; a diagnostic on one of them names what is wrong. */
const assertions = {
  send: 'the Send verdict',
  sync: 'the Sync verdict',
  checkSend: 'CheckSend (it must be the type itself when Send, a message when not)',
  checkSync: 'CheckSync (it must be the type itself when Sync, a message when not)',
} as const;

function caseSource(c: TruthCase): string {
  const expectation = (holds: boolean, check: 'Send' | 'Sync'): string =>
    holds ? `Identical<Check${check}<Subject>, Subject>` : `IsMessage<WhyNot${check}<Subject>>`;
  return [
    c.setup,
    `import type { IsSend, IsSync, CheckSend, CheckSync, WhyNotSend, WhyNotSync } from '@sendsync/marker';`,
    `type Identical<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;`,
    `type Assert<T extends true> = T;`,
    `/** A message is a string literal type: not any, not never, not string. */`,
    `type IsMessage<M> = 0 extends 1 & M ? false : [M] extends [never] ? false : [M] extends [string] ? (string extends M ? false : true) : false;`,
    `type Subject = ${c.type};`,
    `export type Send_ = Assert<Identical<IsSend<Subject>, ${c.send}>>; // send`,
    `export type Sync_ = Assert<Identical<IsSync<Subject>, ${c.sync}>>; // sync`,
    `export type CheckSend_ = Assert<${expectation(c.send, 'Send')}>; // checkSend`,
    `export type CheckSync_ = Assert<${expectation(c.sync, 'Sync')}>; // checkSync`,
    '',
  ].join('\n');
}

const fileOf = (index: number): string => `case-${String(index).padStart(3, '0')}.ts`;
const sources = new Map(truthTable.map((c, index) => [fileOf(index), caseSource(c)]));

/** What is wrong with a case, in words; empty when nothing is. */
function explain(file: string, diagnostics: readonly Diagnostic[]): string[] {
  const lines = sources.get(file)!.split('\n');
  return diagnostics
    .filter((d) => d.file === file)
    .map((d) => {
      const marker = /\/\/ (\w+)$/.exec(lines[d.line - 1] ?? '')?.[1] as keyof typeof assertions | undefined;
      return marker === undefined ? formatDiagnostic(d) : `wrong: ${assertions[marker]}`;
    });
}

let ts6: Diagnostic[];
let ts7: Diagnostic[];

beforeAll(async () => {
  const folder = writeProject('truth-table', Object.fromEntries(sources));
  [ts6, ts7] = await Promise.all([Promise.resolve().then(() => compileWithTs6(folder)), compileWithTs7(folder)]);
});

describe('truth table', () => {
  it('has at least 100 cases with unique names', () => {
    expect(truthTable.length).toBeGreaterThanOrEqual(100);
    expect(new Set(truthTable.map((c) => c.name)).size).toBe(truthTable.length);
  });

  it.each(truthTable.map((c, index) => [c.name, index] as const))('%s', (_name, index) => {
    const file = fileOf(index);
    expect({ ts6: explain(file, ts6), ts7: explain(file, ts7) }).toEqual({ ts6: [], ts7: [] });
  });

  it('reports nothing outside the cases', () => {
    expect([...ts6, ...ts7].filter((d) => !sources.has(d.file)).map(formatDiagnostic)).toEqual([]);
  });
});
