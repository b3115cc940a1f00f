/**
 * `npm start`: the chapter, run. Each example in order under a heading, as a
 * user would see it in a terminal; then what `tsc` and ESLint say about the
 * compile-fail gallery.
 */

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { examples, examplesRoot, onEveryRuntime, otherRuntimes } from './examples.js';

const require = createRequire(import.meta.url);
const built = path.join(examplesRoot, 'dist', 'src');
const gallery = path.join(examplesRoot, 'compile-fail');
const bold = (text: string): string => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[22m` : text);

function heading(text: string): void {
  console.log(`\n${bold(`━━ ${text} `.padEnd(78, '━'))}`);
}

let failures = 0;
function run(command: string, args: readonly string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    failures++;
    console.log(`(exited with ${result.status ?? result.error?.message ?? result.signal})`);
  }
}

for (const { name, title } of examples()) {
  heading(`${name}: ${title}`);
  const file = path.join(built, `${name}.js`);
  run(process.execPath, [file]);
  if (!onEveryRuntime.has(name)) continue;
  for (const [runtime, [command, ...args]] of Object.entries(otherRuntimes)) {
    console.log(bold(`on ${runtime}:`));
    run(command, [...args, file]);
  }
}

heading('compile-fail gallery: what tsc says');
const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
spawnSync(process.execPath, [tsc, '-p', path.join(gallery, 'tsconfig.json'), '--pretty'], { stdio: 'inherit', cwd: gallery });

heading('compile-fail gallery: what ESLint says');
const eslint = path.join(path.dirname(require.resolve('eslint/package.json')), 'bin', 'eslint.js');
spawnSync(process.execPath, [eslint, '.'], { stdio: 'inherit', cwd: gallery });

if (failures > 0) {
  console.error(`\n${failures} example(s) failed`);
  process.exitCode = 1;
}
