/**
 * Thread identities and liveness, shared by every thread of the process.
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
export const MAIN_THREAD_ID = 1;

let words: Int32Array | undefined;
let currentId = MAIN_THREAD_ID;

/** The shared words, created on first use in the thread that first needs them. */
function shared(): Int32Array {
  if (words === undefined) {
    words = new Int32Array(new SharedArrayBuffer((1 + SLOTS) * Int32Array.BYTES_PER_ELEMENT));
    words[0] = MAIN_THREAD_ID + 1;
    words[1 + (MAIN_THREAD_ID % SLOTS)] = MAIN_THREAD_ID;
  }
  return words;
}

/** The id of the thread running this code: 1 on the main thread. */
export function currentThreadId(): number {
  return currentId;
}

/** Whether thread `id` is still running (false once it returned, panicked or was terminated). */
export function isThreadAlive(id: number): boolean {
  return Atomics.load(shared(), 1 + (id % SLOTS)) === id;
}

/** The memory to hand to a new worker, so that it joins this process's registry. */
export function registryMemory(): SharedArrayBuffer {
  return shared().buffer as SharedArrayBuffer;
}

/** In a worker: adopt the registry handed over by the thread that started it. */
export function adoptRegistry(memory: SharedArrayBuffer): void {
  words = new Int32Array(memory);
}

/** Hands out a fresh id and marks it running. */
export function allocateThreadId(): number {
  const table = shared();
  // Pairs with nothing but other allocations: the counter only needs atomicity.
  const id = Atomics.add(table, 0, 1);
  // Published before the thread starts; read by isThreadAlive in any thread.
  Atomics.store(table, 1 + (id % SLOTS), id);
  return id;
}

/** In the thread that runs `id`: from now on `currentThreadId()` is `id`. */
export function enterThread(id: number): void {
  currentId = id;
}

/** Marks `id` ended; called by the thread itself on return or panic, and by its parent when it dies. */
export function markThreadEnded(id: number): void {
  const table = shared();
  // Only clear our own slot: a newer id may already have taken it over.
  Atomics.compareExchange(table, 1 + (id % SLOTS), id, 0);
}
