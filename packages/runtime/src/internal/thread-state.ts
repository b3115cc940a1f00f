/**
 * Thread identities and liveness, shared by every thread of the process, and
 * the identity of the thread running here. The worker's bootstrap
 * (worker-main.ts, bundled) includes a copy of it; the modules a thread
 * loads later import it through thread-registry.ts. Both copies share the
 * one state of the thread (`threadState`).
 *
 * Every thread the runtime starts (and the main thread, id 1) has an id that is
 * unique for the life of the process: a worker that is reused for a second
 * spawned thread gets a new id. Ids come from one counter in shared memory, and
 * a table in the same memory says which ids are running, so that a lock whose
 * owner died can tell (see `isThreadAlive`).
 *
 * Layout of the shared Int32Array (each part on a 64-byte line of its own):
 *   [NEXT_ID]               the next id to hand out (Atomics.add)
 *   [IDLE_SPINNERS]         how many idle pooled workers spin for a task right now
 *   [LIVENESS + slotOf(id)] `id` while thread `id` runs, 0 once it ended
 *   [OS_THREADS + slotOf(id)] the operating-system thread running `id`, 0 if unknown
 *
 * A thread is marked ended by itself, or, when its worker dies (terminated,
 * out of memory), by the thread that started the worker, from its event loop.
 * That thread may be blocked (in `join()`, or waiting for a lock the dead
 * thread held) and never get there: so where the host shows operating-system
 * threads (Linux's `/proc`, see `host.osThreadsVisible`) a thread also
 * records its own, and `isThreadAlive` looks it up too; elsewhere the watcher
 * thread, whose event loop is always free, marks it ended (see lifeline.ts).
 *
 * An id shares its slot with id ± k·SLOTS; `allocateThreadId` skips an id
 * whose slot is still taken by a running thread, so a long-lived thread is
 * never mistaken for dead however many threads start after it.
 */

import { host } from '#host';

/** How many liveness slots there are (a power of two). */
const SLOTS = 1 << 16;
/** Word index: the next id to hand out. */
const NEXT_ID = 0;
/** Word index: how many idle workers spin (see `enterIdleSpin`). */
const IDLE_SPINNERS = 16;
/** Word index of the first liveness slot. */
const LIVENESS = 32;
/** Word index of the first operating-system thread slot. */
const OS_THREADS = LIVENESS + SLOTS;
/** The main thread's id. */
const MAIN_THREAD_ID = 1;

/** The thread running in this JavaScript thread, as every module here sees it. */
interface ThreadState {
  /** Its id. */
  id: number;
  /** Its name (`'main'` on the main thread). */
  name: string | undefined;
  /** The memory of its park word (the mailbox of its worker; made on first use on the main thread). */
  words: Int32Array | undefined;
  /** The index of its park word in `words`. */
  index: number;
  /** Its `Thread` handle, made by `current()` on first use in each run. */
  thread: object | undefined;
  /** The process's registry (see the layout above). */
  registry: Int32Array | undefined;
  /**
   * Whether a spawned thread's closure runs (set by the worker's bootstrap
   * as it calls it, cleared as the thread ends): handles made then are the
   * thread's, while those a module's top level makes as a thread first loads
   * it are the worker's (the module outlives the thread).
   */
  inClosure: boolean;
  /**
   * How many `import()`s the closure made are pending: a module they load
   * runs its top level meanwhile, and what it makes is the worker's too.
   */
  importing: number;
}

/**
 * The one state of this JavaScript thread, on a global symbol: a worker's
 * bootstrap is bundled with its own copy of this module (see
 * `npm run bundle`), and the ES modules that a thread loads later import this
 * file; both must see the same thread.
 */
const threadState: ThreadState = ((globalThis as Record<symbol, ThreadState | undefined>)[Symbol.for('sendsync.thread')] ??= {
  id: MAIN_THREAD_ID,
  name: 'main',
  words: undefined,
  index: 0,
  thread: undefined,
  registry: undefined,
  inClosure: false,
  importing: 0,
});

/** The shared words, created on first use in the thread that first needs them. */
function shared(): Int32Array {
  let registry = threadState.registry;
  if (registry === undefined) {
    registry = new Int32Array(new SharedArrayBuffer((OS_THREADS + SLOTS) * Int32Array.BYTES_PER_ELEMENT));
    registry[NEXT_ID] = MAIN_THREAD_ID + 1;
    registry[slotOf(MAIN_THREAD_ID)] = MAIN_THREAD_ID;
    threadState.registry = registry;
  }
  return registry;
}

/** The liveness slot of `id`. */
function slotOf(id: number): number {
  return LIVENESS + (id & (SLOTS - 1));
}

/** The slot of the operating-system thread running `id`. */
function osThreadSlotOf(id: number): number {
  return OS_THREADS + (id & (SLOTS - 1));
}

/** The id of the thread running this code: 1 on the main thread. */
function currentThreadId(): number {
  return threadState.id;
}

/** Whether thread `id` is still running (false once it returned, panicked or was terminated). */
function isThreadAlive(id: number): boolean {
  const table = shared();
  // Pairs with the stores of allocateThreadId, enterThread and markThreadEnded.
  return Atomics.load(table, slotOf(id)) === id && host.osThreadExists(Atomics.load(table, osThreadSlotOf(id)));
}

/**
 * Whether thread `id` has not ended by its own account (or been marked ended
 * by its parent): `isThreadAlive` without the look at its operating-system
 * thread, cheap enough for every message of a channel.
 */
function isThreadRunning(id: number): boolean {
  // A plain read, not an atomic load (several times dearer, and a channel's sends each call this): the slot
  // is written by allocateThreadId's and markThreadEnded's stores, and whoever learned that the thread ended
  // (a join, a message) reads after them in happens-before order, so sees the end; a read racing the end may
  // see either, as a send racing a receiver's drop may.
  return shared()[slotOf(id)] === id;
}

/** The memory to hand to a new worker, so that it joins this process's registry. */
function registryMemory(): SharedArrayBuffer {
  return shared().buffer as SharedArrayBuffer;
}

/** In a worker: adopt the registry handed over by the thread that started it. */
function adoptRegistry(memory: SharedArrayBuffer): void {
  threadState.registry = new Int32Array(memory);
}

/** Hands out a fresh id and marks it running. */
function allocateThreadId(): number {
  const table = shared();
  for (;;) {
    // Pairs with nothing but other allocations: the counter only needs atomicity.
    const id = Atomics.add(table, NEXT_ID, 1);
    // Takes the slot unless a running thread holds it. Read by isThreadAlive in any thread.
    // (Its operating-system thread slot may still name an earlier thread's: only a thread that
    // entered, and so recorded its own, is ever asked about.)
    if (Atomics.compareExchange(table, slotOf(id), 0, id) === 0) return id;
  }
}

/**
 * In the thread that runs `id`: from now on `currentThreadId()` is `id`, and
 * `id` lives as long as operating-system thread `osThread` (see `osThreadId`).
 */
function enterThread(id: number, osThread: number): void {
  threadState.id = id;
  // Read by isThreadAlive in any thread.
  Atomics.store(shared(), osThreadSlotOf(id), osThread);
}

/** Marks `id` ended; called by the thread itself on return or panic, and by its parent when it dies. */
function markThreadEnded(id: number): void {
  const table = shared();
  // Clears the slot only if it is still ours (the parent may mark a dead thread after it did). Read by isThreadAlive.
  Atomics.compareExchange(table, slotOf(id), id, 0);
}

/**
 * An idle pooled worker asks to spin for its next task: true if fewer than
 * `limit` idle workers spin already (it then counts as one until
 * `leaveIdleSpin`), false if it should sleep at once. Spinners beyond the free
 * cores would only take them from the threads doing work (the spawner among them).
 */
function enterIdleSpin(limit: number): boolean {
  const table = shared();
  // Only atomicity is needed: the count is advice, not a lock.
  if (Atomics.add(table, IDLE_SPINNERS, 1) < limit) return true;
  Atomics.sub(table, IDLE_SPINNERS, 1);
  return false;
}

/** The end of a spin that `enterIdleSpin` allowed. */
function leaveIdleSpin(): void {
  Atomics.sub(shared(), IDLE_SPINNERS, 1);
}

export default {
  MAIN_THREAD_ID,
  threadState,
  currentThreadId,
  isThreadAlive,
  isThreadRunning,
  registryMemory,
  adoptRegistry,
  allocateThreadId,
  enterThread,
  markThreadEnded,
  enterIdleSpin,
  leaveIdleSpin,
};
