// @ts-check
/** A small module a thread's closure imports (the bench's spawn-warm and spawn-cold import rows). */

/**
 * @param {number} value
 * @returns {number}
 */
export function double(value) {
  return value * 2;
}
