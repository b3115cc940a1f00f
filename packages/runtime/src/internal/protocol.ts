/**
 * The wire protocol: every constant that two modules (or two threads) must
 * agree on about what lies in shared memory. Code that reads or writes these
 * words imports its numbers from here, never writes them out.
 *
 * - `State`, `Word`, `Transport`, `TaskFlag`: a pooled worker's mailbox (the
 *   code that moves between the states is `internal/mailbox.ts`, the spawning
 *   side `internal/pool.ts`, the worker's side `internal/worker-main.ts`).
 * - `Tag`: the one tag set for a value written into shared memory, wherever
 *   it is written: the mailbox's data area, a lock's storage kind
 *   (`sync/storage.ts`), a channel's records.
 *
 * CommonJS, so that the worker's bundled bootstrap includes it without the ES
 * module loader. The groups are plain frozen objects of small integers: a
 * module on a hot path copies the members it uses into module-level
 * constants (`const { IDLE, DONE } = State;`), which the JIT folds like
 * literals.
 */

/**
 * Where a mailbox's hand-off is: the value of its `Word.STATE`. A spawner
 * moves IDLE → CLAIMED → POSTED; the worker POSTED → RUNNING → DONE; the
 * spawner collects DONE → IDLE. EXIT is final.
 */
const State = Object.freeze({
  /** The worker is free: it waits for `POSTED`. */
  IDLE: 0,
  /** A task is in the mailbox: written by the spawning thread, read by the worker. */
  POSTED: 1,
  /** The worker runs the task. */
  RUNNING: 2,
  /** The result is in the mailbox: written by the worker, read by the spawning thread, which then stores `IDLE`. */
  DONE: 3,
  /** The worker must end (or ended itself after a long idle time). */
  EXIT: 4,
  /** A spawner claimed the idle worker and writes a task; the worker keeps waiting for `POSTED`. */
  CLAIMED: 5,
});

/** The Int32 word indices of a mailbox; the data area of primitives starts at `DATA`. */
const Word = Object.freeze({
  /** Where the hand-off is (a `State`). */
  STATE: 0,
  /** The id of the thread the task runs as. */
  THREAD_ID: 1,
  /** That thread's park word (see sys/parker.ts). */
  PARK: 2,
  /** How the captures travel: a `Transport` (`FAST` or `PORT`) under `TaskFlag.TRANSPORT`, plus `TaskFlag` bits. */
  TASK: 3,
  /** The closure, by the id of its source text. */
  SOURCE_ID: 4,
  /** How many captures are in the data area (`FAST`). */
  COUNT: 5,
  /** How the result travels: a `Transport`. */
  RESULT: 6,
  /** 1 while the worker sleeps on STATE: only then does a spawner notify. */
  SLEEPERS: 7,
  /** How many threads of the spawner sleep on STATE: only then does the worker notify. */
  JOINERS: 8,
  /** The worker's operating-system thread id (0 if unknown), written once when it starts, for `join()` to see it die. */
  OS_THREAD: 9,
  /** 1 once the watcher saw the worker end (hosts that show no operating-system threads: see internal/lifeline.ts). */
  DEAD: 10,
  /**
   * 1 when the watcher started the worker and reports its end (a thread with limits of its own, see
   * internal/lifeline.ts): a blocked `join()` leaves that to it, which knows why the worker ended.
   */
  WATCHED: 11,
  /** Where a result that needs a message goes (a `Route`): claimed by the worker before it posts, or by a `JoinHandle` leaving by a route that carries no port. */
  ROUTE: 12,
  /** Whether a result is still wanted (a `Detach`): claimed by the worker before it reports a result that needs a message, or by a `JoinHandle` dropped unjoined. */
  DETACH: 13,
  /** The first word of the data area (8-byte aligned, so that numbers need no padding at its start). */
  DATA: 16,
});

/** How a task's captures or a thread's result travel: the value of `Word.TASK` (masked) and `Word.RESULT`. */
const Transport = Object.freeze({
  /** The values are primitives in the data area (see `Tag`). */
  FAST: 0,
  /** The values are a message on the worker's port. */
  PORT: 1,
  /** Result only: the closure threw; the panic is a message on the port. */
  PANICKED: 2,
  /** Result only: the worker ended while running the task; the exit code is in `Word.DATA`. */
  EXITED: 3,
});

/**
 * Where a thread's result message (`Transport.PORT` or `PANICKED`) goes: the
 * value of `Word.ROUTE`. Its `JoinHandle` takes it off the worker's port,
 * which it holds; but a handle that leaves by a route that carries no port
 * (the courier's named lines on Node, see thread/join-handle.ts) leaves the
 * port behind, and the result must then wait at the courier instead. The
 * worker and the leaving handle each claim the word with a compare-exchange
 * on `PORT`; whoever comes first decides. The spawner stores `PORT` again
 * before the worker's next task.
 */
const Route = Object.freeze({
  /** Nobody claimed the word yet: a result message would go on the port. */
  PORT: 0,
  /** The worker claimed the port: its result message is on it, or on its way. */
  ON_PORT: 1,
  /** The handle left without the port: a result message is parked at the courier under `RESULT_KEY` and the thread's id. */
  COURIER: 2,
});

/**
 * Whether anyone will take a thread's result: the value of `Word.DETACH`. A
 * `JoinHandle` dropped unjoined detaches its thread, as Rust's does, and the
 * thread's result is then dropped where it is, in the thread as it ends
 * (its handles' counts go back), instead of waiting in a message that
 * nobody reads. The worker, before it reports a result that needs a message
 * (`Transport.PORT` or `PANICKED`), and the dropped handle each claim the
 * word with a compare-exchange on `WANTED`; whoever comes first decides (a
 * handle that comes second collects the result and drops it itself). The
 * spawner stores `WANTED` again before the worker's next task.
 */
const Detach = Object.freeze({
  /** Nobody claimed the word yet: the result is reported as usual. */
  WANTED: 0,
  /** The worker claimed it: its result is reported (on the port or at the courier). */
  REPORTED: 1,
  /** The handle was dropped first: the worker drops the result and reports `undefined` in the mailbox (`Transport.FAST`). */
  DETACHED: 2,
  /**
   * As `DETACHED`, by a handle that left the spawning thread (received, or in a lock's value): no pool will
   * collect the run, so the worker ends after it, or the dropping handle ends it if the run is done already
   * (each looks at the other's word after writing its own: the worker stores `DONE`, then reads this word;
   * the handle claims this word, then reads `STATE`).
   */
  ABANDONED: 3,
});

/** The bits of `Word.TASK` beside its transport. */
const TaskFlag = Object.freeze({
  /** The bits that hold the task's `Transport`. */
  TRANSPORT: 3,
  /** The thread's name precedes the captures in the data area. */
  NAMED: 4,
});

/** `Word.DATA` of an `EXITED` result whose worker died without an exit code (terminated, out of memory). */
const DIED = -1;
/** `Word.DATA` of an `EXITED` result whose worker passed its heap limit (`Builder.heapLimit`), before or while the thread ran. */
const OUT_OF_MEMORY = -2;

/** The courier's key for a thread's result message that waits there (`Route.COURIER`), before the thread's id. */
const RESULT_KEY = 'sendsync:result:';

/** Bytes in a mailbox. */
const MAILBOX_BYTES = 4096;

/**
 * The tag of a value in shared memory: the first Int32 of its record. One
 * set for every encoding, so that a value written by one part of the
 * runtime means the same to every other, and a new kind of value is added
 * once. 0 is never a tag (a zeroed word is "nothing written").
 *
 * Which tags each encoding uses:
 * - the mailbox's data area: `UNDEFINED`, `NULL`, `FALSE`, `TRUE`, `NUMBER`
 *   (a float64 at the next 8-byte boundary), `STRING` (its length, then its
 *   UTF-16 code units);
 * - a lock's storage kind, fixed for the lock's life: `NUMBER` (a float64
 *   slot), `BIGINT` (a signed 64-bit slot), `BOOLEAN` (an Int32 slot, 0 or
 *   1), `SERIALIZED`, `SHARED`, `COLLECTION`;
 * - a channel's records: the primitives, `STRING`, `SERIALIZED`,
 *   `ARRAY_BUFFER`, `TYPED` + an index into `TYPED_ARRAYS`, and the framing
 *   tags `PAD`, `PORTED`, `NEXT`;
 * - a collection's slots (`collections/core.ts`): the primitives, `BIGINT`,
 *   `SHORT_STRING`, `STRING`, `SERIALIZED`, `ENCODED`, and 0 for a slot that holds nothing
 *   (a hash table's deleted key is `UNDEFINED`, which no key can be).
 */
const Tag = Object.freeze({
  /** `undefined`: the tag is the whole value. */
  UNDEFINED: 1,
  /** `null`: the tag is the whole value. */
  NULL: 2,
  /** `false`: the tag is the whole value. */
  FALSE: 3,
  /** `true`: the tag is the whole value. */
  TRUE: 4,
  /** A number, as a float64. */
  NUMBER: 5,
  /** A string, as its length and UTF-16 code units. */
  STRING: 6,
  /** Structured-clone data, as the portable serializer's bytes (internal/serializer.ts; values with a codec in their wire form). */
  SERIALIZED: 7,
  /** An `ArrayBuffer`'s bytes. */
  ARRAY_BUFFER: 8,
  /** Framing: slots given up at the end of a ring; the length word counts them. */
  PAD: 9,
  /** Framing, a channel's overflow record: the message holds shared memory of its own; its value travels beside the record (sync/mpsc/link.ts). */
  PORTED: 10,
  /** A bigint in the signed 64-bit range, as a BigInt64. */
  BIGINT: 12,
  /** A boolean as a value that changes in place: an Int32 holding 0 or 1. */
  BOOLEAN: 13,
  /** A value that is shared memory already (a view over a `SharedArrayBuffer`, a shared handle), kept as it is. */
  SHARED: 14,
  /** A collection (`Vec`, `VecDeque`, `HashMap`, `HashSet`), whose own memory travels. */
  COLLECTION: 15,
  /** A typed array's bytes: `TYPED + i` for the class `TYPED_ARRAYS[i]`; tags from here to `TYPED + TYPED_ARRAYS.length - 1` are taken. */
  TYPED: 16,
  /** As `SERIALIZED`, but the bytes are the wire form of values with codecs (a `Cell` in a collection): decode after reading. */
  ENCODED: 27,
  /** A string of at most 8 code units, each from 1 to 255, as bytes in a slot's 8-byte payload (a 0 byte ends it). */
  SHORT_STRING: 28,
});

/** The typed array classes whose values travel as bytes, in the order of their tags (`Tag.TYPED + index`). */
const TYPED_ARRAYS = Object.freeze([
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
] as const);

export default { State, Word, Transport, Route, Detach, TaskFlag, DIED, OUT_OF_MEMORY, RESULT_KEY, MAILBOX_BYTES, Tag, TYPED_ARRAYS };
