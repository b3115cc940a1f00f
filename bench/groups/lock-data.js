// @ts-check
/**
 * Lock cost as the data grows, on the main thread: one critical section
 * (lock, one small change, release) on a queue and on a map of 10, 1,000 and
 * 100,000 elements. A plain array or Map in a Mutex is a private copy,
 * deserialized and serialized back on every lock, so its cost grows with its
 * size; a collection (`@sendsync/runtime/collections`) lives in shared memory
 * and is changed in place. The reference is a `Mutex<number>` doing the least
 * a critical section can (lock, `value += 1`, release).
 */
import { HashMap, VecDeque } from '@sendsync/runtime/collections';
import { Mutex } from '@sendsync/runtime/sync';

/** The sizes each structure is measured at. */
const SIZES = [10, 1_000, 100_000];

/** @param {number} size */
const label = (size) => size.toLocaleString('en-US');

/**
 * The rows of one structure at every size. The smallest is compared with the
 * `Mutex<number>` row, the others with the smallest (the cost of growing).
 * @param {object} spec
 * @param {string} spec.id
 * @param {string} spec.what the table's label, before the size
 * @param {'ours' | 'anchor'} spec.role
 * @param {'queue' | 'map'} spec.op what it does: rows of the same op and size are compared
 * @param {(size: number) => (n: number) => void} spec.make the data of `size` elements in a Mutex, and n critical sections on it
 * @param {import('../lib/measure.js').Budget} [spec.smallBudget] against `Mutex<number>`
 * @param {import('../lib/measure.js').Budget} [spec.growthBudget] of the larger sizes, against the smallest
 * @returns {import('../lib/measure.js').Row[]}
 */
function sized({ id, what, role, op, make, smallBudget, growthBudget }) {
  return SIZES.map((size, index) => {
    /** @type {(n: number) => void} */
    let sections = () => {};
    const budget = index === 0 ? smallBudget : growthBudget;
    return {
      id: `${role}.${id}-${size}`,
      label: `${what}, ${label(size)} elements`,
      role,
      op: `${op}-${size}`,
      floor: index === 0 ? 'floor.mutex-number' : `${role}.${id}-${SIZES[0]}`,
      kind: 'latency',
      ...(budget === undefined ? {} : { budget }),
      setup() {
        sections = make(size);
      },
      run(n) {
        const start = performance.now();
        sections(n);
        return performance.now() - start;
      },
    };
  });
}

/** @returns {import('../lib/measure.js').Group} */
export default function lockData() {
  const counter = new Mutex(0);

  return {
    id: 'lock-data',
    title: 'Lock cost as the data grows: lock, one change, release (main thread)',
    rows: [
      {
        id: 'floor.mutex-number',
        label: 'Mutex<number> lock, value += 1, release (the reference)',
        role: 'floor',
        op: 'lock',
        kind: 'latency',
        run(n) {
          const start = performance.now();
          for (let i = 0; i < n; i++) {
            const guard = counter.lock();
            guard.value += 1;
            guard[Symbol.dispose]();
          }
          return performance.now() - start;
        },
      },
      ...sized({
        id: 'deque',
        op: 'queue',
        what: 'Mutex<VecDeque<number>> lock, pushBack, popFront, release',
        role: 'ours',
        smallBudget: { of: 'vsFloor', max: 10, text: '≤ 10× Mutex<number>' },
        growthBudget: { of: 'vsFloor', max: 2, text: '≤ 2× at 10 elements' },
        make(size) {
          const queue = new Mutex(VecDeque.from(Array.from({ length: size }, (_, i) => i)));
          return (n) => {
            for (let i = 0; i < n; i++) {
              const guard = queue.lock();
              const deque = guard.value;
              deque.pushBack(i);
              deque.popFront();
              guard[Symbol.dispose]();
            }
          };
        },
      }),
      ...sized({
        id: 'hash-map',
        op: 'map',
        what: 'Mutex<HashMap<number, string>> lock, set, release',
        role: 'ours',
        growthBudget: { of: 'vsFloor', max: 2, text: '≤ 2× at 10 elements' },
        make(size) {
          const map = new Mutex(HashMap.from(Array.from({ length: size }, (_, i) => /** @type {[number, string]} */ ([i, `value ${i}`]))));
          return (n) => {
            for (let i = 0; i < n; i++) {
              const guard = map.lock();
              guard.value.set(i % size, 'changed');
              guard[Symbol.dispose]();
            }
          };
        },
      }),
      ...sized({
        id: 'array',
        op: 'queue',
        what: 'Mutex<number[]> (a copy per lock) lock, push, shift, release',
        role: 'anchor',
        make(size) {
          const queue = new Mutex(Array.from({ length: size }, (_, i) => i));
          return (n) => {
            for (let i = 0; i < n; i++) {
              const guard = queue.lock();
              guard.value.push(i);
              guard.value.shift();
              guard[Symbol.dispose]();
            }
          };
        },
      }),
      ...sized({
        id: 'map',
        op: 'map',
        what: 'Mutex<Map<number, string>> (a copy per lock) lock, set, release',
        role: 'anchor',
        make(size) {
          const map = new Mutex(new Map(Array.from({ length: size }, (_, i) => [i, `value ${i}`])));
          return (n) => {
            for (let i = 0; i < n; i++) {
              const guard = map.lock();
              guard.value.set(i % size, 'changed');
              guard[Symbol.dispose]();
            }
          };
        },
      }),
    ],
  };
}
