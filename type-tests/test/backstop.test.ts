/**
 * The truth table through the run-time backstop: for every case with a
 * value, moving the value into a thread and lending it to a scoped thread
 * end exactly as `tsc` says (accepted, or refused before any thread starts
 * with the very sentence `tsc` prints for the case's type), unless the
 * table's run-time column states another outcome, in full, and why.
 * (`tsc` and the ESLint rules are checked against the same table.)
 */

import * as thread from '@sendsync/runtime';
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatedCompilerOptions, writeProject } from '../src/generate.js';
import { truthTable } from '../src/truth-table.js';

/** `move` and `borrow` as plain JavaScript calls them: nothing checked by `tsc`. */
const moveAny = thread.move as unknown as (...values: unknown[]) => thread.Moved<unknown[]>;
const borrowAny = thread.borrow as unknown as (...values: unknown[]) => thread.Borrowed<unknown[]>;

const cases = truthTable.flatMap((c, index) =>
  c.value === undefined ? [] : [{ ...c, file: `value-${String(index).padStart(3, '0')}.ts` }],
);

const folder = writeProject(
  'backstop',
  Object.fromEntries(
    cases.map((c) => [
      c.file,
      [
        `import * as thread from '@sendsync/runtime';`,
        `import * as sync from '@sendsync/runtime/sync';`,
        `import * as mpsc from '@sendsync/runtime/sync/mpsc';`,
        `import * as cell from '@sendsync/runtime/cell';`,
        `import * as rc from '@sendsync/runtime/rc';`,
        `import * as collections from '@sendsync/runtime/collections';`,
        `void thread, sync, mpsc, cell, rc, collections;`,
        c.setup,
        `export const make = (): unknown => (${c.value});`,
        '',
      ].join('\n'),
    ]),
  ),
);

/** What `tsc` says of moving (`captures[0]`) and of borrowing (`borrows[0]`) a value of each case's type. */
const typeFolder = writeProject(
  'backstop-tsc',
  Object.fromEntries(
    cases.map((c) => [
      c.file,
      [
        c.setup,
        `import type { WhyNotSend, WhyNotSync } from '@sendsync/marker';`,
        `type Subject = ${c.type};`,
        `export type Moved = WhyNotSend<Subject, 'captures[0]'>;`,
        `export type Borrowed = WhyNotSync<Subject, 'borrows[0]'>;`,
        '',
      ].join('\n'),
    ]),
  ),
);

/** `tsc`'s messages for one case: empty when it accepts; several when several parts fail at one depth. */
interface TypeVerdict {
  readonly moved: readonly string[];
  readonly borrowed: readonly string[];
}

/** The messages `tsc` computes, read through TypeScript 6's checker (the same types `move` and `borrow` report). */
function typeVerdicts(): Map<string, TypeVerdict> {
  const files = cases.map((c) => path.join(typeFolder, c.file));
  const program = ts.createProgram({
    rootNames: files,
    options: ts.convertCompilerOptionsFromJson(generatedCompilerOptions, typeFolder).options,
  });
  const checker = program.getTypeChecker();
  const verdicts = new Map<string, TypeVerdict>();
  for (const c of cases) {
    const source = program.getSourceFile(path.join(typeFolder, c.file));
    if (source === undefined) throw new Error(`not compiled: ${c.file}`);
    const messages = (alias: string): string[] => {
      const declaration = source.statements.find(
        (statement): statement is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(statement) && statement.name.text === alias,
      );
      const type = checker.getTypeAtLocation(declaration!.name);
      return (type.isUnion() ? type.types : [type]).filter((member) => member.isStringLiteral()).map((member) => member.value);
    };
    verdicts.set(c.name, { moved: messages('Moved'), borrowed: messages('Borrowed') });
  }
  return verdicts;
}

/** What the backstop did with the value: `'accepted'`, or its refusal's message. */
function attempt(make: () => unknown, cross: (value: unknown) => void): string {
  let value: unknown;
  try {
    value = make();
  } catch (error) {
    // A library type that cannot even hold the value (a `Mutex` of an `Rc`) refuses at construction.
    return `refused at construction: ${(error as Error).message}`;
  }
  try {
    cross(value);
    return 'accepted';
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return error.message;
  }
}

let verdicts: Map<string, TypeVerdict>;

beforeAll(() => {
  verdicts = typeVerdicts();
}, 600_000);

describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  it('moved into a thread: what tsc says', async () => {
    const { make } = (await import(`${folder}/${c.file}`)) as { make: () => unknown };
    const outcome = attempt(make, (value) => thread.spawn(moveAny(value), (..._values: unknown[]) => 0).join());
    const expected = c.runtime?.moved ?? verdicts.get(c.name)!.moved;
    if (typeof expected === 'string') expect(outcome).toBe(expected);
    else if (expected.length === 0) expect(outcome).toBe('accepted');
    else expect(expected).toContain(outcome);
  });

  it('lent to a scoped thread: what tsc says', async () => {
    const { make } = (await import(`${folder}/${c.file}`)) as { make: () => unknown };
    const outcome = attempt(make, (value) => thread.scope((s) => void s.spawn(borrowAny(value), (..._values: unknown[]) => 0)));
    const expected = c.runtime?.borrowed ?? verdicts.get(c.name)!.borrowed;
    if (typeof expected === 'string') expect(outcome).toBe(expected);
    else if (expected.length === 0) expect(outcome).toBe('accepted');
    else expect(expected).toContain(outcome);
  });
});

describe('the run-time column', () => {
  it('states an outcome only where it differs from what tsc says', () => {
    const needless = cases.filter((c) => {
      const verdict = verdicts.get(c.name)!;
      const same = (stated: string | undefined, messages: readonly string[]): boolean =>
        stated === undefined || (messages.length === 0 ? stated === 'accepted' : messages.includes(stated));
      return c.runtime !== undefined && same(c.runtime.moved, verdict.moved) && same(c.runtime.borrowed, verdict.borrowed);
    });
    expect(needless.map((c) => c.name)).toEqual([]);
  });
});
