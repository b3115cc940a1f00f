/**
 * What the runtime needs from the JavaScript host it runs on, and nothing
 * else: every module above this layer is host-free. One adapter per family
 * of hosts implements it (`node.ts`: Node, Deno, Bun; `web.ts`: browsers'
 * Web Workers), and the runtime's package.json picks one by its conditions
 * (`import { host } from '#host'`), so that a bundler for the web never sees
 * a `node:` import.
 */

/** A port of a `MessageChannel` (a global on every host). */
export type Port = InstanceType<typeof MessageChannel>['port1'];

/**
 * What may be transferred with a message: the runtime transfers `ArrayBuffer`s
 * and ports. Named here, not read off `postMessage`'s parameters, because
 * newer `@types/node` overload `postMessage` (a transfer list or an options
 * object), and a type read off an overload would break the declarations in
 * users' projects.
 */
export type Transferable = ArrayBuffer | Port;

/** A worker that this thread started, as the host reports on it. */
export interface HostWorker {
  /**
   * Calls `ended` once when the worker ended: `error` is what ended it, if
   * something thrown did, `code` its exit code when the host gives one. A host
   * without exit events (a browser) reports errors only: the runtime sees
   * other deaths through the thread's liveness word (see thread-state.ts).
   */
  onEnd(ended: (error: unknown, code: number | undefined) => void): void;
  /**
   * Gives the worker its setup and the `transfer` list, as its first message
   * (`workerSetup()` in the worker): called right after `startWorker`, so that
   * the setup is made while the worker boots.
   */
  setUp(setup: unknown, transfer: readonly Transferable[]): void;
  /** Lets the process end while the worker idles (a no-op where a worker never holds a page or a process open). */
  unref(): void;
  /** Keeps the process alive for the worker again. */
  ref(): void;
}

/** Limits of a worker of its own for one thread (`Builder.stackSize`, `Builder.heapLimit`), where the host sets them. */
export interface WorkerLimits {
  /** The thread's stack, in bytes, or undefined for the host's default. */
  readonly stackBytes: number | undefined;
  /** The most its heap may hold, in bytes, or undefined for the host's default. */
  readonly heapBytes: number | undefined;
}

/** A message taken off a port synchronously. */
export interface Received {
  readonly message: unknown;
}

/** The host. */
export interface Host {
  /** Which adapter this is. */
  readonly kind: 'node' | 'web';
  /** How many threads can run at once on this machine. */
  availableParallelism(): number;
  /** Whether this is the thread the program started on (not a worker). */
  readonly isMainThread: boolean;
  /**
   * Starts a pooled worker running the runtime's bootstrap (internal/worker-main.ts,
   * bundled into `dist/internal/worker.js`, and `worker.cjs` for Node), which
   * waits for its setup (`HostWorker.setUp`); or, given `entry` (a URL), that
   * bootstrap as a bundle built it (`@sendsync/runtime/internal/bundled-worker`).
   * Given `limits` (where `limitsWorkers`), the worker has that stack and heap.
   */
  startWorker(entry?: string, limits?: WorkerLimits): HostWorker;
  /** Whether `startWorker` can give a worker a stack size and a heap limit (Node's `resourceLimits`; not Deno, Bun or browsers). */
  readonly limitsWorkers: boolean;
  /**
   * Whether a worker's own workers start only through that worker's event
   * loop (browsers: Chromium), so that a worker blocked in `join()`, or asleep
   * between threads, would never see them start: where so, the main thread's
   * watcher starts every worker a worker needs (see internal/lifeline.ts).
   */
  readonly nestedWorkersNeedParentLoop: boolean;
  /** Whether `error`, what ended a worker (see `HostWorker.onEnd`), says that the worker passed its heap limit. */
  outOfMemory(error: unknown): boolean;
  /** In a worker that `startWorker` or `startWatcher` started: the `setup` it was given (its first message). */
  workerSetup(): Promise<unknown>;
  /**
   * Takes the next message off `port` synchronously, or undefined when none
   * is queued; undefined itself on a host that cannot (a browser), where
   * messages arrive through the port's event only.
   */
  readonly receiveMessageOnPort: ((port: Port) => Received | undefined) | undefined;
  /** Whether `receiveMessageOnPort` also reads a `BroadcastChannel` (Node; Deno's throws on one, Bun's returns nothing). */
  readonly receivesBroadcastSync: boolean;
  /**
   * On the main thread: a promise that settles once the program's main
   * module has finished evaluating (its top-level `await`s included), or
   * undefined where that cannot be known (no main module file, a browser).
   */
  mainModuleEvaluated(): Promise<unknown> | undefined;
  /** Lets the process end while `port` waits for messages (a no-op where ports never hold a process open). */
  unrefPort(port: Port): void;
  /**
   * In a worker: calls `listener` with what a closure threw where nobody
   * catches it (a stray callback or rejection), instead of ending the worker.
   */
  onUncaughtError(listener: (error: unknown) => void): void;
  /** Calls `listener` with the exit code when the process ends, or in a worker when its closure ends the worker (`process.exit`); never on the web. */
  onExit(listener: (code: number) => void): void;
  /**
   * In a worker: routes its console straight to the process's output,
   * synchronously, so that a parent blocked in `join()` does not hold it back
   * (a no-op where the console does not go through the parent).
   */
  installSyncStdio(): void;
  /** Writes a line to the error output. */
  printError(text: string): void;
  /** Whether `readTextSync` can read at all (not on the web: the thread then reads what the spawner could not). */
  readonly canReadSync: boolean;
  /**
   * The text of the module or file at `url`, read synchronously, or
   * undefined when it cannot be (not found, or no synchronous read on this
   * host: a browser).
   */
  readTextSync(url: string): string | undefined;
  /** Whether a file exists at `url` (false where files cannot be looked at). */
  fileExists(url: string): boolean;
  /** A file URL's path (the URL itself for other URLs). */
  pathOf(url: string): string;
  /** An absolute path's file URL, as stack traces name files by path on some hosts. */
  urlOfPath(path: string): string;
  /**
   * A package specifier (or a built-in one) resolved as the module at
   * `callerUrl` would import it; itself where the host resolves it (an
   * import map, a bundler).
   */
  resolvePackage(specifier: string, callerUrl: string): string;
  /**
   * A TypeScript module is to be imported in a worker: registers the loader
   * that the spawning program runs under (tsx), where the host needs one.
   */
  loadTypeScriptLoader(callerUrl: string): Promise<void>;
  /**
   * Compiles `body` as a function of `names` whose stack frames name
   * `filename` at the given offsets (0-based); undefined on a host that
   * cannot, where the runtime uses a source map instead.
   */
  readonly compileFunction:
    | ((body: string, names: readonly string[], at: { readonly filename: string; readonly lineOffset: number; readonly columnOffset: number }) => unknown)
    | undefined;
  /** Makes stack traces follow the source maps of code compiled from here on. */
  enableSourceMaps(): void;
  /**
   * Loads the module at `url` synchronously (`require` of an ES module, Node
   * 20.19 and later), or undefined on a host that cannot (a browser), whose
   * threads load a codec's module with the task's imports.
   */
  readonly requireModule: ((url: string) => unknown) | undefined;
  /**
   * A decoder of the UTF-16 code units in `units` by the host's native text
   * decoding (Node's `Buffer`), exact for lone surrogates, as `TextDecoder`
   * is not; undefined where the host has none.
   */
  readonly utf16Decoder: ((units: Uint16Array) => (from: number, count: number) => string) | undefined;
  /** Whether `value` is a Proxy (false where the host cannot tell). */
  isProxy(value: unknown): boolean;
  /**
   * Starts the watcher (internal/watcher-main.ts, bundled into
   * `dist/internal/watcher.js`), which receives `setup` as its first thing.
   */
  startWatcher(setup: unknown, transfer: readonly Transferable[]): HostWorker;
  /**
   * In a worker: keeps `lifeline` (its end of the port the watcher holds, see
   * internal/lifeline.ts) for the worker's life, and, where the host does not
   * report a port's other end closing (Chromium), holds a Web Lock named on
   * it until the worker ends.
   */
  holdLifeline(lifeline: Port): void;
  /** On the watcher: calls `ended` once, when the worker holding the other end of `lifeline` has ended. */
  watchLifeline(lifeline: Port, ended: () => void): void;
  /**
   * Whether `osThreadExists` can tell that a thread ended (Linux's `/proc`,
   * readable without asking): where it cannot, the watcher tells.
   */
  readonly osThreadsVisible: boolean;
  /**
   * This JavaScript thread's operating-system thread id where the host lets
   * it be known (Linux's `/proc`), else 0; see `osThreadExists`.
   */
  osThreadId(): number;
  /** Whether operating-system thread `tid` of this process exists; true when it cannot be known (`tid` 0). */
  osThreadExists(tid: number): boolean;
  /**
   * Whether the program runs in production mode (`NODE_ENV=production`);
   * false where the host has no such setting or lets it be read only by
   * asking the user (Deno without `--allow-env`).
   */
  readonly production: boolean;
}

/** The host this program runs on: declared here, provided by the adapter that the package's conditions pick. */
export declare const host: Host;
