/**
 * The bootstrap of a pooled worker: it runs one thread after another, each
 * handed over through its mailbox (see mailbox.ts). Between threads it spins
 * briefly, so that a quick next spawn costs no wake-up, then sleeps.
 *
 * Bundled with the modules it imports into one file, `worker.js` (`npm run
 * bundle`), which the host starts; it imports nothing else until a thread
 * needs it (codecs, the runtime's exports, a panic): each module a fresh
 * worker loads costs it time before its first thread runs.
 */

import { host } from '#host';
import bundled from './bundled.js';
import mailbox from './mailbox.js';
import protocol from './protocol.js';
import closures from './closure.js';
import state from './thread-state.js';
import spin from './spin.js';
import type { Port } from '../host/host.js';
import type { EntryModule, TaskMessage, WorkerSetup } from './task.js';
import { adoptHeap } from '../sys/heap.js';
import { runThreadEndHooks } from './thread-end.js';
import { holdCourierPort } from './courier-port.js';
import { holdWatcherPort } from './lifeline.js';
import { threadModuleImported } from './module-top-level.js';

const { IDLE, POSTED, RUNNING, DONE, EXIT } = protocol.State;
const { STATE, THREAD_ID, PARK, TASK, SOURCE_ID, COUNT, RESULT, SLEEPERS, JOINERS, OS_THREAD, ROUTE, DETACH, DATA } = protocol.Word;
const { FAST, PORT, PANICKED, EXITED } = protocol.Transport;
const { ON_PORT, COURIER } = protocol.Route;
const { WANTED, REPORTED, DETACHED, ABANDONED } = protocol.Detach;
const { TRANSPORT, NAMED } = protocol.TaskFlag;
const { fastEnd, readFast, views, writeFast } = mailbox;
/** Typed views over one mailbox. */
type Views = ReturnType<typeof mailbox.views>;
const { threadState, adoptRegistry, enterThread, markThreadEnded, enterIdleSpin, leaveIdleSpin } = state;

/** How long this worker polls its mailbox after a thread before it sleeps (adaptive, see spin.ts). */
const idleSpin = spin.spinBudget();
/** A timer period long enough never to fire while it keeps the event loop alive. */
const KEEP_ALIVE_MS = 0x7fffffff;
/** How long an idle worker waits for a task before it ends itself, unless the pool keeps it (see pool.ts). */
const IDLE_TIMEOUT_MS = 10_000;
/** What a worker writes to stderr before the stack of an error from asynchronous work outside a thread's promise. */
const STRAY_WARNING =
  "sendsync: asynchronous work outside a thread's returned promise threw (a timer, a callback, a tick, an unhandled rejection); it is no thread's panic:";
/** A closure that names the global object may add globals (its thread-locals). */
const GLOBAL_OBJECT = /(?<![.$\w])(?:globalThis|global|self)(?![$\w])/;
/** This file's URL, read when needed: the runtime's modules are found relative to it (in the CommonJS bootstrap, making it loads `node:url`, see bundle.js). */
const here = (): string => import.meta.url;
/**
 * Modules this worker has imported, by name or URL: an `import()` of a module
 * already loaded still costs tens of microseconds (Node's loader resolves it
 * again), and a thread that moves a lock or an atomic needs its codec's
 * module and the wire module at its start and end, each time.
 */
const loaded = new Map<string, unknown>();
/**
 * One of the runtime's modules that a thread loads only when it needs it:
 * from this file's directory, or, in a bundled worker, as its entry gave it
 * (a bundle has no such directory: its chunks are named by the bundler).
 */
async function runtimeModule<Module>(name: 'wire' | 'thrown' | 'panic-hooks' | 'courier'): Promise<Module> {
  const given = bundled.modules?.[name] ?? loaded.get(name);
  if (given !== undefined) return given as Module;
  const module = (await import(/* webpackIgnore: true */ /* @vite-ignore */ new URL(`./${name}.js`, here()).href)) as Module;
  loaded.set(name, module);
  return module;
}

/** A thread's closure, once compiled. */
type Closure = (...values: unknown[]) => unknown;
/** Compiled closures by source id. */
const compiled: Closure[] = [];
/** Closures whose source names the global object: after them, globals they added are removed. */
const globalWriters = new WeakSet<Closure>();
/** The global object's own keys when this worker started. */
const baselineGlobals = new Set<PropertyKey>(Reflect.ownKeys(globalThis));
/** Whether the running thread's closure names the global object. */
let sweepGlobals = false;
/** Whether a thread runs here, from its task's start until `finish` reports it once (a result, a panic or an exit). */
let running = false;
/** This worker's operating-system thread: a thread it runs lives exactly as long. */
const osThread = host.osThreadId();

// What the spawner gave this worker, set by `start` before the first task runs. No top-level await: on
// Node this module is also built as CommonJS (see package.json's `bundle`), which starts a worker sooner.
let setup: WorkerSetup;
let box: Views;
let words: Int32Array;
let port: Port;

host.onExit((code) => {
  if (!running) return;
  words[DATA] = code;
  finish(EXITED);
});

host.onUncaughtError((error) => {
  // An error from asynchronous work outside a thread's returned promise (a timer, a callback, a tick, an
  // unhandled rejection) may come from any thread this worker ran. Telling which would mean tracking every
  // promise of every thread (AsyncLocalStorage), which slows each await in a thread and each thread's start:
  // so it is no thread's panic, and never another thread's: a warning.
  host.printError(`${STRAY_WARNING}\n${stackOf(error)}`);
});

/** Tasks that came through the port's event, on a host without a synchronous receive (see host.ts), oldest first. */
const arrived: TaskMessage[] = [];
/** Who waits for the next task to arrive that way. */
let onArrival: ((task: TaskMessage) => void) | undefined;

void host.workerSetup().then(start);

/** Takes this worker's setup, then serves its first task and the ones after it. */
function start(given: unknown): Promise<void> {
  setup = given as WorkerSetup;
  adoptRegistry(setup.registry);
  adoptHeap(setup.heap);
  if (setup.lifeline !== undefined) host.holdLifeline(setup.lifeline);
  if (setup.courier !== undefined) holdCourierPort(setup.courier);
  if (setup.watcher !== undefined) holdWatcherPort(setup.watcher);
  host.installSyncStdio();
  box = views(setup.mailbox);
  words = box.words;
  port = setup.port;
  // Read by the spawner's join() when it wonders whether this worker died.
  Atomics.store(words, OS_THREAD, osThread);
  threadState.words = words;
  threadState.index = PARK;
  if (host.receiveMessageOnPort === undefined) {
    // A listener for the worker's life: a message dispatched while none listens would be lost.
    port.addEventListener('message', (event: Event) => {
      const task = (event as MessageEvent).data as TaskMessage;
      const waiter = onArrival;
      onArrival = undefined;
      if (waiter !== undefined) waiter(task);
      else arrived.push(task);
    });
    port.start();
  }
  return serve(setup.task);
}

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
    // Pairs with the spawner's store of POSTED, which publishes the task.
    let state = Atomics.load(words, STATE);
    if (state !== POSTED && state !== EXIT && enterIdleSpin(setup.spinners)) {
      try {
        // DONE → IDLE (collected) → CLAIMED (a spawner writes a task) → POSTED: spin through them all.
        while (state !== POSTED && state !== EXIT) {
          const seen = spin.spinWhile(words, STATE, state, idleSpin);
          if (seen === state) break;
          state = seen;
        }
      } finally {
        leaveIdleSpin();
      }
    }
    if (state === POSTED) return true;
    if (state === EXIT) {
      // Told to end (a run no pool takes back, see pool.ts' `collect` and `abandonRun`): its open port would keep it.
      port.close();
      return false;
    }
    // Announces the sleep before it (the spawner stores POSTED, then reads SLEEPERS: one of us sees the other).
    Atomics.store(words, SLEEPERS, 1);
    // Sleeps synchronously: a blocked wait wakes faster than the event loop, and between threads nothing runs here.
    const waited = Atomics.wait(words, STATE, state, setup.kept ? Infinity : IDLE_TIMEOUT_MS);
    Atomics.store(words, SLEEPERS, 0);
    if (waited === 'timed-out' && state === IDLE) {
      // Ends this worker unless a spawner claimed it meanwhile (its CAS IDLE → CLAIMED then fails).
      if (Atomics.compareExchange(words, STATE, IDLE, EXIT) === IDLE) {
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
  const id = words[THREAD_ID];
  // This thread's identity, for currentThreadId() and current(); the spawner already reset its park word.
  enterThread(id, osThread);
  threadState.thread = undefined;
  const flags = words[TASK];
  if (first === undefined && (flags & TRANSPORT) === FAST) {
    let at: number = DATA;
    let name: string | undefined;
    if ((flags & NAMED) !== 0) {
      name = readFast(box, at) as string;
      at = fastEnd(box, at);
    }
    threadState.name = name;
    const closure = compiled[words[SOURCE_ID]];
    const count = words[COUNT];
    if (closure !== undefined) {
      sweepGlobals = globalWriters.has(closure);
      threadState.inClosure = true;
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
              at = fastEnd(box, at);
            }
            return settle(closure(...args));
          }
        }
      } catch (error) {
        return panic(error);
      }
    }
  }
  const task = first ?? portTask();
  return task instanceof Promise ? task.then(runMessage) : runMessage(task);
}

/** The task posted on the port (the spawner posts it before it stores POSTED). */
function portTask(): TaskMessage | Promise<TaskMessage> {
  const received = host.receiveMessageOnPort?.(port);
  if (received !== undefined) return received.message as TaskMessage;
  const task = arrived.shift();
  if (task !== undefined) return task;
  return new Promise((resolve) => {
    onArrival = resolve;
  });
}

async function runMessage(task: TaskMessage): Promise<void> {
  threadState.name = task.name;
  try {
    let closure = compiled[task.sourceId];
    if (closure === undefined) {
      const made = compile(task);
      closure = made instanceof Promise ? await made : made;
      compiled[task.sourceId] = closure;
      const source = task.source;
      if (source !== undefined && (source.includes('global') || source.includes('self')) && GLOBAL_OBJECT.test(source)) globalWriters.add(closure);
    }
    sweepGlobals = globalWriters.has(closure);
    const args: unknown[] = [];
    if (task.borrows !== undefined || task.codecs === true) {
      await loadCodecs(task);
      const wire = await runtimeModule<typeof import('./wire.js')>('wire');
      if (task.borrows !== undefined) {
        for (const borrowed of task.borrows) {
          args.push(wire.deepFreeze(wire.decodeInPlace(borrowed, new Set()), new Map()));
        }
      }
      if (task.captures !== undefined) for (const moved of task.captures) args.push(wire.decodeOwned(moved));
    } else if (task.captures !== undefined) {
      // Plain data: structured clone already rebuilt it.
      for (const moved of task.captures) args.push(moved);
    }
    threadState.inClosure = true;
    const pending = settle(closure(...args));
    if (pending !== undefined) await pending;
  } catch (error) {
    await panic(error);
  }
}

/**
 * The task's closure, compiled (or, for a thread entry, imported); if that
 * fails (an import that throws, say), a closure that throws the same error:
 * the spawner now takes this source as known to this worker, and its next run
 * of it comes without the source.
 */
function compile(task: TaskMessage): Closure | Promise<Closure> {
  // Synchronous unless the closure names an import or the runtime's exports: a plain closure then runs,
  // and reports, before this worker's start-up finishes.
  try {
    const made = task.entry !== undefined ? importEntry(task.entry) : closures.compileClosure(task.source!, task.site);
    return made instanceof Promise ? made.catch(throwing) : made;
  } catch (error) {
    return throwing(error);
  }
}

/** A thread entry's function: the module's export, imported (no source text is compiled). */
async function importEntry(entry: EntryModule): Promise<Closure> {
  // Not a specifier a bundler should follow: the plugin built the module as a chunk of its own, and this is its URL.
  const named = bundled.threadModules.get(entry.module);
  const module = (await (named !== undefined ? named() : import(/* webpackIgnore: true */ /* @vite-ignore */ entry.module))) as Record<string, unknown>;
  const closure = module[entry.export];
  if (typeof closure !== 'function') throw new TypeError(`thread entry: ${entry.module} has no function export \`${entry.export}\``);
  // Where stack frames do not say where a function starts (Deno, Bun), its module's frames are the closure's.
  if (named === undefined) threadModuleImported(entry.module);
  return closure as Closure;
}

/** A closure that throws `error`. */
function throwing(error: unknown): Closure {
  return () => {
    throw error;
  };
}

/**
 * Imports the modules whose codecs the task's values need, and only those
 * (loading the whole runtime would cost a fresh worker more than its start).
 */
async function loadCodecs(task: TaskMessage): Promise<void> {
  if (task.modules === undefined || bundled.active) return;
  // At once: a loader's hooks (tsx's) resolve and compile on a thread of their own.
  await Promise.all(
    task.modules.map(async (module) => {
      if (!loaded.has(module)) loaded.set(module, await import(/* webpackIgnore: true */ module));
    }),
  );
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
  if (writeFast(box, DATA, result) !== -1) {
    finish(FAST);
    return undefined;
  }
  return complete(result);
}

/** Reports a result that needs more than the mailbox (or any result of an async closure). */
async function complete(result: unknown): Promise<void> {
  if (writeFast(box, DATA, result) !== -1) {
    finish(FAST);
    return;
  }
  if (resultDetached()) {
    // Nobody will read it: this thread's end drops the handles it holds (their counts go back) instead.
    finishDetached();
    return;
  }
  try {
    const wire = await runtimeModule<typeof import('./wire.js')>('wire');
    wire.assertSendAt(result, 'result');
    const courier = resultToCourier() ? await runtimeModule<typeof import('./courier.js')>('courier') : undefined;
    const encoder = new wire.Encoder();
    // The courier's lines carry no port (see its module's top): a handle in the result crosses in a form without one.
    encoder.portless = courier !== undefined;
    const value = encoder.encode(result);
    if (courier === undefined) port.postMessage({ value }, encoder.transfer);
    else courier.park(protocol.RESULT_KEY + words[THREAD_ID], { value });
    // The result's handles are the joiner's: this thread's end leaves them alone.
    encoder.commitMoves();
  } catch (error) {
    await panic(error);
    return;
  }
  finish(PORT);
}

/** Reports a panic: runs the panic hooks (which poison held locks), then sends the thrown value. */
async function panic(error: unknown): Promise<void> {
  const [hooks, thrown] = await Promise.all([
    runtimeModule<typeof import('./panic-hooks.js')>('panic-hooks'),
    runtimeModule<typeof import('./thrown.js')>('thrown'),
  ]);
  hooks.runPanicHooks();
  if (resultDetached()) {
    finishDetached();
    return;
  }
  const message = { panic: thrown.encodeThrown(error) };
  if (resultToCourier()) (await runtimeModule<typeof import('./courier.js')>('courier')).park(protocol.RESULT_KEY + words[THREAD_ID], message);
  else port.postMessage(message);
  finish(PANICKED);
}

/**
 * Where this thread's result message goes (see protocol.ts' `Route`): claims
 * the port for it, right before it is posted there; true when the thread's
 * `JoinHandle` left without the port first: the message then waits at the
 * courier for whichever thread joins.
 */
function resultToCourier(): boolean {
  // Pairs with the leaving handle's CAS (thread/join-handle.ts): whoever comes first decides; a second call (a panic
  // while the result was encoded) sees the first one's claim.
  return Atomics.compareExchange(words, ROUTE, protocol.Route.PORT, ON_PORT) === COURIER;
}

/**
 * Whether this thread's `JoinHandle` was dropped unjoined (see protocol.ts'
 * `Detach`): claims the result for its joiner otherwise, before it is
 * reported. A second call (a panic while the result was encoded) sees the
 * first one's claim.
 */
function resultDetached(): boolean {
  // Pairs with the dropped handle's CAS (thread/join-handle.ts): whoever comes first decides.
  const was = Atomics.compareExchange(words, DETACH, WANTED, REPORTED);
  return was === DETACHED || was === ABANDONED;
}

/** Ends a detached thread's run: its result is dropped with the thread's values, and the mailbox says `undefined`. */
function finishDetached(): void {
  writeFast(box, DATA, undefined);
  finish(FAST);
}

function finish(how: number): void {
  if (!running) return;
  running = false;
  threadState.inClosure = false;
  if (sweepGlobals) removeAddedGlobals();
  try {
    runThreadEndHooks();
  } catch (error) {
    host.printError(`sendsync: dropping a thread's values as it ended failed:\n${stackOf(error)}`);
  }
  markThreadEnded(words[THREAD_ID]);
  words[RESULT] = how;
  // Publishes the result; pairs with the spawner's load of DONE in join().
  Atomics.store(words, STATE, DONE);
  // Wakes joiners that announced their sleep (they add to JOINERS before waiting, then re-read STATE).
  if (Atomics.load(words, JOINERS) !== 0) Atomics.notify(words, STATE);
  // A handle that left the spawning thread was dropped unjoined: no pool collects this run, so the worker ends.
  // Read after the store of DONE; the dropping handle stores ABANDONED, then reads STATE: one of us sees the other.
  if (Atomics.load(words, DETACH) === ABANDONED) Atomics.compareExchange(words, STATE, DONE, EXIT);
}

/**
 * Thread-locals do not outlive their thread: removes the globals a thread
 * added to this worker. The runtime's own (`Symbol.for('sendsync.…')`: the
 * shared heap this worker adopted, its thread state) stay, whenever they
 * were set: without its heap, the worker's next threads would make a private
 * one, and write what they send there.
 */
function removeAddedGlobals(): void {
  for (const key of Reflect.ownKeys(globalThis)) {
    if (!baselineGlobals.has(key) && !(typeof key === 'symbol' && Symbol.keyFor(key)?.startsWith('sendsync.') === true)) {
      delete (globalThis as Record<PropertyKey, unknown>)[key];
    }
  }
}

/** A thrown value's stack, or its text, or a stand-in when reading it throws too. */
function stackOf(error: unknown): string {
  try {
    return String((error as Error | undefined)?.stack ?? error);
  } catch {
    return 'a value that could not be read';
  }
}

function noop(): void {}
