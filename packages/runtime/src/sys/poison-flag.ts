/**
 * The poison flag of a lock (`Mutex`, `RwLock`), one word of the lock's
 * memory, as Rust's `sync/poison.rs` `Flag`: the word protocols set it when
 * they take a lock over from a dead owner, the guards set it when a panic
 * drops them, and every acquisition reads it.
 */

/** The data is sound. */
export const SOUND = 0;
/** A thread panicked or died while holding the lock: the data may be half-updated. */
export const POISONED = 1;

/**
 * Poisons the lock. Called under the lock: the release that ends this hold
 * publishes it to the next acquirer, and `isPoisoned` sees it at once.
 */
export function poison(words: Int32Array, index: number): void {
  Atomics.store(words, index, POISONED);
}

/** Marks the data as repaired; read by the next acquisition and by `isPoisoned`. */
export function clearPoison(words: Int32Array, index: number): void {
  Atomics.store(words, index, SOUND);
}

/** Whether the lock is poisoned, read from anywhere (pairs with `poison` and `clearPoison`). */
export function isPoisoned(words: Int32Array, index: number): boolean {
  return Atomics.load(words, index) !== SOUND;
}

/**
 * Whether the lock just acquired is poisoned: a plain read, as the flag was
 * written before the release that this acquisition paired with.
 */
export function poisonedUnderLock(words: Int32Array, index: number): boolean {
  return words[index] !== SOUND;
}
