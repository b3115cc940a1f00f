/** The runnable examples, in the chapter's order (their file names are numbered). */

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The `examples/` folder (this file runs from `src` under tsx and from `dist/scripts` when built). */
export const examplesRoot = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../..' : '..', import.meta.url));

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
