/**
 * webpack: its chunks load through the runtime of the entry that loads them,
 * so a thread module cannot be imported by URL into a worker. The worker is
 * an entry of its own (added once the application's modules are built, so
 * that every thread module is known), which registers each thread module by
 * name for the runtime's bootstrap (`registerThreadModules`) and loads it
 * with its own `import()`, as a chunk of the worker's.
 */

import { createHash } from 'node:crypto';
import { dirname, join, relative, sep } from 'node:path';
import type { Compilation, Compiler } from 'webpack';
import type { ThreadModule } from './lift.js';
import { pathsUnder } from './app-files.js';
import { RUNTIME_DIR, WATCHER, inRuntimeDist } from './runtime-files.js';
import { codecModulesOf, workerEntry } from './worker-entry.js';

/** The worker's entry and its list of thread modules: virtual modules in the compiler's context. */
export const WEBPACK_WORKER_ENTRY = '__sendsync_worker_entry__.js';
export const WEBPACK_THREAD_MODULES = '__sendsync_thread_modules__.js';
/** The entries' names, and so their chunks'. */
const WORKER_NAME = 'sendsync-worker';
const WATCHER_NAME = 'sendsync-watcher';
/** The chunk of the runtime's modules that the application's entries and the worker share. */
const RUNTIME_NAME = 'sendsync-runtime';
/** The runtime's built modules, as webpack's and Rspack's split chunks test a module's path. */
const RUNTIME_MODULES = pathsUnder(join(RUNTIME_DIR, 'dist'));
/** What the rewritten calls hold in place of the worker's URL until its file is known, and the host modules in place of the watcher's. */
export const WEBPACK_WORKER_URL = '__sendsync_webpack_worker_url__';
export const WEBPACK_WATCHER_URL = '__sendsync_webpack_watcher_url__';
const URL_PLACEHOLDER = '__sendsync_webpack_';
/** Either placeholder, quoted. */
const URL_PLACEHOLDERS = /(["'`])(__sendsync_webpack_(?:worker|watcher)_url__)\1/g;

/** Either of them, by id. */
export const WEBPACK_ENTRIES = /__sendsync_(?:worker_entry|thread_modules)__\.js$/;

export function isWebpackEntry(id: string): boolean {
  return WEBPACK_ENTRIES.test(id);
}

/** A thread module's name for the worker's registry. */
export function webpackName(thread: ThreadModule): string {
  return `sendsync-thread:${createHash('sha256').update(thread.id).digest('hex').slice(0, 12)}`;
}

/** The worker's entry: the registry first, then the runtime's codec modules and its bootstrap (which starts serving as it loads). */
export function webpackWorkerEntry(id: string, codecModules: Iterable<string>): string {
  return workerEntry(codecModules, `import ${JSON.stringify(join(dirname(id), WEBPACK_THREAD_MODULES))};\n`);
}

export function webpackThreadModules(threads: Iterable<ThreadModule>): string {
  const entries = [...threads].map((thread) => `  ${JSON.stringify(webpackName(thread))}: () => import(${JSON.stringify(thread.id)}),`);
  return `import { registerThreadModules } from "@sendsync/runtime/internal/thread-entry";\nregisterThreadModules({\n${entries.join('\n')}\n});\n`;
}

/** What the plugin's hooks tell the compiler's: filled as the application's modules are transformed. */
export interface WebpackState {
  /** The lifted thread modules, by id. */
  readonly threads: ReadonlyMap<string, ThreadModule>;
  /** Whether a host module now names the watcher's worker by WEBPACK_WATCHER_URL (the watcher is then an entry too). */
  watcher: boolean;
  /** The codec modules for the worker's entry, once the application's modules are built. */
  codecModules: ReadonlySet<string>;
}

/**
 * Adds the worker's entry after the application's modules are built (with
 * the runtime's codec modules among them, and those its thread modules
 * import), and the watcher's, and writes their URLs into the chunks that
 * name them.
 */
export function addWebpackWorker(compiler: Compiler, state: WebpackState): void {
  const { EntryPlugin, sources, Compilation: CompilationClass } = compiler.webpack;
  // The runtime's imports of specifiers computed at run time (a codec's module, a closure's import) are meant not to be followed (webpack's words, then Rspack's).
  compiler.options.ignoreWarnings = [
    ...(compiler.options.ignoreWarnings ?? []),
    (warning) =>
      inRuntimeDist((warning as { module?: { resource?: string } }).module?.resource ?? '') !== undefined &&
      /Critical dependency: the request of a dependency is an expression|Dynamic module path/.test(warning.message),
  ];
  // The runtime's modules in one chunk that the application's entries and the worker's load: else each holds a copy, which the minifier reads again
  // (most of what the plugin added to a build's time). Not the watcher's: its worker loads its few modules alone. Set once the defaults are.
  compiler.hooks.afterEnvironment.tap('sendsync', () => {
    const { splitChunks } = compiler.options.optimization;
    if (splitChunks === false || splitChunks === undefined) return;
    compiler.options.optimization.splitChunks = {
      ...splitChunks,
      cacheGroups: {
        ...splitChunks.cacheGroups,
        [RUNTIME_NAME]: { test: RUNTIME_MODULES, chunks: (chunk) => chunk.name !== WATCHER_NAME, name: RUNTIME_NAME, enforce: true, reuseExistingChunk: true },
      },
    };
  });
  const addEntry = async (compilation: Compilation, request: string, name: string): Promise<void> => {
    const dependency = EntryPlugin.createDependency(request, { name });
    await new Promise<void>((resolve, reject) => {
      compilation.addEntry(compiler.context, dependency, { name }, (error) => (error ? reject(error) : resolve()));
    });
  };
  compiler.hooks.finishMake.tapPromise('sendsync', async (compilation) => {
    if (state.watcher) await addEntry(compilation, WATCHER, WATCHER_NAME);
    if (state.threads.size === 0) return;
    const files = [...compilation.modules].map((module) => (module as { resource?: string }).resource ?? '');
    state.codecModules = codecModulesOf(files, [...state.threads.values()].map((thread) => thread.code));
    await addEntry(compilation, join(compiler.context, WEBPACK_WORKER_ENTRY), WORKER_NAME);
  });
  compiler.hooks.thisCompilation.tap('sendsync', (compilation) => {
    compilation.hooks.processAssets.tap({ name: 'sendsync', stage: CompilationClass.PROCESS_ASSETS_STAGE_ADDITIONS }, () => {
      const files = new Map([
        [WEBPACK_WORKER_URL, entryFile(compilation, WORKER_NAME)],
        [WEBPACK_WATCHER_URL, entryFile(compilation, WATCHER_NAME)],
      ]);
      for (const asset of compilation.getAssets()) {
        if (!asset.name.endsWith('.js')) continue;
        const code = asset.source.source().toString();
        if (!code.includes(URL_PLACEHOLDER)) continue;
        const replaced = new sources.ReplaceSource(asset.source);
        for (const match of code.matchAll(URL_PLACEHOLDERS)) {
          const file = files.get(match[2]);
          if (file === undefined) continue;
          const path = relative(dirname(asset.name), file).split(sep).join('/');
          const url = `new URL(${JSON.stringify(path.startsWith('.') ? path : `./${path}`)}, import.meta.url).href`;
          replaced.replace(match.index, match.index + match[0].length - 1, url);
        }
        compilation.updateAsset(asset.name, replaced);
      }
    });
  });
}

/** The file of the entry `name`'s chunk. */
function entryFile(compilation: Compilation, name: string): string | undefined {
  const chunk = compilation.entrypoints.get(name)?.getEntrypointChunk();
  return chunk === undefined ? undefined : [...chunk.files].find((file) => file.endsWith('.js') || file.endsWith('.mjs'));
}
