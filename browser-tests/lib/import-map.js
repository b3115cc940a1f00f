// @ts-check
/**
 * The import map a page needs to load the packages' built `dist/` as native
 * ES modules, read from each package's own `exports` and `imports` with the
 * conditions a browser's bundler would pick: what the page gets is exactly
 * what a bundler would resolve, without a bundler.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';

/** The conditions a browser build resolves; as in Node, the first key of a conditional entry that is one of them wins. */
const CONDITIONS = new Set(['browser', 'import', 'module', 'default']);

/**
 * @typedef {{ imports: Record<string, string>, scopes: Record<string, Record<string, string>> }} ImportMap
 */

/**
 * The file a conditional target (a string, an array of fallbacks, or an
 * object of conditions, nested) resolves to under CONDITIONS, or undefined
 * when no condition matches (a `node`-only entry).
 * @param {unknown} target
 * @returns {string | undefined}
 */
function pick(target) {
  if (typeof target === 'string') return target;
  if (typeof target !== 'object' || target === null) return undefined;
  if (Array.isArray(target)) {
    for (const each of target) {
      const found = pick(each);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [condition, inner] of Object.entries(target)) {
    if (condition === 'types' || !CONDITIONS.has(condition)) continue;
    const found = pick(inner);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Where `name` is installed as seen from `from`, by Node's lookup through the
 * node_modules folders (a package's `exports` may not list its package.json),
 * with symbolic links (workspaces) resolved.
 * @param {string} name
 * @param {string} from
 */
function packageFolder(name, from) {
  for (const folder of createRequire(from).resolve.paths(name) ?? []) {
    const candidate = join(folder, name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
  }
  throw new Error(`${name} is not installed where ${from} can import it: run npm install`);
}

/**
 * The entries for one package: its `exports` as bare specifiers
 * (`@sendsync/runtime/sync`), its `imports` (`#host`) scoped to its own
 * folder, its dependencies' entries, all as URLs under `urlOf(folder)`.
 * @param {string} name a package name resolvable from `from`
 * @param {string} from a file whose node_modules resolve `name`
 * @param {(path: string) => string} urlOf the served URL of a file on disk
 * @param {ImportMap} map filled in place
 * @param {Set<string>} seen package folders already mapped
 */
function addPackage(name, from, urlOf, map, seen) {
  const folder = packageFolder(name, from);
  const manifestPath = `${folder}/package.json`;
  if (seen.has(folder)) return;
  seen.add(folder);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  /** @type {Record<string, unknown>} */
  const exports =
    typeof manifest.exports === 'object' && manifest.exports !== null && !Array.isArray(manifest.exports) && Object.keys(manifest.exports).every((key) => key.startsWith('.'))
      ? manifest.exports
      : { '.': manifest.exports ?? manifest.module ?? manifest.main ?? './index.js' };
  for (const [subpath, target] of Object.entries(exports)) {
    const file = pick(target);
    if (file === undefined || subpath.includes('*') || subpath.endsWith('/package.json')) continue;
    map.imports[name + subpath.slice(1)] = urlOf(`${folder}/${file.slice(2)}`);
  }
  /** @type {Record<string, unknown>} */
  const imports = manifest.imports ?? {};
  for (const [specifier, target] of Object.entries(imports)) {
    const file = pick(target);
    if (file === undefined) continue;
    const scope = urlOf(folder + '/');
    map.scopes[scope] ??= {};
    map.scopes[scope][specifier] = file.startsWith('./') ? urlOf(`${folder}/${file.slice(2)}`) : file;
    if (!file.startsWith('./')) addPackage(file.split('/').slice(0, file.startsWith('@') ? 2 : 1).join('/'), manifestPath, urlOf, map, seen);
  }
  for (const dependency of Object.keys(manifest.dependencies ?? {})) addPackage(dependency, manifestPath, urlOf, map, seen);
}

/**
 * The import map for `packages`, served from `root` (a file at `<root>/x`
 * is at URL `/x`).
 * @param {string[]} packages
 * @param {string} root
 * @returns {ImportMap}
 */
export function importMap(packages, root) {
  /** @type {ImportMap} */
  const map = { imports: {}, scopes: {} };
  const seen = new Set();
  const urlOf = (/** @type {string} */ path) => {
    const inside = relative(root, path);
    if (inside.startsWith('..')) throw new Error(`${path} lies outside the served folder ${root}`);
    return '/' + inside.split('\\').join('/') + (path.endsWith('/') ? '/' : '');
  };
  for (const name of packages) addPackage(name, `${root}/package.json`, urlOf, map, seen);
  return map;
}
