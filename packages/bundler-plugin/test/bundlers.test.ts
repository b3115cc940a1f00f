import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, context as esbuildContext, type BuildOptions, type Plugin } from 'esbuild';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { watch as rollupWatch, type Plugin as RollupPlugin, type RollupWatcherEvent } from 'rollup';
import { build as vite } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import sendsyncEsbuild from '../dist/esbuild.js';
import sendsyncRollup from '../dist/rollup.js';
import sendsyncVite from '../dist/vite.js';
import { BUNDLERS, buildApp, buildBrowserApp } from './builders.js';

/*
 * The app in fixtures/app, built by each bundler with the plugin, minified,
 * run on Node with code generation from strings forbidden (as a strict
 * Content Security Policy forbids it): its threads call an imported helper,
 * lock a shared Mutex, use a channel, and one panics; its stack names the
 * app's source file, through the bundle's source maps.
 */

const app = fileURLToPath(new URL('./fixtures/app/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'sendsync-bundlers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const EXPECTED = [
  'sum of squares: 204',
  'producer sent 1',
  'producer sent 4',
  'producer sent 9',
  'builder variable: named',
  'namespace: 36',
  're-export: 49',
  're-export, in a module that never names spawn: 27',
  'scope: 81',
  'panic: thread panicked on purpose',
];

/** Runs a built app's main.js; its output lines, and stderr. */
function run(outDir: string, main = 'main.js'): { lines: string[]; stderr: string; status: number | null } {
  const child = spawnSync(process.execPath, ['--enable-source-maps', '--disallow-code-generation-from-strings', join(outDir, main)], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { lines: child.stdout.trim().split('\n'), stderr: child.stderr, status: child.status };
}

describe.each(BUNDLERS)('an app built by %s with the plugin, minified', (bundler) => {
  it('runs its threads from the bundle: imported helper, Mutex, channel, Builder, namespace, re-export, scope, panic', async () => {
    const outDir = join(work, bundler);
    await buildApp(bundler, join(app, 'main.js'), outDir);
    const { lines, stderr, status } = run(outDir);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(lines.slice(0, EXPECTED.length)).toEqual(EXPECTED);
    // The panic's frame names the source file and line of the closure's `throw`, not a chunk of the bundle.
    expect(lines.at(-1)).toMatch(/^panic stack: at .*fixtures\/app\/main\.js:45:\d+\)$/);
    // The closures' own text is in their chunks, not in the main one.
    const chunks = readdirSync(outDir, { recursive: true }).map(String).filter((file) => file.endsWith('.js'));
    const holding = chunks.filter((file) => readFileSync(join(outDir, file), 'utf8').includes('thread panicked on purpose'));
    expect(holding.length).toBe(1);
    expect(holding[0]).not.toBe('main.js');
    // The worker holds the runtime's codec modules the app holds (sync, sync/mpsc), and not the others (rc's, say).
    expect(chunks.filter((file) => readFileSync(join(outDir, file), 'utf8').includes('rc::Weak'))).toEqual([]);
  });

  it("decodes in a thread a value whose class only another thread's closure names", async () => {
    const outDir = join(work, `${bundler}-codec`);
    await buildApp(bundler, join(app, 'codec-from-closure.js'), outDir);
    // webpack and Rspack name the output after the entry's name (main), the others after its file.
    const { lines, stderr, status } = run(outDir, bundler === 'webpack' || bundler === 'rspack' ? 'main.js' : 'codec-from-closure.js');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(lines).toEqual(['a Cell from another thread: 5']);
  });
});

describe.each(['webpack', 'rspack'] as const)('%s with its cache on disk', (bundler) => {
  it('builds from its cache an app whose threads run (a second build, which transforms again only the modules the plugin rewrites or serves)', async () => {
    const cacheDirectory = join(work, `${bundler}-cache`);
    for (const round of ['first', 'from the cache']) {
      const outDir = join(work, `${bundler}-cached-${round === 'first' ? 1 : 2}`);
      await buildApp(bundler, join(app, 'main.js'), outDir, true, cacheDirectory);
      const { lines, stderr, status } = run(outDir);
      expect(stderr, round).toBe('');
      expect(status, round).toBe(0);
      expect(lines.slice(0, EXPECTED.length), round).toEqual(EXPECTED);
    }
    expect(readdirSync(cacheDirectory).length).toBeGreaterThan(0);
  });
});

describe.each(['webpack', 'rspack'] as const)('%s: a web build', (bundler) => {
  it("holds one copy of the runtime's modules, shared by the app and the worker, and no chunk of the runtime's own worker bootstrap", async () => {
    const outDir = join(work, `${bundler}-web-chunks`);
    await buildBrowserApp(bundler, fileURLToPath(new URL('./fixtures/browser-app/', import.meta.url)), outDir);
    const chunks = readdirSync(outDir).filter((file) => file.endsWith('.js'));
    const text = (file: string): string => readFileSync(join(outDir, file), 'utf8');
    // The Mutex's codec (the app and the worker both use it) is in the shared chunk alone, not in a copy for each entry.
    expect(chunks.filter((file) => text(file).includes('sendsync:Mutex'))).toEqual(['sendsync-runtime.js']);
    // The only worker the output starts from a chunk it names is the watcher's (the web host's own bootstrap is not bundled).
    expect([...new Set(chunks.flatMap((file) => [...text(file).matchAll(/new Worker\(new URL\("\.\/([^"]+)"/g)].map((match) => match[1])))]).toEqual(['sendsync-watcher.js']);
  });
});

describe('Vite: a web build from index.html', () => {
  it("gives the worker the runtime's codec modules the page's module scripts import, and not the others", async () => {
    const outDir = join(work, 'vite-web');
    await buildBrowserApp('vite', fileURLToPath(new URL('./fixtures/browser-app/', import.meta.url)), outDir);
    const chunks = readdirSync(outDir, { recursive: true }).map(String).filter((file) => file.endsWith('.js'));
    const worker = chunks.filter((file) => file.includes('sendsync-worker'));
    expect(worker.length).toBe(1);
    // The page's script imports sync and sync/mpsc (Mutex, channel): rc's codecs (its Weak's name among them) are in no chunk.
    expect(chunks.filter((file) => readFileSync(join(outDir, file), 'utf8').includes('rc::Weak'))).toEqual([]);
  });
});

describe('esbuild: one build, whose threads and worker are chunks of it', () => {
  it('runs with the main output in a folder of its own, from a build that does not write (write: false)', async () => {
    const outDir = join(work, 'esbuild-nested');
    const result = await build({
      entryPoints: [join(app, 'main.js')],
      entryNames: 'app/[name]',
      bundle: true,
      format: 'esm',
      platform: 'node',
      minify: true,
      sourcemap: true,
      outdir: outDir,
      write: false,
      logLevel: 'silent',
      plugins: [sendsyncEsbuild()],
    });
    for (const file of result.outputFiles) {
      mkdirSync(dirname(file.path), { recursive: true });
      writeFileSync(file.path, file.contents);
      // Each thread module's and the worker's `import()` became its URL's string: nothing imports them in the main thread.
      if (file.path.endsWith('.js')) expect(file.text).not.toMatch(/import\("\.{1,2}\/(?:[^"]*thread|bundled-worker)/);
    }
    writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
    const { lines, stderr, status } = run(outDir, 'app/main.js');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(lines.slice(0, EXPECTED.length)).toEqual(EXPECTED);
    expect(lines.at(-1)).toMatch(/^panic stack: at .*fixtures\/app\/main\.js:45:\d+\)$/);
  });

  it('refuses an outfile, saying what to do', async () => {
    const failure = await build({
      entryPoints: [join(app, 'main.js')],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile: join(work, 'esbuild-outfile', 'main.js'),
      logLevel: 'silent',
      plugins: [sendsyncEsbuild()],
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(String((failure as Error | undefined)?.message)).toContain("build with format: 'esm' and an outdir (not an outfile)");
  });
});

describe('esbuild: the plugin lifts only the modules that may spawn, read from the entries as it is set up', () => {
  /** An app of three modules, in a folder of its own; `triple.js` spawns nothing. */
  function smallApp(name: string): string {
    const dir = join(work, name);
    mkdirSync(dir);
    symlinkSync(fileURLToPath(new URL('../../../node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'main.js'), "import { double } from './double.js';\nimport { triple } from './triple.js';\nconsole.log(`double: ${double(21)}, triple: ${triple(3)}`);\n");
    writeFileSync(join(dir, 'double.js'), "import { move, spawn } from '@sendsync/runtime';\nexport const double = (n) => spawn(move(n), (n) => n * 2).join();\n");
    writeFileSync(join(dir, 'triple.js'), 'export const triple = (n) => n * 3;\n');
    return dir;
  }
  const TRIPLE_SPAWNS = "import { move, spawn } from '@sendsync/runtime';\nexport const triple = (n) => spawn(move(n), (n) => n * 3).join();\n";
  const options = (dir: string, plugin: Plugin = sendsyncEsbuild()): BuildOptions => ({
    entryPoints: [join(dir, 'main.js')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outdir: join(dir, 'out'),
    logLevel: 'silent',
    plugins: [plugin],
  });
  const runSmall = (dir: string): { lines: string[]; stderr: string; status: number | null } => {
    writeFileSync(join(dir, 'out', 'package.json'), '{ "type": "module" }\n');
    return run(join(dir, 'out'));
  };

  it("calls the plugin's onLoad for the app's modules that spawn only (and the runtime's host), not for every module", async () => {
    const dir = smallApp('esbuild-narrow');
    const loaded: string[] = [];
    const plugin = sendsyncEsbuild();
    // The plugin's own onLoad callbacks, each wrapped to note the file esbuild gives it.
    const noting: Plugin = {
      name: 'noting',
      setup: async (build) =>
        plugin.setup({
          ...build,
          onStart: build.onStart.bind(build),
          onEnd: build.onEnd.bind(build),
          onResolve: build.onResolve.bind(build),
          resolve: build.resolve.bind(build),
          onLoad: (filter, callback) =>
            build.onLoad(filter, (args) => {
              if (args.namespace === 'file') loaded.push(args.path);
              return callback(args);
            }),
        }),
    };
    await build(options(dir, noting));
    expect(loaded.filter((file) => file.startsWith(dir))).toEqual([join(dir, 'double.js')]);
    expect(runSmall(dir).lines).toEqual(['double: 42, triple: 9']);
  });

  it('fails the rebuild of a context in which a module that spawned nothing now spawns, naming it; a new context lifts it', async () => {
    const dir = smallApp('esbuild-context');
    const context = await esbuildContext(options(dir));
    try {
      await context.rebuild();
      expect(runSmall(dir).lines).toEqual(['double: 42, triple: 9']);
      writeFileSync(join(dir, 'triple.js'), TRIPLE_SPAWNS);
      const failure = await context.rebuild().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(String((failure as Error | undefined)?.message)).toContain(
        `${join(dir, 'triple.js')}: spawn: this module spawns a thread since this esbuild context was made, and esbuild fixed which modules @sendsync/bundler-plugin lifts as the context was made`,
      );
      expect(String((failure as Error | undefined)?.message)).toContain("make a new context (restart esbuild's watch or serve)");
    } finally {
      await context.dispose();
    }
    const again = await esbuildContext(options(dir));
    try {
      await again.rebuild();
    } finally {
      await again.dispose();
    }
    const { lines, stderr, status } = runSmall(dir);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(lines).toEqual(['double: 42, triple: 9']);
  });

  it('rebuilds a context in which a module it lifts changes', async () => {
    const dir = smallApp('esbuild-context-edit');
    const context = await esbuildContext(options(dir));
    try {
      await context.rebuild();
      writeFileSync(join(dir, 'double.js'), "import { move, spawn } from '@sendsync/runtime';\nexport const double = (n) => spawn(move(n), (n) => n * 20).join();\n");
      await context.rebuild();
    } finally {
      await context.dispose();
    }
    expect(runSmall(dir).lines).toEqual(['double: 420, triple: 9']);
  });
});

describe("Rollup's watch mode: the plugin transforms only the modules that may spawn, read again for each rebuild", () => {
  it('lifts the spawn of a module edited to spawn on the next rebuild, whose output runs', async () => {
    const dir = join(work, 'rollup-watch');
    mkdirSync(dir);
    symlinkSync(fileURLToPath(new URL('../../../node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'main.js'), "import { double } from './double.js';\nimport { triple } from './triple.js';\nconsole.log(`double: ${double(21)}, triple: ${triple(3)}`);\n");
    writeFileSync(join(dir, 'double.js'), "import { move, spawn } from '@sendsync/runtime';\nexport const double = (n) => spawn(move(n), (n) => n * 2).join();\n");
    writeFileSync(join(dir, 'triple.js'), 'export const triple = (n) => n * 3;\n');
    const outDir = join(dir, 'out');
    mkdirSync(outDir);
    writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
    const plugin = sendsyncRollup() as RollupPlugin;
    // The plugin's transform handler, which Rollup calls for the modules its filter matches, noting each.
    const hook = plugin.transform as unknown as { handler: (this: unknown, code: string, id: string) => unknown };
    const transformed: string[] = [];
    const handler = hook.handler;
    hook.handler = function (this: unknown, code: string, id: string) {
      transformed.push(id);
      return handler.call(this, code, id);
    };
    const watcher = rollupWatch({
      input: join(dir, 'main.js'),
      plugins: [plugin, nodeResolve({ exportConditions: ['node'] })],
      external: [/^node:/],
      onwarn: () => undefined,
      output: { dir: outDir, format: 'es' },
      watch: { buildDelay: 50 },
    });
    /** The next build's end: its error, or none. */
    const built = async (): Promise<void> =>
      new Promise((resolve, reject) => {
        const listener = (event: RollupWatcherEvent): void => {
          if (event.code === 'BUNDLE_END') void event.result.close();
          if (event.code !== 'END' && event.code !== 'ERROR') return;
          watcher.off('event', listener);
          if (event.code === 'ERROR') reject(new Error(event.error.message));
          else resolve();
        };
        watcher.on('event', listener);
      });
    try {
      await built();
      expect(transformed.filter((id) => id.startsWith(dir))).toEqual([join(dir, 'double.js')]);
      expect(run(outDir).lines).toEqual(['double: 42, triple: 9']);
      transformed.length = 0;
      const rebuilt = built();
      writeFileSync(join(dir, 'triple.js'), "import { move, spawn } from '@sendsync/runtime';\nexport const triple = (n) => spawn(move(n), (n) => n * 30).join();\n");
      await rebuilt;
      expect(transformed.filter((id) => id.startsWith(dir))).toContain(join(dir, 'triple.js'));
    } finally {
      await watcher.close();
    }
    const { lines, stderr, status } = run(outDir);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(lines).toEqual(['double: 42, triple: 90']);
  });
});

describe('a module reached through an import the plugin does not follow as the build starts', () => {
  it("Vite's resolve.alias: the plugin reads every module of the app, and lifts the spawn of the aliased one", async () => {
    const dir = join(work, 'vite-alias');
    mkdirSync(dir);
    symlinkSync(fileURLToPath(new URL('../../../node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
    writeFileSync(join(dir, 'main.js'), "import { double } from '~/double.js';\nconsole.log(`double: ${double(21)}`);\n");
    writeFileSync(join(dir, 'double.js'), "import { move, spawn } from '@sendsync/runtime';\nexport const double = (n) => spawn(move(n), (n) => n * 2).join();\n");
    const outDir = join(dir, 'out');
    await vite({
      configFile: false,
      root: dir,
      logLevel: 'silent',
      plugins: [sendsyncVite()],
      resolve: { alias: { '~': dir } },
      ssr: { noExternal: true, target: 'node' },
      build: { ssr: join(dir, 'main.js'), outDir, emptyOutDir: true, minify: true },
    });
    writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
    const { lines, stderr, status } = run(outDir, 'main.mjs');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(lines).toEqual(['double: 42']);
  });
});

describe("on Deno, whose Node host starts the watcher's worker (it has no /proc to see a worker die)", () => {
  it.each(BUNDLERS)('%s: the watcher is part of the build, and the app runs with --allow-read of the build only', async (bundler) => {
    const outDir = join(work, `${bundler}-deno`);
    await buildApp(bundler, join(app, 'main.js'), outDir);
    const deno = fileURLToPath(new URL('../../../node_modules/.bin/deno', import.meta.url));
    const child = spawnSync(deno, ['run', `--allow-read=${outDir}`, join(outDir, 'main.js')], { encoding: 'utf8', timeout: 120_000 });
    // Without the watcher in the build, Deno reports `Module not found ".../internal/watcher.js"` from the watcher's worker.
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout.trim().split('\n').slice(0, EXPECTED.length)).toEqual(EXPECTED);
  });
});

describe('the plugin refuses at build time what the run time refuses', () => {
  it.each(BUNDLERS)('%s: a name declared in the spawning module, with its file and line', async (bundler) => {
    const failure = await buildApp(bundler, join(app, 'refused.js'), join(work, `refused-${bundler}`)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(String((failure as Error | undefined)?.message)).toMatch(
      /refused\.js:9:\d+: spawn: the closure uses `limit`, declared in refused\.js itself, which a thread cannot see: move it to its own module and import it there, or move\(\.\.\.\) it in if it is Send data/,
    );
  });

  it('a local of the function around the closure', async () => {
    const failure = await buildApp('esbuild', join(app, 'refused-local.js'), join(work, 'refused-local')).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(String((failure as Error | undefined)?.message)).toMatch(/refused-local\.js:7:\d+: spawn: the closure uses `factor`, declared around the closure/);
  });
});

describe('without the plugin', () => {
  it.each(BUNDLERS)('%s: a bundled spawn fails at spawn with an error naming the plugin, never a ReferenceError in a thread', async (bundler) => {
    const outDir = join(work, `bare-${bundler}`);
    await buildApp(bundler, join(app, 'main.js'), outDir, false);
    const { stderr, status } = run(outDir);
    expect(status).not.toBe(0);
    expect(stderr).toContain('TypeError: spawn: this program is bundled');
    expect(stderr).toContain('build it with @sendsync/bundler-plugin');
    expect(stderr).not.toContain('ReferenceError');
  });
});

describe('`using` in lifted closures, lowered by the bundler with its own helpers', () => {
  const unwind = fileURLToPath(new URL('./fixtures/unwind/main.js', import.meta.url));
  const UNWIND_EXPECTED = [
    'panic: half-way',
    'poisoned by a panic: true',
    'both poisoned: true true; reader free: true',
    'pool: 55, poisoned: false',
    'poisoned in a loop: true',
  ];

  it.each(['esbuild', 'vite'] as const)('%s: a panic leaving a guard\'s block poisons its lock, a RecvError does not, as in a closure the runtime compiles', async (bundler) => {
    const outDir = join(work, `${bundler}-unwind`);
    if (bundler === 'esbuild') {
      // Node 20 has no native `using`: esbuild lowers it for the target, with its `__using`/`__callDispose`.
      await build({ entryPoints: [unwind], bundle: true, format: 'esm', platform: 'node', target: 'node20', minify: true, outdir: outDir, logLevel: 'silent', plugins: [sendsyncEsbuild()] });
      writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
    } else {
      await buildApp(bundler, unwind, outDir);
    }
    const { lines, stderr, status } = run(outDir, 'main.js');
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(lines).toEqual(UNWIND_EXPECTED);
  });
});
