/** Helpers that threads call: any module's exports are theirs to use, as any function is a Rust thread's. */

/** How many words `text` has. */
export function wordCount(text: string): number {
  return text.split(/\s+/).filter((word) => word.length > 0).length;
}

/** The longest word of `text` (the first of the longest ones). */
export function longestWord(text: string): string {
  return text.split(/\W+/).reduce((longest, word) => (word.length > longest.length ? word : longest), '');
}

/** How many times this module was evaluated in the thread that reads it: once per worker. */
export let evaluations = 0;
evaluations += 1;
