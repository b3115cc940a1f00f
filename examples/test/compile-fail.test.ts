/**
 * The compile-fail gallery cannot rot: each file's `tsc` diagnostics (under
 * TypeScript 6 and 7) and ESLint findings (with the plugin's recommended
 * config) are compared with the checked-in `<name>.tsc.txt` and
 * `<name>.eslint.txt` (no file: nothing expected), and every file fails one
 * way or the other. `BLESS=1` rewrites the expected files.
 */

import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compileWithTs6, compileWithTs7, formatDiagnostic, type Diagnostic } from '@sendsync/type-tests/compile';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';
import { examplesRoot } from '../scripts/examples.js';

const gallery = path.join(examplesRoot, 'compile-fail');
const bless = process.env['BLESS'] === '1';
const files = readdirSync(gallery)
  .filter((file) => file.endsWith('.ts'))
  .sort();

let ts6: Diagnostic[];
let ts7: Diagnostic[];
let lint: Map<string, string>;

function tscOutput(diagnostics: readonly Diagnostic[], file: string): string {
  return diagnostics
    .filter((d) => d.file === file)
    .map((d) => formatDiagnostic(d) + '\n')
    .join('');
}

function expected(file: string, kind: 'tsc' | 'eslint'): string {
  const name = path.join(gallery, file.replace(/\.ts$/, `.${kind}.txt`));
  return existsSync(name) ? readFileSync(name, 'utf8') : '';
}

function write(file: string, kind: 'tsc' | 'eslint', text: string): void {
  const name = path.join(gallery, file.replace(/\.ts$/, `.${kind}.txt`));
  if (text === '') rmSync(name, { force: true });
  else writeFileSync(name, text);
}

beforeAll(async () => {
  const eslint = new ESLint({ cwd: gallery });
  const [lintResults, ts7Result] = await Promise.all([eslint.lintFiles(files), compileWithTs7(gallery)]);
  ts6 = compileWithTs6(gallery);
  ts7 = ts7Result;
  lint = new Map(
    lintResults.map((result) => [
      path.basename(result.filePath),
      result.messages.map((m) => `${m.line}:${m.column} ${m.ruleId ?? 'eslint'}: ${m.message}\n`).join(''),
    ]),
  );
  if (bless) {
    for (const file of files) {
      write(file, 'tsc', tscOutput(ts6, file));
      write(file, 'eslint', lint.get(file) ?? '');
    }
  }
}, 180_000);

describe.each(files.map((file) => [file] as const))('%s', (file) => {
  it('gets the expected tsc diagnostics under TypeScript 6', () => {
    expect(tscOutput(ts6, file)).toBe(expected(file, 'tsc'));
  });

  it('gets the same tsc diagnostics under TypeScript 7', () => {
    expect(tscOutput(ts7, file)).toBe(expected(file, 'tsc'));
  });

  it('gets the expected ESLint findings', () => {
    expect(lint.get(file) ?? '').toBe(expected(file, 'eslint'));
  });

  it('is rejected by tsc or ESLint', () => {
    expect(expected(file, 'tsc') + expected(file, 'eslint')).not.toBe('');
  });
});
