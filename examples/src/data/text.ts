/** The text of the word-count example, and the count on one thread to check it against. */
import { seededRandom } from './random.js';

/** The syllables the vocabulary's words are made of. */
const SYLLABLES = ['ka', 'to', 'ri', 'mu', 'sen', 'la', 'vo', 'pi', 'dra', 'nel', 'su', 'gor', 'e', 'an', 'thi', 'ub'];

/**
 * A text of about `bytes` characters, the same every run: words drawn by
 * Zipf's law (the r-th most common word about 1/r as often, as in natural
 * language) from `vocabulary` words, twelve to a line.
 */
export function generateText(bytes: number, vocabulary = 50_000): string {
  const words = Array.from({ length: vocabulary }, (_, rank) => {
    let word = '';
    for (let digits = rank + 1; digits > 0; digits >>>= 4) word += SYLLABLES[digits & 15];
    return word;
  });
  const random = seededRandom(0x9e3779b9);
  const lines: string[] = [];
  let length = 0;
  while (length < bytes) {
    const line: string[] = [];
    // A log-uniform rank: its density falls as 1/rank.
    for (let i = 0; i < 12; i++) line.push(words[Math.floor(Math.exp(random() * Math.log(vocabulary))) - 1]);
    const text = line.join(' ');
    lines.push(text);
    length += text.length + 1;
  }
  return lines.join('\n');
}

/** The words of `text` (split at whitespace). */
export function wordsOf(text: string): string[] {
  return text.split(/\s+/).filter((word) => word.length > 0);
}

/** `text` cut into `parts` pieces at line ends, about equal in length. */
export function splitLines(text: string, parts: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  for (let part = 1; part <= parts; part++) {
    const end = part === parts ? text.length : text.indexOf('\n', Math.floor((text.length * part) / parts));
    pieces.push(text.slice(start, end < 0 ? text.length : end));
    start = end < 0 ? text.length : end + 1;
  }
  return pieces;
}
