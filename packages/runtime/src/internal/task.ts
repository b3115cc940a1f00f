/**
 * The messages that travel on a pooled worker's port when the mailbox's
 * primitives do not suffice.
 */

import type { Port } from '../host/host.js';
import type { ThrownWire } from './thrown.js';

/** One of the spawning module's imports that a closure uses: the thread imports `specifier` and binds `local`. */
export interface ImportToBind {
  /** The name in the closure. */
  readonly local: string;
  /** As written in the spawning module (resolved in the thread against `module`), or an absolute URL. */
  readonly specifier: string;
  /** The exported name; `*` for the namespace, `default` for the default export. */
  readonly name: string;
}

/** Where a closure comes from, as its thread needs to know it. */
export interface ClosureSite {
  /** The spawning module's URL: `import()` and the imports below resolve against it. */
  readonly module: string;
  /** The file the closure's text is in, as stack traces name it (its source, where the module has a source map). */
  readonly file: string;
  /**
   * Where the closure's tokens are in `file`: triples of an offset in the
   * closure's text, a 0-based line and a 0-based column (the thread makes a
   * source map of them, so that its frames name `file`); empty when the
   * closure was not found there.
   */
  readonly positions: readonly number[];
  readonly imports: readonly ImportToBind[];
  /**
   * Free names the spawner could not look up, on a host that cannot read the
   * spawning module synchronously (a browser): the thread reads the module's
   * imports itself, binds these names, and refuses those it does not import.
   */
  readonly unresolved?: readonly string[];
}

/**
 * A thread's function as a module's export (a thread entry, see
 * thread/thread-entry.ts): the worker imports `module` and calls its export.
 */
export interface EntryModule {
  /** The module's URL, as the worker imports it. */
  readonly module: string;
  /** The name of the exported function. */
  readonly export: string;
}

/** A task: a closure to run, by source id, with its encoded captures. */
export interface TaskMessage {
  readonly sourceId: number;
  /** The source text, the first time this worker meets `sourceId` (a closure given as a function). */
  readonly source?: string;
  /** The module and export, the first time this worker meets `sourceId` (a thread entry). */
  readonly entry?: EntryModule;
  /** Where the closure comes from (its imports, its place in its file), with its source text. */
  readonly site?: ClosureSite;
  readonly name?: string;
  /** Borrowed values, encoded (scoped threads). */
  readonly borrows?: unknown[];
  /** Moved values, encoded. */
  readonly captures?: unknown[];
  /** The modules of the codecs the values use (built-in and user), to import before decoding. */
  readonly modules?: string[];
  /** Whether the values hold codec'd handles (their modules are imported, then the values decoded). */
  readonly codecs?: boolean;
}

/** A result that needed more than the mailbox. */
export interface ResultMessage {
  readonly value?: unknown;
  readonly panic?: ThrownWire;
}

/** What a new worker is given. */
export interface WorkerSetup {
  readonly registry: SharedArrayBuffer;
  /** The process's shared heap (sys/heap.ts), which every thread holds from its start. */
  readonly heap: SharedArrayBuffer;
  readonly mailbox: SharedArrayBuffer;
  readonly port: Port;
  /** Its first task; none for a worker started ahead of a spawn (see pool.ts), which waits for one in its mailbox. */
  readonly task: TaskMessage | undefined;
  /** How many idle workers may spin for a task at once (see worker-main.ts). */
  readonly spinners: number;
  /** Whether this worker stays however long it is idle (see pool.ts). */
  readonly kept: boolean;
  /**
   * Where the host does not show operating-system threads: a port whose
   * twin the watcher holds (see lifeline.ts). Held for the worker's life
   * (`host.holdLifeline`): the host closes it, or releases its lock, when the
   * worker ends.
   */
  readonly lifeline?: Port;
  /** Where the courier is reached by ports (see courier.ts): this worker's port to it. */
  readonly courier?: Port;
  /** Where nested workers need their parent's event loop (see lifeline.ts): this worker's port to the main thread's watcher. */
  readonly watcher?: Port;
}
