// @ts-check
/**
 * esbuild builds an app as the bundler plugin's README shows, with the plugin
 * or without: the bundled spawn rows' program (groups/bundled.js) and the
 * build-time rows' generated app (groups/build.js).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import sendsync from '@sendsync/bundler-plugin/esbuild';
import { build } from 'esbuild';

/**
 * Builds `entries` with esbuild, as the plugin's README shows (with the plugin or without), into `outdir`, an ES module package.
 * @param {string[]} entries
 * @param {string} outdir
 * @param {boolean} withPlugin
 * @param {import('esbuild').BuildOptions} [more] options beside the README's (`splitting`)
 */
export async function esbuildApp(entries, outdir, withPlugin, more = {}) {
  await build({
    ...more,
    entryPoints: entries,
    bundle: true,
    format: 'esm',
    platform: 'node',
    minify: true,
    sourcemap: true,
    outdir,
    logLevel: 'silent',
    plugins: withPlugin ? [sendsync()] : [],
  });
  writeFileSync(path.join(outdir, 'package.json'), '{ "type": "module" }\n');
}
