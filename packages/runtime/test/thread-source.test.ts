import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import ts from 'typescript';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { current, move, spawn } from '@sendsync/runtime';

/* Closures cross as source text: they must run as compilers and tools emit them. */

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'thread');
const out = join(fixtures, '.out');
const sources = ['closures.ts', 'helper.ts'];

const expected = {
  using: 'used,disposed',
  unwinding: 'false,true',
  awaitUsing: 'used,async-disposed',
  async: 21,
  unicode: 'héllo 世界 🦀 2',
  namedFunction: 3,
  runtimeExport: true,
  dynamicImport: 42,
};

function run(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: fixtures, encoding: 'utf8', timeout: 120_000 });
}

describe('closures as source text', { timeout: 300_000 }, () => {
  it('runs closures compiled by tsc (ES2022, `using` downlevelled)', () => {
    const dir = join(out, 'tsc');
    mkdirSync(dir, { recursive: true });
    for (const file of sources) {
      const { outputText } = ts.transpileModule(readFileSync(join(fixtures, file), 'utf8'), {
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
        fileName: file,
      });
      writeFileSync(join(dir, file.replace(/\.ts$/, '.js')), outputText);
    }
    const emitted = readFileSync(join(dir, 'closures.js'), 'utf8');
    // The point of the test: the closures refer to tsc's emit helpers.
    expect(emitted).toContain('__addDisposableResource(');
    expect(emitted).toContain('__disposeResources(');
    expect(JSON.parse(run([join(dir, 'closures.js')]))).toEqual(expected);
  });

  it('runs closures transformed by esbuild (keepNames, `using` lowered)', async () => {
    const dir = join(out, 'esbuild');
    mkdirSync(dir, { recursive: true });
    for (const file of sources) {
      const { code } = await transform(readFileSync(join(fixtures, file), 'utf8'), {
        loader: 'ts',
        format: 'esm',
        target: 'node20',
        keepNames: true,
        sourcefile: file,
      });
      writeFileSync(join(dir, file.replace(/\.ts$/, '.js')), code);
    }
    const emitted = readFileSync(join(dir, 'closures.js'), 'utf8');
    expect(emitted).toContain('__name(');
    expect(emitted).toContain('__using(');
    expect(JSON.parse(run([join(dir, 'closures.js')]))).toEqual(expected);
  });

  it('runs closures of a TypeScript file run by tsx', () => {
    expect(JSON.parse(run(['--import', 'tsx', join(fixtures, 'closures.ts')]))).toEqual(expected);
  });
});

describe("the runtime's exports inside a closure", () => {
  it("the worker's list of export names is every name the runtime's modules export", async () => {
    // A closure's free names are looked up in this list before the modules are loaded (some 50 ms in a
    // fresh worker): a name missing from it would be a ReferenceError in the thread.
    const { RUNTIME_EXPORTS, RUNTIME_MODULES } = createRequire(import.meta.url)('../dist/internal/closure.cjs') as {
      RUNTIME_EXPORTS: ReadonlySet<string>;
      RUNTIME_MODULES: readonly string[];
    };
    const exported = new Set<string>();
    for (const path of RUNTIME_MODULES) {
      const module = (await import(new URL(path, new URL('../dist/internal/', import.meta.url)).href)) as object;
      for (const name of Object.keys(module)) exported.add(name);
    }
    expect([...RUNTIME_EXPORTS].sort()).toEqual([...exported].sort());
  });

  it('binds the exports a closure names, and leaves its parameters and locals alone', () => {
    const handle = spawn(move(2), (count) => {
      const doubled = count * 2;
      return [doubled, typeof current, current().id() > 1, typeof spawn];
    });
    expect(handle.join()).toEqual([4, 'function', true, 'function']);
  });
});

describe('output and process lifetime', { timeout: 300_000 }, () => {
  it('prints in program order, even while main is blocked in join()', () => {
    const stdout = run([join(fixtures, 'ordered-output.mjs')]);
    expect(stdout).toBe(
      ['main 1', 'thread A', 'main 2', 'thread B 0', 'thread B 1', 'thread B 2', 'thread B written', 'main 3', 'scoped thread', 'main 4', 'thread C', 'main 5', ''].join(
        '\n',
      ),
    );
  });

  it('writes to stderr too', () => {
    const { stderr, status } = spawnSync(process.execPath, [join(fixtures, 'ordered-output.mjs')], {
      cwd: fixtures,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(status).toBe(0);
    expect(stderr).toBe('thread B to stderr\n');
  });

  it('threads that were not joined do not keep the process alive', () => {
    // The detached thread parks for ever: a process it kept alive would run into run()'s timeout.
    expect(run([join(fixtures, 'detached.mjs')])).toBe('main done\n');
  });
});
