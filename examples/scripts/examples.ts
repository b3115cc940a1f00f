/** The runnable examples, in the chapter's order (their file names are numbered). */

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `examples/` folder (this file runs from `src` under tsx and from `dist/scripts` when built). */
export const examplesRoot = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../..' : '..', import.meta.url));

/** The repository's root (Deno is given read access to it: the runtime's modules are under its `node_modules`). */
const repositoryRoot = path.join(examplesRoot, '..');
const bin = (name: string): string => path.join(repositoryRoot, 'node_modules', '.bin', name);

/**
 * The runtimes besides Node that an example may also run on, each as its
 * command and the arguments before the built example's file.
 */
export const otherRuntimes = {
  Deno: [bin('deno'), 'run', `--allow-read=${repositoryRoot}`],
  Bun: [bin('bun')],
} as const satisfies Record<string, readonly string[]>;

/** The examples that also run on every runtime in `otherRuntimes` (`npm start` and the tests run them there). */
export const onEveryRuntime: ReadonlySet<string> = new Set(['24-every-runtime']);

export interface Example {
  /** The file name without extension, e.g. `01-hello-threads`. */
  readonly name: string;
  /** The first line of its doc comment. */
  readonly title: string;
}

export function examples(): Example[] {
  const folder = path.join(examplesRoot, 'src');
  return readdirSync(folder)
    .filter((file) => /^\d\d-.*\.ts$/.test(file))
    .sort()
    .map((file) => ({
      name: file.replace(/\.ts$/, ''),
      title: /\/\*\*\s*\n\s*\*\s*(.+)/.exec(readFileSync(path.join(folder, file), 'utf8'))?.[1] ?? '',
    }));
}
