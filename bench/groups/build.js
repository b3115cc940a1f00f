// @ts-check
/**
 * The bundler plugin's build-time cost (issue 20): esbuild building a
 * generated app of 200 modules (one in ten spawns) with
 * @sendsync/bundler-plugin and alone, beside esbuild building the app with
 * the runtime's bundled worker as a second entry, and the app as the plugin
 * rewrites it, in files (about the output the plugin adds, without the
 * plugin); in full runs, Rollup, Vite and webpack building the same app in
 * JavaScript, each alone and with the plugin.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import sendsyncRollup from '@sendsync/bundler-plugin/rollup';
import sendsyncVite from '@sendsync/bundler-plugin/vite';
import sendsyncWebpack from '@sendsync/bundler-plugin/webpack';
import { transform, transformSync } from 'esbuild';
import { rollup } from 'rollup';
import { build as vite } from 'vite';
import webpack from 'webpack';
import { esbuildApp } from '../lib/esbuild-app.js';

/** The bundlers whose build rows follow esbuild's. */
const BUNDLERS = /** @type {const} */ (['rollup', 'vite', 'webpack']);
/** The runtime's worker entry for a bundle, as the plugin adds it. */
const BUNDLED_WORKER = fileURLToPath(import.meta.resolve('@sendsync/runtime/internal/bundled-worker'));
const REPO_NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

/**
 * Builds the generated app's JavaScript entry with Rollup, Vite or webpack, as the plugin's README shows (minified, with
 * source maps, ES modules for Node), with the plugin or without, into `outdir`.
 * @param {'rollup' | 'vite' | 'webpack'} bundler
 * @param {string} entry
 * @param {string} outdir
 * @param {boolean} withPlugin
 */
async function buildWith(bundler, entry, outdir, withPlugin) {
  if (bundler === 'rollup') {
    /** @type {import('rollup').Plugin} esbuild's minifier in renderChunk, as rollup-plugin-esbuild does it */
    const minify = { name: 'minify', renderChunk: async (code) => transform(code, { minify: true, sourcemap: true, format: 'esm' }) };
    const bundle = await rollup({ input: entry, plugins: [...(withPlugin ? [sendsyncRollup()] : []), nodeResolve({ exportConditions: ['node'] }), minify], external: [/^node:/], onwarn: () => undefined });
    await bundle.write({ dir: outdir, format: 'es', sourcemap: true });
    await bundle.close();
  } else if (bundler === 'vite') {
    await vite({
      configFile: false,
      root: path.dirname(entry),
      logLevel: 'silent',
      plugins: withPlugin ? [sendsyncVite()] : [],
      ssr: { noExternal: true, target: 'node' },
      build: { ssr: entry, outDir: outdir, emptyOutDir: true, minify: true, sourcemap: true },
    });
  } else {
    const compiler = webpack({
      mode: 'production',
      target: 'node',
      context: path.dirname(entry),
      entry: { main: entry },
      devtool: 'source-map',
      output: { path: outdir, module: true, filename: '[name].js', chunkFormat: 'module', chunkLoading: 'import' },
      experiments: { outputModule: true },
      plugins: withPlugin ? [sendsyncWebpack()] : [],
    });
    /** @type {import('webpack').Stats | undefined} */
    const stats = await new Promise((resolve, reject) => compiler.run((error, result) => (error ? reject(error) : resolve(result))));
    await new Promise((resolve) => compiler.close(resolve));
    if (stats?.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }));
  }
}


/**
 * A generated app of `files` modules, in TypeScript and the same in JavaScript (for the bundlers that read no
 * TypeScript by themselves): each has some plain code and one in ten spawns a closure that calls an import.
 * @param {number} files
 */
function writeApp(files) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sendsync-bundle-app-'));
  symlinkSync(REPO_NODE_MODULES, path.join(dir, 'node_modules'), 'dir');
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'src', 'helper.ts'), 'export function weigh(values: readonly number[]): number {\n  return values.reduce((sum, value) => sum + value, 0);\n}\n');
  const names = [];
  for (let i = 0; i < files; i++) {
    const name = `job-${String(i).padStart(3, '0')}`;
    names.push(name);
    const spawns = i % 10 === 0;
    writeFileSync(
      path.join(dir, 'src', `${name}.ts`),
      `import { move, spawn } from '@sendsync/runtime';
import { weigh } from './helper.js';

/** Settings of job ${i}. */
export interface Settings${i} {
  readonly retries: number;
  readonly tags: readonly string[];
}

const defaults: Settings${i} = { retries: ${i % 7}, tags: ['a', 'b'] };

/** Job ${i}'s score of some values. */
export function score${i}(values: number[], settings: Settings${i} = defaults): number {
  let total = 0;
  for (const [index, value] of values.entries()) total += value * (index % (settings.retries + 1));
  ${spawns ? 'return total + spawn(move(values), (values) => weigh(values) * 2).join();' : 'return total + weigh(values);'}
}
`,
    );
  }
  writeFileSync(
    path.join(dir, 'src', 'index.ts'),
    names.map((name, i) => `import { score${i} } from './${name}.js';`).join('\n') + `\nexport const jobs = [${names.map((_, i) => `score${i}`).join(', ')}];\n`,
  );
  writeLifted(dir);
  // The JavaScript twin: types stripped, every import kept (as `tsc` with verbatimModuleSyntax writes it).
  mkdirSync(path.join(dir, 'js'));
  for (const file of readdirSync(path.join(dir, 'src'))) {
    const { code } = transformSync(readFileSync(path.join(dir, 'src', file), 'utf8'), { loader: 'ts', format: 'esm', tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } } });
    writeFileSync(path.join(dir, 'js', file.replace(/\.ts$/, '.js')), code);
  }
  return { entry: path.join(dir, 'src', 'index.ts'), liftedEntry: path.join(dir, 'lifted', 'index.ts'), jsEntry: path.join(dir, 'js', 'index.js'), dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}


/**
 * The generated app as the plugin rewrites it, in files of its own (`lifted/`): each spawning module names its thread
 * module and the worker through `threadEntry` and `import()`, each thread module imports what its closure uses, and the
 * worker's entry imports the runtime's bootstrap for a bundle. esbuild alone builds from it what it builds with the
 * plugin: the difference between the two is the plugin's own cost, and this build's over the app's the output's.
 * @param {string} dir
 */
function writeLifted(dir) {
  const lifted = path.join(dir, 'lifted');
  mkdirSync(lifted);
  writeFileSync(path.join(lifted, 'worker.js'), "import '@sendsync/runtime/internal/bundled-worker';\n");
  for (const file of readdirSync(path.join(dir, 'src'))) {
    let code = readFileSync(path.join(dir, 'src', file), 'utf8');
    const at = code.indexOf('spawn(move(values), (values) => weigh(values) * 2)');
    if (at !== -1) {
      const thread = `${file}.thread.ts`;
      writeFileSync(path.join(lifted, thread), "import { weigh } from './helper.js';\nexport default (values: number[]) => weigh(values) * 2;\n");
      code =
        "import { threadEntry } from '@sendsync/runtime/internal/thread-entry';\n" +
        `const thread = /* @__PURE__ */ threadEntry(new URL(import('./${thread}'), import.meta.url).href, 'default', new URL(import('./worker.js'), import.meta.url).href);\n` +
        code.replace('(values) => weigh(values) * 2', 'thread');
    }
    writeFileSync(path.join(lifted, file), code);
  }
}


/**
 * One build of the generated app, timed.
 * @param {string} entry
 * @param {string} outdir
 * @param {boolean} withPlugin
 */
async function timeBuild(entry, outdir, withPlugin) {
  rmSync(outdir, { recursive: true, force: true });
  const start = performance.now();
  await esbuildApp([entry], outdir, withPlugin);
  return performance.now() - start;
}


/** @param {import('../lib/measure.js').Mode} mode @returns {import('../lib/measure.js').Group} */
export default function buildCost(mode) {
  const files = mode.quick ? 20 : 200;
  const out = mkdtempSync(path.join(os.tmpdir(), 'sendsync-build-'));
  /** @type {ReturnType<typeof writeApp> | undefined} */
  let app;

  return {
    id: 'build',
    title: `Build time with the bundler plugin: a generated app of ${files} modules (one in ten spawns), minified, with source maps`,
    rows: [
      {
        id: 'floor.esbuild-app',
        label: `esbuild builds a ${files}-module TypeScript app (one in ten spawns), minified, with source maps`,
        role: 'floor',
        op: 'build',
        kind: 'cost',
        n: 1,
        setup() {
          app = writeApp(files);
        },
        run: () => timeBuild(/** @type {ReturnType<typeof writeApp>} */ (app).entry, path.join(out, 'app-bare'), false),
        // The first row's teardown runs last: the builds' outputs and the app go once every row is done.
        teardown: () => {
          app?.remove();
          rmSync(out, { recursive: true, force: true });
        },
      },
      {
        id: 'ours.esbuild-app-plugin',
        label: 'the same with @sendsync/bundler-plugin (its thread modules and worker included)',
        role: 'ours',
        op: 'build-plugin',
        floor: 'floor.esbuild-app',
        kind: 'cost',
        n: 1,
        budget: { of: 'vsFloor', max: 1.2, text: '≤ 1.2× esbuild alone' },
        run: () => timeBuild(/** @type {ReturnType<typeof writeApp>} */ (app).entry, path.join(out, 'app-plugin'), true),
      },
      {
        id: 'floor.esbuild-app-worker',
        label: "esbuild alone, the app and the runtime's bundled worker as a second entry (splitting): the output the plugin adds",
        role: 'floor',
        op: 'build-worker',
        kind: 'cost',
        n: 1,
        run: async () => {
          const outdir = path.join(out, 'app-worker');
          rmSync(outdir, { recursive: true, force: true });
          const start = performance.now();
          await esbuildApp([/** @type {ReturnType<typeof writeApp>} */ (app).entry, BUNDLED_WORKER], outdir, false, { splitting: true });
          return performance.now() - start;
        },
      },
      {
        id: 'floor.esbuild-app-lifted',
        label: "esbuild alone, the app as the plugin rewrites it, in files (its thread modules and the worker's entry; splitting): the plugin's output without the plugin",
        role: 'floor',
        op: 'build-lifted',
        kind: 'cost',
        n: 1,
        run: async () => {
          const outdir = path.join(out, 'app-lifted');
          rmSync(outdir, { recursive: true, force: true });
          const start = performance.now();
          await esbuildApp([/** @type {ReturnType<typeof writeApp>} */ (app).liftedEntry], outdir, false, { splitting: true });
          return performance.now() - start;
        },
      },
      // The other bundlers' builds take seconds each: full runs only.
      ...(mode.quick ? [] : BUNDLERS).flatMap((bundler) => {
        /** @param {boolean} withPlugin */
        const timed = async (withPlugin) => {
          const outdir = path.join(out, `${bundler}-${withPlugin ? 'plugin' : 'bare'}`);
          rmSync(outdir, { recursive: true, force: true });
          const start = performance.now();
          await buildWith(bundler, /** @type {ReturnType<typeof writeApp>} */ (app).jsEntry, outdir, withPlugin);
          return performance.now() - start;
        };
        /** @type {import('../lib/measure.js').Row[]} */
        const rows = [
          {
            id: `floor.${bundler}-app`,
            label: `${bundler} builds the same app (in JavaScript), minified, with source maps`,
            role: 'floor',
            op: `build-${bundler}`,
            kind: 'cost',
            n: 1,
            run: () => timed(false),
          },
          {
            id: `ours.${bundler}-app-plugin`,
            label: `the same with @sendsync/bundler-plugin`,
            role: 'ours',
            op: `build-${bundler}-plugin`,
            floor: `floor.${bundler}-app`,
            kind: 'cost',
            n: 1,
            budget: { of: 'vsFloor', max: 1.2, text: `≤ 1.2× ${bundler} alone` },
            run: () => timed(true),
          },
        ];
        return rows;
      }),
    ],
  };
}
