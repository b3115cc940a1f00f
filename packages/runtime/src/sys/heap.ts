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
 * browser's main thread) spins for it.
 *
 * An address is a byte offset into the buffer, below 2^32, 8 more than a
 * multiple of 32 (blocks start on 32 bytes, since every size is a multiple
 * of 32): stored in an `Int32Array` word as `address | 0`, read back as
 * `word >>> 0`, or as a smaller number by `blockIndex`. 0 is never an
 * address (the header is there): it means "none".
 *
 * Layout: header words (LOCK, TOP, the free-list heads), then blocks; a
 * block is its header words (CLASS, STATE) and then the caller's bytes.
 */

import { canBlock } from '../internal/block.js';
import { growableSharedArrayBuffer, growSharedArrayBuffer } from '../sync/es2024.js';

// ------------------------------------------------------------ heap header

/** Word: the allocator's lock, one of `Lock`. */
const LOCK = 0;
/** Word: the byte offset where never-used memory starts (blocks are cut from here when no free one fits). */
const TOP = 1;
/** Word: the courier's state (internal/courier.ts): here, because every thread must find it without a message. */
export const COURIER_STATE = 2;
/** Word: the first free-list head; class k's is FREE_LISTS + k (an address, or 0 when empty). */
const FREE_LISTS = 8;
/** Bytes of the heap's header: the first block starts here. */
const HEAP_HEADER_BYTES = 256;

/** States of the LOCK word (a three-state futex lock). */
const Lock = {
  /** Nobody holds it. */
  FREE: 0,
  /** Held, nobody sleeps on it. */
  HELD: 1,
  /** Held, and a thread may sleep on it: the release notifies. */
  CONTENDED: 2,
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

function create(): Heap {
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
    address = Atomics.load(words, FREE_LISTS + k) >>> 0;
    if (address !== 0) {
      words = wordsTo(state, address + 8);
      // Unlinks the head; the free list is only touched under the lock.
      Atomics.store(words, FREE_LISTS + k, Atomics.load(words, address >>> 2));
    } else {
      const start = Atomics.load(words, TOP) >>> 0;
      const end = start + 2 ** k;
      if (end > maxBytes) throw new RangeError(`the shared heap is full: ${bytes} more bytes do not fit in its ${maxBytes / 2 ** 20} MiB`);
      if (end > buffer.byteLength) growSharedArrayBuffer(buffer, Math.min(maxBytes, Math.max(end, buffer.byteLength * 2)));
      words = wordsTo(state, end);
      Atomics.store(words, TOP, end | 0);
      address = start + BLOCK_HEADER_BYTES;
      Atomics.store(words, (address >>> 2) + CLASS, k);
    }
    Atomics.store(words, (address >>> 2) + STATE, Block.USED);
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
    if (address < HEAP_HEADER_BYTES || (address & 7) !== 0 || Atomics.load(words, at + STATE) !== Block.USED) {
      throw new Error(`internal: freeing ${address}, which is not a block in use`);
    }
    const k = Atomics.load(words, at + CLASS);
    Atomics.store(words, at + STATE, Block.FREE);
    Atomics.store(words, at, Atomics.load(words, FREE_LISTS + k));
    Atomics.store(words, FREE_LISTS + k, address | 0);
  } finally {
    unlock(words);
  }
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

function lock(words: Int32Array): void {
  // Pairs with `unlock`'s exchange: what the last holder wrote is visible.
  if (Atomics.compareExchange(words, LOCK, Lock.FREE, Lock.HELD) === Lock.FREE) return;
  lockContended(words);
}

function lockContended(words: Int32Array): void {
  for (let spin = 0; spin < SPINS; spin++) {
    if (Atomics.load(words, LOCK) === Lock.FREE && Atomics.compareExchange(words, LOCK, Lock.FREE, Lock.HELD) === Lock.FREE) return;
  }
  const sleeps = canBlock();
  // CONTENDED from now on: the holder's release notifies, whoever sleeps.
  while (Atomics.exchange(words, LOCK, Lock.CONTENDED) !== Lock.FREE) {
    if (sleeps) Atomics.wait(words, LOCK, Lock.CONTENDED);
  }
}

function unlock(words: Int32Array): void {
  // Publishes the free lists and TOP; pairs with the next holder's exchange or compareExchange.
  if (Atomics.exchange(words, LOCK, Lock.FREE) === Lock.CONTENDED) Atomics.notify(words, LOCK, 1);
}
