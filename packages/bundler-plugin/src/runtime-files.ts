/**
 * Where the runtime's built files are, installed or in this repository: the
 * plugin rewrites its hosts' URLs of the workers they start, and leaves its
 * own modules (which spawn no closure) unread.
 */

import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import MagicString, { type SourceMap } from 'magic-string';

/** The runtime's package folder (in a workspace it is not under `node_modules`), with a trailing separator. */
export const RUNTIME_DIR = dirname(createRequire(import.meta.url).resolve('@sendsync/runtime/package.json')) + sep;
/** The runtime's web host, whose workers Vite follows (`new Worker(new URL('…', import.meta.url))`). */
export const WEB_HOST = join(RUNTIME_DIR, 'dist', 'host', 'web.js');
/** The runtime's Node host, which starts the watcher's worker where it cannot read `/proc` (Deno, and Node off Linux). */
export const NODE_HOST = join(RUNTIME_DIR, 'dist', 'host', 'node.js');
/** The watcher thread's bootstrap, which both hosts start (see the runtime's internal/lifeline.ts). */
export const WATCHER = join(RUNTIME_DIR, 'dist', 'internal', 'watcher.js');
/** The hosts' `new URL()` of the watcher's worker, which a bundle must hold (the web and Deno have no `/proc` to see a worker's death). */
export const RUNTIME_WATCHER_URL = "new URL('../internal/watcher.js', import.meta.url)";

/** Where a module of the runtime's own `dist/` sits: its path in `dist/` follows. */
const RUNTIME_DIST = /[\\/](?:@sendsync[\\/]runtime|packages[\\/]runtime)[\\/]dist[\\/](.*)$/;

/** The path of `file` in the runtime's `dist/` (`sync/index.js`), when it is one of the runtime's built modules. */
export function inRuntimeDist(file: string): string | undefined {
  return RUNTIME_DIST.exec(file)?.[1].replaceAll('\\', '/');
}

/** The web host's `new URL()` of the runtime's own worker bootstrap, which a bundled program never starts (each spawn names the bundle's worker). */
const RUNTIME_WORKER_URL = "new URL('../internal/worker.js', import.meta.url)";

/**
 * The host module `code` (`id`, one of the hosts) with the watcher's URL
 * replaced by `watcher` (an expression of its text), if given; and, with
 * `hideRuntimeWorker`, the web host's URL of the runtime's own worker in a
 * form no bundler follows (Vite, webpack and Rspack would bundle that worker,
 * which a bundled program never starts; to Vite, its host module names the
 * watcher's worker, which names it back: a cycle Vite refuses). Null when
 * nothing changes; the source map is made when read.
 */
export function withHostUrls(code: string, id: string, { watcher, hideRuntimeWorker = false }: { watcher?: string; hideRuntimeWorker?: boolean }): { code: string; map: SourceMap } | null {
  const output = new MagicString(code);
  const watcherAt = watcher === undefined ? -1 : code.indexOf(RUNTIME_WATCHER_URL);
  // Node's `Worker` takes a URL object, not a URL's text; the web's takes either.
  if (watcherAt !== -1) output.overwrite(watcherAt, watcherAt + RUNTIME_WATCHER_URL.length, id === NODE_HOST ? `new URL(${watcher})` : (watcher as string));
  const workerAt = hideRuntimeWorker && id === WEB_HOST ? code.indexOf(RUNTIME_WORKER_URL) : -1;
  if (workerAt !== -1) output.overwrite(workerAt, workerAt + RUNTIME_WORKER_URL.length, "new URL(['..', 'internal', 'worker.js'].join('/'), import.meta.url)");
  if (watcherAt === -1 && workerAt === -1) return null;
  // Made when read: esbuild takes the code alone. Lines are enough for the runtime's own frames (see lift.ts).
  return {
    code: output.toString(),
    get map() {
      return output.generateMap();
    },
  };
}
