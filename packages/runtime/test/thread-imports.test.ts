import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * A thread calls what its spawning module imports: the thread imports those
 * modules itself. Run as child processes: tsc's ESM output, tsx and Node 24's
 * own type stripping (vitest itself: thread-closure-site.test.ts); tsc's
 * CommonJS output is refused with what to do.
 */

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

const packages = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

function run(args: string[], cwd = fixtures): { results: Record<string, unknown>; stderr: string } {
  const child = spawnSync(args[0] === 'npx' ? 'npx' : process.execPath, args[0] === 'npx' ? args.slice(1) : args, { cwd, encoding: 'utf8', timeout: 120_000 });
  if (child.status !== 0) throw new Error(`exited with ${child.status ?? child.signal}: ${child.stderr}`);
  return { results: JSON.parse(child.stdout) as Record<string, unknown>, stderr: child.stderr };
}

/** Where the first `text` in `file` is: `file:line:column`, the file as a path or (`asUrl`) a URL. */
function positionOf(file: string, text: string, asUrl: boolean): string {
  const source = readFileSync(file, 'utf8');
  const before = source.slice(0, source.indexOf(text));
  return `${asUrl ? pathToFileURL(file).href : file}:${before.split('\n').length}:${before.length - before.lastIndexOf('\n')}`;
}

/**
 * Checks a run of app.js or app.ts: its results, and the frames of its
 * thread's panic and trace. A closure laid out as in its file (tsc's output)
 * is compiled at its place: `at file:///…/app.js:L:C`; one whose layout
 * changed (tsx minifies) carries a source map: `at eval (/…/app.ts:L:C)`.
 */
function expectRun(file: string, args: string[], sourceMapped: boolean): void {
  const { results, stderr } = run([...args, file], dirname(file));
  const { panicFrame, ...rest } = results;
  const frame = (text: string): string =>
    sourceMapped ? `at eval (${positionOf(file, text, false)})` : `at ${positionOf(file, text, true)}`;
  expect(rest).toEqual(expected);
  expect(panicFrame).toBe(frame("new Error('thread stack')"));
  expect(stderr).toContain('Trace: trace from a thread');
  expect(stderr).toContain(frame("trace('trace from a thread')"));
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
    expectRun(join(dir, 'app.js'), [], false);
  });

  it('binds them in a TypeScript module run by tsx', () => {
    expectRun(join(fixtures, 'app.ts'), ['--import', 'tsx'], true);
  });

  it("binds them under Node 24's own type stripping (`node app.ts`, no tsx to be found)", () => {
    // Outside the repository, so that no tsx is found: the thread's worker strips the types of what it imports itself.
    // Node 24 comes from the npm registry through npx (some 30 MB once, then cached).
    const dir = mkdtempSync(join(tmpdir(), 'sendsync-strip-'));
    try {
      for (const file of sources) {
        // Type stripping imports TypeScript modules by their own names.
        writeFileSync(join(dir, file), readFileSync(join(fixtures, file), 'utf8').replace(/(from '\.\/\w+)\.js'/g, "$1.ts'"));
      }
      writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
      mkdirSync(join(dir, 'node_modules', '@sendsync'), { recursive: true });
      symlinkSync(join(packages, 'runtime'), join(dir, 'node_modules', '@sendsync', 'runtime'));
      symlinkSync(dirname(fileURLToPath(import.meta.resolve('acorn/package.json'))), join(dir, 'node_modules', 'acorn'));
      const version = execFileSync('npx', ['-y', 'node@24', '--version'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
      expect(version).toMatch(/^v24\./);
      expectRun(join(dir, 'app.ts'), ['npx', '-y', 'node@24'], false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a closure that uses tsc's CommonJS require of a helper, saying what to do", () => {
    const child = spawnSync(process.execPath, [join(fixtures, 'commonjs', 'app.cjs')], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stdout.trim()).toBe(
      "TypeError: spawn: the closure uses `helper_1`, a CommonJS require of './helper.cjs' (tsc's CommonJS output), " +
        'which a thread cannot bind: compile to ES modules ("module": "NodeNext" with "type": "module" in package.json)',
    );
  });
});
