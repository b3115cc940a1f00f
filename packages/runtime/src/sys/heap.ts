/**
 * The process's shared heap: one growable `SharedArrayBuffer` that every
 * thread holds from its start, and an allocator of blocks in it.
 *
 * Why one heap: a `SharedArrayBuffer` made after a thread started reaches it
 * only through `postMessage`, which a blocked thread (or any browser worker)
 * cannot receive synchronously. Memory made in the heap needs no message: a
 * block is an address, a number that crosses as bytes in any shared memory.
 * The main thread makes the heap on first use; every worker is handed it in
 * its setup (internal/pool.ts) and adopts it (`adoptHeap`) before it runs
 * anything. The buffer reserves its maximum size up front (virtual memory,
 * not committed) and grows as blocks are handed out; every thread sees the
 * growth (a growable buffer's length is shared).
 *
 * Blocks come in power-of-two size classes (from 32 bytes, an 8-byte header
 * included); a freed block goes on its class's free list and is handed
 * out again by the next allocation of that class. The buffer never shrinks:
 * memory freed goes back to the heap, not to the operating system.
 * Allocation is rare (a channel, a segment of messages, a big message), so
 * the free lists sit under one short lock; a thread that may not block (a
 * browser's main thread) spins for it. The lock knows its holder: a thread
 * that dies holding it (terminated, out of memory, a browser worker that
 * ended) would otherwise stop every later allocation of every thread, so a
 * waiter takes over the lock of a dead holder, and first finishes or undoes
 * the one step the holder was taking, which it wrote down before changing
 * anything (see "The lock" below).
 *
 * An address is a byte offset into the buffer, below 2^32, 8 more than a
 * multiple of 32 (blocks start on 32 bytes, since every size is a multiple
 * of 32): stored in an `Int32Array` word as `address | 0`, read back as
 * `word >>> 0`, or as a smaller number by `blockIndex`. 0 is never an
 * address (the header is there): it means "none".
 *
 * Layout: header words (LOCK, TOP, the journal, the free-list heads), then
 * blocks; a block is its header words (CLASS, STATE) and then the caller's
 * bytes.
 */

import { canBlock } from '../internal/block.js';
import { currentThreadId, isThreadAlive, isThreadRunning } from '../internal/thread-registry.js';
import { growableSharedArrayBuffer, growSharedArrayBuffer } from '../sync/es2024.js';
import { LIVENESS_CHECK_MS } from './wait-policy.js';

// What the lock guards (TOP, the journal, the free lists, the header words of blocks being handed out or
// back) is read and written only under it, with plain reads and writes: the lock's compare-exchange and
// exchange order them between holders, and a thread that takes the lock over from a dead holder reads the
// journal only after seeing JOURNALED, which an atomic `or` set after the journal's stores. A dead thread's
// stores before its death are all visible once its death is known (the registry's atomics say so after the
// host saw its thread end), in the order written: so a repair sees what the step did, up to where it stopped.

// ------------------------------------------------------------ heap header

/** Word: the allocator's lock (see "The lock" below). */
const LOCK = 0;
/** Word: the byte offset where never-used memory starts (blocks are cut from here when no free one fits). */
const TOP = 1;
/** Word: the step the lock's holder is taking, one of `Step`, valid while the lock word shows `JOURNALED`. */
const JOURNAL_STEP = 2;
/** Words: the step's two arguments (see `Step`). */
const JOURNAL_A = 3;
const JOURNAL_B = 4;
/** Word: the courier's state (internal/courier.ts): here, because every thread must find it without a message. */
export const COURIER_STATE = 5;
/** Word: the first free-list head; class k's is FREE_LISTS + k (an address, or 0 when empty). */
const FREE_LISTS = 8;
/** Bytes of the heap's header: the first block starts here. */
const HEAP_HEADER_BYTES = 256;

/**
 * The steps that change the allocator, as the journal names them, each with
 * what a thread that takes the lock over from a dead holder does about it.
 * Every repair is a few stores of values the journal holds, so doing it twice
 * (its own thread dying in the middle of it) does no harm.
 */
const Step = {
  /**
   * Takes the head block B (JOURNAL_B) of class A's free list (JOURNAL_A).
   * Undone: B goes back to the head of the list, free. The caller never got
   * B (`allocate` returns after the release), and B's link word still names
   * the rest of the list (nothing in the lock writes it).
   */
  POP: 1,
  /**
   * Cuts a block at TOP, which was A. Undone: TOP goes back to A (memory the
   * buffer grew by stays, unused).
   */
  CUT: 2,
  /**
   * Gives block A back to its class's free list. Finished, since its caller
   * meant to free it: unless A heads the list already, marked free, linked to
   * the head, made the head.
   */
  FREE: 3,
} as const;

// ------------------------------------------------------------ block header

/** Bytes of a block's header, before the address handed out. */
const BLOCK_HEADER_BYTES = 8;
/** A block's header word (from its address, in words): its size class. */
const CLASS = -2;
/** A block's header word: one of `Block`. */
const STATE = -1;

/** States of a block's STATE word. */
const Block = {
  /** Handed out. */
  USED: 0x55534544,
  /** On its class's free list; its first word links to the next free block. */
  FREE: 0x46524545,
} as const;

/** The smallest class: 32-byte blocks (24 bytes for the caller); the largest is the whole reservation. */
const MIN_CLASS = 5;

// ------------------------------------------------------------ sizes

/** The buffer's first length. */
const FIRST_BYTES = 1 << 20;
/** The most the heap may reserve; a host that refuses it gets the largest power of two it accepts, down to MIN_RESERVE. */
const MAX_RESERVE = 2 ** 32;
/** The least reservation tried. */
const MIN_RESERVE = 2 ** 28;
/** Polls of a contended lock before the waiter sleeps. */
const SPINS = 100;

/** The heap as this thread sees it. */
interface Heap {
  readonly buffer: SharedArrayBuffer;
  /** A view of every word when last made (the allocator's; see `wordsTo`). */
  words: Int32Array;
  readonly maxBytes: number;
}

/** Where every copy of this module in a thread finds the heap (the worker's bundled bootstrap has its own copy). */
const HEAP = Symbol.for('sendsync.heap');
const slot = globalThis as { [HEAP]?: Heap };

/** The heap, made on first use in the main thread (a worker adopted its own at start). */
function heap(): Heap {
  return (slot[HEAP] ??= create());
}

/** Whether this thread made the heap rather than adopting it (see `heapMadeHere`). */
let made = false;

function create(): Heap {
  made = true;
  for (let reserve = MAX_RESERVE; ; reserve /= 2) {
    try {
      const buffer = growableSharedArrayBuffer(FIRST_BYTES, reserve);
      // A plain store: a worker gets the buffer by postMessage, which publishes it.
      new Int32Array(buffer, 0, HEAP_HEADER_BYTES / 4)[TOP] = HEAP_HEADER_BYTES;
      return view(buffer);
    } catch (error) {
      if (reserve <= MIN_RESERVE) throw error;
    }
  }
}

function view(buffer: SharedArrayBuffer): Heap {
  const maxBytes = (buffer as unknown as { maxByteLength: number }).maxByteLength;
  return { buffer, words: new Int32Array(buffer, 0, buffer.byteLength >>> 2), maxBytes };
}

/**
 * The heap's words, covering byte `end`: a fixed-length view, made again once
 * the buffer grew past it (a length-tracking view of a growable buffer takes
 * V8's slow path).
 */
function wordsTo(heap: Heap, end: number): Int32Array {
  if (end > heap.words.byteLength) heap.words = new Int32Array(heap.buffer, 0, heap.buffer.byteLength >>> 2);
  return heap.words;
}

/** In a worker, before anything else runs: adopt the heap handed over by the thread that started it. */
export function adoptHeap(buffer: SharedArrayBuffer): void {
  slot[HEAP] = view(buffer);
}

/** The heap's buffer: for views of blocks (`new Int32Array(heapBuffer(), address, length)`), and to hand to a new worker in its setup. */
export function heapBuffer(): SharedArrayBuffer {
  return heap().buffer;
}

/** Whether this thread made the heap: the main thread, or a thread that runs the runtime without being one of its workers. */
export function heapMadeHere(): boolean {
  heap();
  return made;
}

/** The heap header's words (for the words other modules keep there: COURIER_STATE). */
export function heapHeader(): Int32Array {
  return new Int32Array(heapBuffer(), 0, HEAP_HEADER_BYTES / 4);
}

/** The class of a block holding `bytes` for the caller. */
function classFor(bytes: number): number {
  const size = bytes + BLOCK_HEADER_BYTES;
  return Math.max(MIN_CLASS, 32 - Math.clz32(size - 1));
}

/**
 * A block of at least `bytes` bytes (its address, 8-aligned), zeroed when
 * `zero`; a `RangeError` when the heap cannot grow that far.
 */
export function allocate(bytes: number, zero = false): number {
  if (!(bytes >= 0) || bytes > MAX_RESERVE - BLOCK_HEADER_BYTES) throw new RangeError(`cannot allocate ${bytes} bytes`);
  const state = heap();
  const { buffer, maxBytes } = state;
  let words = state.words;
  const k = classFor(bytes);
  let address: number;
  lock(words);
  try {
    address = words[FREE_LISTS + k] >>> 0;
    if (address !== 0) {
      words = wordsTo(state, address + 8);
      journal(words, Step.POP, k, address);
      // Unlinks the head.
      words[FREE_LISTS + k] = words[address >>> 2];
    } else {
      const start = words[TOP] >>> 0;
      const end = start + 2 ** k;
      if (end > maxBytes) throw new RangeError(`the shared heap is full: ${bytes} more bytes do not fit in its ${maxBytes / 2 ** 20} MiB`);
      journal(words, Step.CUT, start, 0);
      if (end > buffer.byteLength) growSharedArrayBuffer(buffer, Math.min(maxBytes, Math.max(end, buffer.byteLength * 2)));
      words = wordsTo(state, end);
      words[TOP] = end | 0;
      address = start + BLOCK_HEADER_BYTES;
      words[(address >>> 2) + CLASS] = k;
    }
    words[(address >>> 2) + STATE] = Block.USED;
  } finally {
    unlock(words);
  }
  if (zero) new Uint8Array(buffer, address, bytes).fill(0);
  return address;
}

/** Gives a block back to the heap (its class's free list); freeing what is not a used block is an error. */
export function free(address: number): void {
  const state = heap();
  const words = wordsTo(state, address + 8);
  const at = address >>> 2;
  lock(words);
  try {
    if (address < HEAP_HEADER_BYTES || (address & 7) !== 0 || words[at + STATE] !== Block.USED) {
      throw new Error(`internal: freeing ${address}, which is not a block in use`);
    }
    journal(words, Step.FREE, address, 0);
    pushFree(words, address);
  } finally {
    unlock(words);
  }
}

/** Puts the used block at `address` at the head of its class's free list (under the lock; `words` covers it). */
function pushFree(words: Int32Array, address: number): void {
  const at = address >>> 2;
  const k = words[at + CLASS];
  words[at + STATE] = Block.FREE;
  // The link before the head: a repair that finds the block at the head takes its link as written.
  words[at] = words[FREE_LISTS + k];
  words[FREE_LISTS + k] = address | 0;
}

/** A block's address as a number below 2^27 (for handles written as bytes). */
export function blockIndex(address: number): number {
  return (address - BLOCK_HEADER_BYTES) / 32;
}

/** The address of the block whose `blockIndex` is `index`. */
export function blockAddress(index: number): number {
  return index * 32 + BLOCK_HEADER_BYTES;
}

/** The bytes a block at `address` may use (its class's size less its header). */
export function blockBytes(address: number): number {
  return 2 ** Atomics.load(wordsTo(heap(), address), (address >>> 2) + CLASS) - BLOCK_HEADER_BYTES;
}

/** How much of the heap is cut into blocks, and how long the buffer is (for tests of reuse and growth). */
export function heapStats(): { readonly top: number; readonly byteLength: number; readonly maxBytes: number } {
  const { buffer, words, maxBytes } = heap();
  return { top: Atomics.load(words, TOP) >>> 0, byteLength: buffer.byteLength, maxBytes };
}

// ------------------------------------------------------------ the lock

// The lock word: bit 0 `WAITERS`, bit 1 `JOURNALED`, bits 2..31 the holder's thread id (`ANONYMOUS` when
// it cannot be told). How it moves:
//
//   FREE ──lock (compare-exchange)──▶ held(t) ──unlock (exchange)──▶ FREE
//   held(t) ──the holder writes the journal, then sets JOURNALED (or)──▶ held(t) | JOURNALED
//   held(t) [| JOURNALED] ──a waiter that spun in vain announces its sleep──▶ ... | WAITERS
//   held(t) | WAITERS [| JOURNALED] ──unlock (exchange, then notify one)──▶ FREE
//   FREE ──a thread that has slept locks──▶ held(t) | WAITERS (others may still sleep)
//   held(dead) [| ...] ──a waiter takes over──▶ held(t) | WAITERS [| JOURNALED] ──repairs, clears──▶ held(t) | WAITERS
//
// The release clears JOURNALED with everything else in one exchange, so a journal is valid exactly while its
// writer holds the lock; one written but not yet marked is one whose step changed nothing yet.
/** Nobody holds the lock. */
const FREE = 0;
/** Bit 0: a thread may be sleeping on the word; the release must notify. */
const WAITERS = 1;
/** Bit 1: the journal words describe the step the holder is taking (see `Step`). */
const JOURNALED = 2;
/** Where the holder's thread id starts in the word. */
const HOLDER_SHIFT = 2;
/**
 * The holder written when it cannot be told: an id past the word's 30 bits, or code running in a worker
 * after its thread ended (that id reads as dead while the worker lives). Never taken over.
 */
const ANONYMOUS = 2 ** 30 - 1;
/** Polls between two looks at the holder's liveness, for a thread that may not block (it never sleeps). */
const POLLS_PER_LIVENESS_CHECK = 4096;

/** The lock word of this thread holding the lock. */
function held(): number {
  const id = currentThreadId();
  return (id < ANONYMOUS && isThreadRunning(id) ? id : ANONYMOUS) << HOLDER_SHIFT;
}

function lock(words: Int32Array): void {
  const mine = held();
  // Pairs with `unlock`'s exchange: what the last holder wrote is visible.
  if (Atomics.compareExchange(words, LOCK, FREE, mine) === FREE) return;
  lockContended(words, mine);
}

/**
 * The slow path of `lock`: spins, then announces a sleep (`WAITERS`) and
 * sleeps on the word, waking at least every `LIVENESS_CHECK_MS` to take the
 * lock over if its holder died. A thread that may not block polls instead.
 */
function lockContended(words: Int32Array, mine: number): void {
  for (let spin = 0; spin < SPINS; spin++) {
    if (Atomics.load(words, LOCK) === FREE && Atomics.compareExchange(words, LOCK, FREE, mine) === FREE) return;
  }
  const sleeps = canBlock();
  let polls = 0;
  for (;;) {
    const state = Atomics.load(words, LOCK);
    if (state === FREE) {
      // Keeps WAITERS: once this thread announced a sleep, others may sleep too. Pairs with `unlock`'s exchange.
      if (Atomics.compareExchange(words, LOCK, FREE, mine | WAITERS) === FREE) return;
      continue;
    }
    // Announces the sleep; pairs with the exchange in `unlock`, which then notifies.
    if ((state & WAITERS) === 0 && Atomics.compareExchange(words, LOCK, state, state | WAITERS) !== state) continue;
    if (sleeps) {
      // Sleeps only if the word still shows what was seen: no wake-up is lost in between. A holder that died never
      // notifies: only a sleep that timed out looks at its liveness.
      if (Atomics.wait(words, LOCK, state | WAITERS, LIVENESS_CHECK_MS) === 'timed-out' && takeOver(words, mine)) return;
    } else if (++polls % POLLS_PER_LIVENESS_CHECK === 0 && takeOver(words, mine)) {
      return;
    }
  }
}

/** If the lock's holder died, takes the lock over and repairs the step it was taking; returns whether it did. */
function takeOver(words: Int32Array, mine: number): boolean {
  const state = Atomics.load(words, LOCK);
  const holder = state >>> HOLDER_SHIFT;
  if (state === FREE || holder === ANONYMOUS || isThreadAlive(holder)) return false;
  // Acquires from the dead holder, keeping WAITERS (others may sleep on the word) and JOURNALED (should this
  // thread die in the repair, the next one repeats it).
  if (Atomics.compareExchange(words, LOCK, state, mine | WAITERS | (state & JOURNALED)) !== state) return false;
  if ((state & JOURNALED) !== 0) repair();
  return true;
}

/**
 * Writes down the step about to change the allocator, before it changes
 * anything (under the lock). A takeover reads it only after seeing
 * `JOURNALED`, which the `or` sets after these plain stores: the or publishes them.
 */
function journal(words: Int32Array, step: number, a: number, b: number): void {
  words[JOURNAL_STEP] = step;
  words[JOURNAL_A] = a | 0;
  words[JOURNAL_B] = b | 0;
  Atomics.or(words, LOCK, JOURNALED);
}

/** Finishes or undoes the journaled step of a dead holder (see `Step`), then clears `JOURNALED`. */
function repair(): void {
  const state = heap();
  // The dead holder may have grown the buffer past this thread's view.
  let words = wordsTo(state, HEAP_HEADER_BYTES);
  const step = words[JOURNAL_STEP];
  const a = words[JOURNAL_A] >>> 0;
  const b = words[JOURNAL_B] >>> 0;
  if (step === Step.POP) {
    words = wordsTo(state, b + 8);
    words[(b >>> 2) + STATE] = Block.FREE;
    words[FREE_LISTS + a] = b | 0;
  } else if (step === Step.CUT) {
    words[TOP] = a | 0;
  } else if (step === Step.FREE) {
    words = wordsTo(state, a + 8);
    if (words[FREE_LISTS + words[(a >>> 2) + CLASS]] >>> 0 !== a) pushFree(words, a);
  }
  Atomics.and(words, LOCK, ~JOURNALED);
}

function unlock(words: Int32Array): void {
  // Publishes the free lists and TOP, and clears JOURNALED; pairs with the next holder's exchange or compareExchange.
  if ((Atomics.exchange(words, LOCK, FREE) & WAITERS) !== 0) Atomics.notify(words, LOCK, 1);
}
