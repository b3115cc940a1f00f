/**
 * Names of run-time values in messages, in the same spirit as the type names
 * of `@sendsync/marker` (`number`, `Function`, `Promise<unknown>`, `Rc<number>`).
 */

import { codecFor, refusalFor } from '../codec.js';

/**
 * The name of a value's type for a diagnostic: the primitive's keyword,
 * `Function`, `symbol`, `T[]` from the first element, a refused or codec'd
 * class's own name (`Rc<number>`), another class's name, `{…}` for plain objects.
 *
 * @example
 * ```ts
 * typeNameOf(1);            // 'number'
 * typeNameOf(() => 1);      // 'Function'
 * typeNameOf([1, 2]);       // 'number[]'
 * ```
 */
export function typeNameOf(value: unknown): string {
  if (value === null) return 'null';
  const type = typeof value;
  if (type === 'function') return 'Function';
  if (type !== 'object') return type;
  const object = value as object;
  if (Array.isArray(object)) return object.length > 0 ? `${typeNameOf(object[0])}[]` : 'unknown[]';
  if (object instanceof Promise) return 'Promise<unknown>';
  const refusal = refusalFor(object);
  if (refusal !== undefined) return refusal.name(object);
  const codec = codecFor(object);
  if (codec?.name !== undefined) return codec.name(object);
  const prototype = Object.getPrototypeOf(object) as { constructor?: { name?: string } } | null;
  if (prototype === null || prototype === Object.prototype) return '{…}';
  return prototype.constructor?.name || '{…}';
}
