import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readAppGraph, type AppGraphOptions } from '../dist/app-graph.js';
import { maySpawn } from '../dist/lift.js';
import { forgetReexports, hasReexports } from '../dist/reexports.js';

/*
 * esbuild's filter names only the modules that may spawn, read from the
 * entries as the plugin is set up: a module that spawns and is left out is
 * built unlifted, so every way of reaching one either is followed or makes
 * the plugin read every module (undefined).
 */

const app = fileURLToPath(new URL('fixtures/app/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'sendsync-app-graph-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function options(): AppGraphOptions {
  const read = (file: string): string => readFileSync(file, 'utf8');
  forgetReexports(read);
  return { isApp: (file) => !file.includes('/node_modules/'), read, maySpawn: (code, file) => maySpawn(code, file, { reexports: hasReexports }) };
}

/** A folder of modules (name to text), with the repository's node_modules linked into it as an app's own. */
function folder(name: string, modules: Record<string, string>): string {
  const dir = join(work, name);
  mkdirSync(dir);
  symlinkSync(fileURLToPath(new URL('../../../node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
  for (const [file, text] of Object.entries(modules)) writeFileSync(join(dir, file), text);
  return dir;
}

describe('readAppGraph', () => {
  it('follows relative imports from the entries, and finds the modules that spawn, through a re-export of spawn under another name too', () => {
    const graph = readAppGraph([join(app, 'main.js')], options());
    expect([...(graph?.files ?? [])].map((file) => file.slice(app.length)).sort()).toEqual(['helper.js', 'main.js', 'threads.js', 'via-reexport.js']);
    // via-reexport.js never names spawn: it calls `go`, which threads.js re-exports (threads.js's text may spawn, and lifts to nothing).
    expect([...(graph?.spawning ?? [])].map((file) => file.slice(app.length)).sort()).toEqual(['main.js', 'threads.js', 'via-reexport.js']);
  });

  it("passes over the runtime's modules, Node's and the packages installed in node_modules, and reads a TypeScript module imported as .js", () => {
    const dir = folder('packages', {
      'main.ts': "import { spawn } from '@sendsync/runtime';\nimport { readFileSync } from 'node:fs';\nimport { join } from 'path';\nimport { build } from 'esbuild';\nimport { work } from './work.js';\nexport const run = () => spawn(() => work());\n",
      'work.ts': 'export const work = (): number => 1;\n',
    });
    const graph = readAppGraph([join(dir, 'main.ts')], options());
    expect([...(graph?.files ?? [])].sort()).toEqual([join(dir, 'main.ts'), join(dir, 'work.ts')]);
    expect([...(graph?.spawning ?? [])]).toEqual([join(dir, 'main.ts')]);
  });

  it.each([
    ['a package that is no folder of node_modules (a tsconfig path, an alias)', "import { spawn } from '~/threads';\n"],
    ['a package linked from elsewhere (a workspace package)', "import { x } from '@sendsync/eslint-plugin';\n"],
    ["a package's import map entry", "import { x } from '#threads';\n"],
    ['a relative import of no file', "import { x } from './missing.js';\n"],
    ['an import() of a computed specifier', 'export const load = (name) => import(`./${name}.js`);\n'],
  ])('gives up (every module is read) on %s', (name, text) => {
    const dir = folder(name.replace(/\W+/g, '-'), { 'main.js': text });
    expect(readAppGraph([join(dir, 'main.js')], options())).toBeUndefined();
  });

  it('gives up on an entry that is no file', () => {
    expect(readAppGraph([join(app, 'missing.js')], options())).toBeUndefined();
  });
});
