import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import ts from 'typescript';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { current, move, spawn } from '@sendsync/runtime';
import { Ordering } from '@sendsync/runtime/sync';
import { PENDING_WAITS_WARNING } from '../dist/internal/main-module.js';

/* Closures cross as source text: they must run as compilers and tools emit them. */

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'thread');
const out = join(fixtures, '.out');
const sources = ['closures.ts', 'helper.ts'];

const expected = {
  using: 'used,disposed',
  unwinding: 'false,true,false',
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

/** The worker's compiler of closures, built. */
const closureModule = new URL('../dist/internal/closure.js', import.meta.url).href;

describe("the runtime's exports inside a closure", () => {
  it("the worker's lists of export names are every name each of the runtime's modules exports, each with the module that defines it", async () => {
    // A closure's free names are looked up in these lists before any module is loaded (the whole runtime
    // costs a fresh worker some 100 ms): a name missing from them would be a ReferenceError in the thread.
    const { RUNTIME_EXPORTS, RUNTIME_MODULES, MODULE_OF } = ((await import(closureModule)) as { default: unknown }).default as {
      RUNTIME_EXPORTS: ReadonlySet<string>;
      RUNTIME_MODULES: ReadonlyMap<string, readonly string[]>;
      MODULE_OF: ReadonlyMap<string, string>;
    };
    const exported = new Map<string, unknown>();
    for (const [path, names] of RUNTIME_MODULES) {
      const module = (await import(new URL(path, closureModule).href)) as Record<string, unknown>;
      const own = Object.keys(module).filter((name) => !exported.has(name));
      expect([...names].sort(), path).toEqual(own.sort());
      for (const name of own) exported.set(name, module[name]);
    }
    expect([...RUNTIME_EXPORTS].sort()).toEqual([...exported.keys()].sort());
    // The module a thread loads for a name defines the very value the entry point exports.
    expect([...MODULE_OF.keys()].sort()).toEqual([...exported.keys()].sort());
    for (const [name, path] of MODULE_OF) {
      const module = (await import(new URL(path, closureModule).href)) as Record<string, unknown>;
      expect(module[name], `${name} in ${path}`).toBe(exported.get(name));
    }
  });

  it('a closure that names one export loads only its module in the thread, and a namespace name loads them all', async () => {
    // Loading every module would cost each fresh worker the whole runtime's start-up for one `Ordering`.
    const script = `
      const { parentPort } = require('node:worker_threads');
      (async () => {
        const closures = (await import(${JSON.stringify(closureModule)})).default;
        const one = await closures.compileClosure('() => Ordering.SeqCst', undefined);
        const afterOne = closures.loadedRuntimeModules();
        const all = await closures.compileClosure('() => typeof runtime_1.Vec + typeof runtime_1.spawn', undefined);
        parentPort.postMessage({ one: one(), afterOne, all: all(), afterAll: closures.loadedRuntimeModules() });
      })();
    `;
    const { RUNTIME_MODULES } = ((await import(closureModule)) as { default: unknown }).default as { RUNTIME_MODULES: ReadonlyMap<string, unknown> };
    for (let round = 0; round < 3; round++) {
      const worker = new Worker(script, { eval: true });
      const report = await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      await worker.terminate();
      expect(report).toEqual({
        one: Ordering.SeqCst,
        afterOne: ['../sync/ordering.js'],
        all: 'functionfunction',
        afterAll: expect.arrayContaining([...RUNTIME_MODULES.keys()]) as unknown,
      });
    }
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

  it('a joinAsync() that lost a race does not keep the process alive once the main module is done, and the process says so', () => {
    // The thread parks for ever: the pending wait used to keep the process alive, into the timeout.
    const { stdout, stderr, status } = spawnSync(process.execPath, [join(fixtures, 'raced-join.mjs')], {
      cwd: fixtures,
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect({ stdout, status }).toEqual({ stdout: 'timed out\n', status: 0 });
    expect(stderr).toBe(`${PENDING_WAITS_WARNING}\n`);
  });

  it('a top-level await of joinAsync() waits for the thread; a wait only a callback awaits ends with the main module', () => {
    // Nothing else keeps the process alive while the threads sleep: without the wait's own hold, Node would
    // end it with exit code 13 (an unsettled top-level await), which execFileSync throws.
    expect(run([join(fixtures, 'awaited-join.mjs')])).toBe('direct raced\n');
  });
});
