/**
 * On the spawning thread: hands each new worker's lifeline to the watcher,
 * on hosts that do not show whether an operating-system thread still exists
 * (Deno without read permission, browsers; see `host.osThreadsVisible`).
 *
 * A thread blocked in `join()`, or waiting for a lock whose holder died,
 * runs no event loop, so the worker's exit event (where the host has one)
 * does not reach it. The watcher is a thread that only ever waits on its
 * event loop: each worker gets one end of a `MessageChannel` (its lifeline,
 * which it keeps for its life), the watcher the other; when the worker ends,
 * for whatever reason, the host closes its end and the watcher's end gets a
 * `close` event, or, where a browser does not report that (Chromium), the
 * Web Lock the worker holds from its start is released and the watcher's
 * request for it granted (`host.holdLifeline`, `host.watchLifeline`). The
 * watcher then settles the worker's
 * mailbox (worker-death.ts), which wakes whoever waits on it, and marks its
 * thread ended, which a lock's waiter sees at its next liveness check.
 *
 * On Node the watcher also starts the worker of each thread with limits of
 * its own (`Builder.stackSize`, `Builder.heapLimit`; see `startWatched`),
 * whatever the host shows: a heap limit too small for the worker to start
 * kills it before its first line, so it never writes its operating-system
 * thread, and Node reports a worker's end (and closes its ports, the
 * lifeline's too) only on the event loop of the thread that started it. A
 * spawner blocked in `join()` runs none; the watcher always does, and says
 * why the worker ended.
 */

import { host } from '#host';
import type { Port, Transferable, WorkerLimits } from '../host/host.js';
import { registryMemory } from './thread-registry.js';

/** What the watcher is given when it starts. */
export interface WatcherSetup {
  readonly registry: SharedArrayBuffer;
  /** Where the lifelines come, each with its worker's mailbox. */
  readonly port: Port;
}

/** A worker to watch: its mailbox, and the watcher's end of its lifeline. */
export interface Watched {
  readonly mailbox: SharedArrayBuffer;
  readonly lifeline: Port;
}

/** A worker for the watcher to start and watch: a thread's with limits of its own, as `host.startWorker` takes it. */
export interface WatchedStart {
  readonly mailbox: SharedArrayBuffer;
  readonly setup: unknown;
  /** What `setup` holds to transfer (ports, buffers), transferred twice: to the watcher, then to the worker. */
  readonly transfer: readonly Transferable[];
  readonly entry: string | undefined;
  readonly limits: WorkerLimits;
}

/** The port to the watcher, once it started (one per spawning thread). */
let watcher: Port | undefined;

/** The port to this thread's watcher, which is started on first use. */
function watcherPort(): Port {
  if (watcher === undefined) {
    const { port1, port2 } = new MessageChannel();
    const setup: WatcherSetup = { registry: registryMemory(), port: port2 };
    // It waits for as long as the process lives, and keeps nothing alive.
    host.startWatcher(setup, [port2]).unref();
    host.unrefPort(port1);
    watcher = port1;
  }
  return watcher;
}

/** The lifeline to give the worker of `mailbox`: the watcher holds its other end. */
export function lifelineFor(mailbox: SharedArrayBuffer): Port {
  const { port1, port2 } = new MessageChannel();
  const watched: Watched = { mailbox, lifeline: port1 };
  watcherPort().postMessage(watched, [port1]);
  return port2;
}

/** Has the watcher start `start`'s worker, and settle its mailbox when it ends (see the top of this file). */
export function startWatched(start: WatchedStart): void {
  watcherPort().postMessage(start, [...start.transfer]);
}
