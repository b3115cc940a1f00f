/** The data and the work of the shared-array example. */
import { seededRandom } from './random.js';

/** Fills `signal` with the same noisy waves every run (a fixed seed). */
export function fillSignal(signal: Float64Array): void {
  const random = seededRandom(0x6a09e667);
  for (let index = 0; index < signal.length; index++) signal[index] = Math.sin(index / 1000) * 3 + (random() - 0.5);
}

/**
 * Writes into `output` a smoothed, squashed copy of `input` from `start` on
 * (each value the hyperbolic tangent of the mean of its five neighbours, the
 * edges clamped), and returns the sum of what it wrote.
 */
export function transform(input: Readonly<Float64Array>, output: Float64Array, start: number): number {
  const last = input.length - 1;
  let sum = 0;
  for (let index = 0; index < output.length; index++) {
    const at = start + index;
    let total = 0;
    for (let offset = -2; offset <= 2; offset++) total += input[Math.min(last, Math.max(0, at + offset))];
    const value = Math.tanh(total / 5);
    output[index] = value;
    sum += value;
  }
  return sum;
}
