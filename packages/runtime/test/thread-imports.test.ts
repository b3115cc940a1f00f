import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * A thread calls what its spawning module imports: the thread imports those
 * modules itself. Run as child processes: tsc's ESM output, tsx and Node 24's
 * own type stripping (vitest itself: thread-closure-site.test.ts); tsc's
 * CommonJS output is refused with what to do. A thread that spawns calls
 * imports too: its closure's frames name the spawning file (or a source URL
 * of it), which stands for the module the thread found it in.
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
  // Threads that spawn threads calling imports: 5 doubled at each of three levels, and a default import from a thread's scope.
  nested: 40,
  nestedScoped: 'hello, nested scope',
  nestedRenamed: [6],
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

/** Where the first `text` in `file` is: `file:line:column`, 1-based. */
function positionOf(file: string, text: string): string {
  const source = readFileSync(file, 'utf8');
  const before = source.slice(0, source.indexOf(text));
  return `${file}:${before.split('\n').length}:${before.length - before.lastIndexOf('\n')}`;
}

/**
 * The `file:line:column` a stack frame names: a closure laid out as in its
 * file is compiled at its place (`at file:///…/app.js:L:C`), one whose layout
 * a compiler changed (tsx minifies) carries a source map (`at eval (/…/app.ts:L:C)`).
 */
function positionIn(frame: string): string {
  const match = /^at (?:eval \()?(.+?):(\d+):(\d+)\)?$/.exec(frame.trim());
  if (match === null) return frame;
  const file = match[1].startsWith('file:') ? fileURLToPath(match[1]) : match[1];
  return `${file}:${match[2]}:${match[3]}`;
}

/** Checks a run of app.js or app.ts: its results, and where its thread's panic and trace say they are (in `source`). */
function expectRun(file: string, args: string[], source = file): void {
  const { results, stderr } = run([...args, file], dirname(file));
  const { panicFrame, nestedPanicFrame, ...rest } = results;
  expect(rest).toEqual(expected);
  expect(positionIn(panicFrame as string)).toBe(positionOf(source, "new Error('thread stack')"));
  expect(positionIn(nestedPanicFrame as string)).toBe(positionOf(source, "new Error('nested thread stack')"));
  const trace = stderr.split('\n');
  expect(trace[trace.indexOf('Trace: trace from a thread') + 1]).toBeDefined();
  expect(positionIn(trace[trace.indexOf('Trace: trace from a thread') + 1])).toBe(positionOf(source, "trace('trace from a thread')"));
}

/** tsc's ESM output of the fixtures in `.out/<name>`; with `sourceMaps`, each beside its map to the source. */
function compileWithTsc(name: string, sourceMaps: boolean): string {
  const dir = join(fixtures, '.out', name);
  mkdirSync(dir, { recursive: true });
  for (const file of sources) {
    const output = file.replace(/\.ts$/, '.js');
    const { outputText, sourceMapText } = ts.transpileModule(readFileSync(join(fixtures, file), 'utf8'), {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true, sourceMap: sourceMaps },
      fileName: file,
    });
    writeFileSync(join(dir, output), outputText.replace(/\/\/# sourceMappingURL=.*/, `//# sourceMappingURL=${output}.map`));
    if (sourceMapText !== undefined) {
      const map = JSON.parse(sourceMapText) as { sources: string[] };
      map.sources = [`../../${file}`];
      writeFileSync(join(dir, `${output}.map`), JSON.stringify(map));
    }
  }
  return join(dir, 'app.js');
}

describe('imports of the spawning module', { timeout: 300_000 }, () => {
  it('binds named, default and namespace imports of helpers, node: built-ins and packages (tsc ESM output)', () => {
    expectRun(compileWithTsc('tsc', false), []);
  });

  it("names the .ts in a thread's frames when tsc's output runs with its source maps (--enable-source-maps)", () => {
    expectRun(compileWithTsc('maps', true), ['--enable-source-maps'], join(fixtures, 'app.ts'));
  });

  it('binds them in a TypeScript module run by tsx', () => {
    expectRun(join(fixtures, 'app.ts'), ['--import', 'tsx']);
  });

  it('decodes handles of types its worker had not loaded, received after the start, under tsx', () => {
    // The receiving thread starts holding a Receiver only, and its closure names no other type (a name a closure uses,
    // even in a type, has its thread import the name's module): the Arcs, the Mutex and the JoinHandles it is given
    // afterwards are of types its worker has not loaded, and a receive decodes them synchronously. tsx compiles what
    // `require` loads into a second copy, so such a codec cannot be loaded as its first value arrives.
    const run = (file: string): unknown => {
      const child = spawnSync(process.execPath, ['--import', 'tsx', join(fixtures, file)], { cwd: fixtures, encoding: 'utf8', timeout: 120_000 });
      expect(child.stderr).toBe('');
      return JSON.parse(child.stdout);
    };
    expect(run('received-arc.ts')).toEqual({ sum: 4, strong: 1 });
    expect(run('received-handles.ts')).toEqual({ sum: 104, total: 104, strong: 1 });
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
      expectRun(join(dir, 'app.ts'), ['npx', '-y', 'node@24']);
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
