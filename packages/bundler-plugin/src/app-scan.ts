/**
 * esbuild calls a plugin's `onLoad` for each file its filter matches, and
 * each call is a round trip between esbuild and the plugin's JavaScript that
 * costs a build about as much as esbuild's own work on the file; most of an
 * application's files spawn nothing. So as esbuild sets the plugin up, it
 * reads the folders of the build's entry points once (without
 * `node_modules` and the runtime's package), and its filter names only the
 * files there whose text may spawn (lift.ts's `maySpawn`), the entries the
 * scan did not see (files made since), and the application's scripts
 * outside those folders (see app-files.ts).
 *
 * esbuild sets a plugin up once per context (`esbuild.context()`, watch
 * mode), so a file the scan saw that spawned nothing and now may spawn (an
 * edit in watch mode) is not handed to the plugin: each later build checks
 * the files it saw, and fails with an error saying to make the context again
 * when one changed so.
 */

import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { DEPENDENCIES, SCRIPT, appScripts, unseenOr, type ScannedFolder } from './app-files.js';

/** How many scripts a scan reads at most: past that (an entry at the top of a large tree), it gives up, and the filter names every script of the application. */
const MOST_SCRIPTS = 5000;
/** Folders never read: the packages, and git's store. */
const UNREAD_FOLDERS = new Set([DEPENDENCIES, '.git']);

/** A script the scan read, as of when it read it. */
interface ScannedScript {
  text: string;
  modified: number;
}

/** What a scan read, and which of the scripts may spawn. */
export interface AppScan {
  readonly roots: readonly ScannedFolder[];
  readonly scripts: Map<string, ScannedScript>;
  /** The scripts the filter names. */
  readonly mayRead: ReadonlySet<string>;
}

/** Whether a module's text may spawn (given the build's reader of texts, for its neighbours' re-exports). */
export type MaySpawn = (code: string, file: string) => boolean;

/**
 * Reads the folders of `entries` (absolute paths; nested folders once),
 * leaving out the folders `unread` (the runtime's, the build's output: each
 * with its trailing separator), with the build's reader of texts; undefined
 * when there are too many scripts.
 */
export function scanApp(entries: readonly string[], unread: readonly string[], read: (file: string) => string, maySpawn: MaySpawn): AppScan | undefined {
  const folders = [...new Set(entries.map((entry) => realFolder(dirname(entry))).filter((folder): folder is string => folder !== undefined))];
  const tops = folders.filter((folder) => !folders.some((other) => other !== folder && folder.startsWith(other + sep)) && !outside(folder, unread));
  const scripts = new Map<string, ScannedScript>();
  const roots: ScannedFolder[] = [];
  for (const top of tops) {
    const root = readFolder(top, unread, read, scripts);
    if (root === undefined) return undefined;
    roots.push(root);
  }
  const mayRead = new Set([...scripts].filter(([file, { text }]) => maySpawn(text, file)).map(([file]) => file));
  return { roots, scripts, mayRead };
}

/** The bundler's filter of the files the plugin reads, after `scan`. */
export function scannedFilter(scan: AppScan, runtimeDir: string): RegExp {
  const patterns = [appScripts([runtimeDir, ...scan.roots.map(({ path }) => path)]), ...scan.roots.map((root) => unseenOr(root, scan.mayRead))];
  return new RegExp(patterns.map(({ source }) => source).join('|'));
}

/**
 * Brings the scan's texts up to date (for a later build of the same
 * context); the scripts the filter leaves out that may now spawn.
 */
export function rescan(scan: AppScan, maySpawn: MaySpawn): string[] {
  let changed = false;
  for (const [file, script] of scan.scripts) {
    const modified = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
    if (modified === script.modified) continue;
    changed = true;
    if (modified === undefined) scan.scripts.delete(file);
    else scan.scripts.set(file, { text: readFileSync(file, 'utf8'), modified });
  }
  // A neighbour's new re-export may make a module that did not change spawn too.
  return changed ? [...scan.scripts].filter(([file, { text }]) => !scan.mayRead.has(file) && maySpawn(text, file)).map(([file]) => file) : [];
}

/** The folder as its real path (esbuild's paths are real), if it is one. */
function realFolder(folder: string): string | undefined {
  try {
    return realpathSync(folder);
  } catch {
    return undefined;
  }
}

/** Whether `folder` is one of `unread`, inside one, or inside `node_modules` (nothing there is read). */
function outside(folder: string, unread: readonly string[]): boolean {
  return unread.some((each) => (folder + sep).startsWith(each)) || folder.split(sep).includes(DEPENDENCIES);
}

function readFolder(path: string, unread: readonly string[], read: (file: string) => string, scripts: Map<string, ScannedScript>): ScannedFolder | undefined {
  const names = new Set<string>();
  const folders = new Map<string, ScannedFolder>();
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const file = join(path, entry.name);
    // A link is not followed: esbuild names the file it leads to, which the filter names if it is not in a folder read here.
    if (entry.isSymbolicLink()) continue;
    names.add(entry.name);
    if (entry.isDirectory()) {
      if (UNREAD_FOLDERS.has(entry.name) || unread.includes(file + sep)) continue;
      const below = readFolder(file, unread, read, scripts);
      if (below === undefined) return undefined;
      folders.set(entry.name, below);
    } else if (entry.isFile() && SCRIPT.test(entry.name)) {
      if (scripts.size === MOST_SCRIPTS) return undefined;
      scripts.set(file, { text: read(file), modified: statSync(file).mtimeMs });
    }
  }
  return { path, names, folders };
}
