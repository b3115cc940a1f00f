/**
 * The handles owning a count inside a value that another handle owns (an
 * `Arc`, a `Sender`, a lock or an atomic in an `Arc`'s data), which move in
 * with the value and are dropped with it, as Rust moves and drops a
 * struct's fields.
 *
 * `takeHeld` and `dropHeld` walk plain data only (arrays, plain objects,
 * `Map`s, `Set`s): a handle inside another handle's value (an `Arc` in a
 * `Mutex`'s data) is that handle's, which moves and drops it itself.
 */

import { codecFor, isOwning, moveOut, ownHere, readHeapHandle, type Codec } from '../codec.js';

/**
 * The value's handles owning a count (an `Arc`, a `Weak`, a `Sender` or
 * `SyncSender`, the value itself or inside it) move into it: each is
 * replaced, where it sits, by a handle that the value owns, and the one
 * given is left moved (used again, it throws rustc's E0382). Returns the
 * value to keep (itself, unless it is such a handle), or `undefined` when it
 * holds none, so that its owner never walks it again.
 */
export function takeHeld<Value>(value: Value): { readonly value: Value } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const handle = handleIn(value);
  if (handle !== undefined) return { value: takeOne(value, handle) as Value };
  return walk(value, new Set(), takeOne) ? { value } : undefined;
}

/** The value's last owner drops it: so are the handles it holds (see `takeHeld`), once each. */
export function dropHeld(value: unknown): void {
  let failure: { error: unknown } | undefined;
  const drop: Visit = (handle, codec) => {
    try {
      dropOne(handle, codec);
    } catch (error) {
      failure ??= { error };
    }
    return handle;
  };
  const handle = handleIn(value);
  if (handle !== undefined) drop(value as object, handle);
  else walk(value, new Set(), drop);
  if (failure !== undefined) throw failure.error;
}

/**
 * The value leaves its last owner whole (`Arc.intoInner`): the handles it
 * holds are this thread's now, as if moved to it; a channel end the value
 * lent is replaced by one owning the value's count. Returns the value.
 */
export function giveHeld<Value>(value: Value): Value {
  const give: Visit = (handle, codec) => {
    if (!isOwning(handle)) return readHeapHandle(codec.heap!.id(handle), true);
    handle[ownHere]();
    return handle;
  };
  const handle = handleIn(value);
  if (handle !== undefined) return give(value as object, handle) as Value;
  walk(value, new Set(), give);
  return value;
}

/** What `walk` does with a handle it finds: returns what replaces it. */
type Visit = (handle: object, codec: Codec) => object;

/** Whether a channel end may sit in a shared value: a sender (Sync); a `Receiver` never crosses inside one. */
function isSharedEnd(codec: Codec): boolean {
  return codec.heap !== undefined && codec.sync !== 'never';
}

function takeOne(handle: object, codec: Codec): object {
  if (isOwning(handle)) return handle[moveOut]();
  // The value's bytes-like form owns the end's count from now on; it lends a handle.
  const id = codec.heap!.id(handle);
  codec.heap!.move(handle, true);
  return readHeapHandle(id, false);
}

function dropOne(handle: object, codec: Codec): void {
  if (isOwning(handle)) {
    // A handle lent by the value (decoded in a thread the value reached) owns no count of its own: the value's goes.
    (handle as unknown as Disposable)[Symbol.dispose]();
    return;
  }
  (readHeapHandle(codec.heap!.id(handle), true) as Disposable)[Symbol.dispose]();
}

/** Calls `visit` on each handle owning a count in plain data, replacing it by what `visit` returns; whether it found any. */
function walk(value: unknown, seen: Set<object>, visit: Visit): boolean {
  if (typeof value !== 'object' || value === null || seen.has(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) {
    let found = false;
    for (let index = 0; index < value.length; index++) if (walkAt(value as unknown as Record<number, unknown>, index, seen, visit)) found = true;
    return found;
  }
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === Object.prototype || prototype === null) {
    let found = false;
    for (const key of Object.keys(value)) if (walkAt(value as Record<string, unknown>, key, seen, visit)) found = true;
    return found;
  }
  if (value instanceof Map) {
    let found = false;
    for (const [key, item] of [...(value as Map<unknown, unknown>)]) {
      const keyHandle = handleIn(key);
      const itemHandle = handleIn(item);
      const newKey = keyHandle !== undefined ? visit(key as object, keyHandle) : key;
      const newItem = itemHandle !== undefined ? visit(item as object, itemHandle) : item;
      if (newKey !== key) value.delete(key);
      if (newKey !== key || newItem !== item) value.set(newKey, newItem);
      if (keyHandle !== undefined || itemHandle !== undefined) found = true;
      if (keyHandle === undefined && walk(key, seen, visit)) found = true;
      if (itemHandle === undefined && walk(item, seen, visit)) found = true;
    }
    return found;
  }
  if (value instanceof Set) {
    let found = false;
    for (const item of [...(value as Set<unknown>)]) {
      const handle = handleIn(item);
      if (handle !== undefined) {
        const replaced = visit(item as object, handle);
        if (replaced !== item) {
          value.delete(item);
          value.add(replaced);
        }
        found = true;
      } else if (walk(item, seen, visit)) found = true;
    }
    return found;
  }
  return false;
}

/** `walk` at `container[key]` (an array's element, an object's property): a handle there is replaced by what `visit` returns. */
function walkAt<Key extends PropertyKey>(container: Record<Key, unknown>, key: Key, seen: Set<object>, visit: Visit): boolean {
  const item = container[key];
  const handle = handleIn(item);
  if (handle === undefined) return typeof item === 'object' && walk(item, seen, visit);
  container[key] = visit(item as object, handle);
  return true;
}

/** The codec of `item` if it is a handle owning a count that a shared value may hold. */
function handleIn(item: unknown): Codec | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const codec = codecFor(item);
  if (codec === undefined) return undefined;
  return isOwning(item) || isSharedEnd(codec) ? codec : undefined;
}
