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
import { codecModulesOf, inRuntimeDist, workerEntry } from './worker-entry.js';

/** The worker's entry and its list of thread modules: virtual modules in the compiler's context. */
export const WEBPACK_WORKER_ENTRY = '__sendsync_worker_entry__.js';
export const WEBPACK_THREAD_MODULES = '__sendsync_thread_modules__.js';
/** The entry's name, and so its chunk's. */
const WORKER_NAME = 'sendsync-worker';
/** What the rewritten calls hold in place of the worker's URL until its file is known. */
export const WEBPACK_WORKER_URL = '__sendsync_webpack_worker_url__';

export function isWebpackEntry(id: string): boolean {
  return id.endsWith(WEBPACK_WORKER_ENTRY) || id.endsWith(WEBPACK_THREAD_MODULES);
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

/**
 * Adds the worker's entry after the application's modules are built (giving
 * `setCodecModules` the runtime's modules among them), and writes its URL
 * into the chunks that spawn.
 */
export function addWebpackWorker(compiler: Compiler, threads: ReadonlyMap<string, ThreadModule>, setCodecModules: (modules: ReadonlySet<string>) => void): void {
  const { EntryPlugin, sources, Compilation: CompilationClass } = compiler.webpack;
  // The runtime's imports of specifiers computed at run time (a codec's module, a closure's import) are meant not to be followed (webpack's words, then Rspack's).
  compiler.options.ignoreWarnings = [
    ...(compiler.options.ignoreWarnings ?? []),
    (warning) =>
      inRuntimeDist((warning as { module?: { resource?: string } }).module?.resource ?? '') !== undefined &&
      /Critical dependency: the request of a dependency is an expression|Dynamic module path/.test(warning.message),
  ];
  compiler.hooks.finishMake.tapPromise('sendsync', async (compilation) => {
    if (threads.size === 0) return;
    const files = [...compilation.modules].map((module) => (module as { resource?: string }).resource ?? '');
    setCodecModules(codecModulesOf(files, [...threads.values()].map((thread) => thread.code)));
    const dependency = EntryPlugin.createDependency(join(compiler.context, WEBPACK_WORKER_ENTRY), { name: WORKER_NAME });
    await new Promise<void>((resolve, reject) => {
      compilation.addEntry(compiler.context, dependency, { name: WORKER_NAME }, (error) => (error ? reject(error) : resolve()));
    });
  });
  compiler.hooks.thisCompilation.tap('sendsync', (compilation) => {
    compilation.hooks.processAssets.tap({ name: 'sendsync', stage: CompilationClass.PROCESS_ASSETS_STAGE_ADDITIONS }, () => {
      const worker = workerFile(compilation);
      if (worker === undefined) return;
      for (const asset of compilation.getAssets()) {
        if (!asset.name.endsWith('.js')) continue;
        const code = asset.source.source().toString();
        if (!code.includes(WEBPACK_WORKER_URL)) continue;
        const replaced = new sources.ReplaceSource(asset.source);
        const path = relative(dirname(asset.name), worker).split(sep).join('/');
        const url = `new URL(${JSON.stringify(path.startsWith('.') ? path : `./${path}`)}, import.meta.url).href`;
        for (const match of code.matchAll(/(["'`])__sendsync_webpack_worker_url__\1/g)) replaced.replace(match.index, match.index + match[0].length - 1, url);
        compilation.updateAsset(asset.name, replaced);
      }
    });
  });
}

function workerFile(compilation: Compilation): string | undefined {
  const chunk = compilation.entrypoints.get(WORKER_NAME)?.getEntrypointChunk();
  return chunk === undefined ? undefined : [...chunk.files].find((file) => file.endsWith('.js') || file.endsWith('.mjs'));
}
