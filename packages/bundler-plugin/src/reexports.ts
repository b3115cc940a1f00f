/**
 * The application's own modules that re-export the runtime's thread API
 * (`export { spawn } from '@sendsync/runtime'`, `export * from ...`): a call
 * of `spawn` imported from one of them is a spawn too. Read from disk, once
 * per file, when a module imports a name from a relative specifier.
 */

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseSync } from 'oxc-parser';

const THREAD_API = /^@sendsync\/runtime(?:\/thread)?$/;
/** How many re-exports deep a name is followed. */
const DEPTH = 4;
/** What a relative specifier may name on disk (TypeScript projects write `./x.js` for `./x.ts`). */
const CANDIDATES = ['', '.ts', '.tsx', '.mts', '.js', '.mjs', '/index.ts', '/index.js'];
/** A re-export (`export * from`, `export * as x from`, `export { a as b } from`, not a module's `export { a }` of its own names): a module without one (most of an app's) re-exports nothing, unparsed. */
const REEXPORT = /\bexport\s*(?:\*|\{[^}]*\}\s*from\b)/;

/** Each file's re-exports: exported name to [specifier, imported name]; `*` entries list `export *` specifiers. */
const byFile = new Map<string, ReadonlyMap<string, readonly (readonly [string, string])[]>>();
/** The file each resolved specifier names (every module of an app imports its neighbours: one look-up each). */
const files = new Map<string, string | undefined>();
/** The file each relative specifier names from each folder (most of an app's modules import the same few neighbours: one resolution each). */
const filesFrom = new Map<string, string | undefined>();
/** What a folder holds. */
interface Listing {
  readonly files: Set<string>;
  readonly folders: Set<string>;
}
/** Each folder's listing, made once: a specifier's candidates are looked up there (one `stat` each would cost a build tens of them per module). */
const folders = new Map<string, Listing>();

/** How a module's text is read: through the build's own cache of them, where it has one (see forgetReexports). */
let readText = (file: string): string => readFileSync(file, 'utf8');

/** Forgets what was read: a new build (a watch mode's rebuild) reads the files again, with `read` (the build's reader of texts, which reads each file once). */
export function forgetReexports(read: (file: string) => string): void {
  readText = read;
  byFile.clear();
  files.clear();
  filesFrom.clear();
  folders.clear();
}

/** The runtime's export that `imported` of `specifier`, as the module `importer` imports it, re-exports; else undefined. */
export function reexportedRuntimeName(specifier: string, imported: string, importer: string, depth = DEPTH): string | undefined {
  if (depth === 0) return undefined;
  const file = resolveFrom(specifier, importer);
  if (file === undefined) return undefined;
  const exports = reexportsOf(file);
  for (const [from, name] of [...(exports.get(imported) ?? []), ...(exports.get('*') ?? []).map(([from]) => [from, imported] as const)]) {
    if (THREAD_API.test(from)) return name;
    if (from.startsWith('.')) {
      const found = reexportedRuntimeName(from, name, file, depth - 1);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** Whether the module `specifier` (a relative one, imported by `importer`) re-exports names of other modules. */
export function hasReexports(specifier: string, importer: string): boolean {
  const file = resolveFrom(specifier, importer);
  return file !== undefined && reexportsOf(file).size > 0;
}

/** The file the relative specifier `specifier`, imported by the module `importer`, names. */
export function resolveFrom(specifier: string, importer: string): string | undefined {
  const folder = dirname(importer);
  const key = `${folder}\0${specifier}`;
  if (!filesFrom.has(key)) filesFrom.set(key, resolveFile(resolve(folder, specifier)));
  return filesFrom.get(key);
}

/** The file a relative import's absolute path names, as TypeScript and bundlers find it (`./x.js` for `./x.ts`, a folder's index). */
export function resolveFile(path: string): string | undefined {
  if (!files.has(path)) files.set(path, findFile(path));
  return files.get(path);
}

function findFile(path: string): string | undefined {
  const bases = /\.[cm]?js$/.test(path) ? [path, path.replace(/js$/, 'ts')] : [path];
  for (const base of bases) {
    for (const candidate of CANDIDATES) {
      // A folder's index only in a folder: most specifiers name a file, and listing a folder that is not one throws, at some cost.
      if (candidate.startsWith('/') && !listing(dirname(base)).folders.has(basename(base))) continue;
      if (listing(dirname(base + candidate)).files.has(basename(base + candidate))) return base + candidate;
    }
  }
  return undefined;
}

/** A folder's files (symbolic links to files included) and folders (links to folders included), listed once. */
function listing(folder: string): Listing {
  let names = folders.get(folder);
  if (names === undefined) {
    let entries: { name: string; isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }[] = [];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      // No such folder: nothing in it.
    }
    names = { files: new Set(), folders: new Set() };
    for (const entry of entries) {
      const kind = entry.isSymbolicLink() ? statSync(join(folder, entry.name), { throwIfNoEntry: false }) : entry;
      if (kind?.isFile() === true) names.files.add(entry.name);
      else if (kind?.isDirectory() === true) names.folders.add(entry.name);
    }
    folders.set(folder, names);
  }
  return names;
}

function reexportsOf(file: string): ReadonlyMap<string, readonly (readonly [string, string])[]> {
  let exports = byFile.get(file);
  if (exports !== undefined) return exports;
  const found = new Map<string, (readonly [string, string])[]>();
  exports = found;
  byFile.set(file, exports);
  const code = readText(file);
  if (!REEXPORT.test(code)) return exports;
  // The module record is enough (and far cheaper than the tree).
  for (const statement of parseSync(file, code, { sourceType: 'module' }).module.staticExports) {
    for (const { importName, exportName, moduleRequest } of statement.entries) {
      if (moduleRequest === null) continue;
      // `export *` is listed under `*`; `export { a as b } from` under `b`. (oxc's kinds are an ambient const enum: compared as strings.)
      const kind: string = importName.kind;
      const [exported, imported] = kind === 'AllButDefault' ? ['*', '*'] : kind === 'Name' ? [exportName.name, importName.name] : [null, null];
      if (exported !== null && imported !== null) found.set(exported, [...(found.get(exported) ?? []), [moduleRequest.value, imported]]);
    }
  }
  return exports;
}
