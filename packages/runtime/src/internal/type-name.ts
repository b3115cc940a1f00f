/**
 * Names of run-time values in messages, written as `@sendsync/marker`'s
 * `TypeName` writes types (`number`, `Function`, `Rc<number>`, `{…}`), so
 * that the run-time backstop and `tsc` print the same sentence.
 */

import { rowFor, type TraitRow } from '../codec.js';

/** How deep names nest before the rest is written `…` (the marker's `MaxNameDepth`). */
const MAX_NAME_DEPTH = 4;

/**
 * The name of a value's type for a diagnostic: the primitive's keyword,
 * `Function`, `symbol`, `T[]` from the first element, `Map<K, V>` and
 * `Set<T>` from the first entry, `WeakSet<object>`, a class's row name with
 * its parameter (`Rc<number>`), another class's name, `{…}` for plain objects.
 *
 * @example
 * ```ts
 * typeNameOf(1);            // 'number'
 * typeNameOf(() => 1);      // 'Function'
 * typeNameOf([1, 2]);       // 'number[]'
 * ```
 */
export function typeNameOf(value: unknown): string {
  return nameAt(value, 0);
}

function nameAt(value: unknown, depth: number): string {
  if (depth === MAX_NAME_DEPTH) return '…';
  if (value === null) return 'null';
  const type = typeof value;
  if (type === 'function') return 'Function';
  if (type !== 'object') return type;
  const object = value as object;
  const inner = depth + 1;
  const prototype = Object.getPrototypeOf(object) as { constructor?: { name?: string } } | null;
  if (prototype === Array.prototype) {
    const array = object as unknown[];
    return array.length > 0 ? `${nameAt(array[0], inner)}[]` : 'unknown[]';
  }
  if (object instanceof Promise) return 'Promise<unknown>';
  const row = rowFor(object);
  if (row !== undefined) {
    if (typeof row.name === 'function') return row.name(object);
    const name = row.name ?? row.type.name;
    const params = paramsOf(row, object);
    return params === undefined || params.length === 0 ? name : `${name}<${params.map((param) => nameAt(param, inner)).join(', ')}>`;
  }
  if (prototype === null || prototype === Object.prototype) return '{…}';
  if (prototype === Map.prototype) {
    const first = (object as Map<unknown, unknown>).entries().next();
    return first.done === true ? 'Map<unknown, unknown>' : `Map<${nameAt(first.value[0], inner)}, ${nameAt(first.value[1], inner)}>`;
  }
  if (prototype === Set.prototype) {
    const first = (object as Set<unknown>).values().next();
    return first.done === true ? 'Set<unknown>' : `Set<${nameAt(first.value, inner)}>`;
  }
  // What a weak collection holds cannot be listed; its keys are objects.
  if (prototype === WeakSet.prototype) return 'WeakSet<object>';
  if (prototype === WeakRef.prototype) return 'WeakRef<object>';
  if (prototype === WeakMap.prototype) return 'WeakMap<object, unknown>';
  return prototype.constructor?.name || '{…}';
}

/** What a row's `T` stands for in `object`, for its name: nothing for a released guard, whose value is gone. */
function paramsOf(row: TraitRow, object: object): readonly unknown[] | undefined {
  try {
    return row.param?.(object);
  } catch {
    return undefined;
  }
}
