// @ts-check
/**
 * Applies an import map to a module's source on the server, as a dev server
 * (Vite, @web/dev-server) resolves bare specifiers: a module worker does not
 * see its page's import map (Chromium 156 resolves a bare specifier there to
 * a failed load), and the runtime's threads are module workers that import
 * the runtime's own modules (`#host`, the dependencies), so a page's
 * `<script type="importmap">` would reach the page's modules only.
 */
import { init, parse } from 'es-module-lexer';

await init;

/** @typedef {import('./import-map.js').ImportMap} ImportMap */

/**
 * Whether `specifier` is bare: not a URL and not relative to the importer.
 * @param {string} specifier
 */
function isBare(specifier) {
  return !/^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(specifier);
}

/**
 * Where `map` sends `specifier` imported from `importer` (a path under the
 * served root), or undefined when it has no entry: the most specific scope
 * that contains the importer first, then the top-level imports.
 * @param {ImportMap} map
 * @param {string} importer
 * @param {string} specifier
 */
export function resolveBare(map, importer, specifier) {
  const scopes = Object.keys(map.scopes)
    .filter((scope) => importer.startsWith(scope))
    .sort((a, b) => b.length - a.length);
  for (const scope of scopes) {
    const target = map.scopes[scope]?.[specifier];
    if (target !== undefined) return target;
  }
  return map.imports[specifier];
}

/**
 * `source` (the module at path `importer`) with each bare specifier of its
 * static imports, re-exports and string-literal dynamic imports replaced by
 * the URL the import map gives it; a specifier it does not map is left for
 * the browser to refuse.
 * @param {string} source
 * @param {string} importer
 * @param {ImportMap} map
 */
export function resolveBareImports(source, importer, map) {
  const [imports] = parse(source, importer);
  let resolved = '';
  let copied = 0;
  for (const { n: specifier, s: start, e: end, d: dynamic } of imports) {
    if (specifier === undefined || !isBare(specifier)) continue;
    const target = resolveBare(map, importer, specifier);
    if (target === undefined) continue;
    // A static import's bounds exclude its quotes; a dynamic import's include them.
    resolved += source.slice(copied, start) + (dynamic > -1 ? JSON.stringify(target) : target);
    copied = end;
  }
  return copied === 0 ? source : resolved + source.slice(copied);
}
