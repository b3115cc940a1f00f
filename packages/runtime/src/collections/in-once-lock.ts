/**
 * A collection set in a `OnceLock`: written once, then read by every thread,
 * so read-only for good (Rust's `OnceLock::get` gives `&T`). The threads that
 * hold the `OnceLock` may already run, and a buffer reaches a thread only in
 * a message, so the collection's own memory cannot reach them: its contents
 * are saved into the `OnceLock`'s growable buffer when it is set, and every
 * other thread loads its own read-only copy on its first read, as a cloned
 * value is deserialized once per thread. The setting thread keeps the memory
 * that moved in.
 */

import { growSharedArrayBuffer } from '../sync/es2024.js';
import { Core } from './core.js';
import { adopt, FROZEN, type Collection } from './handle.js';
import { classAt, classIndex } from './in-lock.js';

/** Byte offset of the saved memory in the buffer; word 0, before it, is the collection's class (`classIndex`). */
const SAVED_OFFSET = 8;

/**
 * Moves `collection` into `bytes`, a `OnceLock`'s growable buffer (the
 * handle given is unusable from now on); returns the read-only handle the
 * setting thread reads it through.
 *
 * @throws {RangeError} if its contents do not fit in the buffer, before anything moves.
 */
export function setCollectionOnce(collection: Collection, bytes: SharedArrayBuffer): Collection {
  const needed = SAVED_OFFSET + collection.live().savedBytes();
  const { maxByteLength } = bytes as unknown as { maxByteLength: number };
  if (needed > maxByteLength) throw new RangeError(`collection too large for a OnceLock (${maxByteLength / 2 ** 20} MiB)`);
  const index = classIndex(collection);
  const core = collection.take();
  if (needed > bytes.byteLength) growSharedArrayBuffer(bytes, needed);
  new Int32Array(bytes, 0, 1)[0] = index;
  core.saveTo(new Uint8Array(bytes, SAVED_OFFSET, needed - SAVED_OFFSET));
  return adopt(classAt(index), core, FROZEN);
}

/** A read-only copy of the collection `setCollectionOnce` saved into `bytes` (call once per thread and keep it). */
export function getCollectionOnce(bytes: SharedArrayBuffer): Collection {
  const index = new Int32Array(bytes, 0, 1)[0];
  return adopt(classAt(index), Core.load(new Uint8Array(bytes, SAVED_OFFSET)), FROZEN);
}
