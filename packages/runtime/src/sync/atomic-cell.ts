/**
 * The cell under every atomic (`AtomicBool`, and the integer atomics through
 * `AtomicInteger`): one element of a view over a `SharedArrayBuffer`, and the
 * codec that carries an atomic across threads as that cell.
 */

import { registerCodec } from '../codec.js';
import { ownedHandles } from './owned-handle.js';

/** The views an atomic's cell may be an element of. */
export type AtomicCellArray = Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

/** The wire form of an atomic: its memory and the index of its cell. */
interface AtomicWire {
  readonly memory: SharedArrayBuffer;
  readonly index: number;
}

/**
 * Base of the atomics: the cell they operate on. Its constructor takes an
 * existing cell, so that a handle received from another thread is built over
 * the sender's cell (see `registerAtomicCodec`), while each atomic's public
 * constructor makes a new one.
 */
export abstract class AtomicCell<Cell extends AtomicCellArray> {
  /** @internal The cell (the array's element `index`). */
  readonly cell: Cell;
  /** @internal Index of the cell in `cell`. */
  readonly index: number;

  /** @internal */
  constructor(cell: Cell, index: number) {
    this.cell = cell;
    this.index = index;
  }
}

// Every atomic moves as a Rust value does (see owned-handle.ts).
ownedHandles(AtomicCell);

/**
 * Registers the codec of the atomic class `type`, whose cells are elements
 * of `View` arrays: it crosses as its memory and index, and is rebuilt over
 * that same cell by `AtomicCell`'s constructor, with `type` as its class
 * (`type`'s own constructor would allocate a new cell, so it must add no
 * fields of its own).
 */
export function registerAtomicCodec<Atomic extends AtomicCell<AtomicCellArray>>(
  module: string,
  name: string,
  type: abstract new (...args: never[]) => Atomic,
  View: new (memory: SharedArrayBuffer) => AtomicCellArray,
): void {
  registerCodec<Atomic, AtomicWire>({
    module,
    tag: `sendsync:${name}`,
    handle: 'shared',
    type,
    send: 'always',
    sync: 'always',
    encode(atomic) {
      return { memory: atomic.cell.buffer as SharedArrayBuffer, index: atomic.index };
    },
    decode(wire) {
      return Reflect.construct(AtomicCell, [new View(wire.memory), wire.index], type) as Atomic;
    },
  });
}
