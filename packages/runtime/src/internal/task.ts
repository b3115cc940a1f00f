/**
 * The messages that travel on a pooled worker's port when the mailbox's
 * primitives do not suffice.
 */

import type { MessagePort } from 'node:worker_threads';
import type { ClosureSite } from './closure-site.js';
import type { ThrownWire } from './thrown.js';

/** A task: a closure to run, by source id, with its encoded captures. */
export interface TaskMessage {
  readonly sourceId: number;
  /** The source text, the first time this worker meets `sourceId`. */
  readonly source?: string;
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
  readonly mailbox: SharedArrayBuffer;
  readonly port: MessagePort;
  readonly task: TaskMessage;
  /** How many idle workers may spin for a task at once (see worker-main.cts). */
  readonly spinners: number;
}
