/**
 * Builds an app with each bundler as its documentation shows, minified and
 * with source maps, for Node, with or without @sendsync/bundler-plugin (the
 * tests, and the bench's bundled rows and build-time cost).
 */

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { build as esbuild, transform } from 'esbuild';
import { rollup, type Plugin as RollupPlugin } from 'rollup';
import { build as vite } from 'vite';
import sendsyncEsbuild from '../dist/esbuild.js';
import sendsyncRollup from '../dist/rollup.js';
import sendsyncVite from '../dist/vite.js';

export type Bundler = 'esbuild' | 'rollup' | 'vite';
export const BUNDLERS: readonly Bundler[] = ['esbuild', 'rollup', 'vite'];

/** Builds `entry` into `outDir` (an ES module app for Node: a package.json with `"type": "module"` is written there). */
export async function buildApp(bundler: Bundler, entry: string, outDir: string, withPlugin = true): Promise<void> {
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
        // Without the plugin, what its README says esbuild needs for the runtime's CommonJS modules in an ES module bundle.
        banner: withPlugin ? undefined : { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      });
      break;
    case 'rollup': {
      const bundle = await rollup({
        input: entry,
        plugins: [...(withPlugin ? [sendsyncRollup()] : []), nodeResolve(), commonjs(), minify],
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
  }
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
}

/** Rollup has no minifier of its own: esbuild's, in renderChunk, as rollup-plugin-esbuild does it. */
const minify: RollupPlugin = {
  name: 'minify',
  async renderChunk(code) {
    const result = await transform(code, { minify: true, sourcemap: true, format: 'esm' });
    return { code: result.code, map: result.map };
  },
};
