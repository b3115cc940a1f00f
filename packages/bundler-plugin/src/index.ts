/**
 * `@sendsync/bundler-plugin`: builds each closure given to
 * `@sendsync/runtime`'s `spawn` into a module of its own, so that a bundled
 * program's threads import their code rather than compile source text (see
 * README.md). One plugin, written once with unplugin, for each bundler.
 */

import { createHash } from 'node:crypto';
import { dirname, extname, relative, sep } from 'node:path';
import { createRequire } from 'node:module';
import type { Loader, Plugin as EsbuildPlugin, PluginBuild } from 'esbuild';
import MagicString, { type SourceMap } from 'magic-string';
import { createUnplugin, type UnpluginFactory } from 'unplugin';
import { LiftError, THREAD_ID, liftThreads, type ThreadModule } from './lift.js';
import { reexportedRuntimeName } from './reexports.js';
import {
  WEBPACK_THREAD_MODULES,
  WEBPACK_WORKER_ENTRY,
  WEBPACK_WORKER_URL,
  addWebpackWorker,
  isWebpackEntry,
  webpackName,
  webpackThreadModules,
  webpackWorkerEntry,
} from './webpack-worker.js';

export { LiftError };

/** The plugin's options. */
export interface Options {
  /** Modules to look at: by default every JavaScript and TypeScript module outside `node_modules`. */
  readonly include?: RegExp;
}

/** The runtime's bootstrap for a bundle's workers (the runtime's contract with this plugin). */
const BUNDLED_WORKER = '@sendsync/runtime/internal/bundled-worker';
/** The worker's output name, for bundlers whose entries this plugin names (esbuild). */
const WORKER_NAME = 'sendsync-worker';
const SCRIPT = /\.[cm]?[jt]sx?$/;
const RELATIVE_IMPORT = /\bfrom\s*["']\.\.?\//;

/** The emit part of Rollup's (and Vite's) plugin context. */
interface ChunkEmitter {
  emitFile(file: { type: 'chunk'; id: string; name: string }): string;
}

const factory: UnpluginFactory<Options | undefined> = (options, meta) => {
  const include = options?.include ?? SCRIPT;
  /** The lifted modules, by id, for resolveId and load (and esbuild's second build). */
  const threads = new Map<string, ThreadModule>();
  /** Rollup's reference to the worker's chunk, once emitted in this build. */
  let workerChunk: string | undefined;
  const runtimeModuleOf = runtimeExports();

  /** The expressions of a thread module's URL and the worker's, as the bundler can write them. */
  function refer(context: unknown, thread: ThreadModule): { module: string; worker: string } {
    if (meta.framework === 'webpack') {
      // webpack's chunks load through its own runtime: the worker's entry imports the thread modules by name.
      return { module: JSON.stringify(webpackName(thread)), worker: JSON.stringify(WEBPACK_WORKER_URL) };
    }
    if (meta.framework === 'esbuild') {
      return { module: urlOf(`./${esbuildName(thread)}.js`), worker: urlOf(`./${WORKER_NAME}.js`) };
    }
    const emitter = context as ChunkEmitter;
    workerChunk ??= emitter.emitFile({ type: 'chunk', id: BUNDLED_WORKER, name: WORKER_NAME });
    const chunk = emitter.emitFile({ type: 'chunk', id: thread.id, name: thread.name });
    return { module: placeholder(chunk), worker: placeholder(workerChunk) };
  }

  return {
    name: 'sendsync',
    enforce: 'pre',
    buildStart() {
      workerChunk = undefined;
    },
    resolveId(id) {
      return threads.has(id) || isWebpackEntry(id) ? id : undefined;
    },
    loadInclude(id) {
      return threads.has(id) || isWebpackEntry(id);
    },
    load(id) {
      if (id.endsWith(WEBPACK_WORKER_ENTRY)) return webpackWorkerEntry(id);
      if (id.endsWith(WEBPACK_THREAD_MODULES)) return webpackThreadModules(threads.values());
      const thread = threads.get(id);
      return thread === undefined ? undefined : { code: thread.code, map: thread.map };
    },
    transformInclude(id) {
      return include.test(id) && !id.includes('/node_modules/') && !THREAD_ID.test(id);
    },
    transform(code, id) {
      // Parsed only when it may spawn: it names `spawn`, or imports a module of the app's that may re-export it.
      if (!code.includes('spawn') && !RELATIVE_IMPORT.test(code)) return undefined;
      const lifted = liftThreads(code, id, {
        runtimeModuleOf,
        absoluteImports: meta.framework === 'webpack',
        reexported: reexportedRuntimeName,
        refer: (thread) => {
          threads.set(thread.id, thread);
          return refer(this, thread);
        },
      });
      return lifted === undefined ? undefined : { code: lifted.code, map: lifted.map };
    },
    rollup: { renderChunk: renderChunkUrls, onLog: (_level, log) => !isRuntimeImportNote(log) },
    vite: { apply: 'build', renderChunk: renderChunkUrls, onLog: (_level, log) => !isRuntimeImportNote(log) },
    webpack: (compiler) => addWebpackWorker(compiler, threads),
    esbuild: {
      setup(build) {
        quietRuntimeImports(build);
        build.onEnd(async (result) => {
          if (result.errors.length > 0 || threads.size === 0) return;
          const nested = await buildWorker(build, threads);
          result.errors.push(...nested.errors);
          result.warnings.push(...nested.warnings);
        });
      },
    },
  };
};

/** Quiets esbuild about the runtime's `import()` of a specifier computed at run time, which is meant not to be followed. */
function quietRuntimeImports(build: PluginBuild): void {
  const options = build.initialOptions;
  options.logOverride = { 'unsupported-dynamic-import': 'silent', ...options.logOverride };
}

/** A string the rewritten call holds in place of a chunk's URL until the chunk's file name is known. */
function placeholder(reference: string): string {
  return JSON.stringify(`${PLACEHOLDER}${reference}__`);
}
const PLACEHOLDER = '__sendsync_chunk_url_';
/** The placeholder, quoted as a minifier may have rewritten it. */
const PLACEHOLDERS = /(["'`])__sendsync_chunk_url_([\w$]+?)__\1/g;

/**
 * Rollup's and Vite's `renderChunk`: each placeholder becomes the chunk's
 * URL relative to the chunk that names it (`import.meta.ROLLUP_FILE_URL_`
 * would do for Rollup, but Vite writes it from its `base`, a web path).
 */
function renderChunkUrls(this: { getFileName(reference: string): string }, code: string, chunk: { readonly fileName: string }): { code: string; map: SourceMap } | null {
  if (!code.includes(PLACEHOLDER)) return null;
  const output = new MagicString(code);
  for (const match of code.matchAll(PLACEHOLDERS)) {
    const path = relative(dirname(chunk.fileName), this.getFileName(match[2])).split(sep).join('/');
    output.overwrite(match.index, match.index + match[0].length, urlOf(path.startsWith('.') ? path : `./${path}`));
  }
  return { code: output.toString(), map: output.generateMap({ hires: 'boundary' }) };
}

/** Rollup's note that the runtime's `import()` of a run-time specifier with options is not followed, as meant. */
function isRuntimeImportNote(log: { readonly code?: string; readonly id?: string }): boolean {
  return log.code === 'INVALID_IMPORT_ATTRIBUTE' && /[\\/]dist[\\/]internal[\\/]closure\.js$/.test(log.id ?? '');
}

/** `new URL(path, import.meta.url).href`, as written into a chunk. */
function urlOf(path: string): string {
  return `new URL(${JSON.stringify(path)}, import.meta.url).href`;
}

/** A thread module's output name under esbuild: unique per spawning module and closure. */
function esbuildName(thread: ThreadModule): string {
  return `${thread.name}-${createHash('sha256').update(thread.id).digest('hex').slice(0, 8)}`;
}

/**
 * esbuild has no chunk to emit from a transform: after the build, the worker
 * and the thread modules are built together (sharing their chunks, so that
 * a thread's runtime is its worker's), into the same directory.
 */
async function buildWorker(build: PluginBuild, threads: ReadonlyMap<string, ThreadModule>): ReturnType<PluginBuild['esbuild']['build']> {
  const initial = build.initialOptions;
  const entryPoints: Record<string, string> = { [WORKER_NAME]: BUNDLED_WORKER };
  for (const thread of threads.values()) entryPoints[esbuildName(thread)] = thread.id;
  const served: EsbuildPlugin = {
    name: 'sendsync-threads',
    setup(nested) {
      nested.onResolve({ filter: THREAD_ID }, (args) => ({ path: args.path }));
      nested.onLoad({ filter: THREAD_ID }, (args) => {
        const thread = threads.get(args.path)!;
        const map = `\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(thread.map.toString()).toString('base64')}`;
        return { contents: thread.code + map, loader: loaderOf(args.path), resolveDir: dirname(args.path) };
      });
    },
  };
  const { outfile, ...rest } = initial;
  return build.esbuild.build({
    ...rest,
    entryPoints,
    outdir: initial.outdir ?? (outfile === undefined ? undefined : dirname(outfile)),
    bundle: true,
    splitting: true,
    format: 'esm',
    metafile: false,
    plugins: [served, ...(initial.plugins ?? []).filter((plugin) => plugin.name !== 'sendsync')],
  });
}

function loaderOf(path: string): Loader {
  const extension = extname(path.replace(/\.sendsync-thread-\d+/, ''));
  return /ts/.test(extension) ? (extension.endsWith('x') ? 'tsx' : 'ts') : extension.endsWith('x') ? 'jsx' : 'js';
}

/** The runtime's public modules, whose exports a closure may use without importing them (as `spawn` allows). */
const RUNTIME_SPECIFIERS = ['@sendsync/runtime', '@sendsync/runtime/sync', '@sendsync/runtime/sync/mpsc', '@sendsync/runtime/cell', '@sendsync/runtime/rc', '@sendsync/runtime/collections'];

/** The runtime module (a specifier) of each name the runtime exports, read from the runtime itself once a closure needs it. */
function runtimeExports(): (name: string) => string | undefined {
  let modules: Map<string, string> | undefined;
  return (name) => {
    if (modules === undefined) {
      modules = new Map();
      const require = createRequire(import.meta.url);
      for (const specifier of RUNTIME_SPECIFIERS) {
        for (const each of Object.keys(require(specifier) as object)) if (!modules.has(each)) modules.set(each, specifier);
      }
    }
    return modules.get(name);
  };
}

/** The plugin for each bundler (also its own entry point: `@sendsync/bundler-plugin/vite`, ...). */
export const sendsync = createUnplugin(factory);
export default sendsync;
