/**
 * Every example runs, compiled by `tsc` (as `npm start` runs it) and directly
 * by tsx (esbuild's output), and prints what `expected/<name>.txt` says.
 * Examples whose threads print concurrently are compared line by line in any
 * order; thread ids are normalised to `ThreadId(N)`.
 */

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { examples, examplesRoot } from '../scripts/examples.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const tsxCli = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist', 'cli.mjs');

/** Examples whose threads print at the same time: their lines may come in any order. */
const concurrentOutput = new Set(['01-hello-threads', '04-scoped-threads']);

function normalise(name: string, output: string): string[] {
  const lines = output.replace(/ThreadId\(\d+\)/g, 'ThreadId(N)').trimEnd().split('\n');
  return concurrentOutput.has(name) ? lines.sort() : lines;
}

async function output(command: string[]): Promise<string> {
  const { stdout, stderr } = await run(process.execPath, command, { cwd: examplesRoot, timeout: 30_000 });
  return stdout + stderr;
}

describe.each(examples().map((example) => [example.name] as const))('%s', (name) => {
  const expected = normalise(name, readFileSync(path.join(examplesRoot, 'expected', `${name}.txt`), 'utf8'));

  it('prints what it should, compiled by tsc', async () => {
    expect(normalise(name, await output([path.join('dist', 'src', `${name}.js`)]))).toEqual(expected);
  }, 30_000);

  it('prints the same run directly by tsx', async () => {
    expect(normalise(name, await output([tsxCli, path.join('src', `${name}.ts`)]))).toEqual(expected);
  }, 30_000);
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
      "21-worker-pool",
    ]
  `);
});
