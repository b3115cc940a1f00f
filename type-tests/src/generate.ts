/**
 * Writes a throw-away project under `type-tests/.generated/<name>/`, inside the
 * workspace so that `@sendsync/*` resolve as they do for a user.
 */

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const generatedRoot = fileURLToPath(new URL('../.generated/', import.meta.url));

/** The compiler options of every generated project: the strict settings a user would have. */
export const generatedCompilerOptions = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  lib: ['ES2023', 'ESNext.Disposable'],
  types: ['node'],
  strict: true,
  noEmit: true,
  skipLibCheck: false,
} as const;

/** Writes `files` (name → source) and a `tsconfig.json` including them; returns the folder. */
export function writeProject(name: string, files: Record<string, string>): string {
  const folder = path.join(generatedRoot, name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ type: 'module', private: true }) + '\n');
  writeFileSync(
    path.join(folder, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: generatedCompilerOptions, files: Object.keys(files) }, null, 2) + '\n',
  );
  for (const [file, source] of Object.entries(files)) writeFileSync(path.join(folder, file), source);
  return folder;
}
