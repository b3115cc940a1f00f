/**
 * UI tests in the manner of rustc's: every file of `ui/` is compiled, and its
 * full diagnostic output is compared with the checked-in `ui/<name>.stderr`
 * (no file: no diagnostic expected), under TypeScript 6 and TypeScript 7.
 *
 * After an intended change in messages, rewrite the expected files with
 * `BLESS=1 npm test -w type-tests` and review the diff.
 */

import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileWithTs6, compileWithTs7, formatDiagnostic, type Diagnostic } from '../src/compile.js';

const uiFolder = fileURLToPath(new URL('../ui/', import.meta.url));
const bless = process.env['BLESS'] === '1';
const sources = readdirSync(uiFolder)
  .filter((file) => file.endsWith('.ts'))
  .sort();

function output(diagnostics: readonly Diagnostic[], file: string): string {
  return diagnostics
    .filter((d) => d.file === file)
    .map((d) => formatDiagnostic(d) + '\n')
    .join('');
}

function expected(file: string): string {
  const stderr = path.join(uiFolder, file.replace(/\.ts$/, '.stderr'));
  return existsSync(stderr) ? readFileSync(stderr, 'utf8') : '';
}

let ts6: Diagnostic[];
let ts7: Diagnostic[];

beforeAll(async () => {
  [ts6, ts7] = await Promise.all([Promise.resolve().then(() => compileWithTs6(uiFolder)), compileWithTs7(uiFolder)]);
  if (bless) {
    for (const file of sources) {
      const stderr = path.join(uiFolder, file.replace(/\.ts$/, '.stderr'));
      const text = output(ts6, file);
      if (text === '') rmSync(stderr, { force: true });
      else writeFileSync(stderr, text);
    }
  }
});

describe('ui', () => {
  it.each(sources)('%s under TypeScript 6', (file) => {
    expect(output(ts6, file)).toBe(expected(file));
  });

  it.each(sources)('%s under TypeScript 7', (file) => {
    expect(output(ts7, file)).toBe(expected(file));
  });

  it('has an expected output for every compile-fail file, and no stray ones', () => {
    const stray = readdirSync(uiFolder)
      .filter((file) => file.endsWith('.stderr'))
      .filter((file) => !sources.includes(file.replace(/\.stderr$/, '.ts')));
    expect(stray).toEqual([]);
  });
});
