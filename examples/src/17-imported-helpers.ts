/**
 * Threads call imported code: a spawned closure uses what its module imports.
 *
 * Rust: any function is callable from a thread: `thread::spawn(move || count(&text))`.
 *
 * The closure crosses as source text, so the thread imports the modules it
 * needs itself (here a helper module of this project and `node:crypto`) and
 * binds the names the closure uses. Each worker evaluates such a module once:
 * module-level state is per thread's worker, never shared (share state through
 * `Arc`, `Mutex` or a channel). A function declared in this file instead would
 * be refused at spawn, before any thread runs: it belongs in a module of its own.
 */
import { createHash } from 'node:crypto';
import { move, spawn } from '@sendsync/runtime';
import { evaluations, longestWord, wordCount } from './data/words.js';

const chapters = [
  'Threads let a program do several things at once.',
  'A value moved into a thread belongs to that thread from then on.',
  'Rust checks at compile time that only Send values cross threads.',
];

const handles = chapters.map((text, index) =>
  spawn(move(index, text), (index, text) => ({
    chapter: index + 1,
    words: wordCount(text),
    longest: longestWord(text),
    sha256: createHash('sha256').update(text).digest('hex').slice(0, 12),
  })),
);
for (const handle of handles) {
  const { chapter, words, longest, sha256 } = handle.join();
  console.log(`chapter ${chapter}: ${words} words, longest "${longest}", sha256 ${sha256}…`);
}

// The thread's copy of words.ts was evaluated in its own worker, once.
console.log(`evaluations of words.ts seen by a thread: ${spawn(() => evaluations).join()}, by main: ${evaluations}`);
