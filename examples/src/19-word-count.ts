/**
 * A word count: four threads count a 3 MB text into one `Arc<Mutex<HashMap<string, number>>>`.
 *
 * Rust: `*counts.lock().unwrap().entry(word).or_insert(0) += 1;` in each thread.
 *
 * The map lives in shared memory: a lock finds and updates one entry in
 * place, whatever the map's size (a `Mutex<Map>` would copy every entry in and
 * out on every lock). Each thread counts its part of the text, taking the lock
 * per line: twelve updates per critical section, and the other threads run
 * in between.
 */
import { move, spawn } from '@sendsync/runtime';
import { HashMap } from '@sendsync/runtime/collections';
import { Arc, Mutex } from '@sendsync/runtime/sync';
import { generateText, splitLines, wordsOf } from './data/text.js';

const threads = 4;
const text = generateText(3 * 2 ** 20);
const counts = new Arc(new Mutex(new HashMap<string, number>()));

const handles = splitLines(text, threads).map((part) =>
  spawn(move(counts.clone(), part), (counts, part) => {
    for (const line of part.split('\n')) {
      const guard = counts.value.lock();
      try {
        const map = guard.value;
        for (const word of wordsOf(line)) map.set(word, (map.get(word) ?? 0) + 1);
      } finally {
        guard[Symbol.dispose]();
      }
    }
  }),
);
for (const handle of handles) handle.join();

// The same count on this thread with a plain Map, to check the shared one against.
const words = wordsOf(text);
const expected = new Map<string, number>();
for (const word of words) expected.set(word, (expected.get(word) ?? 0) + 1);

const map = counts.value.intoInner();
const same = map.size === expected.size && [...expected].every(([word, count]) => map.get(word) === count);
const top = [...map].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).slice(0, 3);
console.log(`${(text.length / 2 ** 20).toFixed(1)} MB, ${words.length} words, ${map.size} different ones`);
console.log(`most common: ${top.map(([word, count]) => `${word} ${count}`).join(', ')}`);
console.log(`the same counts as one thread with a Map: ${same}`);
