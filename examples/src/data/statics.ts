/** A module-level constant: every thread that imports this module gets the same, frozen value. */
export const X: readonly number[] = Object.freeze([1, 2, 3]);
