/**
 * Every example runs, compiled by `tsc` (as `npm start` runs it) and directly
 * by tsx (esbuild's output), and prints what `expected/<name>.txt` says;
 * the examples in `onEveryRuntime` print it on Deno and Bun too.
 * Examples whose threads print concurrently are compared line by line in any
 * order; thread ids are normalised to `ThreadId(N)`.
 */

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { examples, examplesRoot, onEveryRuntime, otherRuntimes } from '../scripts/examples.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const tsxCli = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');

/** Examples whose threads print at the same time: their lines may come in any order. */
const concurrentOutput = new Set(['01-hello-threads', '04-scoped-threads']);

function normalise(name: string, output: string): string[] {
  const lines = output.replace(/ThreadId\(\d+\)/g, 'ThreadId(N)').trimEnd().split('\n');
  return concurrentOutput.has(name) ? lines.sort() : lines;
}

/** Generous: the longest examples take a few seconds on a quiet machine, and the machine may be loaded. */
const TIMEOUT = 120_000;

async function output(command: readonly string[], runtime = process.execPath): Promise<string> {
  const { stdout, stderr } = await run(runtime, command, { cwd: examplesRoot, timeout: TIMEOUT });
  return stdout + stderr;
}

/** What `expected/<name>.txt` says the example prints, normalised. */
function expected(name: string): string[] {
  return normalise(name, readFileSync(path.join(examplesRoot, 'expected', `${name}.txt`), 'utf8'));
}

describe.each(examples().map((example) => [example.name] as const))('%s', (name) => {
  it('prints what it should, compiled by tsc', async () => {
    expect(normalise(name, await output([path.join('dist', 'src', `${name}.js`)]))).toEqual(expected(name));
  }, TIMEOUT);

  it('prints the same run directly by tsx', async () => {
    expect(normalise(name, await output([tsxCli, path.join('src', `${name}.ts`)]))).toEqual(expected(name));
  }, TIMEOUT);
});

describe.each([...onEveryRuntime])('%s, on the other runtimes', (name) => {
  it.each(Object.entries(otherRuntimes))('prints the same on %s, compiled by tsc', async (_, [runtime, ...args]) => {
    expect(normalise(name, await output([...args, path.join('dist', 'src', `${name}.js`)], runtime))).toEqual(expected(name));
  }, TIMEOUT);
});

it('lists the examples in the chapter order', () => {
  expect(examples().map((example) => example.name)).toMatchInlineSnapshot(`
    [
      "01-hello-threads",
      "02-join",
      "03-move-closure",
      "04-scoped-threads",
      "05-statics",
      "06-leaking",
      "07-arc",
      "08-arc-shadowing-clone",
      "09-rc-vs-arc",
      "10-interior-mutability",
      "11-mutex",
      "12-lock-poisoning",
      "13-rwlock",
      "14-park-unpark",
      "15-condvar",
      "16-channels",
      "17-imported-helpers",
      "18-job-queue",
      "19-word-count",
      "20-handles-in-values",
      "21-pipeline",
      "22-shared-array",
      "23-service",
      "24-every-runtime",
      "25-worker-pool",
    ]
  `);
});
