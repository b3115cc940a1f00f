/**
 * A pooled worker as its spawning thread sees it (its record), the outcome a
 * run reports to, and the waits for a run's end: `join()` blocking,
 * `joinAsync()` awaiting, and the report for a worker that died without one.
 * The pool (pool.ts) hands runs out and collects them; a `JoinHandle` waits
 * here, whether its thread was spawned on this thread or handed over.
 */

import { host } from '#host';
import type { HostWorker, Port } from '../host/host.js';
import { WouldBlockError, blockingWait, waitAsync } from './block.js';
import mailbox from './mailbox.js';
import protocol from './protocol.js';
import spin from './spin.js';
import { beginMainWait, endMainWait } from './main-module.js';
import { settleDied } from './worker-death.js';
import { fetchParked } from './courier.js';

const { DONE } = protocol.State;
const { STATE, THREAD_ID, RESULT, JOINERS, OS_THREAD, WATCHED, ROUTE } = protocol.Word;
const { FAST, EXITED } = protocol.Transport;
const { COURIER } = protocol.Route;
const { views } = mailbox;
/** Typed views over one mailbox. */
type Views = ReturnType<typeof mailbox.views>;

/** How long `join()` polls before it sleeps (adaptive, see spin.ts). */
const joinSpin = spin.spinBudget();
/**
 * How often a `join()` that sleeps looks whether the worker died unnoticed:
 * its exit event needs the joining thread's event loop, which is blocked.
 */
const DEATH_CHECK_MS = 100;
/** A timer period long enough never to fire while it keeps the event loop alive. */
const KEEP_ALIVE_MS = 0x7fffffff;

/** Where a run's outcome goes: the JoinHandle. Exactly one of its methods is called, once, on the spawning thread. */
export interface Outcome {
  /** The run's result has been collected: its return value, or (`panicked`) what its closure threw. */
  settle(panicked: boolean, value: unknown): void;
  /**
   * The worker ended before the closure returned: `error` is what ended it
   * (undefined if nothing was thrown), `code` its exit code, or the
   * protocol's `DIED` when it died without one (terminated, out of memory).
   */
  exited(code: number, error: unknown): void;
}

/** A pooled worker, as its spawner sees it. */
export interface WorkerRecord {
  /** The worker, or undefined on a thread that received a `JoinHandle` of it (see `handOff`) or when the watcher started it (see lifeline.ts). */
  readonly worker: HostWorker | undefined;
  readonly box: Views;
  /** The worker's port; undefined on a thread that received a `JoinHandle` of it by a route that carries no port (its result then waits at the courier). */
  readonly port: Port | undefined;
  /** Source ids this worker has compiled (or been sent). */
  readonly known: boolean[];
  /** The run in progress or not yet collected. */
  current: Outcome | undefined;
  alive: boolean;
  /** The error that ended the worker, if any. */
  error: unknown;
  /** Where the port's messages arrive, on a host without a synchronous receive (see `openInbox`); else undefined. */
  readonly inbox: Inbox | undefined;
  /** Whether the worker ends once its run is collected: it has limits of its own (see pool.ts). */
  readonly retire: boolean;
  /** Whether it holds one of the pool's slots of kept workers, which stay however long they idle (see pool.ts). */
  kept: boolean;
  /**
   * True while a move of its thread's `JoinHandle` is encoded and not yet
   * committed (see thread/join-handle.ts): the pool does not collect it
   * meanwhile, since the handle's wire form already names its port.
   */
  leaving: boolean;
}

/** The messages that came through a port's event, oldest first, and who waits for the next. */
export interface Inbox {
  readonly messages: unknown[];
  arrival: (() => void) | undefined;
}

/** What a thread needs to join a thread that another one spawned: its mailbox, and its port unless its result waits at the courier (`Route.COURIER`). */
export interface HandedOff {
  readonly mailbox: SharedArrayBuffer;
  readonly port?: Port;
}

/**
 * The worker died without reporting (terminated, out of memory, seen by its
 * exit event, by the watcher or by a blocked `join()`): reports for it, unless it did.
 */
export function reportDeath(record: WorkerRecord): void {
  record.alive = false;
  if (record.current !== undefined) settleDied(record.box.words);
}

/**
 * On a host without a synchronous receive (a browser), the messages of a
 * worker's `port` are taken as they arrive through its event: the result of
 * a run that needs one is then collected once its message is here (see
 * `isDone`). Undefined where the host receives synchronously.
 */
export function openInbox(port: Port): Inbox | undefined {
  if (host.receiveMessageOnPort !== undefined) return undefined;
  const inbox: Inbox = { messages: [], arrival: undefined };
  port.addEventListener('message', (event: Event) => {
    inbox.messages.push((event as MessageEvent).data);
    const wake = inbox.arrival;
    inbox.arrival = undefined;
    wake?.();
  });
  port.start();
  return inbox;
}

/**
 * The result message of the run on `record`, once it is done: taken off its
 * port (undefined if none is here), or from the courier where its
 * `JoinHandle` left without the port (`Route.COURIER`).
 */
export function takeMessage(record: WorkerRecord): unknown {
  const words = record.box.words;
  // Pairs with the CAS that set it, before the worker's store of DONE (which the caller saw).
  if (Atomics.load(words, ROUTE) === COURIER) return fetchParked(protocol.RESULT_KEY + words[THREAD_ID]);
  return record.inbox === undefined ? host.receiveMessageOnPort!(record.port!)?.message : record.inbox.messages.shift();
}



/** Whether the run on `record` has finished and its result can be collected (its message, if it has one, is here). */
export function isDone(record: WorkerRecord): boolean {
  const words = record.box.words;
  // Pairs with the worker's store of DONE, which publishes RESULT.
  if (Atomics.load(words, STATE) !== DONE) return false;
  const how = words[RESULT];
  return record.inbox === undefined || how === FAST || how === EXITED || record.inbox.messages.length > 0;
}

/** Blocks until the run on `record` is done (spinning briefly first). */
export function waitDone(record: WorkerRecord): void {
  const words = record.box.words;
  // Pairs with the worker's store of DONE, which publishes the result.
  let state = Atomics.load(words, STATE);
  if (state !== DONE) state = spin.spinWhile(words, STATE, state, joinSpin);
  while (state !== DONE) {
    // Announces the sleep; the worker stores DONE, then reads JOINERS.
    Atomics.add(words, JOINERS, 1);
    try {
      blockingWait(words, STATE, state, DEATH_CHECK_MS, 'joinAsync');
    } finally {
      Atomics.sub(words, JOINERS, 1);
    }
    state = Atomics.load(words, STATE);
    // A worker that died while this thread was blocked: its exit event waits for this thread's event loop (unless the
    // watcher started it: it reports the end, with its reason).
    if (state !== DONE && words[WATCHED] === 0 && !host.osThreadExists(words[OS_THREAD])) {
      reportDeath(record);
      state = Atomics.load(words, STATE);
    }
  }
  // The result's message comes through this thread's event loop, which a blocking call cannot run.
  if (!isDone(record)) throw new WouldBlockError('cannot block on this thread for a result that comes by message; use joinAsync');
}

/** Waits, without blocking, until the run on `record` is done. */
export async function waitDoneAsync(record: WorkerRecord, outcome: Outcome): Promise<void> {
  const words = record.box.words;
  // Keeps the process alive while someone awaits this thread: on the main thread while its main module may await
  // it (see main-module.ts); in a worker for the wait's whole length, as its own pending work.
  const onMain = host.isMainThread;
  if (onMain) beginMainWait();
  const keepAlive = !onMain && record.worker === undefined ? setInterval(noop, KEEP_ALIVE_MS) : undefined;
  if (!onMain) record.worker?.ref();
  // Announces the wait; the worker stores DONE, then reads JOINERS (and collect() wakes us too).
  Atomics.add(words, JOINERS, 1);
  try {
    // Done, or collected meanwhile by a join() of this thread.
    for (;;) {
      if (record.current !== outcome) return;
      const state = Atomics.load(words, STATE);
      if (state !== DONE) {
        const waited = waitAsync(words, STATE, state);
        if (waited.async) await waited.value;
        continue;
      }
      if (isDone(record)) return;
      // The result's message is on its way (a host without a synchronous receive).
      await new Promise<void>((resolve) => {
        record.inbox!.arrival = resolve;
      });
    }
  } finally {
    Atomics.sub(words, JOINERS, 1);
    if (onMain) endMainWait();
    else record.worker?.unref();
    clearInterval(keepAlive);
  }
}

/** On the receiving thread: the record of a handed-off worker, running the thread of `outcome`. */
export function adoptHandedOff(handedOff: HandedOff, outcome: Outcome): WorkerRecord {
  return {
    worker: undefined,
    box: views(handedOff.mailbox),
    port: handedOff.port,
    known: [],
    current: outcome,
    alive: false,
    error: undefined,
    inbox: handedOff.port === undefined ? undefined : openInbox(handedOff.port),
    retire: true,
    kept: false,
    leaving: false,
  };
}

function noop(): void {}
