// @ts-check
/**
 * A bundled program's threads (issue 20): warm and cold spawn of a closure
 * that calls an import, built by esbuild with @sendsync/bundler-plugin
 * (minified: each thread imports its module, nothing is compiled) beside the
 * same code run unbundled (each thread compiles the closure's text once per
 * worker and imports the module it names). The warm rows time spawns in a
 * process of their own per build, started once and past its first second
 * (see bundled/warm.js); the cold ones, the first spawn of a fresh process.
 * The plugin's build-time cost is the `build` group's (groups/build.js).
 */
import { execFile, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
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
   * @returns {Promise<number>}
   */
  const timed = async (script) => {
    const { stdout } = await execFileAsync(process.execPath, [script], { timeout: 60_000 });
    return JSON.parse(stdout).ms;
  };
  /** @type {Map<string, WarmProcess>} The warm rows' processes (bundled/warm.js), by script. */
  const servers = new Map();
  /** Starts `script`'s warm process and waits until it is warm. @param {string} script */
  const serve = async (script) => servers.set(script, await WarmProcess.start(script));
  /** Spawns per warm sample. */
  const warmN = mode.quick ? 200 : 2000;

  return {
    id: 'bundled',
    title: 'A bundled program: warm and cold spawn of a closure calling an import, bundled (esbuild + plugin) and not',
    rows: [
      {
        id: 'ours.spawn-warm-unbundled',
        label: 'spawn(() => double(1)).join(), warm (a process past its first second), unbundled (the closure compiled once per worker)',
        role: 'ours',
        op: 'warm',
        kind: 'latency',
        n: warmN,
        async setup() {
          await esbuildApp([path.join(HERE, 'warm.js'), path.join(HERE, 'cold.js')], out, true);
          await serve(path.join(HERE, 'warm.js'));
        },
        run: (n) => /** @type {WarmProcess} */ (servers.get(path.join(HERE, 'warm.js'))).time(n),
        // The first row's teardown runs last: the build goes once every row is done.
        async teardown() {
          for (const server of servers.values()) await server.close();
          rmSync(out, { recursive: true, force: true });
        },
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
        setup: () => serve(path.join(out, 'warm.js')),
        run: (n) => /** @type {WarmProcess} */ (servers.get(path.join(out, 'warm.js'))).time(n),
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

/** A warm rows' process (bundled/warm.js, or its build), which times the spawns it is asked for. */
class WarmProcess {
  /** @param {import('node:child_process').ChildProcess} child @param {AsyncIterator<string>} lines */
  constructor(child, lines) {
    this.child = child;
    this.lines = lines;
  }

  /** Starts `script` and waits until it is warm. @param {string} script @returns {Promise<WarmProcess>} */
  static async start(script) {
    const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
    const server = new WarmProcess(child, createInterface({ input: /** @type {import('node:stream').Readable} */ (child.stdout) })[Symbol.asyncIterator]());
    const ready = await server.next();
    if (ready !== 'ready') throw new Error(`${script} did not start: ${ready}`);
    return server;
  }

  /** The next line it prints. @returns {Promise<string>} */
  async next() {
    const { value, done } = await this.lines.next();
    if (done === true) throw new Error('the warm process ended');
    return value;
  }

  /** Times n spawns there; milliseconds. @param {number} n @returns {Promise<number>} */
  async time(n) {
    /** @type {import('node:stream').Writable} */ (this.child.stdin).write(`${n}\n`);
    return JSON.parse(await this.next()).ms;
  }

  /** Ends it. */
  async close() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    /** @type {import('node:stream').Writable} */ (this.child.stdin).end();
    await exited;
  }
}
