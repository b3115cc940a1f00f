// @ts-check
/**
 * The real work of the real-work group (groups/real-work.js): three jobs cut
 * into chunks, and the code of one chunk. Every contender, the main thread,
 * the raw workers of the floor, each pool's task and sendsync's threads, runs
 * a chunk by calling `runChunk` from this module, with the job's input in one
 * SharedArrayBuffer, so that they differ only in how chunks reach threads.
 */
import { createHash } from 'node:crypto';

/**
 * The jobs' sizes: the issue's (full), and a smaller set for `--quick`
 * (`npm test`), where only a finite number per row is asserted.
 */
export const SHAPES = {
  full: { primesBelow: 5_000_000, primeChunks: 50, hashBytes: 64 * 2 ** 20, hashChunkBytes: 2 ** 20, side: 4096, bands: 16 },
  quick: { primesBelow: 500_000, primeChunks: 10, hashBytes: 8 * 2 ** 20, hashChunkBytes: 2 ** 20, side: 1024, bands: 8 },
};

/**
 * @typedef {keyof typeof SHAPES} ShapeName
 * @typedef {'primes' | 'sha256' | 'blur'} JobName
 */

/** The number of chunks of a job. @param {JobName} job @param {ShapeName} shapeName @returns {number} */
export function chunkCount(job, shapeName) {
  const shape = SHAPES[shapeName];
  if (job === 'primes') return shape.primeChunks;
  if (job === 'sha256') return shape.hashBytes / shape.hashChunkBytes;
  return shape.bands;
}

/**
 * A job's input, filled with the same pseudo-random contents every time:
 * nothing for primes, the bytes to hash, or the image to blur followed by
 * room for the blurred image.
 * @param {JobName} job
 * @param {ShapeName} shapeName
 * @returns {SharedArrayBuffer}
 */
export function makeInput(job, shapeName) {
  const shape = SHAPES[shapeName];
  if (job === 'primes') return new SharedArrayBuffer(0);
  if (job === 'sha256') {
    const input = new SharedArrayBuffer(shape.hashBytes);
    fillRandom(new Uint32Array(input), (x) => x);
    return input;
  }
  const pixels = shape.side * shape.side;
  const input = new SharedArrayBuffer(2 * pixels * Float32Array.BYTES_PER_ELEMENT);
  fillRandom(new Float32Array(input, 0, pixels), (x) => x / 2 ** 32);
  return input;
}

/**
 * Runs chunk `index` of `job`; returns its part of the answer: a count of
 * primes, a hex digest, or the sum of a band of the blurred image (which it
 * writes into the input's second half).
 * @param {JobName} job
 * @param {ShapeName} shapeName
 * @param {SharedArrayBuffer} input
 * @param {number} index
 * @returns {number | string}
 */
export function runChunk(job, shapeName, input, index) {
  const shape = SHAPES[shapeName];
  if (job === 'primes') {
    const size = shape.primesBelow / shape.primeChunks;
    return countPrimes(index * size, (index + 1) * size);
  }
  if (job === 'sha256') {
    return createHash('sha256').update(new Uint8Array(input, index * shape.hashChunkBytes, shape.hashChunkBytes)).digest('hex');
  }
  const rows = shape.side / shape.bands;
  return blurRows(input, shape.side, index * rows, (index + 1) * rows);
}

/**
 * The whole answer from the chunks' parts, in chunk order: the number of
 * primes, the digests joined, or the blurred image's sum.
 * @param {JobName} job
 * @param {(number | string)[]} parts
 * @returns {number | string}
 */
export function combine(job, parts) {
  if (job === 'sha256') return parts.join(',');
  return parts.reduce((/** @type {number} */ sum, part) => sum + Number(part), 0);
}

/**
 * The primes in [from, to), by trial division: chunks further up cost more,
 * as real chunks of work differ.
 * @param {number} from
 * @param {number} to
 */
function countPrimes(from, to) {
  let count = 0;
  for (let n = from; n < to; n++) if (isPrime(n)) count++;
  return count;
}

/** @param {number} n */
function isPrime(n) {
  if (n < 4) return n > 1;
  if (n % 2 === 0) return false;
  for (let divisor = 3; divisor * divisor <= n; divisor += 2) if (n % divisor === 0) return false;
  return true;
}

/**
 * A 3×3 box blur of rows [from, to) of a side × side image (edges clamped),
 * read from the input's first half and written to its second; returns the
 * band's sum.
 * @param {SharedArrayBuffer} input
 * @param {number} side
 * @param {number} from
 * @param {number} to
 */
function blurRows(input, side, from, to) {
  const source = new Float32Array(input, 0, side * side);
  const target = new Float32Array(input, side * side * Float32Array.BYTES_PER_ELEMENT, side * side);
  let sum = 0;
  for (let y = from; y < to; y++) {
    const above = Math.max(y - 1, 0) * side;
    const row = y * side;
    const below = Math.min(y + 1, side - 1) * side;
    for (let x = 0; x < side; x++) {
      const left = Math.max(x - 1, 0);
      const right = Math.min(x + 1, side - 1);
      const value =
        (source[above + left] + source[above + x] + source[above + right] +
          source[row + left] + source[row + x] + source[row + right] +
          source[below + left] + source[below + x] + source[below + right]) / 9;
      target[row + x] = value;
      sum += value;
    }
  }
  return sum;
}

/**
 * Fills `array` from a fixed-seed xorshift32 sequence.
 * @param {Uint32Array | Float32Array} array
 * @param {(random: number) => number} map from a 32-bit unsigned number to the element
 */
function fillRandom(array, map) {
  let state = 2463534242;
  for (let i = 0; i < array.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    array[i] = map(state >>> 0);
  }
}
