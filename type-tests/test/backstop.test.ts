/**
 * The truth table through the run-time backstop: for every case with a
 * value, moving the value into a thread is refused (a `TypeError` in rustc's
 * words, before any thread starts) exactly when the case is not Send, and
 * lending it to a scoped thread is refused exactly when it is not Sync.
 * (`tsc` and the ESLint rules are checked against the same table.)
 */

import * as thread from '@sendsync/runtime';
import { describe, expect, it } from 'vitest';
import { writeProject } from '../src/generate.js';
import { truthTable } from '../src/truth-table.js';

const moveAny = thread.move as unknown as (...values: unknown[]) => thread.Moved<unknown[]>;
const borrowAny = thread.borrow as unknown as (...values: unknown[]) => thread.Borrowed<unknown[]>;

const cases = truthTable.flatMap((c, index) => (c.value === undefined ? [] : [{ ...c, file: `value-${String(index).padStart(3, '0')}.ts` }]));

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

/** What the backstop did with the value: `'accepted'`, or its refusal's message. */
function attempt(make: () => unknown, cross: (value: unknown) => void): string {
  let value: unknown;
  try {
    value = make();
  } catch (error) {
    // A library type that cannot even hold the value (an `Arc` of an `Rc`) refuses at construction.
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

describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  const send = c.runtime?.send ?? c.send;
  const sync = c.runtime?.sync ?? c.sync;

  it(send ? 'is moved into a thread' : 'is refused when moved into a thread', async () => {
    const { make } = (await import(`${folder}/${c.file}`)) as { make: () => unknown };
    const outcome = attempt(make, (value) => thread.spawn(moveAny(value), (..._values: unknown[]) => 0).join());
    if (send) expect(outcome).toBe('accepted');
    else expect(outcome).toMatch(/cannot be sent between threads safely|refused at construction/);
  });

  it(sync ? 'is lent to a scoped thread' : 'is refused when lent to a scoped thread', async () => {
    const { make } = (await import(`${folder}/${c.file}`)) as { make: () => unknown };
    const outcome = attempt(make, (value) => thread.scope((s) => void s.spawn(borrowAny(value), (..._values: unknown[]) => 0)));
    if (sync) expect(outcome).toBe('accepted');
    else expect(outcome).toMatch(/cannot be (shared|sent) between threads safely|refused at construction/);
  });
});
