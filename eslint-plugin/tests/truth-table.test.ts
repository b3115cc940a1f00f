/**
 * One definition of Send and Sync: every case of the type-tests truth table
 * goes through the rules (moved, captured, borrowed), and the rules' verdicts
 * must be the table's; where a value is rejected, the message must begin with
 * the very message `tsc` computes through `@sendsync/marker` (same culprit,
 * same path).
 */

import { join } from 'node:path';

import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

import type { TruthCase } from '../../type-tests/src/truth-table.js';
import { nested, truthTable } from '../../type-tests/src/truth-table.js';
import plugin from '../src/index.js';
import { fixturesDir } from './rule-tester.js';

// Building the program for all the cases is slow (tens of seconds on a quiet machine): a bound for hangs only.
const LINT_TIMEOUT_MS = 600_000;
/** The marker's messages for every case come from one program of ~170 files: a bound for hangs only. */
const SETUP_TIMEOUT_MS = 600_000;

/** The file each case is linted as (the fixture project's `file.ts`). */
const lintedFile = join(fixturesDir, 'file.ts');

/** A case as a program: its setup, then the value moved, captured and borrowed, on known lines. */
function caseSource(row: TruthCase): { code: string; moveLine: number; captureLine: number; borrowLine: number } {
  const setupLines = row.setup === '' ? 0 : row.setup.split('\n').length;
  const code = [
    ...(row.setup === '' ? [] : [row.setup]),
    `import { spawn as __spawn, move as __move, borrow as __borrow, scope as __scope } from '@sendsync/runtime';`,
    `declare const value: ${row.type};`,
    `__spawn(__move(value), () => 0);`,
    `__scope((s) => { s.spawn(() => { void value; return 0; }); });`,
    `__scope((s) => { s.spawn(__borrow(value), () => 0); });`,
  ].join('\n');
  return { code, moveLine: setupLines + 3, captureLine: setupLines + 4, borrowLine: setupLines + 5 };
}

/**
 * The marker's messages (`WhyNotSend<T, 'value'>`, `WhyNotSync<T, 'value'>`)
 * for every case, computed by `tsc` in one program of virtual files that sit
 * in the fixture project (so that `@sendsync/runtime` resolves as it does there).
 */
function markerMessages(rows: readonly TruthCase[]): { send: string[]; sync: string[] }[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
    types: [],
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  };
  const files = new Map<string, string>();
  rows.forEach((row, index) => {
    files.set(
      join(fixturesDir, `truth-case-${index}.ts`),
      `${row.setup}\nimport type { WhyNotSend as __WhyNotSend, WhyNotSync as __WhyNotSync } from '@sendsync/marker';\nexport type __Send = __WhyNotSend<${row.type}, 'value'>;\nexport type __Sync = __WhyNotSync<${row.type}, 'value'>;\n`,
    );
  });
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (name, language, ...rest) => {
    const text = files.get(name);
    return text === undefined ? getSourceFile(name, language, ...rest) : ts.createSourceFile(name, text, language);
  };
  host.fileExists = (name) => files.has(name) || fileExists(name);
  host.readFile = (name) => files.get(name) ?? readFile(name);
  const program = ts.createProgram([...files.keys()], options, host);
  const checker = program.getTypeChecker();
  return [...files.keys()].map((name) => {
    const module = checker.getSymbolAtLocation(program.getSourceFile(name)!)!;
    const read = (alias: string): string[] => {
      const symbol = checker.getExportsOfModule(module).find((exported) => exported.name === alias)!;
      const type = checker.getDeclaredTypeOfSymbol(symbol);
      return (type.isUnion() ? type.types : [type]).filter((member) => member.isStringLiteral()).map((member) => (member).value);
    };
    return { send: read('__Send'), sync: read('__Sync') };
  });
}

/**
 * Cases of our own beyond the table, where the rules' walk has limits of its
 * own to agree on: nesting past the marker's 100 levels, and a culprit at the
 * bottom of a deep value.
 */
const extraCases: readonly TruthCase[] = [
  { name: '101 levels of nesting', setup: '', type: nested(101, 'number'), send: false, sync: false },
  { name: '99 levels of nesting with an Rc at the bottom', setup: `import type { Rc } from '@sendsync/runtime/rc';`, type: nested(99, 'Rc<number>'), send: false, sync: false },
  { name: 'a Map of tuples of Cells', setup: `import type { Cell } from '@sendsync/runtime/cell';`, type: 'Map<string, [number, Cell<string[]>]>', send: true, sync: false },
];
const cases = [...truthTable, ...extraCases];

let eslint: ESLint;
let marker: { send: string[]; sync: string[] }[];

beforeAll(() => {
  eslint = new ESLint({
    cwd: fixturesDir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: fixturesDir } },
        plugins: { sendsync: plugin as unknown as ESLint.Plugin },
        rules: { 'sendsync/no-non-send-capture': 'error', 'sendsync/no-non-sync-borrow': 'error', 'sendsync/no-implicit-capture': 'error' },
      },
    ],
  });
  marker = markerMessages(cases);
}, SETUP_TIMEOUT_MS);

/** Asserts that `messages` has one message at `line` exactly when `expected` is false, starting with one of the marker's. */
function expectVerdict(messages: readonly { line: number; message: string; ruleId: string | null }[], line: number, ok: boolean, ruleId: string, markerTexts: string[] | undefined): void {
  const here = messages.filter((message) => message.line === line);
  if (ok) {
    expect(here).toEqual([]);
    return;
  }
  expect(here.map((message) => message.ruleId)).toEqual([ruleId]);
  if (markerTexts === undefined) return; // a message of the rules' own (`lint`)
  expect(markerTexts.length).toBeGreaterThan(0);
  expect(markerTexts.some((text) => here[0].message.startsWith(`${text}:`) || here[0].message.startsWith(`${text};`))).toBe(true);
}

/**
 * A scoped thread's closure borrows what it refers to: a capture that is not
 * Sync is rustc's E0277 (`no-non-sync-borrow`, with the marker's message),
 * except code (a function or class), which is imported instead; any other is
 * lent with `borrow(...)` (`no-implicit-capture`). One message either way.
 */
function expectCapture(messages: readonly { line: number; message: string; ruleId: string | null }[], line: number, ok: boolean, markerTexts: string[] | undefined): void {
  const here = messages.filter((message) => message.line === line);
  expect(here).toHaveLength(1);
  const [{ ruleId, message }] = here;
  if (ok) {
    expect([ruleId, message.endsWith('lend it with `borrow(value)`')]).toEqual(['sendsync/no-implicit-capture', true]);
  } else if (ruleId === 'sendsync/no-implicit-capture') {
    expect(message).toContain('move it to its own module and import it');
  } else {
    expect(ruleId).toBe('sendsync/no-non-sync-borrow');
    if (markerTexts === undefined) return; // a message of the rules' own (`lint`)
    expect(markerTexts.some((text) => message.startsWith(`${text}:`) || message.startsWith(`${text};`))).toBe(true);
  }
}

describe('the rules agree with the truth table', () => {
  it('has the table', () => {
    expect(truthTable.length).toBeGreaterThanOrEqual(100);
  });

  it.each(cases.map((row, index) => [row.name, row, index] as const))(
    '%s',
    async (_name, row, index) => {
      const { code, moveLine, captureLine, borrowLine } = caseSource(row);
      const [result] = await eslint.lintText(code, { filePath: lintedFile });
      const messages = result.messages;
      expect(messages.filter((message) => message.fatal)).toEqual([]);
      expect(messages.every((message) => [moveLine, captureLine, borrowLine].includes(message.line))).toBe(true);
      // where the rules knowingly differ from tsc (`lint`), their verdict is the row's and their message their own
      const verdict = row.lint ?? row;
      const { send, sync } = row.lint ? { send: undefined, sync: undefined } : marker[index];
      expectVerdict(messages, moveLine, verdict.send, 'sendsync/no-non-send-capture', send);
      expectCapture(messages, captureLine, verdict.sync, sync);
      expectVerdict(messages, borrowLine, verdict.sync, 'sendsync/no-non-sync-borrow', sync);
    },
    LINT_TIMEOUT_MS,
  );
});
