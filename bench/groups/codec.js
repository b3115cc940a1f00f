// @ts-check
/**
 * The value codec: one round trip (to bytes and back) of values of several
 * shapes and sizes, on the main thread. Ours is the portable serializer that
 * locks and channels use on every host (`internal/serializer.ts`); the anchor
 * is what the runtime used before on Node, `v8.serialize` + `v8.deserialize`;
 * the floor is `structuredClone`, which copies without making bytes at all.
 */
import { deserialize as v8Deserialize, serialize as v8Serialize } from 'node:v8';
import { deserialize, serialize } from '../../packages/runtime/dist/internal/serializer.js';

/** The values measured: a label and a maker (each row gets its own copy). */
const VALUES = [
  ['small', 'a small object { id, name, done }', () => ({ id: 5, name: 'job', done: false })],
  ['objects-100', '100 objects { id, name, tags }', () => Array.from({ length: 100 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'] }))],
  ['numbers-10k', 'an array of 10,000 doubles', () => Array.from({ length: 10_000 }, (_, i) => i * 1.5)],
  ['map-1000', 'a Map of 1,000 number → string', () => new Map(Array.from({ length: 1000 }, (_, i) => [i, `v${i}`]))],
  ['string-10k', 'a 10,000-character string', () => 'abc'.repeat(3334)],
  ['bytes-1m', 'a 1 MiB Uint8Array', () => new Uint8Array(1 << 20).fill(7)],
];

/** @returns {import('../lib/measure.js').Group} */
export default function codec() {
  /** @type {import('../lib/measure.js').Row[]} */
  const rows = [];
  for (const [id, what, make] of /** @type {[string, string, () => unknown][]} */ (VALUES)) {
    /**
     * @param {'floor' | 'anchor' | 'ours'} role
     * @param {string} name
     * @param {string} label
     * @param {(value: unknown) => unknown} roundTrip
     * @returns {import('../lib/measure.js').Row}
     */
    const row = (role, name, label, roundTrip) => {
      const value = make();
      return {
        id: `${role}.${name}-${id}`,
        label: `${label}: ${what}`,
        role,
        op: `codec-${id}`,
        floor: `floor.structured-clone-${id}`,
        kind: 'latency',
        run(n) {
          const start = performance.now();
          for (let i = 0; i < n; i++) roundTrip(value);
          return performance.now() - start;
        },
      };
    };
    rows.push(
      row('floor', 'structured-clone', 'structuredClone', (value) => structuredClone(value)),
      row('anchor', 'v8', 'v8.serialize + v8.deserialize', (value) => v8Deserialize(v8Serialize(value))),
      row('ours', 'serializer', 'portable serializer, to bytes and back', (value) => deserialize(serialize(value))),
    );
  }
  return { id: 'codec', title: 'Value codec: one round trip to bytes and back (main thread)', rows };
}
