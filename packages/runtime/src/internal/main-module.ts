/**
 * How long the main thread's awaits of threads keep the process alive.
 *
 * A Rust process ends when `main` returns, whatever threads still run. Here
 * `main` is the program's main module: while it evaluates (a top-level
 * `await` of `joinAsync()`, directly or through `Promise.race`), a pending
 * wait keeps the process alive, since the main module may still be waiting
 * for it; once the main module is done, a pending wait keeps nothing alive,
 * so that one that lost a race against a timeout, or that only a callback
 * awaits, does not hold the process open for a thread that may never end.
 * Where the host cannot tell when the main module is done, a pending wait
 * keeps the process alive, as any pending I/O would.
 *
 * A process that ends with waits pending says so on stderr: a program that
 * calls an async `main()` without awaiting it ends here while its threads
 * still run, and the line tells its author why and what to write instead.
 */

import { host } from '#host';

/** A timer period long enough never to fire while it keeps the event loop alive. */
const KEEP_ALIVE_MS = 0x7fffffff;

/** The main thread's waits in progress. */
let waits = 0;
/** The timer that keeps the event loop alive while there are waits and the main module may await them. */
let keepAlive: ReturnType<typeof setInterval> | undefined;
/** Whether the main module is known to be done (see `host.mainModuleEvaluated`). */
let mainDone = false;
/** Whether `host.mainModuleEvaluated` was asked. */
let watching = false;

/** What the process says when it ends while the main thread still waits for threads. */
export const PENDING_WAITS_WARNING =
  'sendsync: the program ends while joinAsync() still waits for a running thread: the main module finished without awaiting it. ' +
  'Await the wait (or `await main()`), or use join(), to wait for the thread.';

/** On the main thread: a wait for a thread begins (see the module's comment); `endMainWait` ends it. */
export function beginMainWait(): void {
  waits++;
  if (mainDone) return;
  keepAlive ??= setInterval(noop, KEEP_ALIVE_MS);
  if (watching) return;
  watching = true;
  host.onExit(() => {
    if (mainDone && waits > 0) host.printError(PENDING_WAITS_WARNING);
  });
  void host.mainModuleEvaluated()?.then(() => {
    mainDone = true;
    stopKeepingAlive();
  }, noop);
}

/** The end of a wait that `beginMainWait` began. */
export function endMainWait(): void {
  if (--waits === 0) stopKeepingAlive();
}

function stopKeepingAlive(): void {
  clearInterval(keepAlive);
  keepAlive = undefined;
}

function noop(): void {}
