/**
 * The fixture project and what an editor must show for each of its files.
 *
 * Expected ranges are found in the file's text (the culprit argument inside
 * its call), never written as line numbers, so that editing a fixture cannot
 * leave a test checking a stale position.
 */

import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { Range } from './clients.js';

/** The fixture project: its own `tsconfig.json` and `eslint.config.js`. */
export const fixtureRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixture');

/** The repository root, where the servers' packages are installed. */
export const repoRoot = resolve(fixtureRoot, '../..');

/** The absolute path of a fixture file. */
export function fixturePath(file: string): string {
  return join(fixtureRoot, file);
}

/** The text of a fixture file on disk. */
export function fixtureText(file: string): string {
  return readFileSync(fixturePath(file), 'utf8');
}

/** The LSP range (zero-based) of `part`, found inside the only occurrence of `context` in `text`. */
export function rangeOf(text: string, context: string, part: string): Range {
  const at = text.indexOf(context);
  if (at < 0 || text.indexOf(context, at + 1) >= 0) throw new Error(`context must occur once: ${context}`);
  const inner = context.indexOf(part);
  if (inner < 0) throw new Error(`${part} is not in ${context}`);
  const start = positionAt(text, at + inner);
  return { start, end: positionAt(text, at + inner + part.length) };
}

function positionAt(text: string, offset: number): Range['start'] {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: (before.at(-1) ?? '').length };
}

/** A mistake `tsc` rejects with E0277, where it must be underlined, and the edit that fixes it. */
export interface TypeErrorCase {
  /** The fixture file, relative to the fixture root. */
  file: string;
  /** The text around the culprit (it must occur once in the file)... */
  context: string;
  /** ...and the culprit inside it: the range to underline. */
  culprit: string;
  /** How TypeScript prints the argument's type. */
  argumentType: string;
  /** The E0277 message, rustc's words with the path to the culprit. */
  e0277: string;
  /** The ESLint rule that reports the same mistake at the same range. */
  eslintRule: 'sendsync/no-non-send-capture' | 'sendsync/no-non-sync-borrow';
  /** The rule's whole message: E0277 (its path starts at the variable's name) and rustc's notes. */
  eslintMessage: string;
  /** The file's text after the user fixes the mistake. */
  fix(text: string): string;
}

/** TypeScript's whole TS2345 message for a case: the E0277 text is the parameter's type. */
export function ts2345(expected: TypeErrorCase): string {
  return `Argument of type '${expected.argumentType}' is not assignable to parameter of type '"${expected.e0277}"'.`;
}

/** Replaces the only occurrence of `from` (so that a fix cannot silently do nothing). */
export function replaceOnce(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`must occur once: ${from}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

const rcImport = "import { Rc } from '@sendsync/runtime/rc';\n";

/** The E0277 mistakes of the fixture, as both TypeScript servers must report them. */
export const typeErrorCases: readonly TypeErrorCase[] = [
  {
    file: 'src/moves-rc.ts',
    context: 'spawn(move(counter)',
    culprit: 'counter',
    argumentType: 'Rc<number>',
    e0277: '`Rc<number>` cannot be sent between threads safely (at captures[0])',
    eslintRule: 'sendsync/no-non-send-capture',
    eslintMessage:
      '`Rc<number>` cannot be sent between threads safely (at counter): the trait `Send` is not implemented for `Rc<number>`; required because `counter` is moved into the closure passed to `spawn`',
    fix: (text) =>
      [
        [rcImport, ''],
        ['new Rc(5)', '5'],
        ['counter.value + 1', 'counter + 1'],
      ].reduce((fixed, [from, to]) => replaceOnce(fixed, from, to), text),
  },
  {
    file: 'src/moves-nested.ts',
    context: 'move(id, config)',
    culprit: 'config',
    argumentType: '{ name: string; cache: Rc<number[]>; }',
    e0277: '`Rc<number[]>` cannot be sent between threads safely (at captures[1].cache)',
    eslintRule: 'sendsync/no-non-send-capture',
    eslintMessage:
      '`Rc<number[]>` cannot be sent between threads safely (at config.cache): the trait `Send` is not implemented for `Rc<number[]>`; required because `config` is moved into the closure passed to `spawn`',
    fix: (text) => replaceOnce(replaceOnce(text, rcImport, ''), 'new Rc([1, 2, 3])', '[1, 2, 3]'),
  },
  {
    // A scoped thread may borrow only what is Sync; a Cell is Send, so the
    // fix is Rust's: move it in instead.
    file: 'src/borrows-cell.ts',
    context: 's.spawn(borrow(hits)',
    culprit: 'hits',
    argumentType: 'Cell<number>',
    e0277: '`Cell<number>` cannot be shared between threads safely (at borrows[0])',
    eslintRule: 'sendsync/no-non-sync-borrow',
    eslintMessage:
      '`Cell<number>` cannot be shared between threads safely (at hits): the trait `Sync` is not implemented for `Cell<number>`; required because `hits` is borrowed by the closure passed to `spawn`; if you want to do aliasing and mutation between multiple threads, use `RwLock` or an atomic instead',
    fix: (text) =>
      replaceOnce(
        replaceOnce(text, 'import { borrow, scope }', 'import { move, scope }'),
        's.spawn(borrow(hits)',
        's.spawn(move(hits)',
      ),
  },
];

/** A mistake that type-checks and only an ESLint rule catches. */
export interface LintOnlyCase {
  file: string;
  /** The rule's id, as VS Code shows it. */
  rule: string;
  /** The text around the culprit (it must occur once in the file)... */
  context: string;
  /** ...and the culprit inside it. */
  culprit: string;
  /** The rule's whole message. */
  message: string;
  /** The file's text after the user fixes the mistake. */
  fix(text: string): string;
}

/** Mistakes of the fixture that `tsc` accepts (their fix is checked separately from the suggestion test). */
export const lintOnlyCases: readonly LintOnlyCase[] = [
  {
    // rustc's E0382: the sender reads a value after moving it into a thread.
    file: 'src/use-after-move.ts',
    rule: 'sendsync/no-use-after-move',
    context: 'console.log(samples.length',
    culprit: 'samples',
    message:
      'use of moved value: `samples`: it was moved into a thread on line 4; move occurs because `samples` has type `Float64Array`, which does not implement `Copy` (a primitive); use it before the move, or move a clone',
    fix: (text) => replaceOnce(text, 'console.log(samples.length, handle.join());', 'console.log(handle.join());'),
  },
  {
    // rustc's E0382 after a method that takes `self`: a second join() of one handle (the runtime throws JoinedError).
    file: 'src/use-after-join.ts',
    rule: 'sendsync/no-use-after-move',
    context: 'const again = handle',
    culprit: 'handle',
    message:
      "use of moved value: `handle`: value moved here by `handle.join()` on line 4: `JoinHandle#join` takes ownership of the receiver (Rust's `self`), which moves `handle`, and the runtime refuses it afterwards; move occurs because `handle` has type `JoinHandle<number>`, which does not implement `Copy` (a primitive); use it before that call",
    fix: (text) => replaceOnce(text, 'const again = handle.join();\nconsole.log(again);\n', ''),
  },
  {
    // rustc's E0505: a closure made before the move borrows the Sender, and is called after the move (the runtime throws E0382).
    file: 'src/closure-after-move.ts',
    rule: 'sendsync/no-use-after-move',
    context: "report('done')",
    culprit: 'report',
    message:
      'cannot move out of `tx` because it is borrowed: `report`, made on line 5, borrows it; `tx` was moved into a thread on line 6, and `report` is called here, after the move (the borrow later used); call `report` before the move, or give it a clone of `tx`',
    fix: (text) =>
      replaceOnce(text, "spawn(move(tx), (tx) => tx.send('from the thread')).join();\nreport('done');", "report('done');\nspawn(move(tx), (tx) => tx.send('from the thread')).join();"),
  },
  {
    // rustc's E0505 through a field: a closure kept in `this.onProgress` borrows the Sender, and is called after the move (the runtime throws E0382).
    file: 'src/closure-in-field.ts',
    rule: 'sendsync/no-use-after-move',
    context: 'this.onProgress(100)',
    culprit: 'this.onProgress',
    message:
      'cannot move out of `progress` because it is borrowed: `this.onProgress`, made on line 8, borrows it; `progress` was moved into a thread on line 9, and `this.onProgress` is called here, after the move (the borrow later used); call `this.onProgress` before the move, or give it a clone of `progress`',
    fix: (text) =>
      replaceOnce(
        text,
        '    spawn(move(progress), (progress) => progress.send(50)).join();\n    this.onProgress(100);',
        '    this.onProgress(100);\n    spawn(move(progress), (progress) => progress.send(50)).join();',
      ),
  },
];

/**
 * Fixture files with no type errors: `moves-ok.ts` uses the API correctly; the
 * others type-check (a closure may read any variable in scope, a variable may
 * be read after it was passed to a function) and only ESLint catches them.
 */
export const cleanFiles: readonly string[] = [
  'src/moves-ok.ts',
  'src/implicit-capture.ts',
  'src/use-after-move.ts',
  'src/use-after-join.ts',
  'src/closure-after-move.ts',
  'src/closure-in-field.ts',
];

/**
 * The type errors of `file` if its text were `text`, from TypeScript 6's
 * compiler over the fixture's `tsconfig.json`: `tsc` as a user runs it.
 */
export function typeErrors(file: string, text: string): string[] {
  const configPath = join(fixtureRoot, 'tsconfig.json');
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  if (config === undefined) throw new Error(`cannot read ${configPath}`);
  const edited = fixturePath(file);
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (path) => (resolve(path) === edited ? text : readFile(path));
  const program = ts.createProgram({ rootNames: [edited], options: config.options, host });
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(edited))
    .map((diagnostic) => `TS${diagnostic.code}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
}
