// @ts-check
/**
 * `npm run bundle`: bundles the built bootstraps of the runtime's threads
 * (after `tsc -b`), each into one file that a new worker loads whole.
 *
 * - `dist/internal/worker.js` and `watcher.js`: ES modules with `#host`
 *   left as an import, so that the package's conditions pick the host (the
 *   web adapter for browsers and bundlers, which follow
 *   `new Worker(new URL('../internal/worker.js', import.meta.url))`).
 * - `dist/internal/worker.cjs`: the same worker as CommonJS, with the Node
 *   adapter bundled in, which host/node.ts starts on Node. A CommonJS worker
 *   runs its first line sooner than a module worker (Node sets up its ES
 *   module loader for the latter), and a cold spawn waits for that line.
 *
 * Whitespace and comments are left out: a new worker reads and compiles its
 * bootstrap whole before its first thread runs (47 KB took 1.2 ms to compile
 * here, 35 KB 0.85 ms). The ES module builds keep their names, for stack
 * traces (a browser app's bundler minifies them anyway); `worker.cjs`, which
 * every cold spawn on Node waits for, is minified whole (38.8 KB → 26 KB, its
 * compile 1.8 → 1.45 ms): a thread's panic shows the user's frames by their
 * names, the bootstrap's below them renamed.
 */
import { build } from 'esbuild';

const common = /** @type {const} */ ({
  bundle: true,
  target: 'es2022',
  logLevel: 'warning',
  // The bootstraps import the runtime's other modules by computed URLs, when a thread needs them.
  logOverride: { 'unsupported-dynamic-import': 'silent' },
  outdir: 'dist/internal',
  minifyWhitespace: true,
});

await Promise.all([
  build({
    ...common,
    entryPoints: { worker: 'dist/internal/worker-main.js', watcher: 'dist/internal/watcher-main.js' },
    platform: 'neutral',
    format: 'esm',
    external: ['#host'],
  }),
  build({
    ...common,
    entryPoints: { worker: 'dist/internal/worker-main.js' },
    outExtension: { '.js': '.cjs' },
    minify: true,
    platform: 'node',
    format: 'cjs',
    // `#host` resolves to host/node.js, bundled in.
    conditions: ['node'],
    // The bootstrap finds the runtime's modules next to its own file: its URL is made when first read (a thread that
    // loads one of them), since `node:url`, which a fresh worker has not loaded, costs its start some 0.3 ms.
    banner: {
      js: "let fileUrl; const importMeta = { get url() { return (fileUrl ??= require('node:url').pathToFileURL(__filename).href); } };",
    },
    define: { 'import.meta.url': 'importMeta.url' },
  }),
]);
