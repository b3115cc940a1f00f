/**
 * The runtime's codec modules an application imports, read before the
 * bundler has built it: esbuild, Rollup and Vite build the worker's entry
 * (see worker-entry.ts) as they meet it, before the rest of the graph. From
 * the entries, each module's import specifiers are followed through the
 * application's own files and through the packages that depend on the
 * runtime (no other package can import it).
 *
 * A module that may spawn (it imports the runtime) and names a codec
 * module's export counts as importing it too: a closure may use the runtime's
 * exports without importing them, and its thread module imports them.
 *
 * An HTML entry (Vite's `index.html`) imports what its module scripts do:
 * each `<script type="module" src>` and the imports of each inline one.
 *
 * Undefined when the graph cannot be read to the end: an entry that is
 * neither a script nor HTML, a module that imports by a computed specifier
 * (`import(\`./${name}.js\`)`, which a bundler may expand to many files) or
 * one that resolves to no file (another plugin's virtual module): the
 * worker's entry then names every codec module.
 */

import { readFileSync } from 'node:fs';
import { extname, join, sep } from 'node:path';
import { resolveFrom } from './reexports.js';
import { runtimeModuleNames } from './runtime-exports.js';
import { inRuntimeDist } from './runtime-files.js';
import { CODEC_MODULES, codecModuleAt } from './worker-entry.js';

/** What a bundler resolved a specifier to: a file, an external module, a module of no file (`'virtual'`), or nothing. */
export type Resolved = { readonly file: string } | 'external' | 'virtual' | undefined;
/** The bundler's resolution of `specifier`, imported by `importer`. */
export type Resolve = (specifier: string, importer: string) => Promise<Resolved>;

/** A module's import specifiers as written in its text: `from "x"`, `import "x"`, `import("x")`, `require("x")`. */
export const SPECIFIER = /\b(?:from|import|require)\s*\(?\s*(["'])([^"'\n]+)\1/g;
/** An `import(` or `require(` of anything but a plain string literal. */
export const COMPUTED = /\b(?:import|require)\s*\((?!\s*(["'])[^"'\n]*\1\s*[,)])/;
/** Files whose text may import modules (scripts, and the components of the usual frameworks). */
const READABLE = /\.(?:[cm]?[jt]sx?|vue|svelte|astro|mdx)$/;
/** A page, whose module scripts a bundler (Vite) builds from it. */
const HTML = /\.html?$/;
/** A script element: its attributes and its inline text. */
const SCRIPT_ELEMENT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
const MODULE_TYPE = /\btype\s*=\s*(["']?)module\1(?![\w-])/i;
const SOURCE = /\bsrc\s*=\s*(?:(["'])([^"']*)\1|([^\s>]+))/i;
/** The runtime's own specifiers. */
const RUNTIME = /^@sendsync\/runtime(?:\/|$)/;

/** The codec modules the graph from `entries` imports; undefined when it cannot be read to the end (see above). */
export async function scanCodecModules(entries: readonly string[], resolveWith: Resolve, read: (file: string) => string): Promise<Set<string> | undefined> {
  const found = new Set<string>();
  const seen = new Set<string>(entries);
  const queue = [...entries];
  const dependsOnRuntime = new Map<string, boolean>();
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    const page = HTML.test(file);
    if (!READABLE.test(file) && !page) return undefined;
    let code: string;
    try {
      code = page ? moduleScripts(read(file)) : read(file);
    } catch {
      return undefined;
    }
    if (COMPUTED.test(code)) return undefined;
    if (code.includes('@sendsync/runtime')) for (const [module, names] of codecNames()) if (!found.has(module) && names.test(code)) found.add(module);
    for (const [, , specifier] of code.matchAll(SPECIFIER)) {
      if (RUNTIME.test(specifier)) {
        if (CODEC_MODULES.includes(specifier)) found.add(specifier);
        continue;
      }
      const local = specifier.startsWith('.') ? resolveFrom(specifier, file) : undefined;
      const resolved = local === undefined ? await resolveWith(specifier, file) : { file: local };
      if (resolved === 'virtual') return undefined;
      if (resolved === 'external' || resolved === undefined || seen.has(resolved.file)) continue;
      const target = resolved.file;
      seen.add(target);
      const codec = codecModuleAt(target);
      if (codec !== undefined) found.add(codec);
      // Not into the runtime: the worker's bootstrap imports its root module itself.
      else if (inRuntimeDist(target) !== undefined || (!READABLE.test(target) && extname(target) !== '')) continue;
      else if (!target.includes(`${sep}node_modules${sep}`) || packageDependsOnRuntime(target, dependsOnRuntime)) queue.push(target);
    }
  }
  return found;
}

/** A page's module scripts as one module's text: an import of each one's `src`, then each inline one's text. */
function moduleScripts(html: string): string {
  let code = '';
  for (const [, attributes, text] of html.matchAll(SCRIPT_ELEMENT)) {
    if (!MODULE_TYPE.test(attributes)) continue;
    const source = SOURCE.exec(attributes);
    code += source === null ? `${text}\n` : `import ${JSON.stringify(source[2] ?? source[3])};\n`;
  }
  return code;
}

/** Each codec module's exports, as one pattern of whole words. */
let namesOfCodecModules: Map<string, RegExp> | undefined;

function codecNames(): ReadonlyMap<string, RegExp> {
  namesOfCodecModules ??= new Map(CODEC_MODULES.map((module) => [module, new RegExp(`(?<![\\w$])(?:${(runtimeModuleNames().get(module) ?? []).map((name) => name.replaceAll('$', '\\$')).join('|')})(?![\\w$])`)]));
  return namesOfCodecModules;
}

/** Whether the package holding `file` (under `node_modules`) lists the runtime among its dependencies. */
function packageDependsOnRuntime(file: string, known: Map<string, boolean>): boolean {
  const at = file.lastIndexOf(`${sep}node_modules${sep}`) + `${sep}node_modules${sep}`.length;
  const parts = file.slice(at).split(sep);
  const root = join(file.slice(0, at), ...parts.slice(0, parts[0].startsWith('@') ? 2 : 1));
  let depends = known.get(root);
  if (depends === undefined) {
    try {
      const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
      depends = ['dependencies', 'peerDependencies', 'optionalDependencies'].some((field) => manifest[field]?.['@sendsync/runtime'] !== undefined);
    } catch {
      depends = true;
    }
    known.set(root, depends);
  }
  return depends;
}
