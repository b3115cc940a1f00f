// The Send/Sync rows and the compile-time misuse of channels, cells and Rc, checked by
// the real compilers: tsc 6 (through its API) and tsc 7 (its command line).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const rows = fileURLToPath(new URL('./fixtures/mpsc/rows.ts', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));
const options = {
  strict: true,
  noEmit: true,
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  lib: ['lib.es2023.d.ts', 'lib.esnext.disposable.d.ts'],
  types: ['node'],
  typeRoots: [join(root, 'node_modules/@types')],
  skipLibCheck: true,
};

describe('channels, cells and Rc: Send/Sync rows and misuse, at compile time', () => {
  it('tsc 6 accepts every row and rejects every misuse', () => {
    const parsed = ts.convertCompilerOptionsFromJson({ ...options, lib: ['es2023', 'esnext.disposable'] }, root);
    const program = ts.createProgram([rows], parsed.options);
    const messages = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(messages).toEqual([]);
  }, 60_000);

  it('tsc 7 agrees', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mpsc-rows-'));
    try {
      const config = join(dir, 'tsconfig.json');
      writeFileSync(config, JSON.stringify({ compilerOptions: { ...options, lib: ['es2023', 'esnext.disposable'] }, files: [rows] }));
      const tsc7 = join(root, 'node_modules/typescript-7/bin/tsc');
      let output = '';
      try {
        execFileSync(process.execPath, [tsc7, '-p', config], { encoding: 'utf8', stdio: 'pipe' });
      } catch (error) {
        output = String((error as { stdout?: string }).stdout);
      }
      expect(output).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
