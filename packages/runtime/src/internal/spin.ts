/**
 * Adaptive spinning before a sleep, for the two sides of a hand-off (a worker
 * waiting for its next task, a spawner in `join()`).
 *
 * Spinning wins when the other side runs on another core and answers within
 * microseconds; on a machine with more runnable threads than cores it loses:
 * the other side is not running, the spinner burns its share, and the
 * scheduler then favours threads that slept. So each waiting site keeps a
 * budget: doubled when a wait ended while spinning, halved when it had to
 * sleep (as adaptive mutexes do). Once both sides have learnt to sleep, each
 * wakes the other and neither spin would ever succeed again: one wait in
 * `PROBE` spins the full budget, which lets a quiet machine find its way back
 * to spinning hand-offs.
 */

/** A waiting site's spin budget. */
interface SpinBudget {
  /** Milliseconds to spin. */
  ms: number;
  /** Waits so far (every PROBE-th one spins MAX_MS). */
  waits: number;
}

/** The least budget: enough for a spawner that is awake to answer (a few microseconds). */
const MIN_MS = 0.02;
/** The most: longer than a wake-up on a loaded machine. */
const MAX_MS = 1;
/** One wait in this many spins MAX_MS (a power of two). */
const PROBE = 64;
/** Polls between two looks at the clock. */
const POLLS = 128;
/** A new site's budget, between MIN_MS and MAX_MS: the first waits learn which way to go. */
const START_MS = 0.2;

/** A new budget for one waiting site. */
function spinBudget(): SpinBudget {
  return { ms: START_MS, waits: 0 };
}

/**
 * Polls `words[index]` while it equals `value`, for at most the budget;
 * returns the value seen last (still `value` when the budget ran out) and
 * adapts the budget.
 */
function spinWhile(words: Int32Array, index: number, value: number, budget: SpinBudget): number {
  const probe = (++budget.waits & (PROBE - 1)) === 0;
  const deadline = performance.now() + (probe ? MAX_MS : budget.ms);
  for (;;) {
    for (let poll = 0; poll < POLLS; poll++) {
      // Pairs with the other side's store (POSTED or DONE), which publishes its data.
      const seen = Atomics.load(words, index);
      if (seen !== value) {
        budget.ms = Math.min(MAX_MS, budget.ms * 2);
        return seen;
      }
    }
    if (performance.now() > deadline) {
      budget.ms = Math.max(MIN_MS, budget.ms / 2);
      return value;
    }
  }
}

export default { spinBudget, spinWhile };
