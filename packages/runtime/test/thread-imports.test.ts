import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/* A thread calls what its spawning module imports: the thread imports those modules itself. */

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'imports');
const sources = ['app.ts', 'helper.ts', 'greeting.ts', 'counter.ts'];

const expected = {
  named: 42,
  default: 'hello, thread',
  builtin: 'ba7816bf',
  dependency: 'Program',
  async: 8,
  builder: 10,
  scoped: 'hello, scope',
  mainCount: 3,
  // The thread's own instance of counter.ts, evaluated once in its worker.
  threadCounter: [1, 1],
  threadCounterAgain: [1, true],
};

function run(args: string[]): unknown {
  return JSON.parse(execFileSync(process.execPath, args, { cwd: fixtures, encoding: 'utf8', timeout: 120_000 }));
}

describe('imports of the spawning module', { timeout: 300_000 }, () => {
  it('binds named, default and namespace imports of helpers, node: built-ins and packages (tsc ESM output)', () => {
    const dir = join(fixtures, '.out', 'tsc');
    mkdirSync(dir, { recursive: true });
    for (const file of sources) {
      const { outputText } = ts.transpileModule(readFileSync(join(fixtures, file), 'utf8'), {
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true },
        fileName: file,
      });
      writeFileSync(join(dir, file.replace(/\.ts$/, '.js')), outputText);
    }
    expect(run([join(dir, 'app.js')])).toEqual(expected);
  });

  it('binds them in a TypeScript module run by tsx', () => {
    expect(run(['--import', 'tsx', join(fixtures, 'app.ts')])).toEqual(expected);
  });
});
