/**
 * `@sendsync/bundler-plugin`: builds each closure given to
 * `@sendsync/runtime`'s `spawn` into a module of its own, so that a bundled
 * program's threads import their code rather than compile source text (see
 * README.md). One plugin, written once with unplugin, for each bundler.
 */

import { readFile, writeFile } from 'node:fs/promises';
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { BuildOptions, Loader, OutputFile, PluginBuild } from 'esbuild';
import MagicString, { type SourceMap } from 'magic-string';
import { createUnplugin, type UnpluginFactory } from 'unplugin';
import type { Compiler as WebpackCompiler } from 'webpack';
import { LiftError, THREAD_ID, liftThreads, maySpawn, type LineMap, type ThreadModule } from './lift.js';
import { forgetReexports, hasReexports, reexportedRuntimeName } from './reexports.js';
import { runtimeExports } from './runtime-exports.js';
import { NODE_HOST, RUNTIME_DIR, WATCHER, WEB_HOST, withHostUrls } from './runtime-files.js';
import { SCRIPT, appScripts, exactPath, exactPaths } from './app-files.js';
import { readAppGraph, type AppGraph } from './app-graph.js';
import { scanCodecModules, type Resolve, type Resolved } from './codec-scan.js';
import { workerEntry } from './worker-entry.js';
import {
  WEBPACK_ENTRIES,
  WEBPACK_THREAD_MODULES,
  WEBPACK_WATCHER_URL,
  WEBPACK_WORKER_ENTRY,
  WEBPACK_WORKER_URL,
  type WebpackState,
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

/** The worker's chunk name, where this plugin names it (Rollup, Vite). */
const WORKER_NAME = 'sendsync-worker';
/** The watcher's chunk name, where this plugin names it (Rollup). */
const WATCHER_NAME = 'sendsync-watcher';
/** The worker's entry (see worker-entry.ts): a virtual module in the runtime's folder, whose imports resolve as the runtime's own. */
const WORKER_ID = join(RUNTIME_DIR, 'sendsync-worker.js');
/** The modules this plugin serves: the thread modules, the worker's entry and webpack's entries. */
const OWN_MODULES = new RegExp([THREAD_ID, exactPath(WORKER_ID), WEBPACK_ENTRIES].map(({ source }) => source).join('|'));
/** The application's scripts, as the bundler matches them before it gives one to the plugin (see app-files.ts). */
const APP_SCRIPTS = appScripts(RUNTIME_DIR);
/** The runtime's hosts, whose workers' URLs the plugin rewrites. */
const HOSTS = [exactPath(WEB_HOST), exactPath(NODE_HOST)];
/** The application's scripts and the hosts. */
const TRANSFORMED = [APP_SCRIPTS, ...HOSTS];
/** The modules this plugin serves in esbuild's namespace for it: the thread modules and the worker's entry. */
const ESBUILD_VIRTUAL = new RegExp(`${THREAD_ID.source}|[\\\\/]sendsync-worker\\.js$`);

/** The web host without the URL of the runtime's own worker as a form Vite follows (Vite bundles the watcher's worker as it finds it). */
function withoutRuntimeWorker(code: string, id: string): { code: string; map: SourceMap } | null {
  return withHostUrls(code, id, { hideRuntimeWorker: true });
}

/** The emit part of Rollup's (and Vite's) plugin context. */
interface ChunkEmitter {
  emitFile(file: { type: 'chunk'; id: string; name: string; preserveSignature?: 'strict' }): string;
}

const factory: UnpluginFactory<Options | undefined> = (options, meta) => {
  const include = options?.include ?? SCRIPT;
  /** The lifted modules, by id, for resolveId and load. */
  const threads = new Map<string, ThreadModule>();
  /** Rollup's reference to the worker's chunk, once emitted in this build. */
  let workerChunk: string | undefined;
  /** The codec modules the application imports (see codec-scan.ts), read from the build's start (esbuild, Rollup, Vite). */
  let codecScan: Promise<Set<string> | undefined> | undefined;
  /** The build's modules' text, read once for the scan, the look-up of re-exports and the lifting (esbuild). */
  const texts = new Map<string, string>();
  /** Whether `texts` holds what Rollup's or Vite's `options` hook read for the build that starts next (they are read again for each build after it). */
  let readAtSetUp = false;
  const readText = (file: string): string => {
    let text = texts.get(file);
    if (text === undefined) {
      text = readFileSync(file, 'utf8');
      texts.set(file, text);
    }
    return text;
  };
  /** As a build starts: reads the codec modules the graph from the entries, as resolved, imports (unknown, so every one, unless each is a file). */
  const startCodecScan: StartCodecScan = (entries, resolveWith) => {
    // `texts` was reset as the build started (buildStart, or esbuild's onStart in setUpEsbuildLift), or holds what the graph read before it.
    codecScan = entries
      .then((files) => (files.length > 0 && files.every(isFile) ? scanCodecModules(files.map(({ file }) => file), resolveWith, readText) : undefined))
      // A graph it could not read (a resolver that threw): every codec module, as for any graph it cannot read to the end.
      .catch(() => undefined);
  };
  const runtimeModuleOf = runtimeExports();
  /** What webpack's (or Rspack's) compiler hooks learn from this plugin's (see webpack-worker.ts). */
  const webpackState: WebpackState = { threads, watcher: false, codecModules: new Set() };
  /** webpack, or Rspack, which runs webpack's plugins' API. */
  const webpackLike = meta.framework === 'webpack' || meta.framework === 'rspack';

  function includes(id: string): boolean {
    // esbuild reads the hosts in setUpEsbuild.
    if (id === WEB_HOST || id === NODE_HOST) return meta.framework !== 'esbuild';
    return include.test(id) && !id.includes('/node_modules/') && !id.startsWith(RUNTIME_DIR) && !THREAD_ID.test(id);
  }

  /** The module `id` with the closures it spawns lifted, or undefined when it spawns none. */
  function lift(context: unknown, code: string, id: string): { code: string; map: LineMap } | undefined {
    const lifted = liftThreads(code, id, {
      runtimeModuleOf,
      absoluteImports: webpackLike,
      reexported: reexportedRuntimeName,
      reexports: hasReexports,
      refer: (thread) => {
        threads.set(thread.id, thread);
        return refer(context, thread);
      },
    });
    return lifted === undefined ? undefined : { code: lifted.code, map: lifted.map };
  }

  /** The modules that may spawn, read from the entries before the build (see app-graph.ts); undefined where they could not be. */
  let graph: AppGraph | undefined;
  /** The transform hook's filter, which Rollup and Rolldown match before calling the plugin: narrowed to `graph` before the build. */
  const transformFilter: { id: RegExp[] } = { id: TRANSFORMED };

  /** Reads `graph` from the entries (absolute paths), unless given an `include` pattern: the texts read serve the build that starts next. */
  function readGraph(entries: readonly string[] | undefined): AppGraph | undefined {
    graph = undefined;
    if (options?.include !== undefined || entries === undefined) return undefined;
    texts.clear();
    forgetReexports(readText);
    readAtSetUp = true;
    graph = readAppGraph(entries, { isApp, read: readText, maySpawn: (code, file) => maySpawn(code, file, { reexports: hasReexports }) });
    return graph;
  }

  /** Whether the plugin reads the module `file`: a script of the application's. */
  function isApp(file: string): boolean {
    return APP_SCRIPTS.test(file) && includes(file);
  }

  /**
   * The modules of `files` that spawn though the graph read before the build never reached them (the bundler built them
   * unlifted). A module the graph read was judged then: it is in `spawning` (lifted) or cannot spawn.
   */
  function unlifted(files: Iterable<string>, read: AppGraph): string[] {
    return [...files].filter((file) => isAbsolute(file) && !/[\0?]/.test(file) && isApp(file) && !read.files.has(file) && spawns(readText(file), file));
  }

  /**
   * Rollup's and Vite's `options` hook: the transform filter narrowed to the
   * modules that may spawn, read from the input. Rollup's watch mode runs the
   * hook again for each rebuild and compiles the filter again then (a plugin
   * driver per build), so a module edited to spawn is in the next build's
   * filter (and, edited, is transformed again, not taken from the cache).
   * Not in Vite's (Rolldown's) watch mode, which may keep the first build's
   * filter while a module starts to spawn.
   */
  function narrowTransform(input: { readonly input?: unknown; readonly watch?: unknown }): null {
    const watching = input.watch !== undefined && input.watch !== false && input.watch !== null;
    const read = readGraph(watching && meta.framework !== 'rollup' ? undefined : absoluteEntries(input.input));
    const spawning = read === undefined || read.spawning.size === 0 ? [] : [exactPaths(read.spawning)];
    transformFilter.id = read === undefined ? TRANSFORMED : [...spawning, ...HOSTS];
    return null;
  }

  /** Rollup's and Vite's `buildEnd`: an error for a module the bundler built unlifted, where the graph read before the build missed it: never a bundle whose spawn fails at run time. */
  function failUnlifted(this: { getModuleIds(): IterableIterator<string> | string[]; error(message: string): never }, error?: Error): void {
    if (error !== undefined || graph === undefined) return;
    const [file] = unlifted(this.getModuleIds(), graph);
    if (file !== undefined) this.error(`${file}: ${UNLIFTED}`);
  }

  /** Whether the module `id` spawns a thread (a closure the plugin lifts or refuses), found as lift finds it, with nothing kept. */
  function spawns(code: string, id: string): boolean {
    try {
      return liftThreads(code, id, { runtimeModuleOf, reexported: reexportedRuntimeName, reexports: hasReexports, refer: () => ({ module: '""', worker: '""' }) }) !== undefined;
    } catch (error) {
      if (error instanceof LiftError) return true;
      throw error;
    }
  }

  /**
   * esbuild's filter of the modules the plugin lifts (its onLoad's), read
   * from the entries' graph as the plugin is set up: only the modules that
   * may spawn (21 of the bench app's 203 calls a build), so that esbuild
   * calls into the plugin for no other. Each call is a round trip between
   * esbuild's process and Node's. Measured on that app (CPU profiles of the
   * bench's build, 2026-12-08, on a loaded machine): the onLoad callbacks
   * and their replies took 69 ms a build before (load 6), 41 ms after (load
   * 16), while the graph's read, done here instead of in each callback, took
   * 23 ms; on a quiet machine the plugin's own work is about 7 ms (the
   * graph, with its files read: 4.7 ms; lifting the 20 modules that spawn:
   * 1.8 ms; the codec scan: 0.7 ms), and the garbage it leaves, which the
   * profiles put at 29 ms a build at load 16. Undefined (no module to
   * lift) when none may spawn; every script of the application's when the
   * graph cannot be read to the end (see app-graph.ts), or with an
   * `include` pattern, which it matches.
   *
   * esbuild fixes the filter once per set-up: for a `build()`, and for a
   * `context()` and all its rebuilds (watch, serve). Each rebuild reads the
   * graph again, and one in which a module outside the filter now spawns
   * fails as it starts, naming it and saying what to do (make a new
   * context), before esbuild writes anything: never a bundle whose spawn
   * fails at run time. As a build ends, a module esbuild built that the
   * graph never reached (one it could not read as the build started) and
   * that spawns fails the build too (as Rollup's and Vite's buildEnd).
   */
  function setUpEsbuildLift(build: PluginBuild): RegExp | undefined {
    const cwd = build.initialOptions.absWorkingDir ?? process.cwd();
    // esbuild's `inject` files are modules of the build that no entry imports.
    const named = [...entryNames(build.initialOptions.entryPoints), ...(build.initialOptions.inject ?? [])];
    const found = named.map((entry) => realFile(resolve(cwd, entry)));
    const entries = found.length > 0 && found.every((entry): entry is string => entry !== undefined) ? found : undefined;
    // Undefined with an `include` pattern too.
    const lifting = readGraph(entries)?.spawning;
    // The texts the graph read serve the first build; each rebuild reads them again.
    let readForNextBuild = lifting !== undefined;
    build.onStart(() => {
      if (readForNextBuild) {
        readForNextBuild = false;
        return undefined;
      }
      texts.clear();
      forgetReexports(readText);
      if (lifting === undefined) return undefined;
      // A context's rebuild, whose filter is its first build's.
      const read = readGraph(entries);
      const file = read === undefined ? undefined : [...read.spawning].find((each) => !lifting.has(each) && spawns(readText(each), each));
      return file === undefined ? undefined : { errors: [{ text: `${file}: ${REBUILD_UNLIFTED}` }] };
    });
    if (lifting === undefined) return options?.include === undefined ? APP_SCRIPTS : /.*/;
    build.onEnd((result) => {
      if (result.errors.length > 0 || result.metafile === undefined) return undefined;
      // The inputs in esbuild's file namespace (the others are written `namespace:path`), which the graph did not judge as it read them.
      const inputs = Object.keys(result.metafile.inputs).filter((input) => !ESBUILD_NAMESPACED.test(input));
      const file = inputs.map((input) => resolve(cwd, input)).find((each) => !lifting.has(each) && graph?.files.has(each) !== true && isApp(each) && spawnsIfFile(each));
      return file === undefined ? undefined : { errors: [{ text: `${file}: ${UNLIFTED}` }] };
    });
    // The paths esbuild gives are real paths (it follows links unless told to preserve them).
    return lifting.size === 0 ? undefined : exactPaths(new Set([...lifting].flatMap((file) => [file, realpathSync(file)])));
  }

  /** Whether the file `file` spawns a thread; false when it cannot be read (no file of esbuild's build). */
  function spawnsIfFile(file: string): boolean {
    let code: string;
    try {
      code = readText(file);
    } catch {
      return false;
    }
    return spawns(code, file);
  }

  /** The expressions of a thread module's URL and the worker's, as the bundler can write them. */
  function refer(context: unknown, thread: ThreadModule): { module: string; worker: string } {
    if (webpackLike) {
      // webpack's (and Rspack's) chunks load through its own runtime: the worker's entry imports the thread modules by name.
      return { module: JSON.stringify(webpackName(thread)), worker: JSON.stringify(WEBPACK_WORKER_URL) };
    }
    if (meta.framework === 'esbuild') {
      // esbuild writes each `import()` target's path relative to the chunk that imports it; onEnd makes it a plain string.
      return { module: esbuildUrlOf(thread.id), worker: esbuildUrlOf(WORKER_ID) };
    }
    const emitter = context as ChunkEmitter;
    workerChunk ??= emitter.emitFile({ type: 'chunk', id: WORKER_ID, name: WORKER_NAME });
    // Its export is what the worker imports, which an app's build (Vite's: preserveEntrySignatures false) would drop.
    const chunk = emitter.emitFile({ type: 'chunk', id: thread.id, name: thread.name, preserveSignature: 'strict' });
    return { module: placeholderUrl(chunk), worker: placeholderUrl(workerChunk) };
  }

  return {
    name: 'sendsync',
    enforce: 'pre',
    // Rollup and Vite give their options (the input, from which the codec scan starts).
    buildStart(options?: { readonly input?: unknown }) {
      workerChunk = undefined;
      // esbuild's builds reset what was read in setUpEsbuildLift's onStart, which knows a context's rebuild from its first build.
      if (meta.framework === 'esbuild') return;
      if (!readAtSetUp) {
        texts.clear();
        forgetReexports(readText);
      }
      readAtSetUp = false;
      if (meta.framework === 'rollup' || meta.framework === 'vite') startRollupScan(this as unknown as RollupContext, options?.input, startCodecScan);
    },
    // Vite (Rolldown) matches these filters itself: the other modules' ids and specifiers cost no call into JavaScript.
    resolveId: {
      filter: { id: OWN_MODULES },
      handler(id) {
        return threads.has(id) || isWebpackEntry(id) || id === WORKER_ID ? id : undefined;
      },
    },
    loadInclude(id) {
      return threads.has(id) || isWebpackEntry(id) || id === WORKER_ID;
    },
    load: {
      filter: { id: OWN_MODULES },
      handler(id) {
        if (webpackLike) buildEachTime(this);
        if (id === WORKER_ID) return codecScan === undefined ? workerEntry() : codecScan.then((modules) => workerEntry(modules));
        if (id.endsWith(WEBPACK_WORKER_ENTRY)) return webpackWorkerEntry(id, webpackState.codecModules);
        if (id.endsWith(WEBPACK_THREAD_MODULES)) return webpackThreadModules(threads.values());
        const thread = threads.get(id);
        return thread === undefined ? undefined : { code: thread.code, map: thread.map };
      },
    },
    transformInclude: includes,
    transform: {
      // Vite (Rolldown) matches this itself: a module it leaves out costs no call into JavaScript.
      filter: options?.include === undefined ? transformFilter : undefined,
      handler(code, id) {
        if (id !== WEB_HOST && id !== NODE_HOST) {
          const lifted = lift(this, code, id);
          if (lifted !== undefined && webpackLike) buildEachTime(this);
          return lifted;
        }
        // Vite follows the web host's workers itself (its own worker hidden), not the Node host's (an SSR build's).
        if (meta.framework === 'vite' && id === WEB_HOST) return withoutRuntimeWorker(code, id);
        // The watcher's worker, as a chunk (Rollup, Vite) or an entry (webpack, Rspack) of the build.
        if (webpackLike) {
          webpackState.watcher = true;
          buildEachTime(this);
        }
        const url = webpackLike ? JSON.stringify(WEBPACK_WATCHER_URL) : placeholderUrl((this as unknown as ChunkEmitter).emitFile({ type: 'chunk', id: WATCHER, name: WATCHER_NAME }));
        return withHostUrls(code, id, { watcher: url, hideRuntimeWorker: webpackLike });
      },
    },
    rollup: { options: narrowTransform, buildEnd: failUnlifted, renderChunk: renderChunkUrls, onLog: (_level, log) => !isRuntimeImportNote(log) },
    vite: {
      apply: 'build',
      options: narrowTransform,
      buildEnd: failUnlifted,
      // Vite bundles the workers the runtime's web host starts (its watcher) as modules, as the host starts them, and through this plugin too.
      config: () => ({ worker: { format: 'es', plugins: () => [{ name: 'sendsync:web-host', transform: withoutRuntimeWorker }] } }),
      // Rolldown gives a chunk's code to JavaScript only when it holds a placeholder.
      renderChunk: { filter: { code: PLACEHOLDER }, handler: renderChunkUrls },
      onLog: (_level, log) => !isRuntimeImportNote(log),
    },
    webpack: (compiler) => addWebpackWorker(compiler, webpackState),
    rspack: (compiler) => addWebpackWorker(compiler as unknown as WebpackCompiler, webpackState),
    esbuild: {
      // unplugin's hooks serve the thread modules only; setUpEsbuild reads the application's modules itself.
      onResolveFilter: ESBUILD_VIRTUAL,
      onLoadFilter: ESBUILD_VIRTUAL,
      setup(build) {
        // Before setUpEsbuild's onStart, whose codec scan reads the texts this one's graph read.
        const filter = setUpEsbuildLift(build);
        setUpEsbuild(build, threads, startCodecScan);
        if (filter === undefined) return;
        // Synchronously: unplugin's transform reads each module asynchronously, at several times the cost, and most modules spawn nothing.
        build.onLoad({ filter, namespace: 'file' }, (args) => {
          if (!includes(args.path)) return undefined;
          const lifted = lift(undefined, readText(args.path), args.path);
          if (lifted === undefined) return undefined;
          return { contents: `${lifted.code}\n//# sourceMappingURL=${dataUrl(lifted.map)}\n`, loader: loaderOf(args.path, build.initialOptions.loader) };
        });
      },
    },
  };
};

/**
 * webpack and Rspack keep a module's build in their cache (`cache: {
 * type: 'filesystem' }`: from one build to the next) and then do not
 * transform it again: this plugin would not learn of the threads it lifts
 * from it, nor of the watcher, and would build no worker. A module it
 * rewrites, and one it serves, is built again each time instead (most of an
 * app's modules stay cached).
 */
function buildEachTime(context: unknown): void {
  const native = (context as { getNativeBuildContext?: () => { loaderContext?: { cacheable(flag: boolean): void } } }).getNativeBuildContext?.();
  native?.loaderContext?.cacheable(false);
}

/**
 * esbuild has no chunk to emit from a transform: the thread modules and the
 * worker are chunks of the same build instead, each the target of an
 * `import()` that the rewritten call holds in place of its URL (so that they
 * share their chunks, and a thread's runtime is its worker's). Splitting
 * makes each such target a chunk of its own. Once the build ends, each of
 * those `import("./chunk.js")` becomes the string `"./chunk.js"`, padded
 * with spaces to the same length (the source map stays exact), in the few
 * files that hold one (the metafile lists them).
 */
function setUpEsbuild(build: PluginBuild, threads: ReadonlyMap<string, ThreadModule>, startCodecScan: StartCodecScan): void {
  const options = build.initialOptions;
  if (options.format !== 'esm' || options.outfile !== undefined) {
    throw new Error("@sendsync/bundler-plugin: build with format: 'esm' and an outdir (not an outfile): each thread's module is a chunk of its own");
  }
  Object.assign(options, { splitting: true, metafile: true });
  const cwd = options.absWorkingDir ?? process.cwd();
  build.onStart(() => {
    const named = entryNames(options.entryPoints);
    const resolveWith = async (specifier: string, resolveDir: string, kind: 'entry-point' | 'import-statement'): Promise<Resolved> => {
      const result = await build.resolve(specifier, { kind, resolveDir });
      if (result.errors.length > 0) return undefined;
      return result.external ? 'external' : result.namespace === 'file' ? { file: result.path } : 'virtual';
    };
    startCodecScan(Promise.all(named.map(async (entry) => resolveWith(entry, cwd, 'entry-point'))), async (specifier, importer) => resolveWith(specifier, dirname(importer), 'import-statement'));
  });
  // The runtime's `import()` of a specifier computed at run time is meant not to be followed.
  options.logOverride = { 'unsupported-dynamic-import': 'silent', ...options.logOverride };
  // In the web and Node hosts, the watcher's worker becomes a chunk of the build as the threads' worker does (esbuild
  // follows no `new URL()`); Node's `Worker` takes a URL object, not a URL's text.
  build.onLoad({ filter: /[\\/]dist[\\/]host[\\/](?:web|node)\.js$/, namespace: 'file' }, (args) => {
    if (args.path !== WEB_HOST && args.path !== NODE_HOST) return undefined;
    const code = readFileSync(args.path, 'utf8');
    return { contents: withHostUrls(code, args.path, { watcher: esbuildUrlOf(WATCHER) })?.code ?? code, loader: 'js' };
  });
  build.onEnd(async (result) => {
    if (result.errors.length > 0 || result.metafile === undefined) return;
    const cwd = options.absWorkingDir ?? process.cwd();
    const chunks = new Set<string>();
    for (const [file, output] of Object.entries(result.metafile.outputs)) {
      const input = output.entryPoint ?? '';
      const virtual = input.startsWith(THREAD_NAMESPACE) ? input.slice(THREAD_NAMESPACE.length) : undefined;
      if (input.endsWith(WATCHER_FILE) || virtual === WORKER_ID || (virtual !== undefined && threads.has(virtual))) chunks.add(resolve(cwd, file));
    }
    const importers = new Set<string>();
    for (const [file, output] of Object.entries(result.metafile.outputs)) {
      if (output.imports.some((each) => each.kind === 'dynamic-import' && chunks.has(resolve(cwd, each.path)))) importers.add(resolve(cwd, file));
    }
    if (result.outputFiles !== undefined) {
      result.outputFiles = result.outputFiles.map((file) => (importers.has(file.path) ? withChunkUrls(file, chunks) : file));
      return;
    }
    await Promise.all([...importers].map(async (file) => writeFile(file, chunkUrls(await readFile(file, 'utf8'), file, chunks))));
  });
}

/** The entry points as the build's options name them. */
function entryNames(points: BuildOptions['entryPoints']): string[] {
  if (points === undefined) return [];
  return Array.isArray(points) ? points.map((point: string | { in: string }) => (typeof point === 'string' ? point : point.in)) : Object.values(points);
}

/** What the bundler built unlifted. */
const UNLIFTED =
  'spawn: this module spawns a thread, and the bundler built it without @sendsync/bundler-plugin, which had not found it among the modules that spawn ' +
  'as the build started (the module is reached by an import the plugin does not follow): give the plugin an `include` pattern (it then reads every module ' +
  'the pattern matches)';

/** What an esbuild context's rebuild in which a module outside the first build's filter now spawns says. */
const REBUILD_UNLIFTED =
  'spawn: this module spawns a thread since this esbuild context was made, and esbuild fixed which modules @sendsync/bundler-plugin lifts ' +
  "as the context was made (the modules that spawned then): make a new context (restart esbuild's watch or serve) to build it, or give the plugin an " +
  '`include` pattern (it then reads every module the pattern matches, on each build)';

/** An input of esbuild's metafile in a plugin's namespace (`sendsync:/path`), not a file's path (a Windows drive letter is one letter). */
const ESBUILD_NAMESPACED = /^[\w-]{2,}:/;

/** The real path of the file `path`, or undefined when there is none (an entry esbuild resolves otherwise: a package's name). */
function realFile(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** Absolute paths of a build's input (Rollup's and Vite's), or undefined where it names something else. */
function absoluteEntries(input: unknown): string[] | undefined {
  const named = typeof input === 'string' ? [input] : Array.isArray(input) ? input : typeof input === 'object' && input !== null ? Object.values(input) : [];
  return named.length > 0 && named.every((entry): entry is string => typeof entry === 'string' && isAbsolute(entry)) ? named : undefined;
}

/** Starts the codec scan from the build's entries (as its resolver resolved them), following imports with `resolveWith`. */
type StartCodecScan = (entries: Promise<readonly Resolved[]>, resolveWith: Resolve) => void;

function isFile(resolved: Resolved): resolved is { readonly file: string } {
  return typeof resolved === 'object';
}

/** The part of Rollup's (and Vite's) plugin context the codec scan uses. */
interface RollupContext {
  resolve(source: string, importer?: string, options?: { skipSelf?: boolean; isEntry?: boolean }): Promise<{ id: string; external: boolean | string } | null>;
}

/** Starts the codec scan from Rollup's (or Vite's) input, with its resolver; a non-file id (a query, another plugin's virtual module) is virtual. */
function startRollupScan(context: RollupContext, input: unknown, startCodecScan: StartCodecScan): void {
  const resolveWith = async (specifier: string, importer: string | undefined): Promise<Resolved> => {
    const resolved = await context.resolve(specifier, importer, { skipSelf: true, isEntry: importer === undefined });
    if (resolved === null) return undefined;
    if (resolved.external !== false) return 'external';
    return isAbsolute(resolved.id) && !/[\0?]/.test(resolved.id) ? { file: resolved.id } : 'virtual';
  };
  const named = typeof input === 'string' ? [input] : Array.isArray(input) ? (input as string[]) : typeof input === 'object' && input !== null ? Object.values(input as Record<string, string>) : [];
  startCodecScan(Promise.all(named.map(async (entry) => resolveWith(entry, undefined))), async (specifier, importer) => resolveWith(specifier, importer));
}

/** A source map as a `data:` URL, which esbuild reads from a module's last comment. */
function dataUrl(map: LineMap): string {
  return `data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}`;
}

/** esbuild's loader for a module: the build's own for its extension, else the one its extension names. */
function loaderOf(path: string, loaders: Readonly<Record<string, Loader>> | undefined): Loader {
  const extension = extname(path);
  return loaders?.[extension] ?? (/ts/.test(extension) ? (extension.endsWith('x') ? 'tsx' : 'ts') : extension.endsWith('x') ? 'jsx' : 'js');
}

/** The watcher's module, as esbuild's metafile names it (a path in the runtime's package). */
const WATCHER_FILE = '/dist/internal/watcher.js';
/** The namespace of the thread modules and the worker's entry in esbuild's metafile (unplugin's: the plugin's name). */
const THREAD_NAMESPACE = 'sendsync:';
/** An `import()` of a relative path, as esbuild writes it, minified or not. */
const CHUNK_IMPORT = /\bimport\((["'`])(\.\.?\/[^"'`]+)\1\)/g;

/** `new URL(import(id), import.meta.url).href`: esbuild builds `id` as a chunk and writes its path (see setUpEsbuild). */
function esbuildUrlOf(id: string): string {
  return `new URL(import(${JSON.stringify(id)}), import.meta.url).href`;
}

/** The code of the output `file` with each `import("<path of one of chunks>")` replaced by the path as a string, padded to the same length. */
function chunkUrls(code: string, file: string, chunks: ReadonlySet<string>): string {
  return code.replace(CHUNK_IMPORT, (whole: string, quote: string, path: string) =>
    chunks.has(resolve(dirname(file), path)) ? `${quote}${path}${quote}`.padEnd(whole.length, ' ') : whole,
  );
}

/** An output file of a build that does not write (`write: false`), with its chunk URLs. */
function withChunkUrls(file: OutputFile, chunks: ReadonlySet<string>): OutputFile {
  const text = chunkUrls(file.text, file.path, chunks);
  return { path: file.path, contents: new TextEncoder().encode(text), hash: file.hash, text };
}

/**
 * The URL of a chunk, as the rewritten call holds it until the chunk's file
 * name is known: `new URL("<placeholder>", import.meta.url).href`, whose
 * string renderChunk replaces by the chunk's path, padded with spaces to the
 * same length (the chunk's mappings then stay as they are: no source map to
 * compose, which costs a big chunk more than its minification).
 */
function placeholderUrl(reference: string): string {
  return urlOf(`${PLACEHOLDER}${reference}__`.padEnd(PLACEHOLDER_LENGTH, '.'));
}
const PLACEHOLDER = '__sendsync_chunk_url_';
/** Room for a chunk's relative path. */
const PLACEHOLDER_LENGTH = 128;
/** The placeholder, quoted as a minifier may have rewritten it. */
const PLACEHOLDERS = /(["'`])__sendsync_chunk_url_([\w$-]+?)__\.*\1/g;

/**
 * Rollup's and Vite's `renderChunk`: each placeholder becomes the chunk's
 * path relative to the chunk that names it (`import.meta.ROLLUP_FILE_URL_`
 * would do for Rollup, but Vite writes it from its `base`, a web path).
 */
function renderChunkUrls(this: { getFileName(reference: string): string }, code: string, chunk: { readonly fileName: string }): { code: string; map: SourceMap | null } | null {
  if (!code.includes(PLACEHOLDER)) return null;
  const paths = [...code.matchAll(PLACEHOLDERS)].map((match) => {
    const path = relative(dirname(chunk.fileName), this.getFileName(match[2])).split(sep).join('/');
    return { match, text: JSON.stringify(path.startsWith('.') ? path : `./${path}`) };
  });
  if (paths.every(({ match, text }) => text.length <= match[0].length)) {
    let output = '';
    let from = 0;
    for (const { match, text } of paths) {
      output += code.slice(from, match.index) + text.padEnd(match[0].length, ' ');
      from = match.index + match[0].length;
    }
    return { code: output + code.slice(from), map: null };
  }
  const output = new MagicString(code);
  for (const { match, text } of paths) output.overwrite(match.index, match.index + match[0].length, text);
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

/** The plugin for each bundler (also its own entry point: `@sendsync/bundler-plugin/vite`, ...). */
export const sendsync = createUnplugin(factory);
export default sendsync;
