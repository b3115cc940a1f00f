/**
 * The bootstrap of a pooled worker: it runs one thread after another, each
 * handed over through its mailbox (see mailbox.ts). Between threads it spins
 * briefly, so that a quick next spawn costs no wake-up, then sleeps.
 */

import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { PanicError, encodeThrown } from '../thread/panic-error.js';
import { enterRun } from '../thread/thread.js';
import { compileClosure } from './closure.js';
import {
  COUNT,
  DATA,
  DONE,
  EXIT,
  EXITED,
  FAST,
  IDLE,
  NAMED,
  PANICKED,
  PARK,
  PORT,
  POSTED,
  RESULT,
  RUNNING,
  SOURCE_ID,
  STATE,
  TASK,
  THREAD_ID,
  readEnd,
  readFast,
  views,
  writeFast,
} from './mailbox.js';
import { runPanicHooks } from './panic-hooks.js';
import { installSyncStdio } from './stdio.js';
import type { TaskMessage, WorkerSetup } from './task.js';
import { adoptRegistry, enterThread, markThreadEnded } from './thread-registry.js';
import { Encoder, assertSendAt, decodeInPlace, deepFreeze } from './wire.js';

/** Polls of the mailbox before sleeping: some tens of microseconds. */
const SPIN = 20_000;
/** A timer period long enough never to fire while it keeps the event loop alive. */
const KEEP_ALIVE_MS = 0x7fffffff;
/** How long an idle worker waits for a task before it ends itself. */
const IDLE_TIMEOUT_MS = 10_000;

const setup = workerData as WorkerSetup;
adoptRegistry(setup.registry);
installSyncStdio();

const box = views(setup.mailbox);
const words = box.words;
const port: MessagePort = setup.port;
/** Compiled closures by source id. */
const closures: Function[] = [];
const BUILTIN_MODULES = ['../sync/index.js', '../sync/mpsc/index.js', '../cell/index.js', '../rc/index.js'];
let builtinsLoaded = false;
let running = false;

process.on('exit', (code) => {
  if (!running) return;
  words[DATA] = code;
  finish(EXITED);
});

process.on('uncaughtException', (error) => {
  // A closure's stray asynchronous error: the thread's panic if it still runs.
  if (running) panic(error);
  else process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
});

void serve(setup.task);

/** Runs the first task, then every task posted to the mailbox. */
async function serve(first: TaskMessage | undefined): Promise<void> {
  let task = first;
  for (;;) {
    if (task === undefined && !nextTask()) return;
    const pending = run(task);
    task = undefined;
    if (pending !== undefined) await pending;
  }
}

/** Waits for POSTED (spinning, then sleeping); false when the worker must end. */
function nextTask(): boolean {
  for (;;) {
    let state = Atomics.load(words, STATE);
    for (let spins = 0; state !== POSTED && state !== EXIT && spins < SPIN; spins++) {
      // Pairs with the spawner's store of POSTED, which publishes the task.
      state = Atomics.load(words, STATE);
    }
    if (state === POSTED) return true;
    if (state === EXIT) return false;
    // Sleeps synchronously: a blocked wait wakes faster than the event loop, and between threads nothing runs here.
    if (Atomics.wait(words, STATE, state, IDLE_TIMEOUT_MS) === 'timed-out' && state === IDLE) {
      // Ends this worker unless a spawner claimed it meanwhile (it then CASes IDLE → POSTED and fails).
      if (Atomics.compareExchange(words, STATE, IDLE, EXIT) === IDLE) {
        process.exitCode = 0;
        port.close();
        return false;
      }
    }
  }
}

/** Runs one thread; returns a promise when it has to wait (compiling, loading, an async closure). */
function run(first: TaskMessage | undefined): Promise<void> | undefined {
  Atomics.store(words, STATE, RUNNING);
  running = true;
  const id = words[THREAD_ID]!;
  enterThread(id);
  const flags = words[TASK]!;
  if (first === undefined && (flags & 3) === FAST) {
    let at = DATA;
    let name: string | undefined;
    if ((flags & NAMED) !== 0) {
      name = readFast(box, at) as string;
      at = readEnd;
    }
    enterRun(words, PARK, name);
    const closure = closures[words[SOURCE_ID]!];
    const count = words[COUNT]!;
    if (closure !== undefined) {
      try {
        switch (count) {
          case 0:
            return settle(closure());
          case 1:
            return settle(closure(readFast(box, at)));
          default: {
            const args: unknown[] = new Array(count);
            for (let index = 0; index < count; index++) {
              args[index] = readFast(box, at);
              at = readEnd;
            }
            return settle(closure(...args));
          }
        }
      } catch (error) {
        panic(error);
        return undefined;
      }
    }
  }
  const task = first ?? (receiveMessageOnPort(port)!.message as TaskMessage);
  enterRun(words, PARK, task.name);
  return runMessage(task);
}

async function runMessage(task: TaskMessage): Promise<void> {
  try {
    let closure = closures[task.sourceId];
    if (closure === undefined) {
      closure = await compileClosure(task.source!, task.callerUrl);
      closures[task.sourceId] = closure;
    }
    await loadCodecs(task);
    const args: unknown[] = [];
    if (task.borrows !== undefined) {
      for (const borrowed of task.borrows) {
        const value = decodeInPlace(borrowed, new Set());
        deepFreeze(value, new Set());
        args.push(value);
      }
    }
    if (task.captures !== undefined) for (const moved of task.captures) args.push(decodeInPlace(moved, new Set()));
    const result: unknown = closure(...args);
    const pending = settle(result);
    if (pending !== undefined) await pending;
  } catch (error) {
    panic(error);
  }
}

async function loadCodecs(task: TaskMessage): Promise<void> {
  if (task.builtins === true && !builtinsLoaded) {
    builtinsLoaded = true;
    for (const path of BUILTIN_MODULES) {
      try {
        await import(new URL(path, import.meta.url).href);
      } catch {
        // Not built: its codecs cannot be in use.
      }
    }
  }
  if (task.modules !== undefined) for (const module of task.modules) await import(module);
}

/** Reports a result, or waits for it when it is a promise. */
function settle(result: unknown): Promise<void> | undefined {
  if (typeof result === 'object' && result !== null && typeof (result as PromiseLike<unknown>).then === 'function') {
    // The thread may wait on Atomics.waitAsync alone, which does not keep a worker's event loop alive.
    const keepAlive = setInterval(noop, KEEP_ALIVE_MS);
    return Promise.resolve(result)
      .then(complete, panic)
      .finally(() => clearInterval(keepAlive));
  }
  complete(result);
  return undefined;
}

function complete(result: unknown): void {
  if (writeFast(box, DATA, result) !== -1) {
    finish(FAST);
    return;
  }
  try {
    assertSendAt(result, 'result');
    const encoder = new Encoder();
    const value = encoder.encode(result);
    port.postMessage({ value }, encoder.transfer);
  } catch (error) {
    panic(error);
    return;
  }
  finish(PORT);
}

function panic(error: unknown): void {
  runPanicHooks();
  let wire;
  try {
    wire = encodeThrown(error);
  } catch {
    wire = encodeThrown(new PanicError(String(error), words[THREAD_ID]!, undefined));
  }
  port.postMessage({ panic: wire });
  finish(PANICKED);
}

function finish(how: number): void {
  if (!running) return;
  running = false;
  markThreadEnded(words[THREAD_ID]!);
  words[RESULT] = how;
  // Publishes the result; pairs with the spawner's load of DONE in join().
  Atomics.store(words, STATE, DONE);
  Atomics.notify(words, STATE);
}

function noop(): void {}
