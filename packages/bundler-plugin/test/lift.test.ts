import { describe, expect, it } from 'vitest';
import { liftThreads } from '../dist/lift.js';

describe('liftThreads rewrites each spawn to a thread entry made once', () => {
  it('makes the entry as the module loads, and a spawn in a loop passes it as it is', () => {
    const code = "import { spawn } from '@sendsync/runtime';\nfor (let i = 0; i < 3; i++) spawn(() => 1).join();\n";
    let refers = 0;
    const lifted = liftThreads(code, '/app/main.js', {
      runtimeModuleOf: () => undefined,
      reexported: () => undefined,
      reexports: () => false,
      refer: () => {
        refers++;
        return { module: 'new URL("./thread.js", import.meta.url).href', worker: 'new URL("./worker.js", import.meta.url).href' };
      },
    });
    expect(refers).toBe(1);
    // The URLs are resolved once, at the top (resolving two URLs per spawn cost microseconds each); the loop passes the entry.
    expect(lifted?.code.split('\n').slice(0, 2)).toEqual([
      'import { threadEntry as __sendsyncThreadEntry } from "@sendsync/runtime/internal/thread-entry"; ' +
        'const __sendsyncThread0 = /* @__PURE__ */ __sendsyncThreadEntry(new URL("./thread.js", import.meta.url).href, "default", new URL("./worker.js", import.meta.url).href); ' +
        "import { spawn } from '@sendsync/runtime';",
      'for (let i = 0; i < 3; i++) spawn(__sendsyncThread0).join();',
    ]);
  });

  it('keeps each line of the source on its line, in the rewritten module and in the lifted one, and maps each line to itself', () => {
    const code =
      "import { move, spawn } from '@sendsync/runtime';\nimport { square } from './helper.js';\n\nconst first = spawn(move(2), (n) => {\n  const squared = square(n);\n  throw new RangeError(`${squared}`);\n}).join();\nconst second = spawn(\n  () => 1,\n).join();\nexport { first, second };\n";
    const lifted = liftThreads(code, '/app/main.js', { runtimeModuleOf: () => undefined, reexported: () => undefined, reexports: () => false, refer: () => ({ module: '"m"', worker: '"w"' }) });
    const source = code.split('\n');
    const rewritten = lifted?.code.split('\n') ?? [];
    // The declarations stand before the first line's text; a closure's place keeps its line breaks, so the lines after it stay where they were.
    expect(rewritten.length).toBe(source.length);
    expect(rewritten.slice(1)).toEqual([source[1], source[2], 'const first = spawn(move(2), __sendsyncThread0', '', '', ').join();', 'const second = spawn(', '  __sendsyncThread1,', ').join();', source[10], '']);
    // The closure's `throw` is on line 6 of its module, as in the source (what a thread's stack names, through the map).
    const thread = lifted?.threads[0].code.split('\n') ?? [];
    expect(thread.slice(0, 3)).toEqual(['', '', '']);
    expect(thread.slice(3, 6)).toEqual(['import { "square" as square } from "./helper.js"; export default ((n) => {', source[4], source[5]]);
    // Each line's start maps to the same line's start of the source file, whose text the map holds.
    for (const module of [lifted, lifted?.threads[0]]) {
      expect(module?.map.sources).toEqual(['/app/main.js']);
      expect(module?.map.sourcesContent).toEqual([code]);
      expect(module?.map.mappings.split(';').slice(0, 3)).toEqual(['AAAA', 'AACA', 'AACA']);
      expect(module?.map.mappings.split(';').length).toBeGreaterThanOrEqual(module?.code.trimEnd().split('\n').length ?? Infinity);
    }
  });

  it('refuses a spawn inside a closure given to spawn, with its line, saying what to do', () => {
    const code = "import { spawn } from '@sendsync/runtime';\nspawn(() => {\n  return spawn(() => 1).join();\n});\n";
    expect(() =>
      liftThreads(code, '/app/main.js', { runtimeModuleOf: () => undefined, reexported: () => undefined, reexports: () => false, refer: () => ({ module: '"m"', worker: '"w"' }) }),
    ).toThrow(/^\/app\/main\.js:3:15: spawn: a closure given to spawn spawns a thread itself, .*move the code that spawns into a function of its own module/);
  });
});

describe('liftThreads refuses a var of the code around the closure', () => {
  const lift = (code: string): unknown =>
    liftThreads(code, '/app/main.js', { runtimeModuleOf: () => undefined, reexported: () => undefined, reexports: () => false, refer: () => ({ module: '"m"', worker: '"w"' }) });

  it('declared in a loop, a branch, a case or a catch clause of the function around it, or of the module', () => {
    const inFunction = "import { spawn } from '@sendsync/runtime';\nexport function f(x) {\n  if (x) {\n    for (var i = 0; i < 1; i++) {}\n  }\n  return spawn(() => i);\n}\n";
    expect(() => lift(inFunction)).toThrow(/^\/app\/main\.js:6:21: spawn: the closure uses `i`, declared around the closure/);
    const inModule = "import { spawn } from '@sendsync/runtime';\ntry {\n  switch (1) {\n    case 1: var j = 2;\n  }\n} catch {}\nspawn(() => j);\n";
    expect(() => lift(inModule)).toThrow(/^\/app\/main\.js:7:12: spawn: the closure uses `j`, declared in main\.js itself/);
  });

  it('and not one of a function or a class static block inside it', () => {
    const code = "import { spawn } from '@sendsync/runtime';\nfunction g() {\n  var k = 1;\n}\nclass C {\n  static {\n    var k = 2;\n  }\n}\nspawn(() => typeof k);\n";
    expect((lift(code) as { threads: unknown[] } | undefined)?.threads.length).toBe(1);
  });
});

describe('liftThreads reads only a module whose text can spawn', () => {
  /** The number of threads lifted from `code`, where the module `./threads.js` re-exports `spawn` as `go` (when `reexporter`). */
  const threadsOf = (code: string, reexporter = false): number =>
    liftThreads(code, '/app/main.ts', {
      runtimeModuleOf: () => undefined,
      reexported: (specifier, imported) => (reexporter && specifier === './threads.js' && imported === 'go' ? 'spawn' : undefined),
      reexports: (specifier) => reexporter && specifier === './threads.js',
      refer: () => ({ module: '"m"', worker: '"w"' }),
    })?.threads.length ?? 0;

  it('finds each way a spawn is written', () => {
    expect(threadsOf("import { spawn } from '@sendsync/runtime';\nspawn<number>(() => 1);\n")).toBe(1);
    expect(threadsOf("import { spawn } from '@sendsync/runtime';\nspawn?.(() => 1);\n")).toBe(1);
    expect(threadsOf("import * as rt from '@sendsync/runtime';\nrt\n  . spawn(() => 1);\n")).toBe(1);
    expect(threadsOf("import { Builder } from '@sendsync/runtime';\nnew Builder().name('a')\n  .spawn(() => 1);\n")).toBe(1);
    expect(threadsOf("import { scope } from '@sendsync/runtime';\nscope((s) => s.spawn(() => 1));\n")).toBe(1);
    expect(threadsOf("import { spawn // the thread API\n  as go } from '@sendsync/runtime';\ngo(() => 1);\n")).toBe(1);
    expect(threadsOf("import { go } from './threads.js';\ngo(() => 1);\n", true)).toBe(1);
  });

  it('finds a spawn far from the words that name the thread API: a Builder kept in variables, a scope passed on', () => {
    // The walk enters only the nodes that hold `spawn` or a name of the thread API (and a Builder's variables, once found).
    const builder = "import { Builder } from '@sendsync/runtime';\nconst b = new Builder().name('a');\nconst c = b;\nfunction later() {\n  if (c) return c.spawn(() => 1);\n}\nlater();\n";
    expect(threadsOf(builder)).toBe(1);
    expect(threadsOf("import { scope } from '@sendsync/runtime';\nscope((s) => run(s));\nfunction run(s) {\n  s.spawn(() => 1);\n}\n")).toBe(1);
  });

  it('reads TypeScript without its types: a type-only import is no capture, a value import is', () => {
    const code =
      "import { spawn } from '@sendsync/runtime';\nimport type { Job } from './job.js';\nimport { type Size, weigh } from './weigh.js';\n" +
      'export function run(job: Job, size: Size): number {\n  return spawn((values: readonly number[]): number => weigh(values as number[]) satisfies Size).join();\n}\n';
    const lifted = liftThreads(code, '/app/main.ts', { runtimeModuleOf: () => undefined, reexported: () => undefined, reexports: () => false, refer: () => ({ module: '"m"', worker: '"w"' }) });
    expect(lifted?.threads[0].code.split('\n')[4]).toBe('import { "weigh" as weigh } from "./weigh.js"; export default ((values: readonly number[]): number => weigh(values as number[]) satisfies Size);');
  });

  it('reads no further a module that imports spawn without calling it, or calls a name no module re-exports', () => {
    expect(threadsOf("import { spawn, move } from '@sendsync/runtime';\nexport const spawned = move(1);\n// spawn later\n")).toBe(0);
    expect(threadsOf("import { go } from './threads.js';\ngo(() => 1);\n")).toBe(0);
  });
});

describe('`using` in a lifted closure (unwind.ts)', () => {
  const lift = (code: string) =>
    liftThreads(code, '/app/main.js', { runtimeModuleOf: () => undefined, reexported: () => undefined, reexports: () => false, refer: () => ({ module: '"m"', worker: '"w"' }) })?.threads[0].code ?? '';

  it("puts a catch after each declaration, nested, that tells the declared resources of a panic, on the source's lines", () => {
    const code =
      "import { move, spawn } from '@sendsync/runtime';\nspawn(move(a, b), (a, b) => {\n  using x = a.lock(), y = b.lock();\n  x.value = 1;\n  using z = b.lock();\n  return z.value;\n});\n";
    const thread = lift(code).split('\n');
    expect(thread.length).toBe(code.split('\n').length);
    expect(thread[1]).toContain('import { unwinding as __sendsyncUnwinding } from "@sendsync/runtime/internal/thread-entry";');
    expect(thread.slice(2, 6)).toEqual([
      '  using x = a.lock(), y = b.lock(); try {',
      '  x.value = 1;',
      '  using z = b.lock(); try {',
      '  return z.value; } catch (__sendsyncError) { __sendsyncUnwinding(__sendsyncError, z); throw __sendsyncError; } } catch (__sendsyncError) { __sendsyncUnwinding(__sendsyncError, x, y); throw __sendsyncError; }',
    ]);
  });

  it('wraps the body of a `for (using … of …)` loop, and leaves a closure without `using` as it is', () => {
    const loop = lift("import { spawn } from '@sendsync/runtime';\nspawn(() => { for (using g of gs()) work(g); });\n");
    expect(loop).toContain('for (using g of gs()) { try { work(g); } catch (__sendsyncError) { __sendsyncUnwinding(__sendsyncError, g); throw __sendsyncError; } }');
    const plain = lift("import { spawn } from '@sendsync/runtime';\nspawn(() => { const g = 1; return g; });\n");
    expect(plain).not.toContain('__sendsyncUnwinding');
  });

  it('leaves a block that declares a function after a `using` as it is: the `try` would hide the hoisted function from the statements before', () => {
    const thread = lift("import { spawn } from '@sendsync/runtime';\nspawn(() => { early(); using g = lock(); work(g); function early() {} });\n");
    expect(thread).not.toContain('__sendsyncUnwinding');
  });
});
