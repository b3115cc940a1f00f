/**
 * The word protocol of `RwLock`: the writer-preferring futex reader-writer
 * lock of Mara Bos's "Rust Atomics and Locks" (chapter 9), as Rust's
 * `sys/sync/rwlock/futex.rs`. The state word counts readers (twice, so that
 * its low bit can say "a writer is waiting", which stops new readers), and
 * writers sleep on a separate wake counter. `read` and `write` are the
 * inline fast paths; `ReadContended` and `WriteContended` are the slow paths,
 * `Wait`s run by the blocking or the awaitable driver: each raises its
 * side's sleep flag and sleeps. An unlock that finds a flag raised lowers it
 * and notifies, once per raising (as Rust's `READERS_WAITING` and
 * `WRITERS_WAITING` bits), and a writer woken that way raises its flag again
 * when it takes the lock, for the writers still asleep. Unlike `Mutex`, a
 * waiter does not spin first: writers that spun took the lock in turns across
 * cores, moving its cache line at every turn, and were slower than writers
 * that slept at once (`npm run bench`, contended).
 *
 * As the lock knows its writer (the state holds its thread id) and its
 * readers (in reader slots), waiters notice a holder that died: a dead
 * writer's lock is taken over, poisoned and released; a dead reader's shares
 * are given back by a writer that waited a whole liveness slice.
 */

import { isThreadAlive } from '../internal/thread-registry.js';
import { poison } from './poison-flag.js';
import { block, blockAsync, DONE, START, TIMED_OUT, Wait, type WaitEvent, type WaitRequest } from './wait.js';
import { LIVENESS_CHECK_MS } from './wait-policy.js';

// The words.
/** Index of the state word. */
const STATE = 0;
/** Index of the writer wake counter: writers sleep on it; every unlock that may let a writer in adds one. */
const WRITER_WAKE = 1;
/** Index of the poison flag (see `poison-flag.ts`). */
export const POISON = 2;
/** Index of the readers' sleep flag: 1 while readers may sleep on the state word (a write unlock lowers it and wakes them all). */
const READERS_ASLEEP = 3;
/** Index of the writers' sleep flag: 1 while writers may sleep on the wake counter (an unlock lowers it and wakes one). */
const WRITERS_ASLEEP = 4;
// The states of a sleep flag, and how they move:
//
//   NONE_ASLEEP ──a waiter about to sleep (store)──▶ MAY_SLEEP
//   MAY_SLEEP ──an unlock (exchange), which then notifies──▶ NONE_ASLEEP
//   any ──a writer that slept takes the lock (store)──▶ MAY_SLEEP (writers may still sleep)
//
// So an unlock notifies once per raising, not at every unlock until the sleeper has woken and
// run (which, on a busy lock, is hundreds of unlocks later).
/** A sleep flag: nobody sleeps (unlocks make no notify call). */
const NONE_ASLEEP = 0;
/** A sleep flag: a thread may sleep, or is about to. */
const MAY_SLEEP = 1;
/**
 * Index of the first reader slot. A slot is two words: a reader thread's id,
 * and how many shares it holds; a writer that waits too long gives back the
 * shares of dead readers. A thread keeps its slot while it lives.
 */
const READER_SLOTS = 5;
/** How many reader slots there are (a reader finding none free is not tracked). */
const SLOT_COUNT = 16;
/** How many slots a reader probes from its home slot (`id % SLOT_COUNT`). */
const PROBE = 4;
/** How many words a reader-writer lock has. */
export const WORDS = READER_SLOTS + 2 * SLOT_COUNT;
/** A read share's slot when its thread is not tracked. */
export const UNTRACKED = -1;

// The states of the state word.
/** Nobody holds the lock. */
const UNLOCKED = 0;
// Below zero: a writer holds the lock, and -state is its thread id (so that the lock knows its
// writer: relocking is refused, and a dead writer is noticed).
/** Step per reader: the state is 2 × readers, plus 1 while a writer waits. */
const READER = 2;
/** Bit 0: a writer waits; new readers must wait too (no writer starvation). */
const WRITER_WAITING = 1;

/** Whether a new reader may take a share in `state`: no writer holds or waits for the lock. */
function readable(state: number): boolean {
  return state >= 0 && (state & WRITER_WAITING) === 0;
}

/** Whether a writer may take the lock in `state`: nobody holds it (a writer may be waiting: us, or another). */
function writable(state: number): boolean {
  return state === UNLOCKED || state === WRITER_WAITING;
}

/**
 * Takes a read share for `thread`, waiting while a writer holds or waits for
 * the lock. Returns false, without waiting, where that wait could never end:
 * `thread` holds the write lock, or (`reading`) it holds a share already
 * while a writer waits for it.
 */
export function read(words: Int32Array, thread: number, reading: boolean): boolean {
  const state = Atomics.load(words, STATE);
  // Acquire a share: pairs with the store in `unlockWrite`, which published the writer's data.
  if (readable(state) && Atomics.compareExchange(words, STATE, state, state + READER) === state) return true;
  const wait = new ReadContended(words, thread, true, reading);
  block(wait, 'readAsync');
  return !wait.wouldDeadlock;
}

/** The awaitable form of `read` (a holder in this same thread is another task: it is waited for). */
export async function readAsync(words: Int32Array, thread: number): Promise<void> {
  await blockAsync(new ReadContended(words, thread, false, false));
}

/** Takes a read share if no writer holds or waits for the lock; returns whether it did. */
export function tryRead(words: Int32Array, thread: number): boolean {
  for (;;) {
    const state = Atomics.load(words, STATE);
    if (!readable(state)) {
      if (state < 0 && releaseDeadWriter(words, state, thread)) continue;
      return false;
    }
    // Acquire a share: pairs with the store in `unlockWrite`.
    if (Atomics.compareExchange(words, STATE, state, state + READER) === state) return true;
  }
}

/**
 * Takes the write lock for `thread`, waiting as long as it takes. Returns
 * false, without waiting, if `thread` holds the lock already (`reading`: a
 * share of it).
 */
export function write(words: Int32Array, thread: number, reading: boolean): boolean {
  // Acquire: pairs with the last reader's sub and the writer's store in the unlocks.
  if (Atomics.compareExchange(words, STATE, UNLOCKED, -thread) === UNLOCKED) return true;
  if (reading) return false;
  const wait = new WriteContended(words, thread, true);
  block(wait, 'writeAsync');
  return !wait.wouldDeadlock;
}

/** The awaitable form of `write` (a holder in this same thread is another task: it is waited for). */
export async function writeAsync(words: Int32Array, thread: number): Promise<void> {
  await blockAsync(new WriteContended(words, thread, false));
}

/** Takes the write lock if it is free; returns whether it did. */
export function tryWrite(words: Int32Array, thread: number): boolean {
  for (;;) {
    // Acquire: pairs with the unlocks.
    const state = Atomics.compareExchange(words, STATE, UNLOCKED, -thread);
    if (state === UNLOCKED) return true;
    if (state >= 0 || !releaseDeadWriter(words, state, thread)) return false;
  }
}

/** Whether `thread` holds the write lock now. */
export function writeHeldBy(words: Int32Array, thread: number): boolean {
  return Atomics.load(words, STATE) === -thread;
}

/** Releases the write lock, waking a writer and the readers that sleep. */
export function unlockWrite(words: Int32Array): void {
  // Release: publishes the writer's data to the compare-exchanges of readers and writers.
  Atomics.store(words, STATE, UNLOCKED);
  wakeAfterWrite(words);
}

/** Releases a read share counted in `slot` (or UNTRACKED); the last reader before a waiting writer wakes it. */
export function unlockRead(words: Int32Array, slot: number): void {
  // Before the share itself, so that a writer never gives back a share twice.
  if (slot !== UNTRACKED) Atomics.sub(words, slot + 1, 1);
  // Release the share; the last reader before a waiting writer (3 → 1) wakes it.
  if (Atomics.sub(words, STATE, READER) === READER + WRITER_WAITING) wakeWriter(words);
}

/** Counts a share just taken in `slot` (or UNTRACKED), for a writer giving back a dead reader's shares. */
export function countShare(words: Int32Array, slot: number): void {
  // Read by `releaseDeadReaders`, which takes the count with an exchange.
  if (slot !== UNTRACKED) Atomics.add(words, slot + 1, 1);
}

/** Finds or claims the reader slot of `thread` (word index), or UNTRACKED if none is free. */
export function claimSlot(words: Int32Array, thread: number): number {
  for (let probe = 0; probe < PROBE; probe++) {
    const slot = READER_SLOTS + 2 * ((thread + probe) % SLOT_COUNT);
    const owner = Atomics.load(words, slot);
    if (owner === thread) return slot;
    if (owner === 0 && Atomics.compareExchange(words, slot, 0, thread) === 0) return slot;
    // A dead thread's slot with no shares left may be taken over.
    if (owner !== 0 && Atomics.load(words, slot + 1) === 0 && !isThreadAlive(owner) && Atomics.compareExchange(words, slot, owner, thread) === owner) return slot;
  }
  return UNTRACKED;
}

/** A wait of `thread` for the lock, which refuses to wait for a hold that could never end. */
abstract class RefusableWait extends Wait {
  /** Set when the wait was refused. */
  wouldDeadlock = false;

  constructor(
    readonly lockWords: Int32Array,
    readonly thread: number,
    /** Whether the caller blocks its thread, so that a hold by this same thread can never end. */
    readonly blocking: boolean,
  ) {
    super();
  }

  protected refuse(): WaitRequest {
    this.wouldDeadlock = true;
    return DONE;
  }
}

/** The slow path of `read`: sleeps on the state word while a writer holds or waits for the lock. */
class ReadContended extends RefusableWait {
  constructor(
    words: Int32Array,
    thread: number,
    blocking: boolean,
    /** Whether this thread holds a share already. */
    readonly reading: boolean,
  ) {
    super(words, thread, blocking);
  }

  // Every wake-up looks at the state afresh: readers keep no count of their sleeps (see `wakeAfterWrite`).
  step(_event: WaitEvent): WaitRequest {
    const words = this.lockWords;
    for (;;) {
      const state = Atomics.load(words, STATE);
      if (readable(state)) {
        // Acquire a share: pairs with the store in `unlockWrite`.
        if (Atomics.compareExchange(words, STATE, state, state + READER) === state) return DONE;
        continue;
      }
      if (state < 0) {
        if (this.blocking && -state === this.thread) return this.refuse();
        if (releaseDeadWriter(words, state, this.thread)) continue;
      } else if (this.reading) {
        // We read, a writer waits for us, and we would wait for the writer.
        return this.refuse();
      }
      // Raised before sleeping: an unlock that misses the flag has already changed the state we sleep on.
      Atomics.store(words, READERS_ASLEEP, MAY_SLEEP);
      // Woken by `unlockWrite`'s notify; the timeout is for the writer's liveness.
      return this.sleep(words, STATE, state, LIVENESS_CHECK_MS);
    }
  }
}

/**
 * The slow path of `write`: announces the waiting writer (stopping new
 * readers) and sleeps on the wake counter until the lock is free.
 */
class WriteContended extends RefusableWait {
  /** Whether it has slept: its wake-up may have lowered the flag other sleeping writers raised. */
  #slept = false;

  step(event: WaitEvent): WaitRequest {
    const words = this.lockWords;
    if (event !== START) {
      this.#slept = true;
      // Readers still hold the lock after a whole slice: some may be dead.
      if (event === TIMED_OUT && Atomics.load(words, STATE) > 0) releaseDeadReaders(words);
    }
    for (;;) {
      let state = Atomics.load(words, STATE);
      if (writable(state)) {
        // Acquire: pairs with the unlocks (the last reader's sub, the writer's store).
        if (Atomics.compareExchange(words, STATE, state, -this.thread) !== state) continue;
        // Raised for the writers that may still sleep, read by our unlock's `wakeWriter`.
        if (this.#slept) Atomics.store(words, WRITERS_ASLEEP, MAY_SLEEP);
        return DONE;
      }
      if (state < 0) {
        if (this.blocking && state === -this.thread) return this.refuse();
        if (releaseDeadWriter(words, state, this.thread)) continue;
      }
      // Stop new readers: pairs with the check of WRITER_WAITING in `read`.
      if (state > 0 && (state & WRITER_WAITING) === 0 && Atomics.compareExchange(words, STATE, state, state | WRITER_WAITING) !== state) continue;
      // Raised first, then the wake counter read, then the state checked again: an unlock that
      // misses the flag comes before these reads, so we see it and do not sleep. (Left raised if
      // we do not sleep: at most one notify for nobody.)
      Atomics.store(words, WRITERS_ASLEEP, MAY_SLEEP);
      const wake = Atomics.load(words, WRITER_WAKE);
      state = Atomics.load(words, STATE);
      // Woken by `wakeWriter`'s add and notify; the timeout is for the holders' liveness.
      if (!writable(state)) return this.sleep(words, WRITER_WAKE, wake, LIVENESS_CHECK_MS);
    }
  }
}

/** After a write lock ended: wakes one writer and every reader (if their flags are raised). */
function wakeAfterWrite(words: Int32Array): void {
  wakeWriter(words);
  // Pairs with the readers' store of the flag before they sleep: a reader that raises it after this
  // exchange will see UNLOCKED. Lowered here, so that the unlocks after this one make no notify
  // call until a reader raises it again.
  if (Atomics.load(words, READERS_ASLEEP) !== NONE_ASLEEP && Atomics.exchange(words, READERS_ASLEEP, NONE_ASLEEP) !== NONE_ASLEEP) {
    Atomics.notify(words, STATE);
  }
}

/**
 * Wakes one sleeping writer, if the flag says one may sleep: lowers the flag
 * (the writer woken raises it again when it takes the lock, or sleeps again),
 * moves the wake counter (so that a writer about to sleep does not) and
 * notifies. A writer that raises the flag after this will see the unlocked
 * state when it checks again, so nothing needs moving for it.
 */
function wakeWriter(words: Int32Array): void {
  // Pairs with the writers' store of the flag before they read the counter and the state.
  if (Atomics.load(words, WRITERS_ASLEEP) === NONE_ASLEEP || Atomics.exchange(words, WRITERS_ASLEEP, NONE_ASLEEP) === NONE_ASLEEP) return;
  // Pairs with the load of the wake counter in `WriteContended`.
  Atomics.add(words, WRITER_WAKE, 1);
  Atomics.notify(words, WRITER_WAKE, 1);
}

/** Gives back the shares of dead readers (a writer does this after a timed-out wait). */
function releaseDeadReaders(words: Int32Array): void {
  for (let slot = READER_SLOTS; slot < WORDS; slot += 2) {
    const owner = Atomics.load(words, slot);
    if (owner === 0 || isThreadAlive(owner)) continue;
    // Exactly one waiter takes the count; the dead reader never touches it again.
    const shares = Atomics.exchange(words, slot + 1, 0);
    Atomics.compareExchange(words, slot, owner, 0);
    if (shares !== 0 && Atomics.sub(words, STATE, shares * READER) === shares * READER + WRITER_WAITING) wakeWriter(words);
  }
}

/**
 * If the writer holding the lock (`state`, below zero) has died, takes the
 * lock over for `thread`, poisons it and unlocks it, and returns true. Exactly
 * one waiter wins the exchange; none does when the writer released the lock
 * before it ended (the state moved on), and then nothing is poisoned.
 */
export function releaseDeadWriter(words: Int32Array, state: number, thread: number): boolean {
  if (isThreadAlive(-state)) return false;
  // Acquire from the dead writer, as this thread's write lock.
  if (Atomics.compareExchange(words, STATE, state, -thread) !== state) return false;
  // Under the lock: the unlock below publishes it to whoever acquires next.
  poison(words, POISON);
  unlockWrite(words);
  return true;
}
