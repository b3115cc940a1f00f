/**
 * The control words of a channel: one `Int32Array` at the start of its block
 * of the shared heap (sys/heap.ts), read and written by every handle in every
 * thread. Every index,
 * state and result of the channel's protocol is named here, and only here.
 *
 * Words written by different sides sit on different 64-byte lines (16 words
 * apart), so that a producer's claim does not evict the consumer's position.
 */

// ------------------------------------------------------------ word indexes

/** Next position to claim (`Atomics.add` by producers); positions are 32-bit and wrap. */
export const TAIL = 0;
/** The consumer's position as last published (in batches); ring slots before HEAD + capacity are free. */
export const HEAD = 16;
/** Live `Sender`/`SyncSender` handles, wherever they are (moved ones and ones inside messages included). */
export const SENDERS = 32;
/** One of the `Receiver` states below. */
export const RECEIVER = 48;
/** Futex word the consumer sleeps on; bumped by whoever wakes it. */
export const WAKE = 49;
/** Futex word blocked producers sleep on (credit, rendezvous); bumped by the consumer when it takes. */
export const SPACE = 64;
/** How many producers are blocked (the consumer notifies SPACE only when this is not 0). */
export const SPACE_WAITERS = 65;
/** Messages sent and not yet received; bounded channels only. */
export const IN_FLIGHT = 80;
/**
 * The overflow chain's lock and its count of records (see `overflow.ts`):
 * bit 0 is `OVERFLOW_HELD` while a producer appends under it, the bits
 * above count the records published (31 bits, wrapping). One word, so that
 * the release of an append publishes its record's count with the same store;
 * the consumer looks at the chain only while the count differs from
 * OVERFLOW_TAKEN.
 */
export const OVERFLOW_LOCK = 96;
/** Overflow records the consumer took (31 bits, wrapping); written by the consumer (kept here so that the next holder of the receiver resumes). */
export const OVERFLOW_TAKEN = 97;
/** The segment producers append to (an address, or 0 before the first overflow). */
export const OVERFLOW_TAIL = 99;
/** The segment the consumer reads (an address, or 0): the oldest one not yet read to its end. */
export const OVERFLOW_HEAD = 100;
/** The byte offset in OVERFLOW_HEAD before which every record was taken. */
export const OVERFLOW_READ = 101;
/** Ends of the channel alive: 2 at first (the senders as one, the receiver); the one that takes it to 0 frees the channel. */
export const ENDS = 102;
/** Bumped when the receiver crosses as bytes (its inbox's ports are closed): links of an older epoch reach nobody (see `link.ts`). */
export const LINK_EPOCH = 103;
/** Values of PORTED records that an inbox parked at the courier when its Receiver crossed as bytes (see `link.ts`); taken back one by one. */
export const REPARKED = 104;
/** Senders posting to a link right now: a Receiver leaving as bytes bumps LINK_EPOCH, then waits for this to be 0 before it takes what its ports hold. */
export const LINK_POSTERS = 105;
/** How many times the consumer went to sleep (a statistic, for tests and tuning). */
export const SLEEPS = 112;
/** The ring's slot count (a power of two), written once at creation. */
export const CAPACITY = 113;
/** The bound of a sync channel, or UNBOUNDED; written once at creation. */
export const BOUND = 114;
/** Owner-table entries in use; the receiver scans the table only when this is not 0 (see `owners.ts`). */
export const TRACKED = 115;
/** The thread that holds the receiver; IN_TRANSIT while it crosses to another thread, IN_LOCK while a lock's value holds it. */
export const RECEIVER_OWNER = 116;
/** Two words naming the channel in every thread (random, written once): the key of a thread's link (see `link.ts`); an address is reused after the channel is freed, the key is not. */
export const KEY = 117;
/** The first word of the owner table: OWNER_SLOTS entries `[thread id, count]`. */
export const OWNERS = 128;
/** How many threads the owner table tracks at once. */
export const OWNER_SLOTS = 64;
/** How many control words there are. */
export const CONTROL_WORDS = OWNERS + OWNER_SLOTS * 2;

// ------------------------------------------------------------ states

/** States of the RECEIVER word. */
export const Receiver = {
  /** The receiver exists and is not sleeping: producers need not wake it. */
  AWAKE: 0,
  /** The receiver is (about to be) asleep on WAKE: the next producer wakes it. */
  SLEEPING: 1,
  /** The receiver was dropped, or its thread ended: sends fail. */
  GONE: 2,
} as const;

/** States of an owner-table entry's id word, besides a thread id. */
export const OwnerEntry = {
  /** The entry is free. */
  FREE: 0,
  /** The receiver is reclaiming the entry of an ended thread. */
  RECLAIMING: -1,
} as const;

/** RECEIVER_OWNER while the receiver crosses to another thread (no thread to watch). */
export const IN_TRANSIT = 0;
/** RECEIVER_OWNER while the receiver is in a lock's value (whichever thread holds the lock receives). */
export const IN_LOCK = -1;

/** Bit 0 of the OVERFLOW_LOCK word: a producer appends (clear: nobody does). */
export const OVERFLOW_HELD = 1;
/** How OVERFLOW_LOCK's count (`word >>> 1`) and OVERFLOW_TAKEN wrap: both are 31-bit. */
export const OVERFLOW_COUNT_MASK = 0x7fffffff;

/** The BOUND of a channel made by `channel()`. */
export const UNBOUNDED = -1;

// ------------------------------------------------------------ results

/** What a producer operation did. */
export const Outcome = {
  /** The message is in the channel. */
  SENT: 0,
  /** The receiver is gone: nothing was sent. */
  GONE: 1,
} as const;
/** One of the `Outcome` values. */
export type Outcome = (typeof Outcome)[keyof typeof Outcome];
