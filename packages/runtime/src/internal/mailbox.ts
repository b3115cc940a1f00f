/**
 * The mailbox of a pooled worker: one small `SharedArrayBuffer` through which
 * the spawning thread hands a task to the worker and the worker hands the
 * result back, without `postMessage` when everything is primitive. Its
 * states, words and transports are named in protocol.ts; this module reads
 * and writes the primitives of its data area.
 */

import protocol from './protocol.js';

const { DATA } = protocol.Word;
const { UNDEFINED, NULL, FALSE, TRUE, NUMBER, STRING } = protocol.Tag;

/** Int32 words in the data area. */
const DATA_WORDS = protocol.MAILBOX_BYTES / 4 - DATA;
/** Longest string carried in the data area. */
const MAX_FAST_STRING = 1024;
/** Strings up to this length are read with one `String.fromCharCode` call. */
const SHORT_STRING = 64;
/** Code units read per `String.fromCharCode` call for longer strings (its arguments go on the stack). */
const STRING_CHUNK = 256;

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

/** The word of a number tagged at `at`: the first 8-byte boundary after the tag (a float64 needs one). */
function numberWord(at: number): number {
  return (at + 2) & ~1;
}

/** The words taken by `length` UTF-16 code units (two per word). */
function wordsOf(length: number): number {
  return (length + 1) >> 1;
}

/**
 * Writes primitives into the data area from word `at`; returns the next free
 * word, or -1 when a value is not a fast primitive or does not fit.
 */
function writeFast(box: Views, at: number, value: unknown): number {
  const words = box.words;
  // The largest fixed-size record (a tag, padding, a float64) fits.
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
      const word = numberWord(at);
      box.doubles[word >> 1] = value;
      return word + 2;
    }
    case 'string': {
      const length = value.length;
      if (length > MAX_FAST_STRING || at + 2 + wordsOf(length) > DATA + DATA_WORDS) return -1;
      words[at] = STRING;
      words[at + 1] = length;
      const chars = box.chars;
      const base = (at + 2) * 2;
      for (let index = 0; index < length; index++) chars[base + index] = value.charCodeAt(index);
      return at + 2 + wordsOf(length);
    }
    case 'object':
      if (value !== null) return -1;
      words[at] = NULL;
      return at + 1;
    default:
      return -1;
  }
}

/** Reads the value written by `writeFast` at word `at` (`fastEnd` says where the next one starts). */
function readFast(box: Views, at: number): unknown {
  const words = box.words;
  switch (words[at]) {
    case UNDEFINED:
      return undefined;
    case NULL:
      return null;
    case FALSE:
      return false;
    case TRUE:
      return true;
    case NUMBER:
      return box.doubles[numberWord(at) >> 1];
    default: {
      const length = words[at + 1];
      const base = (at + 2) * 2;
      return length <= SHORT_STRING
        ? String.fromCharCode.apply(null, box.chars.subarray(base, base + length) as unknown as number[])
        : readLongString(box.chars, base, length);
    }
  }
}

/** The word after the value that `writeFast` wrote at word `at`: what `writeFast` returned. */
function fastEnd(box: Views, at: number): number {
  const words = box.words;
  switch (words[at]) {
    case NUMBER:
      return numberWord(at) + 2;
    case STRING:
      return at + 2 + wordsOf(words[at + 1]);
    default:
      return at + 1;
  }
}

function readLongString(chars: Uint16Array, base: number, length: number): string {
  let text = '';
  for (let start = 0; start < length; start += STRING_CHUNK) {
    const end = Math.min(length, start + STRING_CHUNK);
    text += String.fromCharCode.apply(null, chars.subarray(base + start, base + end) as unknown as number[]);
  }
  return text;
}

export default { views, writeFast, readFast, fastEnd };
