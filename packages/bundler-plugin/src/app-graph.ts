/**
 * The application's own modules, read from the entries before the bundler
 * starts, and those of them that may spawn: Rollup and Rolldown call a
 * plugin's `transform` for every module its filter matches, each a call into
 * the plugin's JavaScript, and read the filter as the build starts (esbuild
 * its `onLoad` filter as the plugin is set up). A filter naming only the
 * modules that may spawn spares the calls for all the others (most of an
 * app's), when the plugin can tell which those are.
 *
 * What the read costs, measured apart on the bench's app of 202 modules
 * (2026-12-08, least of 30 reads): 4.7 ms, of which 2.8 ms is reading the
 * files, which the build's other readers (the codec scan, the lifting) then
 * take from the plugin's cache: a small part of a Rollup build of that app
 * (about 700 ms) or a Vite build (110 ms), which then call the plugin for
 * 21 of its modules instead of 202.
 *
 * Each module's import specifiers are followed as written: a relative one to
 * the file it names (as reexports.ts finds it), the runtime's and Node's
 * built-in modules not at all, and a package's name to its folder in a
 * `node_modules` folder above the module, which holds no module of the
 * application's. Undefined when the graph cannot be read so to the end: an
 * entry that is no script of the application's (a page), a specifier that
 * names no file, a package that is not a folder in `node_modules` (a
 * workspace's package linked from elsewhere, a `tsconfig` path or another
 * alias, a `#` import), an `import()` of a computed specifier; the plugin
 * then reads every module of the application.
 */

import { lstatSync, realpathSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { COMPUTED, SPECIFIER } from './codec-scan.js';
import { resolveFile, resolveFrom } from './reexports.js';

/** The runtime's own specifiers, which name no module of the application's. */
const RUNTIME = /^@sendsync\/runtime(?:\/|$)/;
/** A package's name at the start of a specifier: `pkg`, `@scope/pkg`. */
const PACKAGE_NAME = /^(?:@[^/]+\/)?[^/]+/;
const DEPENDENCIES = `${sep}node_modules${sep}`;

/** The modules of an application's graph, and those that may spawn. */
export interface AppGraph {
  readonly files: ReadonlySet<string>;
  readonly spawning: ReadonlySet<string>;
}

/** What reading the graph needs from the plugin. */
export interface AppGraphOptions {
  /** Whether the plugin reads the file (an application's script, not the runtime's nor a dependency's). */
  readonly isApp: (file: string) => boolean;
  /** The file's text. */
  readonly read: (file: string) => string;
  /** Whether the module `file`, of text `code`, may spawn (lift.ts's test, re-exports included). */
  readonly maySpawn: (code: string, file: string) => boolean;
}

/** The graph from `entries` (absolute paths, as written), or undefined when it cannot be read to the end (see above). */
export function readAppGraph(entries: readonly string[], options: AppGraphOptions): AppGraph | undefined {
  const files = new Set<string>();
  const spawning = new Set<string>();
  const queue: string[] = [];
  for (const entry of entries) {
    const file = resolveFile(entry);
    // An entry that is no script of the application's (a page, whose module scripts a bundler builds: Vite's index.html).
    if (file === undefined || !options.isApp(file)) return undefined;
    if (!files.has(file)) {
      files.add(file);
      queue.push(file);
    }
  }
  const packages = new Map<string, Found>();
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    let code: string;
    try {
      code = options.read(file);
    } catch {
      return undefined;
    }
    if (COMPUTED.test(code)) return undefined;
    if (options.maySpawn(code, file)) spawning.add(file);
    for (const [, , specifier] of code.matchAll(SPECIFIER)) {
      if (RUNTIME.test(specifier) || isBuiltin(specifier)) continue;
      if (!specifier.startsWith('.')) {
        if (!inDependencies(specifier, file, packages)) return undefined;
        continue;
      }
      const target = resolveFrom(specifier, file);
      if (target === undefined) return undefined;
      if (options.isApp(target) && !files.has(target)) {
        files.add(target);
        queue.push(target);
      }
    }
  }
  return { files, spawning };
}

/**
 * Whether the package `specifier` names, imported by the module `importer`,
 * is a folder of a `node_modules` folder above it, as Node finds it, and is
 * one there (not a link to a folder elsewhere, as a workspace's packages are).
 */
function inDependencies(specifier: string, importer: string, known: Map<string, Found>): boolean {
  const name = PACKAGE_NAME.exec(specifier)?.[0];
  if (name === undefined || name.startsWith('#')) return false;
  for (let folder = dirname(importer); ; folder = dirname(folder)) {
    const key = `${folder}\0${name}`;
    let found = known.get(key);
    if (found === undefined) {
      const candidate = join(folder, 'node_modules', name);
      const stat = lstatSync(candidate, { throwIfNoEntry: false });
      // A link is followed: a package manager's store is under `node_modules` too, a workspace's package is not.
      found = stat === undefined ? 'absent' : !stat.isSymbolicLink() || realpathSync(candidate).includes(DEPENDENCIES) ? 'dependency' : 'elsewhere';
      known.set(key, found);
    }
    if (found !== 'absent') return found === 'dependency';
    if (dirname(folder) === folder) return false;
  }
}

/** What a `node_modules` folder holds under a package's name. */
type Found = 'absent' | 'dependency' | 'elsewhere';
