/**
 * The handles owning a count inside a value that another handle owns (an
 * `Arc`, a `Sender`, a lock or an atomic in an `Arc`'s data), which move in
 * with the value and are dropped with it, as Rust moves and drops a
 * struct's fields.
 *
 * The handles the value holds are lent to whoever reads it (`lentAt`): they
 * are used, never dropped nor moved by hand (rustc's E0507); only the
 * value's last owner drops them (`dropHeld`) or gives them away
 * (`giveHeld`).
 *
 * `takeHeld` and `dropHeld` walk plain data only (arrays, plain objects,
 * `Map`s, `Set`s): a handle inside another handle's value (an `Arc` in a
 * `Mutex`'s data) is that handle's, which moves and drops it itself.
 */

import { codecFor, isOwning, moveOut, ownHere, readHeapHandle, type Codec } from '../codec.js';
import { lentAt, moveInPlace, refuseLent, type Lendable, type MovableInPlace } from '../use-after-drop-error.js';

/**
 * The value's handles owning a count (an `Arc`, a `Weak`, a `Sender` or
 * `SyncSender`, a `Receiver`, the value itself or inside it) move into it:
 * each is replaced, where it sits, by a handle that the value owns and lends
 * (see `lentAt`), and the one given is left moved (used again, it throws
 * rustc's E0382); a `Receiver`, which never leaves its thread inside a
 * shared value, is replaced by one over the same channel in this thread
 * (see `moveInPlace`), and the one given is left moved too. Returns the value to keep (itself,
 * unless it is such a handle), or `undefined` when it holds none, so that
 * its owner never walks it again. A handle that another `Arc`'s data lends
 * is refused first (rustc's E0507), and nothing moves then.
 */
export function takeHeld<Value>(value: Value): { readonly value: Value } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const refuse: Visit = (handle) => {
    refuseLent(handle);
    // A handle moving in place refuses a move it cannot make (it moved, was dropped, or a lock lends it) before anything moves.
    (handle as Partial<MovableInPlace>)[moveInPlace]?.(false);
    return handle;
  };
  if (!visitHeld(value, refuse).found) return undefined;
  return { value: visitHeld(value, takeOne).value };
}

/**
 * A value decoded in a thread that an `Arc` holding it reached: its handles
 * are lent by the `Arc`'s data there too (see `lentAt`).
 */
export function lendHeld(value: unknown): void {
  visitHeld(value, (handle, _codec, path) => lend(handle, path));
}

/** The value's last owner drops it: so are the handles it holds (see `takeHeld`), once each. */
export function dropHeld(value: unknown): void {
  let failure: { error: unknown } | undefined;
  visitHeld(value, (handle, codec) => {
    try {
      dropOne(handle, codec);
    } catch (error) {
      failure ??= { error };
    }
    return handle;
  });
  if (failure !== undefined) throw failure.error;
}

/**
 * The value leaves its last owner whole (`Arc.intoInner`): the handles it
 * holds are this thread's now, as if moved to it; a channel end the value
 * lent is replaced by one owning the value's count. Returns the value.
 */
export function giveHeld<Value>(value: Value): Value {
  return visitHeld(value, (handle, codec) => {
    unlend(handle);
    if (isOwning(handle)) {
      handle[ownHere]();
      return handle;
    }
    return isSharedEnd(codec) ? readHeapHandle(codec.heap!.id(handle), true) : handle;
  }).value;
}

/**
 * A value this thread received inside another handle's wire form (a moved
 * `Receiver`'s messages not yet received) is its own: the handles owning a
 * count in its plain data are dropped when this thread ends, unless dropped
 * or moved first (see `Owning`). Its channel ends own their counts already.
 */
export function ownHeld(value: unknown): void {
  visitHeld(value, (handle) => {
    if (isOwning(handle)) handle[ownHere]();
    return handle;
  });
}

/**
 * What `visitHeld` does with a handle it finds: returns what replaces it.
 * `path` says where it sits (`arc.value.reply`), for a mark (see `lentAt`).
 */
type Visit = (handle: object, codec: Codec, path: () => string) => object;

/** Whether a channel end may sit in a shared value: a sender (Sync); a `Receiver` stays in its thread, where it is. */
function isSharedEnd(codec: Codec): boolean {
  return codec.heap !== undefined && codec.sync !== 'never';
}

function takeOne(handle: object, codec: Codec, path: () => string): object {
  let lent = handle;
  if (isOwning(handle)) lent = handle[moveOut]();
  else if (isSharedEnd(codec)) {
    // The value's bytes-like form owns the end's count from now on; it lends a handle.
    const id = codec.heap!.id(handle);
    codec.heap!.move(handle, true);
    lent = readHeapHandle(id, false);
  } else if (moveInPlace in handle) lent = (handle as MovableInPlace)[moveInPlace](true);
  return lend(lent, path);
}

function lend(handle: object, path: () => string): object {
  (handle as Lendable)[lentAt] = path();
  return handle;
}

function dropOne(handle: object, codec: Codec): void {
  // The value's owner drops what it lent.
  unlend(handle);
  if (isOwning(handle) || !isSharedEnd(codec)) {
    // A handle lent by the value (decoded in a thread the value reached) owns no count of its own: the value's goes.
    (handle as unknown as Disposable)[Symbol.dispose]();
    return;
  }
  (readHeapHandle(codec.heap!.id(handle), true) as Disposable)[Symbol.dispose]();
}

/** The handle is its holder's again (the value's owner drops it, or gives it away). */
function unlend(handle: object): void {
  (handle as Lendable)[lentAt] = undefined;
}

/**
 * Calls `visit` on the value if it is a handle, else on each handle owning a
 * count in its plain data, replacing it by what `visit` returns. Returns the
 * value (or what replaced it) and whether it found any handle.
 */
function visitHeld<Value>(value: Value, visit: Visit): { readonly value: Value; readonly found: boolean } {
  const keys: string[] = [];
  const path = (): string => `arc.value${keys.join('')}`;
  const handle = handleIn(value);
  if (handle !== undefined) return { value: visit(value as object, handle, path) as Value, found: true };
  return { value, found: walk(value, new Set(), visit, keys, path) };
}

/** Calls `visit` on each handle in plain data (see `visitHeld`), `keys` saying where the walk is; whether it found any. */
function walk(value: unknown, seen: Set<object>, visit: Visit, keys: string[], path: () => string): boolean {
  if (typeof value !== 'object' || value === null || seen.has(value)) return false;
  seen.add(value);
  let found = false;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      keys.push(`[${index}]`);
      if (walkAt(value as unknown as Record<number, unknown>, index, seen, visit, keys, path)) found = true;
      keys.pop();
    }
    return found;
  }
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === Object.prototype || prototype === null) {
    for (const key of Object.keys(value)) {
      keys.push(/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);
      if (walkAt(value as Record<string, unknown>, key, seen, visit, keys, path)) found = true;
      keys.pop();
    }
    return found;
  }
  if (value instanceof Map) {
    for (const [key, item] of [...(value as Map<unknown, unknown>)]) {
      keys.push(typeof key === 'string' || typeof key === 'number' ? `.get(${JSON.stringify(key)})` : '.get(…)');
      const keyHandle = handleIn(key);
      const itemHandle = handleIn(item);
      const newKey = keyHandle !== undefined ? visit(key as object, keyHandle, path) : key;
      const newItem = itemHandle !== undefined ? visit(item as object, itemHandle, path) : item;
      if (newKey !== key) value.delete(key);
      if (newKey !== key || newItem !== item) value.set(newKey, newItem);
      if (keyHandle !== undefined || itemHandle !== undefined) found = true;
      if (keyHandle === undefined && walk(key, seen, visit, keys, path)) found = true;
      if (itemHandle === undefined && walk(item, seen, visit, keys, path)) found = true;
      keys.pop();
    }
    return found;
  }
  if (value instanceof Set) {
    keys.push('.values()…');
    for (const item of [...(value as Set<unknown>)]) {
      const handle = handleIn(item);
      if (handle !== undefined) {
        const replaced = visit(item as object, handle, path);
        if (replaced !== item) {
          value.delete(item);
          value.add(replaced);
        }
        found = true;
      } else if (walk(item, seen, visit, keys, path)) found = true;
    }
    keys.pop();
  }
  return found;
}

/** `walk` at `container[key]` (an array's element, an object's property): a handle there is replaced by what `visit` returns. */
function walkAt<Key extends PropertyKey>(container: Record<Key, unknown>, key: Key, seen: Set<object>, visit: Visit, keys: string[], path: () => string): boolean {
  const item = container[key];
  const handle = handleIn(item);
  if (handle === undefined) return typeof item === 'object' && walk(item, seen, visit, keys, path);
  const replaced = visit(item as object, handle, path);
  if (replaced !== item) container[key] = replaced;
  return true;
}

/** The codec of `item` if it is a handle owning a count or a channel end. */
function handleIn(item: unknown): Codec | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const codec = codecFor(item);
  if (codec === undefined) return undefined;
  return isOwning(item) || codec.heap !== undefined ? codec : undefined;
}
