/**
 * The host adapter for Node, and for Deno and Bun, which implement Node's
 * `worker_threads`, `os`, `fs`, `module`, `vm` and `util` (see host.ts). The
 * only module of the runtime that imports `node:` modules.
 */

import { existsSync, readFileSync, readlinkSync, realpathSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { types } from 'node:util';
import { compileFunction } from 'node:vm';
import { Worker, isMainThread, parentPort, receiveMessageOnPort, type ResourceLimits } from 'node:worker_threads';
import type { Host, HostWorker, Port, Transferable, WorkerLimits } from './host.js';

/** Where Linux lists this process's threads; undefined elsewhere, or where reading it is not allowed (Deno without `--allow-read`). */
const TASKS_DIR = procReadable() ? '/proc/self/task/' : undefined;
/** How long an operating-system thread found alive is taken to be alive without looking again (a syscall). */
const OS_CHECK_MS = 5;
/** The operating-system thread this thread last found alive, and when. */
const lastFoundAlive = { tid: 0, at: 0 };

/**
 * `node:module`, `node:os` and `node:url`, loaded on first use: a worker's
 * bootstrap bundles this adapter, and each built-in module it loads at its
 * start delays its first thread, which needs none of them (`node:module` and
 * `node:os` load six of Node's internal modules; `node:url`, which a fresh
 * worker has not loaded either, costs it some 0.3 ms).
 */
const lazy = {
  module: () => process.getBuiltinModule('node:module'),
  os: () => process.getBuiltinModule('node:os'),
  url: () => process.getBuiltinModule('node:url'),
};
/** A `file:` URL's path. */
const fileURLToPath = (url: string | URL): string => lazy.url().fileURLToPath(url);
/** A path's `file:` URL. */
const pathToFileURL = (path: string): URL => lazy.url().pathToFileURL(path);

export const host: Host = {
  kind: 'node',
  availableParallelism: () => lazy.os().availableParallelism(),
  isMainThread,
  startWorker(entry?: string, limits?: WorkerLimits): HostWorker {
    const options = { resourceLimits: limits === undefined ? undefined : resourceLimits(limits) };
    // The CommonJS build of the bootstrap (see the runtime's bundle.js): its worker runs sooner than a module worker.
    return reportsOn(new Worker(entry === undefined ? new URL('../internal/worker.cjs', import.meta.url) : new URL(entry), options));
  },
  startWatcher(setup: unknown, transfer: readonly Transferable[]): HostWorker {
    const worker = reportsOn(new Worker(new URL('../internal/watcher.js', import.meta.url), { type: 'module' } as ConstructorParameters<typeof Worker>[1]));
    worker.setUp(setup, transfer);
    return worker;
  },
  // Deno and Bun take `resourceLimits` and ignore it.
  limitsWorkers: process.versions.deno === undefined && process.versions.bun === undefined,
  // A worker's own workers start on their own threads, whatever the worker does meanwhile.
  nestedWorkersNeedParentLoop: false,
  outOfMemory: (error) => (error as { code?: unknown } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY',
  holdLifeline() {
    // The worker's setup keeps the port for its life; Node, Deno and Bun close its twin when the worker ends.
  },
  watchLifeline: watchPortClose,
  osThreadsVisible: TASKS_DIR !== undefined,
  production: denoAllows({ name: 'env', variable: 'NODE_ENV' }) && process.env['NODE_ENV'] === 'production',
  workerSetup: firstMessage,
  receiveMessageOnPort: receiveMessageOnPort,
  receivesBroadcastSync: process.versions.deno === undefined && process.versions.bun === undefined,
  mainModuleEvaluated() {
    const main = process.argv[1];
    if (!isMainThread || main === undefined) return undefined;
    try {
      // Through a symbolic link the main module may have been loaded under another URL (--preserve-symlinks-main), and
      // importing it again would run it twice: unknown. Otherwise the module map holds it once, and importing it waits
      // for its evaluation.
      if (realpathSync(main) !== resolve(main)) return undefined;
    } catch {
      // Not a file this thread may read (Deno without --allow-read): unknown.
      return undefined;
    }
    return import(/* webpackIgnore: true */ /* @vite-ignore */ pathToFileURL(main).href);
  },
  unrefPort(port) {
    (port as unknown as { unref(): void }).unref();
  },
  onUncaughtError(listener) {
    process.on('uncaughtException', listener);
  },
  onExit(listener) {
    process.on('exit', listener);
  },
  installSyncStdio() {
    (process.stdout as { write: unknown }).write = writerTo(1);
    (process.stderr as { write: unknown }).write = writerTo(2);
  },
  printError(text) {
    process.stderr.write(`${text}\n`);
  },
  requireModule(url) {
    return lazy.module().createRequire(import.meta.url)(url.startsWith('file:') ? fileURLToPath(url) : url) as unknown;
  },
  utf16Decoder(units) {
    const text = Buffer.from(units.buffer, units.byteOffset, units.byteLength);
    return (from, count) => text.toString('utf16le', from * 2, (from + count) * 2);
  },
  canReadSync: true,
  readTextSync(url) {
    try {
      return url.startsWith('file:') ? readFileSync(fileURLToPath(url), 'utf8') : undefined;
    } catch {
      return undefined;
    }
  },
  fileExists: (url) => url.startsWith('file:') && existsSync(new URL(url)),
  pathOf: (url) => (url.startsWith('file:') ? fileURLToPath(url) : url),
  urlOfPath: (path) => pathToFileURL(path).href,
  resolvePackage(specifier, callerUrl) {
    try {
      const { createRequire, isBuiltin } = lazy.module();
      if (isBuiltin(specifier)) return specifier;
      return pathToFileURL(createRequire(callerUrl).resolve(specifier)).href;
    } catch {
      // Not resolvable as `require` would (an ESM-only package, say): Node resolves it from the runtime's place.
      return specifier;
    }
  },
  loadTypeScriptLoader,
  compileFunction: (body, names, at) => compileFunction(body, [...names], { filename: at.filename, lineOffset: at.lineOffset, columnOffset: at.columnOffset }),
  enableSourceMaps() {
    process.setSourceMapsEnabled(true);
  },
  isProxy: (value) => types.isProxy(value),
  osThreadId,
  osThreadExists,
};

/** Bytes in a mebibyte, the unit of Node's `resourceLimits`. */
const MIB = 1024 * 1024;
/**
 * The least stack a worker gets: Node keeps 192 KiB of it for itself, and
 * the runtime's own work in a thread (loading the modules that report a
 * panic) overflows what is left of 256 KiB.
 */
const MIN_STACK_BYTES = 512 * 1024;

/** Node's `resourceLimits` for `limits` (in MiB, fractions allowed). */
function resourceLimits(limits: WorkerLimits): ResourceLimits {
  return {
    stackSizeMb: limits.stackBytes === undefined ? undefined : Math.max(limits.stackBytes, MIN_STACK_BYTES) / MIB,
    maxOldGenerationSizeMb: limits.heapBytes === undefined ? undefined : limits.heapBytes / MIB,
  };
}

/** How the host reports on `worker`. */
function reportsOn(worker: Worker): HostWorker {
  return {
    setUp(setup, transfer) {
      worker.postMessage(setup, [...transfer] as Parameters<Worker['postMessage']>[1]);
    },
    onEnd(ended) {
      let error: unknown;
      worker.on('error', (thrown) => {
        error = thrown;
      });
      worker.on('exit', (code) => ended(error, code));
    },
    unref: () => worker.unref(),
    ref: () => worker.ref(),
  };
}

/**
 * A worker's setup, its first message on its parent port: taken at once when
 * it came while the bootstrap ran (it usually has), else awaited.
 */
function firstMessage(): Promise<unknown> {
  const port = parentPort!;
  let received: { message: unknown } | undefined;
  try {
    received = receiveMessageOnPort(port);
  } catch {
    // Deno's parent port is no MessagePort to its synchronous receive: the event brings the setup there.
  }
  if (received !== undefined) return Promise.resolve(received.message);
  return new Promise((resolve) => port.once('message', resolve));
}

/** A `write` of `process.stdout` or `process.stderr` that writes to `fd` synchronously. */
function writerTo(fd: number): (chunk: unknown, encoding?: unknown, callback?: unknown) => boolean {
  return (chunk, encoding, callback) => {
    if (typeof chunk === 'string') writeSync(fd, chunk);
    else writeSync(fd, chunk as Uint8Array);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  };
}

let typeScriptLoader: Promise<void> | undefined;

/**
 * The process runs under a loader (tsx's `--import tsx`, vitest's transform)
 * whose hooks do not reach worker threads: registers tsx in this thread when
 * the spawning module can find it, so that a closure can import a TypeScript
 * module as its spawning module could.
 */
function loadTypeScriptLoader(callerUrl: string): Promise<void> {
  typeScriptLoader ??= (async () => {
    try {
      // The ESM entry of `tsx/esm/api` (its CommonJS twin cannot register from here).
      const manifest = pathToFileURL(lazy.module().createRequire(callerUrl).resolve('tsx/package.json'));
      const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
        exports: Record<string, { import?: { default?: string } }>;
      };
      const entry = exports['./esm/api']?.import?.default;
      if (entry === undefined) return;
      const api = (await import(new URL(entry, manifest).href)) as { register(): unknown };
      api.register();
    } catch {
      // No tsx to be found from the spawning module: the import fails as it would anyway.
    }
  })();
  return typeScriptLoader;
}

/**
 * Whether this host lets the program do `query`'s access without asking: on
 * Deno, whether it was allowed (Deno asks the user on a terminal, and throws
 * elsewhere, for an access it was not allowed); elsewhere, always.
 */
function denoAllows(query: { readonly name: 'read'; readonly path: string } | { readonly name: 'env'; readonly variable: string }): boolean {
  const deno = (globalThis as { Deno?: { permissions: { querySync(query: object): { state: string } } } }).Deno;
  return deno === undefined || deno.permissions.querySync(query).state === 'granted';
}

/** Whether `/proc/thread-self` can be read here (Linux, and a host that allows it without asking). */
function procReadable(): boolean {
  if (!denoAllows({ name: 'read', path: '/proc' })) return false;
  try {
    return existsSync('/proc/thread-self');
  } catch {
    // Deno without read permission throws rather than answering.
    return false;
  }
}

/** This JavaScript thread's operating-system thread id (Linux), or 0 where it cannot be known. */
function osThreadId(): number {
  if (TASKS_DIR === undefined) return 0;
  try {
    // "/proc/<pid>/task/<tid>"
    return Number(readlinkSync('/proc/thread-self').split('/').pop()) || 0;
  } catch {
    // An unreadable /proc: unknown, as on other systems.
    return 0;
  }
}

/**
 * Whether operating-system thread `tid` of this process still exists; true
 * when it cannot be known (`tid` 0, or no `/proc`). A worker's thread ends
 * when the worker dies, whether or not the thread that started it noticed.
 * (Thread ids are reused only after the kernel's pid range wraps around.)
 */
function osThreadExists(tid: number): boolean {
  if (tid === 0 || TASKS_DIR === undefined) return true;
  // A waiter asks about the same thread again and again: one look in /proc per OS_CHECK_MS is enough.
  const now = performance.now();
  if (tid === lastFoundAlive.tid && now - lastFoundAlive.at < OS_CHECK_MS) return true;
  if (!existsSync(TASKS_DIR + tid)) return false;
  lastFoundAlive.tid = tid;
  lastFoundAlive.at = now;
  return true;
}

/** Calls `ended` when the other end of `lifeline` closes (its worker ended). */
function watchPortClose(lifeline: Port, ended: () => void): void {
  lifeline.addEventListener('close', ended, { once: true });
  // A port reports its twin's end only once started, and (Node) while it listens for messages.
  lifeline.addEventListener('message', ignore);
  lifeline.start();
}

function ignore(): void {}
