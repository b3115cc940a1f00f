/** Random numbers for the examples' data: the same every run, so that every run checks the same data. */

/** A generator of numbers in [0, 1) by xorshift32 from `seed` (a non-zero 32-bit integer). */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}
