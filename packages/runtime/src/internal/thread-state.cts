/**
 * Thread identities and liveness, shared by every thread of the process, and
 * the identity of the thread running here. CommonJS, so that the worker's
 * bootstrap (worker-main.cts) loads it without the ES module loader, and the
 * ES modules (thread-registry.ts re-exports it) share this one instance.
 *
 * Every thread the runtime starts (and the main thread, id 1) has an id that is
 * unique for the life of the process: a worker that is reused for a second
 * spawned thread gets a new id. Ids come from one counter in shared memory, and
 * a table in the same memory says which ids are running, so that a lock whose
 * owner died can tell (see `isThreadAlive`).
 *
 * Layout of the shared Int32Array:
 *   [0]               the next id to hand out (Atomics.add)
 *   [1 + id % SLOTS]  `id` while thread `id` runs, anything else once it ended
 */

/** How many liveness slots there are; an id shares its slot with id ± k·SLOTS. */
const SLOTS = 1 << 16;
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
}

/** The one state of this JavaScript thread. */
const threadState: ThreadState = {
  id: MAIN_THREAD_ID,
  name: 'main',
  words: undefined,
  index: 0,
  thread: undefined,
  registry: undefined,
};

/** The shared words, created on first use in the thread that first needs them. */
function shared(): Int32Array {
  let registry = threadState.registry;
  if (registry === undefined) {
    registry = new Int32Array(new SharedArrayBuffer((1 + SLOTS) * Int32Array.BYTES_PER_ELEMENT));
    registry[0] = MAIN_THREAD_ID + 1;
    registry[1 + (MAIN_THREAD_ID % SLOTS)] = MAIN_THREAD_ID;
    threadState.registry = registry;
  }
  return registry;
}

/** The id of the thread running this code: 1 on the main thread. */
function currentThreadId(): number {
  return threadState.id;
}

/** Whether thread `id` is still running (false once it returned, panicked or was terminated). */
function isThreadAlive(id: number): boolean {
  // Pairs with the stores of allocateThreadId and markThreadEnded.
  return Atomics.load(shared(), 1 + (id % SLOTS)) === id;
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
  // Pairs with nothing but other allocations: the counter only needs atomicity.
  const id = Atomics.add(table, 0, 1);
  // Published before the thread starts; read by isThreadAlive in any thread.
  Atomics.store(table, 1 + (id % SLOTS), id);
  return id;
}

/** In the thread that runs `id`: from now on `currentThreadId()` is `id`. */
function enterThread(id: number): void {
  threadState.id = id;
}

/** Marks `id` ended; called by the thread itself on return or panic, and by its parent when it dies. */
function markThreadEnded(id: number): void {
  const table = shared();
  // Only clear our own slot: a newer id may already have taken it over. Read by isThreadAlive.
  Atomics.compareExchange(table, 1 + (id % SLOTS), id, 0);
}

export = {
  MAIN_THREAD_ID,
  threadState,
  currentThreadId,
  isThreadAlive,
  registryMemory,
  adoptRegistry,
  allocateThreadId,
  enterThread,
  markThreadEnded,
};
