/**
 * The pool of workers that run threads, on the spawning thread's side.
 *
 * A spawn takes an idle worker (or starts one) and writes the task into its
 * mailbox; the worker spins briefly after each thread, so that spawning again
 * soon costs a hand-off through shared memory, not a wake-up. Idle workers do
 * not keep the process alive. As many of them as there are cores stay for the
 * process's life (a pool's `minThreads`): a job that comes back after a pause
 * finds its workers warm, with its closures compiled and their imports loaded,
 * where a fresh worker costs some 100 ms before its first line (far more on a
 * loaded machine). The others end themselves after a while.
 */

import { host } from '#host';
import type { WorkerLimits } from '../host/host.js';
import { codecByTag, runtimeCodecModules } from '../codec.js';
import { parkWord } from '../sys/parker.js';
import { heapBuffer } from '../sys/heap.js';
import { canBlock } from './block.js';
import type { ClosureSite, EntryModule } from './task.js';
import mailbox from './mailbox.js';
import protocol from './protocol.js';
import type { ResultMessage, TaskMessage, WorkerSetup } from './task.js';
import { markThreadEnded, registryMemory } from './thread-registry.js';
import { decodeThrown } from './thrown.js';
import { Encoder, decodeOwned, requireSharesModules } from './wire.js';
import { linesFor, startWatched } from './lifeline.js';
import { courierMayBeWanted, courierPortForWorker } from './courier.js';
import { isDone, openInbox, reportDeath, takeMessage, type Outcome, type WorkerRecord } from './worker-record.js';

const { IDLE, POSTED, RUNNING, DONE, EXIT, CLAIMED } = protocol.State;
const { STATE, THREAD_ID, PARK, TASK, SOURCE_ID, COUNT, RESULT, SLEEPERS, JOINERS, DEAD, WATCHED, ROUTE, DETACH, DATA } = protocol.Word;
const { FAST, PORT, PANICKED, EXITED } = protocol.Transport;
const { PORT: PORT_ROUTE } = protocol.Route;
const { WANTED, REPORTED, ABANDONED } = protocol.Detach;
const { NAMED } = protocol.TaskFlag;
const { MAILBOX_BYTES } = protocol;
const { readFast, views, writeFast } = mailbox;
/** Typed views over one mailbox. */
type Views = ReturnType<typeof mailbox.views>;

/**
 * How long a spawn waits for a busy worker to finish, when all cores are
 * busy, before it starts a new worker: short beside a worker's cold start,
 * long enough for trivial threads to finish even when the cores are shared.
 */
const SPAWN_WAIT_MS = 2;
/**
 * The same wait once there are as many busy workers as cores: more workers
 * cannot run faster, and on a loaded machine a trivial thread may wait that
 * long for a core.
 */
const SPAWN_WAIT_LONG_MS = 20;
/**
 * How long a spawn waits for a busy worker (awake, once done) rather than
 * wake a sleeping idle one: a wake-up costs the spawner a notify and delays
 * the thread's start by far longer than a trivial thread runs.
 */
const AWAKE_WAIT_MS = 0.01;
/** How long a spawn spins before it naps between looks at the busy workers. */
const SPAWN_SPIN_MS = 0.2;
/** The longest nap between two looks at the busy workers. */
const NAP_MS = 0.1;
/** Looks at the busy workers between two looks at the clock, while a spawn waits for one. */
const LOOKS_PER_CLOCK = 64;
/** The same while a spawn waits for an awake worker (a much shorter wait: the clock is read more often). */
const LOOKS_PER_CLOCK_AWAKE = 16;
/** The cores of this machine. */
const cores = host.availableParallelism();
/**
 * How many idle workers of the process may spin for a task at once: one core
 * is left to the spawning thread, the others may keep a worker warm. The rest
 * sleep at once (`claimIdle` prefers a worker that is awake).
 */
const IDLE_SPINNERS = Math.max(1, cores - 1);
/** How many workers stay however long they are idle. */
const KEPT_WORKERS = cores;
/** Live workers started as kept ones (see KEPT_WORKERS), each counted until `giveBackKept`. */
let keptWorkers = 0;

/** How many of this thread's workers are kept ones (for tests: a dead worker's slot must come back). */
export function keptWorkerCount(): number {
  return keptWorkers;
}

/**
 * `record`'s worker is dead, or leaves this pool (handed off with a JoinHandle): its slot among the kept workers
 * goes back, once, whichever way this thread learned it (its exit event, which a browser sends only for a worker
 * that ended on an error and a spawner blocked in join() does not see; its run ending as died; its mailbox found
 * ended, as the watcher settles it), so that the next worker started stays.
 */
function giveBackKept(record: WorkerRecord): void {
  if (!record.kept) return;
  record.kept = false;
  keptWorkers--;
}

/** What `dispatch` runs: a thread, its closure and its values. */
export interface SpawnRequest {
  /** Where the outcome goes. */
  readonly outcome: Outcome;
  /** The new thread's id. */
  readonly id: number;
  /** The id of its closure's source or thread entry (see `newSourceId`). */
  readonly sourceId: number;
  readonly name: string | undefined;
  /** The closure's source text (a closure given as a function). */
  readonly source: string | undefined;
  /** Where the closure was written (its module, imports and position), when known. */
  readonly site: ClosureSite | undefined;
  /** Whether the closure reaches code beyond its text (closure-site.ts' `FoundClosure`; a thread entry does). */
  readonly callsOut: boolean;
  /** The thread's function as a module's export (a thread entry), instead of a source. */
  readonly entry: EntryModule | undefined;
  /** The bootstrap a new worker for this thread starts from, when not the runtime's own (a bundle's). */
  readonly worker: string | undefined;
  /** Borrowed values (scoped threads), checked Sync. */
  readonly borrows: unknown[] | undefined;
  /** Moved values, checked Send. */
  readonly captures: unknown[] | undefined;
  /** A stack size or heap limit: the thread runs on a worker of its own, started with them (where the host sets them). */
  readonly limits: WorkerLimits | undefined;
}

const idle: WorkerRecord[] = [];
/** A wait for a busy worker ran out, and no thread has been collected since (see `awaitFinished`). */
let busyWorkersRunLong = false;
const busy = new Set<WorkerRecord>();
/** The next source id (see `newSourceId`). */
let nextSourceId = 0;

/**
 * A new source id: the name under which workers keep a closure compiled (or
 * a thread entry imported). The spawner takes one per closure source or
 * thread entry, once (see spawn.ts), so that a warm spawn does not look its
 * text up again.
 */
export function newSourceId(): number {
  return nextSourceId++;
}

/**
 * An idle worker, claimed for a new task, or undefined when a new worker is
 * needed. The most recently freed comes first: it is the likeliest to be
 * awake. When it sleeps but a worker is busy, a busy worker that finishes
 * within `AWAKE_WAIT_MS` is taken instead (it is awake then): that is much
 * cheaper than a wake-up, and keeps a burst of short threads on the workers
 * that are warm while the others sleep.
 */
function claimIdle(): WorkerRecord | undefined {
  for (;;) {
    const top = idle.at(-1);
    // Pairs with the worker's store of SLEEPERS before it sleeps (a stale 0 only costs a wake-up).
    if (top !== undefined && busy.size > 0 && Atomics.load(top.box.words, SLEEPERS) !== 0 && canBlock()) collectWithin(AWAKE_WAIT_MS);
    const record = idle.pop();
    if (record === undefined) {
      if (collectFinished() === undefined && (busy.size === 0 || !awaitFinished())) return undefined;
      continue;
    }
    // Claims the worker; fails when it ended itself (EXIT) after a long idle time.
    if (record.alive && Atomics.compareExchange(record.box.words, STATE, IDLE, CLAIMED) === IDLE) return record;
    record.alive = false;
    giveBackKept(record);
  }
}

/**
 * With no idle worker, waits briefly for a busy one to finish before a new
 * worker is started: threads that end within microseconds (the usual
 * spawn-many-then-join pattern) then reuse the warm workers instead of
 * growing the pool with cold ones (a cold start costs far more CPU than a
 * short wait). Every thread still gets a worker of its own: after the wait,
 * the pool grows. Once a wait ran out, the busy workers run long threads:
 * until one of them finishes, the next spawns start new workers at once, since
 * waiting again for each of them would only add the wait to every spawn.
 * True when a worker was freed.
 */
function awaitFinished(): boolean {
  if (collectFinished() !== undefined) return true;
  // A thread that may not block (a browser's main thread) does not wait either: it starts a worker.
  if (busyWorkersRunLong || !canBlock()) return false;
  const start = performance.now();
  const limit = busy.size < cores ? SPAWN_WAIT_MS : SPAWN_WAIT_LONG_MS;
  for (;;) {
    for (let round = 0; round < LOOKS_PER_CLOCK; round++) if (collectFinished() !== undefined) return true;
    const elapsed = performance.now() - start;
    if (elapsed > limit) {
      busyWorkersRunLong = true;
      return false;
    }
    // After a brief spin, sleeps on the oldest busy worker (woken when it is done) between looks:
    // the busy threads need the cores more than this one.
    if (elapsed > SPAWN_SPIN_MS && canBlock()) napOn(busy.values().next().value!);
  }
}

/** Spins for at most `ms` until a busy worker's thread is done, and collects it. */
function collectWithin(ms: number): void {
  const deadline = performance.now() + ms;
  do {
    for (let round = 0; round < LOOKS_PER_CLOCK_AWAKE; round++) if (collectFinished() !== undefined) return;
  } while (performance.now() < deadline);
}

/** Sleeps until `record`'s thread is done, or for NAP_MS at most. */
function napOn(record: WorkerRecord): void {
  const words = record.box.words;
  // Pairs with the worker's store of DONE.
  const state = Atomics.load(words, STATE);
  if (state === DONE) return;
  // Announces the sleep; the worker stores DONE, then reads JOINERS.
  Atomics.add(words, JOINERS, 1);
  Atomics.wait(words, STATE, state, NAP_MS);
  Atomics.sub(words, JOINERS, 1);
}

/** Collects the results of threads that were not joined, freeing their workers; returns one. */
function collectFinished(): WorkerRecord | undefined {
  let found: WorkerRecord | undefined;
  // collect() deletes from `busy` while we iterate: a Set's iterator allows that.
  for (const record of busy) {
    // Done, with its result here (see isDone); not while its JoinHandle's move is encoded (its wire form names the port).
    if (isDone(record) && !record.leaving) {
      collect(record);
      found = record;
    }
  }
  return found;
}

/**
 * Starts a run of the request's closure on a pooled worker. Its captures are
 * already checked (Send); they are encoded here.
 */
export function dispatch(request: SpawnRequest): WorkerRecord {
  const { name, borrows, captures, sourceId } = request;
  // Its thread may make a channel end or a lock, which may need the courier (captures holding handles: `message`).
  if (request.callsOut) courierMayBeWanted();
  // A pooled worker has the host's limits: a thread with its own gets a worker of its own, ended after it.
  if (request.limits !== undefined && host.limitsWorkers) return startWith(request, request.limits);
  const record = claimIdle();
  if (record === undefined) return startWith(request, undefined);
  const box = record.box;
  const words = box.words;
  let flags: number = FAST;
  if (record.known[sourceId] === true && borrows === undefined) {
    let at: number = DATA;
    if (name !== undefined) {
      at = writeFastChecked(box, at, name);
      flags |= NAMED;
    }
    const count = captures === undefined ? 0 : captures.length;
    for (let index = 0; index < count && at >= 0; index++) at = writeFastChecked(box, at, captures![index]);
    words[COUNT] = count;
    if (at < 0) flags = PORT;
  } else {
    flags = PORT;
  }
  if (flags === PORT) {
    let encoded: Encoded | undefined;
    try {
      encoded = message(request, record.known[sourceId] !== true);
      post(record, encoded);
      // The task is on its way: the captures' handles are the thread's.
      encoded.moves.commitMoves();
    } catch (error) {
      // The captures stay the spawner's (a refused capture abandoned them already).
      encoded?.moves.abandonMoves();
      // Nothing was handed over: give the worker back.
      Atomics.store(words, STATE, IDLE);
      idle.push(record);
      markThreadEnded(request.id);
      throw error;
    }
    record.known[sourceId] = true;
  }
  words[TASK] = flags;
  words[SOURCE_ID] = sourceId;
  words[THREAD_ID] = request.id;
  // The new thread's park word, EMPTY, before anyone can hold its handle.
  Atomics.store(words, PARK, parkWord(request.id));
  record.current = request.outcome;
  busy.add(record);
  // Publishes the task; pairs with the worker's load of POSTED.
  Atomics.store(words, STATE, POSTED);
  // Wakes the worker if it announced its sleep (it stores SLEEPERS, then waits only while STATE is unchanged).
  if (Atomics.load(words, SLEEPERS) !== 0) Atomics.notify(words, STATE);
  // The watcher stores DEAD, then reads STATE: one of us sees the other, and the run ends as died either way.
  if (Atomics.load(words, DEAD) !== 0) reportDeath(record);
  return record;
}

/** A new worker running `request`: its captures move once the worker started (a start that fails leaves them usable). */
function startWith(request: SpawnRequest, limits: WorkerLimits | undefined): WorkerRecord {
  const encoded = message(request, true);
  let record: WorkerRecord;
  try {
    record = startWorker({ request, encoded }, limits);
  } catch (error) {
    encoded.moves.abandonMoves();
    throw error;
  }
  encoded.moves.commitMoves();
  return record;
}

function writeFastChecked(box: Views, at: number, value: unknown): number {
  return at < 0 ? -1 : writeFast(box, at, value);
}

/** The message form of a task, what to transfer with it, and the encoder whose moves the caller commits once the task is handed over. */
interface Encoded {
  readonly task: TaskMessage;
  readonly transfer: Encoder['transfer'];
  readonly moves: Encoder;
}

/** The message form of `request`'s task, with its source text when the worker has not seen it (`withSource`). */
function message(request: SpawnRequest, withSource: boolean): Encoded {
  const { site, name, borrows, captures, sourceId } = request;
  const encoder = new Encoder();
  const task: { -readonly [Key in keyof TaskMessage]: TaskMessage[Key] } = { sourceId };
  if (withSource && request.entry !== undefined) task.entry = request.entry;
  else if (withSource) {
    task.source = request.source;
    if (site !== undefined) task.site = site;
  }
  if (name !== undefined) task.name = name;
  if (borrows !== undefined) {
    encoder.borrowing = true;
    task.borrows = borrows.map((value) => encoder.encode(value));
    encoder.borrowing = false;
  }
  if (captures !== undefined) task.captures = captures.map((value) => encoder.encode(value));
  // A handle may be, or hold, a channel end or a lock, which may need the courier in the thread.
  if (encoder.tags.size > 0) courierMayBeWanted();
  // Each module once: several codecs may come from one (a channel's Sender and Receiver).
  const modules = new Set<string>();
  for (const tag of encoder.tags) {
    task.codecs = true;
    const module = codecByTag(tag)?.module;
    if (module !== undefined) modules.add(module);
  }
  // A thread holding a handle may later be given one of another type (a channel's message, a lock's new value, a
  // joined result), and decodes it then, synchronously. Where the host cannot load its codec then (a loader such as
  // tsx copies what `require` loads), the thread imports the runtime's codecs this thread has, once per worker, first.
  if (modules.size > 0 && host.requireModule !== undefined && !requireSharesModules()) for (const module of runtimeCodecModules()) modules.add(module);
  if (modules.size > 0) task.modules = [...modules];
  return { task, transfer: encoder.transfer, moves: encoder };
}

function post(record: WorkerRecord, encoded: Encoded): void {
  record.port!.postMessage(encoded.task, encoded.transfer);
}

/**
 * Starts a worker ahead of a spawn when the pool has none at all, as on the
 * first spawn of a process: the worker starts up (tens of milliseconds)
 * while the spawning thread reads the closure (closure-site.ts), and the
 * spawn then finds it idle. A spawn that is refused leaves it idle in the pool.
 */
export function startWorkerAhead(): void {
  if (idle.length === 0 && busy.size === 0) idle.push(startWorker(undefined));
}

/**
 * Starts a worker running `first` (a request and its task's message), or
 * idle (its mailbox IDLE, waiting for a spawn to claim it) without one.
 */
function startWorker(first: { readonly request: SpawnRequest; readonly encoded: Encoded } | undefined, limits?: WorkerLimits): WorkerRecord {
  const entry = first?.request.worker;
  // A worker with limits, or any worker a worker needs where nested workers need their parent's event loop (a
  // browser), is the watcher's to start and to watch (see lifeline.ts). Any other is started first, and given its
  // setup right after: the setup is made while the worker boots (tens of milliseconds).
  const watched = limits !== undefined || (host.nestedWorkersNeedParentLoop && !host.isMainThread);
  const worker = watched ? undefined : host.startWorker(entry);
  const memory = new SharedArrayBuffer(MAILBOX_BYTES);
  const box = views(memory);
  if (first !== undefined) {
    const id = first.request.id;
    box.words[STATE] = RUNNING;
    box.words[THREAD_ID] = id;
    box.words[PARK] = parkWord(id);
  }
  const { port1, port2 } = new MessageChannel();
  const kept = limits === undefined && keptWorkers < KEPT_WORKERS;
  if (kept) keptWorkers++;
  // The watcher sees the end of a worker it started with limits (on Node, which reports every worker's end); a
  // browser reports a worker's errors only, so a worker the watcher started there still has a lifeline.
  const lines = limits !== undefined || host.osThreadsVisible ? undefined : linesFor(memory);
  const lifeline = lines?.lifeline;
  const watcher = lines?.watcher;
  const task = first?.encoded.task;
  // Where the watcher is started anyway, it gets the courier's setup with it (a message).
  if (watched || lines !== undefined) courierMayBeWanted();
  const courier = courierPortForWorker();
  const setup: WorkerSetup = { registry: registryMemory(), heap: heapBuffer(), mailbox: memory, port: port2, task, spinners: IDLE_SPINNERS, kept, lifeline, courier, watcher };
  const transfer = [port2, ...[lifeline, courier, watcher].filter((port) => port !== undefined), ...(first?.encoded.transfer ?? [])];
  if (watched) {
    box.words[WATCHED] = 1;
    startWatched({ mailbox: memory, setup, transfer, entry, limits });
  } else {
    worker!.setUp(setup, transfer);
  }
  const record: WorkerRecord = {
    worker,
    box,
    port: port1,
    known: [],
    current: first?.request.outcome,
    alive: true,
    error: undefined,
    inbox: openInbox(port1),
    retire: limits !== undefined,
    kept,
    leaving: false,
  };
  if (task !== undefined) {
    record.known[task.sourceId] = true;
    busy.add(record);
  }
  worker?.unref();
  worker?.onEnd((error) => {
    record.error = error;
    giveBackKept(record);
    reportDeath(record);
    if (record.current === undefined) busy.delete(record);
  });
  return record;
}

/** Moves the finished run's result to its outcome and gives the worker back to the pool. */
export function collect(record: WorkerRecord): void {
  const outcome = record.current!;
  record.current = undefined;
  record.leaving = false;
  // A thread finished: the next spawn without an idle worker may wait for one again.
  busyWorkersRunLong = false;
  busy.delete(record);
  const box = record.box;
  const words = box.words;
  const how = words[RESULT];
  let panicked = false;
  let value: unknown;
  try {
    if (how === FAST) {
      value = readFast(box, DATA);
    } else if (how !== EXITED) {
      const received = takeMessage(record) as ResultMessage | undefined;
      if (how === PANICKED) {
        panicked = true;
        value = decodeThrown(received!.panic!);
      } else {
        value = decodeOwned(received!.value);
      }
    }
  } catch (error) {
    panicked = true;
    value = error;
  }
  if (record.retire) {
    // A worker handed off with a JoinHandle, or one with limits of its own: nobody else will use it, so it ends.
    Atomics.store(words, STATE, EXIT);
    Atomics.notify(words, STATE);
  } else if (record.alive && how !== EXITED) {
    // Its next result goes on the port again, unless its next JoinHandle leaves without it (read after POSTED).
    words[ROUTE] = PORT_ROUTE;
    // And it is wanted, unless its next JoinHandle is dropped unjoined.
    words[DETACH] = WANTED;
    // Hands the worker back: it waits for POSTED, so nothing else is published.
    Atomics.store(words, STATE, IDLE);
    idle.push(record);
  }
  // A joinAsync() of this thread may still wait on STATE: it sees the outcome settled.
  if (Atomics.load(words, JOINERS) !== 0) Atomics.notify(words, STATE);
  if (how === EXITED) {
    giveBackKept(record);
    outcome.exited(words[DATA], record.error);
  } else {
    outcome.settle(panicked, value);
  }
}

/**
 * Takes the worker of a running thread out of this thread's pool: its
 * `JoinHandle` moved to another thread (see thread/join-handle.ts), which
 * now owns the worker's mailbox, and its port too unless the handle left
 * without it (`withPort` false: the result then waits at the courier, and
 * this thread's end of the port is closed), and ends the worker once it
 * has joined.
 */
export function handOff(record: WorkerRecord, withPort: boolean): void {
  record.current = undefined;
  record.alive = false;
  record.leaving = false;
  busy.delete(record);
  giveBackKept(record);
  if (!withPort) record.port?.close();
}

/**
 * Detaches a run that no pool collects: its `JoinHandle` left the spawning
 * thread (received from it, or kept in a lock's value) and is dropped
 * unjoined (see protocol.ts' `Detach.ABANDONED`). True when the worker
 * claimed its result for a joiner first: the caller then collects the run
 * (which ends the worker, see `collect`) and drops the result. Otherwise
 * the worker drops its result itself and ends after the run, or ends now
 * if the run is done already.
 */
export function abandonRun(words: Int32Array): boolean {
  // Pairs with the worker's CAS before it reports a result that needs a message (worker-main.ts' `resultDetached`).
  const was = Atomics.compareExchange(words, DETACH, WANTED, ABANDONED);
  if (was === REPORTED) return true;
  // Read after the claim; the worker stores DONE, then reads DETACH (worker-main.ts' `finish`): one of us sees the other.
  if (was === WANTED && Atomics.compareExchange(words, STATE, DONE, EXIT) === DONE) Atomics.notify(words, STATE);
  return false;
}
