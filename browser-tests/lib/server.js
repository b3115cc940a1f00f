// @ts-check
/**
 * A static server on 127.0.0.1 for the browser tests and the browser bench:
 * the repository's files (the packages' `dist/`, their dependencies, the test
 * pages), or another folder's (a bundled app's), JavaScript modules with their bare specifiers resolved through the
 * import map (bare-imports.js says why the server does it, not the page), and
 * two generated documents that load a page module:
 *
 *   /isolated.html?page=<module>       with COOP/COEP: `crossOriginIsolated`, SharedArrayBuffer
 *   /not-isolated.html?page=<module>   without them: what a server that forgot them serves
 *
 * Every other response carries the same two headers, as a real deployment's
 * would: a module worker's script needs its own COEP to be cross-origin
 * isolated.
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveBareImports } from './bare-imports.js';
import { importMap } from './import-map.js';

/** The repository's root: every file served lies under it. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url)).replace(/[/\\]$/, '');

/** The packages a page can import by name. */
const PACKAGES = ['@sendsync/runtime', '@sendsync/marker'];

/** The two headers that make a document cross-origin isolated (SharedArrayBuffer, Atomics.wait in workers). */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** @type {Record<string, string>} */
const TYPES = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.wasm': 'application/wasm',
};

/**
 * The document that loads `page` (a module URL under the root) and exposes it
 * as `window.page` once loaded; a load error is kept as `window.pageError`.
 * @param {string} page
 */
function documentFor(page) {
  return `<!doctype html>
<meta charset="utf-8">
<title>sendsync browser test</title>
<link rel="icon" href="data:,">
<script type="module">
  try {
    window.page = await import(${JSON.stringify(page)});
  } catch (error) {
    window.pageError = String(error?.stack ?? error);
  }
  window.pageReady = true;
</script>
`;
}

/**
 * @typedef {object} Served
 * @property {string} origin `http://127.0.0.1:<port>`
 * @property {(page: string, options?: { isolated?: boolean }) => string} urlOf the document that loads a page module (a path under the root, e.g. `/browser-tests/pages/raw.js`)
 * @property {() => Promise<void>} close
 */

/**
 * @typedef {object} ServeOptions
 * @property {string} [root] the folder served (the repository's root by default; a bundler's output for a built app)
 * @property {Record<string, string>} [headers] more headers on every response (a `Content-Security-Policy`)
 */

/**
 * Starts the server on a free port of 127.0.0.1.
 * @param {ServeOptions} [options]
 * @returns {Promise<Served>}
 */
export async function serve({ root = ROOT, headers = {} } = {}) {
  const map = importMap(PACKAGES, ROOT);
  const server = createServer((request, response) => {
    void respond(request.url ?? '/', map, root).then(({ status, body, type, isolated }) => {
      response.writeHead(status, {
        'Content-Type': type,
        'Cache-Control': 'no-store',
        ...(isolated ? ISOLATION_HEADERS : {}),
        ...headers,
      });
      response.end(body);
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(undefined));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the server has no port');
  const origin = `http://127.0.0.1:${address.port}`;
  return {
    origin,
    urlOf: (page, { isolated = true } = {}) => `${origin}/${isolated ? 'isolated' : 'not-isolated'}.html?page=${encodeURIComponent(page)}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * @param {string} url the request's path and query
 * @param {import('./import-map.js').ImportMap} map
 * @param {string} root
 * @returns {Promise<{ status: number, body: string | Buffer, type: string, isolated: boolean }>}
 */
async function respond(url, map, root) {
  const { pathname, searchParams } = new URL(url, 'http://127.0.0.1');
  const page = searchParams.get('page');
  if (pathname === '/isolated.html' || pathname === '/not-isolated.html') {
    if (page === null || !page.startsWith('/')) return { status: 400, body: 'the document needs ?page=/<path of a module>', type: TYPES['.html'], isolated: true };
    return { status: 200, body: documentFor(page), type: TYPES['.html'], isolated: pathname === '/isolated.html' };
  }
  const path = normalize(join(root, decodeURIComponent(pathname)));
  if (!path.startsWith(root.replace(/[/\\]$/, '') + sep)) return { status: 403, body: 'outside the served folder', type: 'text/plain', isolated: true };
  let bytes;
  try {
    bytes = await readFile(path);
  } catch {
    return { status: 404, body: `not found: ${pathname}`, type: 'text/plain', isolated: true };
  }
  const type = TYPES[extname(path)] ?? 'application/octet-stream';
  if (!type.startsWith('text/javascript')) return { status: 200, body: bytes, type, isolated: true };
  try {
    return { status: 200, body: resolveBareImports(bytes.toString('utf8'), pathname, map), type, isolated: true };
  } catch (error) {
    return { status: 500, body: `${pathname} does not parse as a module: ${String(error)}`, type: 'text/plain', isolated: true };
  }
}
