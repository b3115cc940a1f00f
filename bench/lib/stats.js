// @ts-check
/**
 * Order statistics for benchmark samples. Medians and quartiles, never means:
 * on a shared, noisy machine one descheduled sample must not move the result.
 */

/**
 * The q-quantile of sorted values, interpolating linearly between neighbours.
 * @param {readonly number[]} sorted ascending values, at least one
 * @param {number} q in [0, 1]
 * @returns {number}
 */
export function quantile(sorted, q) {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/**
 * Median, quartiles and extremes of the samples of one row.
 * @param {readonly number[]} samples
 * @returns {{ median: number, p25: number, p75: number, min: number, max: number, sampleCount: number }}
 */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    sampleCount: sorted.length,
  };
}

/**
 * Fisher-Yates shuffle in place, so that no row always runs first in a round.
 * @template T
 * @param {T[]} items
 * @returns {T[]}
 */
export function shuffle(items) {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
