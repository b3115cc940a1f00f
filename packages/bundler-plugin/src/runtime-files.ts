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

/** The host module `code` (`id`, one of the hosts) with the watcher's URL replaced by `url`, an expression of its text; null when it has none. */
export function withWatcherUrl(code: string, id: string, url: string): { code: string; map: SourceMap } | null {
  const at = code.indexOf(RUNTIME_WATCHER_URL);
  if (at === -1) return null;
  const output = new MagicString(code);
  // Node's `Worker` takes a URL object, not a URL's text; the web's takes either.
  output.overwrite(at, at + RUNTIME_WATCHER_URL.length, id === NODE_HOST ? `new URL(${url})` : url);
  return { code: output.toString(), map: output.generateMap({ hires: 'boundary' }) };
}
