/**
 * Builds an app with each bundler as its documentation shows, minified and
 * with source maps, for Node, with or without @sendsync/bundler-plugin (the
 * tests, and the bench's bundled rows and build-time cost).
 */

import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { build as esbuild, transform } from 'esbuild';
import { rollup, type Plugin as RollupPlugin } from 'rollup';
import { build as vite } from 'vite';
import { rspack, type RspackOptions } from '@rspack/core';
import webpack from 'webpack';
import sendsyncEsbuild from '../dist/esbuild.js';
import sendsyncRollup from '../dist/rollup.js';
import sendsyncRspack from '../dist/rspack.js';
import sendsyncVite from '../dist/vite.js';
import sendsyncWebpack from '../dist/webpack.js';

export type Bundler = 'esbuild' | 'rollup' | 'vite' | 'webpack' | 'rspack';
export const BUNDLERS: readonly Bundler[] = ['esbuild', 'rollup', 'vite', 'webpack', 'rspack'];

/**
 * Builds `entry` into `outDir` (an ES module app for Node: a package.json with `"type": "module"` is written there);
 * webpack and Rspack with their cache on disk in `cacheDirectory`, when given.
 */
export async function buildApp(bundler: Bundler, entry: string, outDir: string, withPlugin = true, cacheDirectory?: string): Promise<void> {
  switch (bundler) {
    case 'esbuild':
      await esbuild({
        entryPoints: [entry],
        bundle: true,
        format: 'esm',
        platform: 'node',
        minify: true,
        sourcemap: true,
        outdir: outDir,
        logLevel: 'silent',
        plugins: withPlugin ? [sendsyncEsbuild()] : [],
      });
      break;
    case 'rollup': {
      const bundle = await rollup({
        input: entry,
        plugins: [...(withPlugin ? [sendsyncRollup()] : []), nodeResolve({ exportConditions: ['node'] }), minify],
        external: [/^node:/],
        onwarn: () => undefined,
      });
      await bundle.write({ dir: outDir, format: 'es', sourcemap: true });
      await bundle.close();
      break;
    }
    case 'vite':
      await vite({
        configFile: false,
        root: join(entry, '..'),
        logLevel: 'silent',
        plugins: withPlugin ? [sendsyncVite()] : [],
        ssr: { noExternal: true, target: 'node' },
        build: { ssr: entry, outDir, emptyOutDir: true, minify: true, sourcemap: true },
      });
      break;
    case 'webpack':
      // ES module output, which the plugin needs (a thread's worker loads an ES module).
      await runWebpack({
        ...webpackLike(entry, outDir),
        ...(cacheDirectory === undefined ? {} : { cache: { type: 'filesystem', cacheDirectory } }),
        experiments: { outputModule: true },
        plugins: withPlugin ? [sendsyncWebpack()] : [],
      });
      break;
    case 'rspack':
      // webpack's configuration, as Rspack 2 takes it (its module output is no experiment).
      await runRspack({
        ...webpackLike(entry, outDir),
        ...(cacheDirectory === undefined ? {} : { cache: { type: 'persistent', storage: { type: 'filesystem', directory: cacheDirectory } } }),
        plugins: withPlugin ? [sendsyncRspack()] : [],
      });
      break;
  }
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
}

/** The bundlers whose web builds the browser test runs: every one. */
export const WEB_BUNDLERS = BUNDLERS;

/**
 * Builds the web app in `root` (its `index.html` loads `./main.js`) with the
 * plugin, minified, with source maps, into `outDir`: by Vite as its README
 * shows for a browser (relative URLs: `base: './'`), or by esbuild for the
 * browser platform (Rollup resolving with the `browser` condition; webpack and
 * Rspack for the `web` target, ES module output) beside a copy of the
 * `index.html`.
 */
export async function buildBrowserApp(bundler: Bundler, root: string, outDir: string): Promise<void> {
  if (bundler === 'vite') {
    await vite({
      configFile: false,
      root,
      base: './',
      logLevel: 'silent',
      plugins: [sendsyncVite()],
      build: { outDir, emptyOutDir: true, minify: true, sourcemap: true },
    });
    return;
  }
  if (bundler === 'webpack' || bundler === 'rspack') {
    const config = { ...webpackLike(join(root, 'main.js'), outDir), target: 'web' } as const;
    if (bundler === 'webpack') await runWebpack({ ...config, experiments: { outputModule: true }, plugins: [sendsyncWebpack()] });
    else await runRspack({ ...config, plugins: [sendsyncRspack()] });
    copyFileSync(join(root, 'index.html'), join(outDir, 'index.html'));
    return;
  }
  if (bundler === 'rollup') {
    const bundle = await rollup({
      input: join(root, 'main.js'),
      plugins: [sendsyncRollup(), nodeResolve({ browser: true, exportConditions: ['browser'] }), minify],
      onwarn: () => undefined,
    });
    await bundle.write({ dir: outDir, format: 'es', sourcemap: true });
    await bundle.close();
    copyFileSync(join(root, 'index.html'), join(outDir, 'index.html'));
    return;
  }
  await esbuild({
    entryPoints: [join(root, 'main.js')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    sourcemap: true,
    outdir: outDir,
    logLevel: 'silent',
    plugins: [sendsyncEsbuild()],
  });
  copyFileSync(join(root, 'index.html'), join(outDir, 'index.html'));
}

/** What webpack's and Rspack's configurations share: production, for Node, ES module output, stacks naming the source's path. */
function webpackLike(entry: string, outDir: string) {
  return {
    mode: 'production',
    target: 'node',
    context: join(entry, '..'),
    entry: { main: entry },
    devtool: 'source-map',
    output: { path: outDir, module: true, filename: '[name].js', chunkFormat: 'module', chunkLoading: 'import', devtoolModuleFilenameTemplate: '[absolute-resource-path]' },
  } as const;
}

/** Runs a webpack build; its errors (the plugin's refusals among them) reject. */
async function runWebpack(config: webpack.Configuration): Promise<void> {
  const compiler = webpack(config);
  try {
    const stats = await new Promise<webpack.Stats | undefined>((resolve, reject) => compiler.run((error, result) => (error ? reject(error) : resolve(result))));
    if (stats?.hasErrors() === true) throw new Error(stats.toString({ all: false, errors: true }));
  } finally {
    await new Promise<void>((resolve) => compiler.close(() => resolve()));
  }
}

/** Runs an Rspack build; its errors (the plugin's refusals among them) reject. */
async function runRspack(config: RspackOptions): Promise<void> {
  const compiler = rspack(config);
  try {
    const stats = await new Promise<{ hasErrors(): boolean; toString(options: object): string } | undefined>((resolve, reject) =>
      compiler.run((error, result) => (error ? reject(error) : resolve(result))),
    );
    if (stats?.hasErrors() === true) throw new Error(stats.toString({ all: false, errors: true }));
  } finally {
    await new Promise<void>((resolve) => compiler.close(() => resolve()));
  }
}

/** Rollup has no minifier of its own: esbuild's, in renderChunk, as rollup-plugin-esbuild does it. */
const minify: RollupPlugin = {
  name: 'minify',
  async renderChunk(code) {
    const result = await transform(code, { minify: true, sourcemap: true, format: 'esm' });
    return { code: result.code, map: result.map };
  },
};
