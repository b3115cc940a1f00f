// @ts-check
/**
 * A bundled program's threads (issue 20): warm and cold spawn of a closure
 * that calls an import, built by esbuild with @sendsync/bundler-plugin
 * (minified: each thread imports its module, nothing is compiled) beside the
 * same code run unbundled (each thread compiles the closure's text once per
 * worker and imports the module it names). The plugin's build-time cost is
 * the `build` group's (groups/build.js).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { esbuildApp } from '../lib/esbuild-app.js';

const execFileAsync = promisify(execFile);
const HERE = fileURLToPath(new URL('../bundled/', import.meta.url));

/** @param {import('../lib/measure.js').Mode} mode @returns {import('../lib/measure.js').Group} */
export default function bundled(mode) {
  const out = mkdtempSync(path.join(os.tmpdir(), 'sendsync-bundled-'));

  /**
   * Runs a script of bench/bundled (or its build) in a fresh process; the milliseconds it measured.
   * @param {string} script
   * @param {string[]} args
   * @returns {Promise<number>}
   */
  const timed = async (script, args = []) => {
    const { stdout } = await execFileAsync(process.execPath, [script, ...args], { timeout: 60_000 });
    return JSON.parse(stdout).ms;
  };
  /** Spawns per warm sample. */
  const warmN = mode.quick ? 200 : 2000;

  return {
    id: 'bundled',
    title: 'A bundled program: warm and cold spawn of a closure calling an import, bundled (esbuild + plugin) and not',
    rows: [
      {
        id: 'ours.spawn-warm-unbundled',
        label: 'spawn(() => double(1)).join(), warm, unbundled (the closure compiled once per worker)',
        role: 'ours',
        op: 'warm',
        kind: 'latency',
        n: warmN,
        async setup() {
          await esbuildApp([path.join(HERE, 'warm.js'), path.join(HERE, 'cold.js')], out, true);
        },
        run: (n) => timed(path.join(HERE, 'warm.js'), [String(n)]),
        // The first row's teardown runs last: the build goes once every row is done.
        teardown: () => rmSync(out, { recursive: true, force: true }),
      },
      {
        id: 'ours.spawn-warm-bundled',
        label: 'the same, bundled by esbuild + plugin, minified (a thread module imported once per worker)',
        role: 'ours',
        op: 'warm-bundled',
        floor: 'ours.spawn-warm-unbundled',
        kind: 'latency',
        budget: { of: 'vsFloor', max: 1.1, text: '≤ 1.1× unbundled' },
        n: warmN,
        run: (n) => timed(path.join(out, 'warm.js'), [String(n)]),
      },
      {
        id: 'ours.spawn-cold-unbundled',
        label: 'spawn(() => double(1)).join(), first in a fresh process, unbundled',
        role: 'ours',
        op: 'cold',
        kind: 'latency',
        n: 1,
        warmup: false,
        run: () => timed(path.join(HERE, 'cold.js')),
      },
      {
        id: 'ours.spawn-cold-bundled',
        label: 'the same, bundled by esbuild + plugin, minified',
        role: 'ours',
        op: 'cold-bundled',
        floor: 'ours.spawn-cold-unbundled',
        kind: 'latency',
        n: 1,
        warmup: false,
        budget: { of: 'vsFloor', max: 1.1, text: '≤ 1.1× unbundled' },
        run: () => timed(path.join(out, 'cold.js')),
      },
    ],
  };
}
