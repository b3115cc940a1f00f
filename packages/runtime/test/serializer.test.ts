import { describe, expect, it } from 'vitest';
import { deserialize, serialize, SharedMemoryError, type HostObjects } from '../dist/internal/serializer.js';
import { portableUtf16Decoder, utf16Decoder } from '../dist/internal/utf16.js';

/** A round trip through bytes in shared memory, as a lock or a channel does it. */
function roundTrip(value: unknown, host?: HostObjects): unknown {
  const bytes = serialize(value, host);
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.length + 8), 8, bytes.length);
  shared.set(bytes);
  return deserialize(shared, host);
}

// The portable serializer keeps what structured clone keeps: each case is compared with `structuredClone`.
describe('the portable serializer', () => {
  const cases: Record<string, unknown> = {
    undefined: undefined,
    null: null,
    booleans: [true, false],
    'numbers (int32 edges, -0, NaN, infinities, doubles)': [0, -0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, NaN, Infinity, -Infinity, 0.1, Number.MAX_VALUE, Number.MIN_VALUE],
    'bigints (0, negative, many words)': [0n, -1n, 2n ** 64n, -(2n ** 200n) + 12345n],
    'strings (empty, short, latin1, long ASCII, emoji, lone surrogates short and long)': ['', 'a', 'héllo', 'x'.repeat(10_000), `${'é'.repeat(40)}😀`, 'a\uD800b', `${'y'.repeat(50)}\uDC00`, '\u0100'.repeat(3)],
    'a sparse array': [1, , 3],
    'plain objects, a null-prototype one': { a: 1, nested: { b: [2] }, free: Object.assign(Object.create(null) as object, { c: 3 }) },
    'Map and Set with object keys': new Map<unknown, unknown>([[{ k: 1 }, new Set([1, 'two', { three: 3 }])]]),
    'Date and RegExp': [new Date(1_700_000_000_000), /a+b/giu],
    'boxed primitives': [Object(1), Object('s'), Object(true), Object(5n)],
    'ArrayBuffer, typed arrays of each kind, DataView': [
      new Uint8Array([1, 2, 3]).buffer,
      new Int8Array([-1]),
      new Uint8ClampedArray([255]),
      new Int16Array([-2]),
      new Uint16Array([2]),
      new Int32Array([-3]),
      new Uint32Array([3]),
      new Float32Array([1.5]),
      new Float64Array([2.5]),
      new BigInt64Array([-4n]),
      new BigUint64Array([4n]),
      new DataView(new ArrayBuffer(8), 2, 4),
    ],
    'a view of part of a buffer keeps its whole buffer and offset': new Float64Array(new ArrayBuffer(64), 16, 3),
  };
  for (const [name, value] of Object.entries(cases)) {
    it(`round-trips ${name}`, () => {
      expect(roundTrip(value)).toStrictEqual(structuredClone(value));
    });
  }

  it('keeps errors: class, name, message, stack, cause', () => {
    const error = new RangeError('out', { cause: { why: 'because' } });
    const copy = roundTrip(error) as RangeError;
    expect(copy).toBeInstanceOf(RangeError);
    expect(copy.message).toBe('out');
    expect(copy.stack).toBe(error.stack);
    expect(copy.cause).toEqual({ why: 'because' });
    const named = new Error('named');
    named.name = 'Custom';
    expect((roundTrip(named) as Error).name).toBe('Custom');
  });

  it('keeps cycles and shared references, and views sharing a buffer', () => {
    const shared = { s: 1 };
    const buffer = new ArrayBuffer(8);
    const value: Record<string, unknown> = { a: shared, b: shared, bytes: new Uint8Array(buffer), words: new Uint16Array(buffer, 2, 1) };
    value.self = value;
    const copy = roundTrip(value) as typeof value & { bytes: Uint8Array; words: Uint16Array };
    expect(copy.self).toBe(copy);
    expect(copy.a).toBe(copy.b);
    expect(copy.bytes.buffer).toBe(copy.words.buffer);
    copy.words[0] = 0x0102;
    expect([...copy.bytes.subarray(2, 4)]).toEqual([2, 1]);
  });

  it('refuses what structured clone refuses, saying what and where', () => {
    expect(() => serialize({ list: [1, { run: () => 1 }] })).toThrow('the function run could not be cloned (at value.list[1].run)');
    expect(() => serialize(new Map([[1, Symbol('s')]]))).toThrow('the symbol Symbol(s) could not be cloned (at value.<entry>)');
    expect(() => serialize({ p: Promise.resolve() })).toThrow('a Promise could not be cloned (at value.p)');
    expect(() => serialize([new WeakMap()])).toThrow('a WeakMap could not be cloned (at value[0])');
    const error = (() => {
      try {
        serialize({ view: new Int32Array(new SharedArrayBuffer(8)) });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SharedMemoryError);
    expect((error as Error).message).toBe('shared memory (a SharedArrayBuffer or a view over one) cannot be copied into bytes (at value.view)');
    expect(() => serialize(new SharedArrayBuffer(1))).toThrow(SharedMemoryError);
    // A refusal leaves the serializer usable.
    expect(roundTrip({ after: 'refusal' })).toEqual({ after: 'refusal' });
  });

  it('copies other objects as plain ones, as structured clone does', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    expect(roundTrip(new Point(1, 2))).toStrictEqual(structuredClone(new Point(1, 2)));
  });

  it('writes host objects as ids in their table, once each, and reads them back', () => {
    class Handle {}
    const table: object[] = [];
    const host: HostObjects = {
      write: (value) => (value instanceof Handle ? table.push(value) - 1 : -1),
      read: (id) => table[id],
    };
    const handle = new Handle();
    const copy = roundTrip({ one: handle, again: handle, list: [new Handle()] }, host) as { one: Handle; again: Handle; list: Handle[] };
    expect(table).toHaveLength(2);
    expect(copy.one).toBe(handle);
    expect(copy.again).toBe(handle);
    expect(copy.list[0]).toBe(table[1]);
  });

  it('values bigger than its kept buffer, one after another', () => {
    const big = { data: 'z'.repeat(3_000_000), list: Array.from({ length: 100_000 }, (_, i) => i) };
    expect(roundTrip(big)).toEqual(big);
    expect(roundTrip([1, 2])).toEqual([1, 2]);
  });

  it('refuses malformed bytes with a TypeError, not a wrong value', () => {
    expect(() => deserialize(new Uint8Array([200]))).toThrow(TypeError);
    expect(() => deserialize(Uint8Array.of(...serialize('abc'), 0))).toThrow('bytes left over');
  });
});

// Arrays of strings are one run of UTF-8 (the format's STRINGS and ASCII_STRINGS): the tag is the first byte.
describe('arrays of strings', () => {
  const ARRAY = 11;
  const STRINGS = 23;
  const ASCII_STRINGS = 24;
  const lines = (count: number, make: (i: number) => string): string[] => Array.from({ length: count }, (_, i) => make(i));
  const cases: [string, string[], number][] = [
    ['ASCII lines', lines(1000, (i) => `line ${i} GET /items/${i} 200`), ASCII_STRINGS],
    ['ASCII lines past an encoding run (16 Ki units) and a decoding run (32 KiB)', lines(3000, (i) => `${i}`.padEnd(1 + ((i * 7919) % 300), 'abc')), ASCII_STRINGS],
    ['Latin-1 lines', lines(500, (i) => `café ${i} déjà ÿ`), STRINGS],
    ['BMP and astral lines', lines(500, (i) => `東京 ${i} 😀𝄞`), STRINGS],
    ['ASCII runs, then not', [...lines(2000, (i) => `plain ${i} ${'x'.repeat(i % 40)}`), ...lines(100, (i) => `après ${i}`)], STRINGS],
    ['empty strings among long ones', lines(300, (i) => (i % 3 === 0 ? '' : `word ${i} `.repeat(5))), ASCII_STRINGS],
    ['one long string and an empty one', ['é'.repeat(100_000), ''], STRINGS],
    ['a lone surrogate: element by element', lines(100, (i) => (i === 50 ? 'lone \uD800 here' : `line ${i}`)), ARRAY],
    ["a pair's halves in two elements: element by element", ['high \uD83D', '\uDE00 low', 'x'.repeat(100)], ARRAY],
    ['fewer than 64 units in all: element by element, by hand', ['a', 'bc', ''], ARRAY],
    ['a hole: element by element', [...lines(50, (i) => `line ${i}`), , ...lines(50, (i) => `line ${i}`)] as string[], ARRAY],
  ];
  for (const [name, value, tag] of cases) {
    it(`${name}: read back exactly from shared memory`, () => {
      const bytes = serialize(value);
      expect(bytes[0]).toBe(tag);
      expect(roundTrip(value)).toEqual(structuredClone(value));
    });
  }

  it('keeps its place among references: the same array twice, inside objects', () => {
    const shared = lines(100, (i) => `shared ${i}`);
    const value = { a: shared, b: [shared, { c: shared }], d: lines(10, (i) => `other ${i} ...........`) };
    const copy = roundTrip(value) as typeof value;
    expect(copy).toEqual(value);
    expect(copy.b[0]).toBe(copy.a);
  });

  it('reads each element once, as structured clone does: a getter giving another value the second time', () => {
    const value = lines(100, (i) => `line ${i}`);
    let reads = 0;
    Object.defineProperty(value, 3, { enumerable: true, get: () => (reads++ === 0 ? 'first read' : 42) });
    expect(roundTrip(value)).toEqual([...lines(3, (i) => `line ${i}`), 'first read', ...lines(100, (i) => `line ${i}`).slice(4)]);
    expect(reads).toBe(1);
  });

  it('reads each element once when the strings end early: a getter among them, then a number', () => {
    const value: unknown[] = ['a', 'b', 'c', 7];
    let reads = 0;
    Object.defineProperty(value, 1, { enumerable: true, get: () => (reads++ === 0 ? 'first read' : 42) });
    expect(roundTrip(value)).toEqual(['a', 'first read', 'c', 7]);
    expect(reads).toBe(1);
  });

  it('refuses bytes whose lengths do not add up with a TypeError', () => {
    const bytes = serialize(lines(100, (i) => `line ${i}`)).slice();
    // The last element's length, one too many.
    bytes[bytes.length - 1]++;
    expect(() => deserialize(bytes)).toThrow(TypeError);
  });
});

describe('UTF-16 decoding out of shared memory', () => {
  const text = 'héllo \uD800 wörld 😀';
  const units = new Uint16Array(new SharedArrayBuffer(64), 8, 24);
  for (let i = 0; i < text.length; i++) units[i + 2] = text.charCodeAt(i);
  it('the native and the portable decoders read the same units, lone surrogates kept', () => {
    expect(utf16Decoder(units)(2, text.length)).toBe(text);
    expect(portableUtf16Decoder(units)(2, text.length)).toBe(text);
  });
});
