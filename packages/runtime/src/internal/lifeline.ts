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
 *
 * The main thread's watcher also starts the courier (see courier.ts) when a
 * thread first wants it, whatever the main thread does meanwhile.
 *
 * In a browser the watcher also starts every worker that a worker needs
 * (`host.nestedWorkersNeedParentLoop`): Chromium starts a worker's own
 * workers through that worker's event loop, and a thread that spawns and
 * then blocks (`join()`, a lock, `recv()`), or whose pooled worker sleeps
 * between threads in `Atomics.wait` (worker-main.ts), runs none: its new
 * worker would never start, nor would a watcher of its own. So there is one
 * watcher, the main thread's, whose event loop is always free. Each new
 * worker gets a port to it in its setup, and uses it as its `watcherPort()`
 * (`linesFor`: the port's twin goes to the watcher with the worker's
 * lifeline, through the spawner's own port to it, and is closed when the
 * lifeline reports the worker's end); a worker's pool has the watcher start
 * each new worker (`startWatched`), and sends it their lifelines too. The
 * watcher listens on each such port as it arrives: a port queues what is
 * posted on it until its receiver starts it, so nothing posted before is
 * lost. A browser reports a worker's errors only, not its end: a worker the
 * watcher started there has a lifeline all the same. The main thread's own
 * workers are started as before (it never blocks), and a warm spawn, on an
 * idle pooled worker, involves no watcher at all.
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
  /**
   * Where nested workers need their parent's event loop: the watcher's end of the worker's port to it (see the top
   * of this file), listened on for the worker's life.
   */
  readonly spawner: Port | undefined;
}

/**
 * A worker for the watcher to start and watch, as `host.startWorker` takes it: a thread's with limits of its own,
 * or any worker a worker needs where nested workers need their parent's event loop (see the top of this file).
 */
export interface WatchedStart {
  readonly mailbox: SharedArrayBuffer;
  readonly setup: unknown;
  /** What `setup` holds to transfer (ports, buffers), transferred twice: to the watcher, then to the worker. */
  readonly transfer: readonly Transferable[];
  readonly entry: string | undefined;
  readonly limits: WorkerLimits | undefined;
}

/**
 * This thread's port to the watcher, once it has one: the watcher it started
 * (one per spawning thread), or the port its setup gave it (see
 * `holdWatcherPort`). On a global symbol: the worker's bootstrap is bundled
 * with its own copy of this module, and the pool a thread loads later
 * imports this file; both must see one port.
 */
const SLOT = Symbol.for('sendsync.watcherPort');
const slot = globalThis as { [SLOT]?: Port };

/** In a worker: holds `port`, from its setup, as its port to the watcher (see the top of this file). */
export function holdWatcherPort(port: Port): void {
  slot[SLOT] = port;
}

/** The port to this thread's watcher, which is started on first use unless the setup gave one. */
function watcherPort(): Port {
  let watcher = slot[SLOT];
  if (watcher === undefined) {
    const { port1, port2 } = new MessageChannel();
    const setup: WatcherSetup = { registry: registryMemory(), port: port2 };
    // It waits for as long as the process lives, and keeps nothing alive.
    host.startWatcher(setup, [port2]).unref();
    host.unrefPort(port1);
    watcher = slot[SLOT] = port1;
  }
  return watcher;
}

/** What a new worker is given to hold, whose other ends the watcher holds (see the top of this file). */
export interface Lines {
  /** Its lifeline. */
  readonly lifeline: Port;
  /**
   * Where nested workers need their parent's event loop, its port to the watcher, which it uses as its own
   * (`holdWatcherPort`); else undefined. Such a host shows no operating-system threads (a browser), so every worker
   * there gets a lifeline, and this port comes with it.
   */
  readonly watcher: Port | undefined;
}

/** The lines to give the worker of `mailbox` (see `Lines`). */
export function linesFor(mailbox: SharedArrayBuffer): Lines {
  const { port1, port2 } = new MessageChannel();
  const twins = host.nestedWorkersNeedParentLoop ? new MessageChannel() : undefined;
  const spawner = twins?.port1;
  const watched: Watched = { mailbox, lifeline: port1, spawner };
  watcherPort().postMessage(watched, spawner === undefined ? [port1] : [port1, spawner]);
  return { lifeline: port2, watcher: twins?.port2 };
}

/**
 * On the main thread: has its watcher start the courier (`start`: courier.ts's `CourierStart`) once a thread wants
 * it, which its event loop, always free, waits for.
 */
export function startCourierWith(start: { readonly startCourier: unknown }, transfer: readonly Transferable[]): void {
  watcherPort().postMessage(start, [...transfer]);
}

/** Has the watcher start `start`'s worker, and settle its mailbox when it ends (see the top of this file). */
export function startWatched(start: WatchedStart): void {
  watcherPort().postMessage(start, [...start.transfer]);
}
