/**
 * The host adapter for browsers' Web Workers, and the default for any host
 * with the web's worker API (see host.ts). No synchronous receive on a port,
 * no exit event, no files: what the runtime does instead is said where it
 * asks (see host.ts).
 */

import { requireSharedMemory } from './cross-origin-isolation.js';
import type { Host, HostWorker, Transferable } from './host.js';

requireSharedMemory();

/** A dedicated worker's global scope, as far as this adapter uses it. */
interface WorkerScope {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void, options?: { once: boolean }): void;
  addEventListener(type: 'error', listener: (event: { error: unknown; preventDefault(): void }) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: { reason: unknown; preventDefault(): void }) => void): void;
}

/** The web's `Worker`, as far as this adapter uses it. */
declare const Worker: new (url: URL, options: { type: 'module' }) => {
  postMessage(message: unknown, transfer: readonly Transferable[]): void;
  addEventListener(type: 'error', listener: (event: { error?: unknown; message?: string; preventDefault(): void }) => void): void;
};

/** The Web Locks API, as far as the lifeline uses it. */
interface LockManager {
  request(name: string, callback: () => unknown): Promise<unknown>;
}

const scope = globalThis as unknown as WorkerScope & { WorkerGlobalScope?: unknown; navigator?: { hardwareConcurrency?: number; locks?: LockManager } };

export const host: Host = {
  kind: 'web',
  availableParallelism: () => scope.navigator?.hardwareConcurrency ?? 1,
  isMainThread: scope.WorkerGlobalScope === undefined,
  startWorker(entry?: string): HostWorker {
    if (entry !== undefined) return reportsOn(new Worker(new URL(entry), { type: 'module' }));
    return reportsOn(new Worker(new URL('../internal/worker.js', import.meta.url), { type: 'module' }));
  },
  // A Web Worker's stack and heap are the browser's.
  limitsWorkers: false,
  // Chromium starts a worker's own workers through that worker's event loop.
  nestedWorkersNeedParentLoop: true,
  // No heap limit to pass.
  outOfMemory: () => false,
  startWatcher(setup: unknown, transfer: readonly Transferable[]): HostWorker {
    const worker = reportsOn(new Worker(new URL('../internal/watcher.js', import.meta.url), { type: 'module' }));
    worker.setUp(setup, transfer);
    return worker;
  },
  holdLifeline(lifeline) {
    const locks = scope.navigator?.locks;
    if (locks === undefined) return;
    // A lock held until the worker ends: the browser releases it when the worker closes, is terminated or
    // crashes, which a port's `close` event does not report in Chromium. Its name goes to the watcher once held,
    // so the watcher's request can only be granted after this worker is gone.
    const name = `sendsync-lifeline-${crypto.randomUUID()}`;
    void locks.request(name, () => {
      lifeline.postMessage(name);
      return new Promise<never>(() => {});
    });
  },
  watchLifeline(lifeline, ended) {
    let done = false;
    const end = (): void => {
      if (done) return;
      done = true;
      ended();
    };
    lifeline.addEventListener('close', end, { once: true });
    lifeline.addEventListener('message', (event: Event) => {
      void scope.navigator?.locks?.request(String((event as MessageEvent).data), end);
    });
    lifeline.start();
  },
  osThreadsVisible: false,
  production: false,
  workerSetup: () => new Promise((resolve) => scope.addEventListener('message', (event) => resolve(event.data), { once: true })),
  receiveMessageOnPort: undefined,
  receivesBroadcastSync: false,
  // A page has no main module whose end ends it.
  mainModuleEvaluated: () => undefined,
  unrefPort() {},
  onUncaughtError(listener) {
    scope.addEventListener('error', (event) => {
      event.preventDefault();
      listener(event.error);
    });
    scope.addEventListener('unhandledrejection', (event) => {
      event.preventDefault();
      listener(event.reason);
    });
  },
  onExit() {},
  installSyncStdio() {},
  printError(text) {
    console.error(text);
  },
  requireModule: undefined,
  utf16Decoder: undefined,
  canReadSync: false,
  readTextSync: () => undefined,
  fileExists: () => false,
  pathOf: (url) => url,
  urlOfPath: (path) => new URL(path, 'file:///').href,
  resolvePackage: (specifier) => specifier,
  loadTypeScriptLoader: () => Promise.resolve(),
  compileFunction: undefined,
  enableSourceMaps() {},
  isProxy: () => false,
  osThreadId: () => 0,
  osThreadExists: () => true,
};

/** How the host reports on a started worker, and gives it its setup (its first message). */
function reportsOn(worker: InstanceType<typeof Worker>): HostWorker {
  return {
    setUp(setup, transfer) {
      worker.postMessage(setup, transfer);
    },
    onEnd(ended) {
      worker.addEventListener('error', (event) => {
        // A worker that failed to load or threw past its bootstrap: the browser's report is all there is.
        event.preventDefault();
        ended(event.error ?? new Error(event.message ?? 'the worker failed'), undefined);
      });
    },
    // A page's workers hold nothing open.
    unref() {},
    ref() {},
  };
}
