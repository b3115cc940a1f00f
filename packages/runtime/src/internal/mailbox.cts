/**
 * The mailbox of a pooled worker: one small `SharedArrayBuffer` through which
 * the spawning thread hands a task to the worker and the worker hands the
 * result back, without `postMessage` when everything is primitive.
 *
 * Layout (Int32 words, then a data area of primitives from word `DATA`):
 *   STATE      where the hand-off is (the constants below)
 *   THREAD_ID  the id of the thread the task runs as
 *   PARK       the park word of that thread (see thread/thread.ts)
 *   TASK       how the task's captures travel (`FAST` here, `PORT` as a message)
 *   SOURCE_ID  the closure, by the id of its source text
 *   COUNT      how many captures are in the data area (`FAST`)
 *   RESULT     how the result travels (`FAST`, `PORT`, `PANICKED`, `EXITED`)
 *   SLEEPERS   1 while the worker sleeps on STATE: only then does a spawner notify
 *   JOINERS    how many threads of the spawner sleep on STATE: only then does the worker notify
 *   OS_THREAD  the worker's operating-system thread id (Linux; 0 if unknown), for `join()` to see it die
 */

/** The worker is free: it waits for `POSTED`. */
const IDLE = 0;
/** A task is in the mailbox: written by the spawning thread, read by the worker. */
const POSTED = 1;
/** The worker runs the task. */
const RUNNING = 2;
/** The result is in the mailbox: written by the worker, read by the spawning thread, which then stores `IDLE`. */
const DONE = 3;
/** The worker must end (or ended itself after a long idle time). */
const EXIT = 4;
/** A spawner claimed the idle worker and writes a task; the worker keeps waiting for `POSTED`. */
const CLAIMED = 5;

/** Word index: where the hand-off is (IDLE … CLAIMED). */
const STATE = 0;
/** Word index: the id of the thread the task runs as. */
const THREAD_ID = 1;
/** Word index: that thread's park word (see thread/thread.ts). */
const PARK = 2;
/** Word index: how the captures travel (FAST or PORT), plus the NAMED bit. */
const TASK = 3;
/** Word index: the closure, by the id of its source text. */
const SOURCE_ID = 4;
/** Word index: how many captures are in the data area (FAST). */
const COUNT = 5;
/** Word index: how the result travels (FAST, PORT, PANICKED, EXITED). */
const RESULT = 6;
/** Word index: 1 while the worker sleeps on STATE. */
const SLEEPERS = 7;
/** Word index: how many threads of the spawner sleep on STATE. */
const JOINERS = 8;
/** Word index: the worker's operating-system thread id (0 if unknown), written once when it starts. */
const OS_THREAD = 9;
/** The first word of the data area. */
const DATA = 16;

/** TASK and RESULT: the values are primitives in the data area. */
const FAST = 0;
/** TASK and RESULT: the values are a message on the worker's port. */
const PORT = 1;
/** TASK word bit: the thread's name precedes the captures in the data area. */
const NAMED = 4;
/** RESULT only: the closure threw; the panic is a message on the port. */
const PANICKED = 2;
/** RESULT only: the worker ended (process.exit) while running the task; the exit code is in DATA. */
const EXITED = 3;

/** Bytes in a mailbox. */
const MAILBOX_BYTES = 4096;
/** Int32 words in the data area. */
const DATA_WORDS = MAILBOX_BYTES / 4 - DATA;
/** Longest string carried in the data area. */
const MAX_FAST_STRING = 1024;

/** Data-area tag: `undefined`. */
const UNDEFINED = 0;
/** Data-area tag: `null`. */
const NULL = 1;
/** Data-area tag: `false`. */
const FALSE = 2;
/** Data-area tag: `true`. */
const TRUE = 3;
/** Data-area tag: a number, as a float64 at the next 8-byte boundary. */
const NUMBER = 4;
/** Data-area tag: a string, its length, then its UTF-16 code units. */
const STRING = 5;

/** Typed views over one mailbox. */
interface Views {
  readonly words: Int32Array;
  readonly doubles: Float64Array;
  readonly chars: Uint16Array;
}

/** The views over a mailbox's memory. */
function views(memory: SharedArrayBuffer): Views {
  return { words: new Int32Array(memory), doubles: new Float64Array(memory), chars: new Uint16Array(memory) };
}

/**
 * Writes primitives into the data area from word `at`; returns the next free
 * word, or -1 when a value is not a fast primitive or does not fit.
 */
function writeFast(box: Views, at: number, value: unknown): number {
  const words = box.words;
  if (at >= DATA + DATA_WORDS - 4) return -1;
  switch (typeof value) {
    case 'undefined':
      words[at] = UNDEFINED;
      return at + 1;
    case 'boolean':
      words[at] = value ? TRUE : FALSE;
      return at + 1;
    case 'number': {
      words[at] = NUMBER;
      const aligned = (at + 2) & ~1;
      box.doubles[aligned >> 1] = value;
      return aligned + 2;
    }
    case 'string': {
      const length = value.length;
      if (length > MAX_FAST_STRING || at + 2 + ((length + 1) >> 1) > DATA + DATA_WORDS) return -1;
      words[at] = STRING;
      words[at + 1] = length;
      const chars = box.chars;
      const base = (at + 2) * 2;
      for (let index = 0; index < length; index++) chars[base + index] = value.charCodeAt(index);
      return at + 2 + ((length + 1) >> 1);
    }
    case 'object':
      if (value !== null) return -1;
      words[at] = NULL;
      return at + 1;
    default:
      return -1;
  }
}

/** Where `readFast` left off (`cursor.end`). */
const cursor = { end: 0 };

/** Reads a value written by `writeFast` at word `at`; sets `readEnd`. */
function readFast(box: Views, at: number): unknown {
  const words = box.words;
  switch (words[at]) {
    case UNDEFINED:
      cursor.end = at + 1;
      return undefined;
    case NULL:
      cursor.end = at + 1;
      return null;
    case FALSE:
      cursor.end = at + 1;
      return false;
    case TRUE:
      cursor.end = at + 1;
      return true;
    case NUMBER: {
      const aligned = (at + 2) & ~1;
      cursor.end = aligned + 2;
      return box.doubles[aligned >> 1];
    }
    default: {
      const length = words[at + 1];
      const base = (at + 2) * 2;
      cursor.end = at + 2 + ((length + 1) >> 1);
      return length <= 64
        ? String.fromCharCode.apply(null, box.chars.subarray(base, base + length) as unknown as number[])
        : readLongString(box.chars, base, length);
    }
  }
}

function readLongString(chars: Uint16Array, base: number, length: number): string {
  let text = '';
  for (let start = 0; start < length; start += 256) {
    const end = Math.min(length, start + 256);
    text += String.fromCharCode.apply(null, chars.subarray(base + start, base + end) as unknown as number[]);
  }
  return text;
}

export = {
  IDLE,
  POSTED,
  RUNNING,
  DONE,
  EXIT,
  CLAIMED,
  STATE,
  THREAD_ID,
  PARK,
  TASK,
  SOURCE_ID,
  COUNT,
  RESULT,
  SLEEPERS,
  JOINERS,
  OS_THREAD,
  DATA,
  FAST,
  PORT,
  NAMED,
  PANICKED,
  EXITED,
  MAILBOX_BYTES,
  views,
  writeFast,
  readFast,
  cursor,
};
