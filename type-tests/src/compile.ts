/**
 * Runs both compilers over a folder and returns their diagnostics in one
 * form, so that tests can compare them with each other and with expectations:
 * TypeScript 6 through its compiler API, TypeScript 7 (the native `tsc`)
 * through its command line, as a user runs it.
 */

import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';

const require = createRequire(import.meta.url);
const run = promisify(execFile);

/** The native compiler's entry point, installed under the npm alias `typescript-7`. */
export const tsc7 = path.join(path.dirname(require.resolve('typescript-7/package.json')), 'bin', 'tsc');

/** One diagnostic, as `tsc --pretty false` prints it: `file(line,col): error TSnnnn: message`. */
export interface Diagnostic {
  /** Path relative to the project folder, with `/` separators. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly code: number;
  /** The whole message chain, lines joined with `\n` and indented as tsc prints them. */
  readonly message: string;
}

/** The line `tsc --pretty false` prints for a diagnostic (its first line, then the chain). */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}(${d.line},${d.column}): error TS${d.code}: ${d.message}`;
}

/** TypeScript 6: the diagnostics of the project `<folder>/tsconfig.json`, through the compiler API. */
export function compileWithTs6(folder: string): Diagnostic[] {
  const configPath = path.join(folder, 'tsconfig.json');
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (config === undefined) throw new Error(`cannot read ${configPath}`);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const position = d.file?.getLineAndCharacterOfPosition(d.start ?? 0) ?? { line: -1, character: -1 };
      return {
        file: d.file === undefined ? '' : path.relative(folder, d.file.fileName).split(path.sep).join('/'),
        line: position.line + 1,
        column: position.character + 1,
        code: d.code,
        message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
      };
    })
    .sort(byPosition);
}

const diagnosticLine = /^(.+?)\((\d+),(\d+)\): error TS(\d+): (.*)$/;

/** TypeScript 7: the diagnostics of `tsc -p <folder> --pretty false`, parsed back from its output. */
export async function compileWithTs7(folder: string): Promise<Diagnostic[]> {
  let output: string;
  try {
    ({ stdout: output } = await run(process.execPath, [tsc7, '-p', folder, '--pretty', 'false', '--noEmit'], {
      cwd: folder,
      maxBuffer: 64 * 1024 * 1024,
    }));
  } catch (error) {
    // tsc exits 1 or 2 when it reports errors; anything else is a failure to run.
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (failed.code !== 1 && failed.code !== 2) throw error;
    output = failed.stdout ?? '';
    if (output.trim() === '') throw new Error(`tsc 7 failed without diagnostics: ${failed.stderr ?? ''}`);
  }
  const diagnostics: Diagnostic[] = [];
  for (const line of output.split(/\r?\n/)) {
    const match = diagnosticLine.exec(line);
    if (match !== null) {
      const [, file, row, column, code, message] = match as unknown as [string, string, string, string, string, string];
      diagnostics.push({
        file: path.relative(folder, path.resolve(folder, file)).split(path.sep).join('/'),
        line: Number(row),
        column: Number(column),
        code: Number(code),
        message,
      });
    } else if (line.startsWith('  ') && diagnostics.length > 0) {
      // The rest of a message chain: tsc indents each further line.
      const last = diagnostics.pop()!;
      diagnostics.push({ ...last, message: `${last.message}\n${line}` });
    } else if (line.trim() !== '') {
      throw new Error(`unexpected tsc 7 output: ${line}`);
    }
  }
  return diagnostics.sort(byPosition);
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.code - b.code;
}
