/**
 * The real ESLint CLI, as a user runs it: the recommended config over a small
 * project (`tests/fixtures/cli-project`, importing the built plugin by its
 * package name), under ESLint 10 and ESLint 9, single-threaded and with
 * `--concurrency 2` (multithreaded linting: every worker loads the plugin and
 * its own project service). Every run must print the same findings.
 */

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';

import { beforeAll, describe, expect, it } from 'vitest';

import { NO_TYPE_INFORMATION_MESSAGE } from '../src/util/type-info.js';
import { fixturesDir } from './rule-tester.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const projectDir = join(fixturesDir, 'cli-project');
const CLI_TIMEOUT_MS = 120_000;

interface Finding {
  file: string;
  line: number;
  column: number;
  ruleId: string | null;
  message: string;
}

function eslintBin(packageName: 'eslint' | 'eslint-9'): string {
  return join(dirname(require.resolve(`${packageName}/package.json`)), 'bin', 'eslint.js');
}

/** Runs the CLI and returns its findings, in a stable order. */
async function lint(packageName: 'eslint' | 'eslint-9', extra: string[]): Promise<{ version: string; findings: Finding[] }> {
  const bin = eslintBin(packageName);
  const { stdout: version } = await run(process.execPath, [bin, '--version'], { cwd: projectDir });
  const args = [bin, '--config', 'cli.eslint.config.js', '--format', 'json', ...extra, 'src'];
  // exit code 1: lint errors were found, which is the point
  const output = await run(process.execPath, args, { cwd: projectDir, timeout: CLI_TIMEOUT_MS, maxBuffer: 16 << 20 }).then(
    ({ stdout }) => stdout,
    (error: { code?: number; stdout?: string; stderr?: string }) => {
      if (error.code !== 1 || !error.stdout) throw new Error(`eslint failed (${String(error.code)}): ${error.stderr ?? ''}`);
      return error.stdout;
    },
  );
  const results = JSON.parse(output) as { filePath: string; messages: Omit<Finding, 'file'>[] }[];
  const findings = results.flatMap((result) =>
    result.messages.map(({ line, column, ruleId, message }) => ({ file: relative(projectDir, result.filePath), line, column, ruleId, message })),
  );
  findings.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
  return { version: version.trim(), findings };
}

const expected: Finding[] = [
  {
    file: 'src/mistakes.ts',
    line: 8,
    column: 12,
    ruleId: 'sendsync/no-non-send-capture',
    message: '`Rc<number>` cannot be sent between threads safely (at rc): the trait `Send` is not implemented for `Rc<number>`; required because `rc` is moved into the closure passed to `spawn`',
  },
  {
    file: 'src/mistakes.ts',
    line: 11,
    column: 29,
    ruleId: 'sendsync/no-non-sync-borrow',
    message:
      '`Cell<number>` cannot be shared between threads safely (at counter): the trait `Sync` is not implemented for `Cell<number>`; required because `counter` is borrowed by the closure passed to `spawn`; if you want to do aliasing and mutation between multiple threads, use `RwLock` or an atomic instead',
  },
  {
    file: 'src/mistakes.ts',
    line: 15,
    column: 13,
    ruleId: 'sendsync/no-use-after-move',
    message:
      'use of moved value: `numbers`: it was moved into a thread on line 14; move occurs because `numbers` has type `number[]`, which does not implement `Copy` (a primitive); use it before the move, or move a clone',
  },
  {
    file: 'src/mistakes.ts',
    line: 18,
    column: 13,
    ruleId: 'sendsync/no-implicit-capture',
    message:
      '`limit` is not an import of this module, so the thread that runs the closure passed to `spawn` cannot have it: move it to its own module and import it, or `move(...)` it if it is Send data',
  },
  {
    file: 'src/mistakes.ts',
    line: 21,
    column: 9,
    ruleId: 'sendsync/no-guard-across-await',
    message:
      'this `MutexGuard<number>` is held across an `await` point (line 22): while the function is suspended, other code on this thread that takes the same lock or borrow deadlocks or fails; release `guard` before awaiting (end its block, or call `guard[Symbol.dispose]()`), or use the awaitable lock',
  },
  {
    file: 'src/mistakes.ts',
    line: 27,
    column: 3,
    ruleId: 'sendsync/require-using-guard',
    message: 'this `MutexGuard<number>` is never released, so the lock stays held: bind it with `using` (`using guard = …`) and work through `guard.value`',
  },
  { file: 'src/plain.js', line: 1, column: 1, ruleId: 'sendsync/no-guard-across-await', message: NO_TYPE_INFORMATION_MESSAGE },
];

beforeAll(() => {
  if (!existsSync(join(dirname(require.resolve('@sendsync/eslint-plugin/package.json')), 'dist', 'index.js'))) {
    throw new Error('the plugin is not built: run `npx tsc -b` at the repository root first');
  }
});

describe('the ESLint CLI with the recommended config', () => {
  it.each([
    ['eslint', []],
    ['eslint', ['--concurrency', '2']],
    ['eslint-9', []],
    ['eslint-9', ['--concurrency', '2']],
  ] as const)(
    '%s %j reports the mistakes and only them',
    async (packageName, extra) => {
      const { version, findings } = await lint(packageName, [...extra]);
      expect(version).toMatch(packageName === 'eslint' ? /^v10\./ : /^v9\./);
      expect(findings).toEqual(expected);
    },
    CLI_TIMEOUT_MS,
  );
});
