import { describe, expect, it } from 'vitest';
import { borrow, Borrowed, current, move, Moved, PanicError, registerCodec, refuseToSend, scope, spawn, type Codec } from '@sendsync/runtime';
import { Rc } from '@sendsync/runtime/rc';
import { Cell, RefCell } from '@sendsync/runtime/cell';
import { Arc, AtomicU32, Mutex, Ordering } from '@sendsync/runtime/sync';
import { channel } from '@sendsync/runtime/sync/mpsc';

/* The run-time backstop: values that `any`, casts or plain JavaScript smuggle past tsc. */
/** What plain JavaScript, or a wrong cast, lets past `tsc`: the backstop must catch it. */
const smuggle = (value: unknown): never => value as never;

/** A structural type that an `Rc<number>` or a `MutexGuard<number>` fits: the upcast drops their brand. */
interface Reading {
  readonly value: number;
}

function e0277(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as Error).message;
  }
  throw new Error('expected a TypeError');
}

/** Runs `attempt`, which must throw a `TypeError`, and proves that no thread started meanwhile. */
function refusedBeforeAnyThread(attempt: () => unknown): string {
  const before = spawn(() => current().id()).join();
  const message = e0277(attempt);
  // Ids are handed out per spawn: exactly one more (this one) since `before`.
  expect(spawn(() => current().id()).join()).toBe(before + 1);
  return message;
}

describe('run-time Send backstop', { timeout: 30_000 }, () => {
  it('refuses a function, with the path to it', () => {
    const config = { name: 'x', cache: () => 1 };
    expect(e0277(() => move(1, smuggle({ config })))).toBe(
      '`Function` cannot be sent between threads safely (at captures[1].config.cache)',
    );
  });

  it("writes paths in the marker's grammar: [i], <key>, <value>, <item>, [symbol]", () => {
    expect(e0277(() => move(smuggle([1, Promise.resolve(1)])))).toBe(
      '`Promise<unknown>` cannot be sent between threads safely (at captures[0][i])',
    );
    expect(e0277(() => move(smuggle(new Map([[() => 1, 1]]))))).toBe(
      '`Function` cannot be sent between threads safely (at captures[0]<key>)',
    );
    class Session {
      token = 'abc';
    }
    expect(e0277(() => move(smuggle(new Map([['s', new Session()]]))))).toBe(
      '`Session` cannot be sent between threads safely (at captures[0]<value>)',
    );
    expect(e0277(() => move(smuggle({ tags: new Set([Symbol('s')]) })))).toBe(
      '`symbol` cannot be sent between threads safely (at captures[0].tags<item>)',
    );
    expect(e0277(() => move(smuggle({ [Symbol('s')]: 1 })))).toBe(
      '`symbol` cannot be sent between threads safely (at captures[0][symbol])',
    );
    expect(e0277(() => move(smuggle(new WeakMap())))).toBe(
      '`WeakMap<object, unknown>` cannot be sent between threads safely (at captures[0])',
    );
  });

  it('reports the shallowest culprit, as tsc does', () => {
    expect(e0277(() => move(smuggle({ a: { b: () => 1 }, c: Symbol('c') })))).toBe(
      '`symbol` cannot be sent between threads safely (at captures[0].c)',
    );
  });

  it('refuses a value nested more than 100 levels deep, as tsc does', () => {
    const nest = (depth: number): unknown => (depth === 0 ? 1 : { a: nest(depth - 1) });
    expect(() => move(smuggle(nest(99)))).not.toThrow();
    expect(e0277(() => move(smuggle(nest(100))))).toBe(
      `a value nested more than 100 levels deep cannot be proven Send (at captures[0]${'.a'.repeat(100)})`,
    );
  });

  it('leaves the values untouched and starts no thread', () => {
    const buffer = new ArrayBuffer(16);
    expect(refusedBeforeAnyThread(() => move(buffer, smuggle(() => 1)))).toBe(
      '`Function` cannot be sent between threads safely (at captures[1])',
    );
    // eslint-disable-next-line sendsync/no-use-after-move -- the move was refused: the buffer stayed here
    expect(buffer.byteLength).toBe(16);
  });

  it("walks a handle's parameter as its row says (T: Send, T: Send + Sync), at the handle's path", () => {
    expect(e0277(() => move(smuggle({ cell: new Cell(new Rc(1)) })))).toBe(
      '`Rc<number>` cannot be sent between threads safely (at captures[0].cell)',
    );
    expect(e0277(() => move(smuggle(new Arc(new Cell(1)))))).toBe(
      '`Cell<number>` cannot be shared between threads safely (at captures[0])',
    );
    expect(e0277(() => borrow(smuggle(new Cell([1]))))).toBe(
      '`Cell<number[]>` cannot be shared between threads safely (at borrows[0])',
    );
    // A lock stores only what is Send, handles included: the `Rc` inside the `Arc` is found.
    expect(e0277(() => new Mutex(smuggle(new Arc(new Rc(1)))))).toBe(
      '`Rc<number>` cannot be sent between threads safely (at value)',
    );
  });

  it("names a RefCell's guards, released ones too", () => {
    const cell = new RefCell([1]);
    const ref = cell.borrow();
    expect(e0277(() => move(smuggle(ref)))).toBe('`Ref<number[]>` cannot be sent between threads safely (at captures[0])');
    ref[Symbol.dispose]();
    expect(e0277(() => move(smuggle({ ref })))).toBe('`Ref` cannot be sent between threads safely (at captures[0].ref)');
    using write = cell.borrowMut();
    expect(e0277(() => borrow(smuggle(write)))).toBe('`RefMut<number[]>` cannot be shared between threads safely (at borrows[0])');
  });

  it('refuses what a library declares never Send, by its row name and parameter', () => {
    class Local<T> {
      constructor(readonly value: T) {}
    }
    refuseToSend<Local<unknown>>({ type: Local, name: 'Local', param: (local) => [local.value] });
    expect(e0277(() => move(smuggle({ deep: [new Local([1])] })))).toBe(
      '`Local<number[]>` cannot be sent between threads safely (at captures[0].deep[i])',
    );
  });

  it('a class with a codec crosses, and borrow refuses it when its row says never Sync', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
      norm(): number {
        return Math.hypot(this.x, this.y);
      }
    }
    registerCodec<Point, [number, number]>({
      tag: 'test:Point',
      type: Point,
      send: 'always',
      sync: 'never',
      encode: (point) => [point.x, point.y],
      decode: ([x, y]) => new Point(x, y),
    });
    expect(() => move(smuggle(new Point(3, 4)))).not.toThrow(); // a local class cannot be branded Send: tsc would refuse it
    expect(e0277(() => borrow(smuggle({ at: new Point(3, 4) })))).toBe(
      '`Point` cannot be shared between threads safely (at borrows[0].at)',
    );
    expect(e0277(() => borrow(smuggle(() => 1)))).toBe('`Function` cannot be shared between threads safely (at borrows[0])');
  });

  it("refuses a codec that does not state its row in the marker's words", () => {
    class Old {}
    const codec = { tag: 'test:Old', type: Old, encode: () => 0, decode: () => new Old(), sync: false };
    expect(e0277(() => registerCodec(codec as unknown as Codec<Old, number>))).toBe(
      "codec `test:Old`: `send` and `sync` must be 'always', 'never', 'T: Send', 'T: Sync' or 'T: Send + Sync' (got undefined)",
    );
  });

  it('accepts cycles and shared parts', () => {
    interface Node {
      next?: Node;
      list: number[];
    }
    const node: Node = { list: [1] };
    node.next = node;
    const twice = [node.list, node.list];
    expect(spawn(move(node, twice), (node, twice) => node.next === node && twice[0] === twice[1]).join()).toBe(true);
  });
});

describe('an Rc or a guard upcast to a structural type (issue 17, item 2)', { timeout: 30_000 }, () => {
  it('is refused when moved, before any thread starts', () => {
    const reading: Reading = new Rc(1);
    expect(refusedBeforeAnyThread(() => spawn(move(reading), (reading) => reading.value))).toBe(
      '`Rc<number>` cannot be sent between threads safely (at captures[0])',
    );
    const lock = new Mutex(1);
    using guard = lock.lock();
    const held: Reading = guard;
    expect(refusedBeforeAnyThread(() => spawn(move({ held }), ({ held }) => held.value))).toBe(
      '`MutexGuard<number>` cannot be sent between threads safely (at captures[0].held)',
    );
  });

  it('is refused when borrowed by a scoped thread, before it starts', () => {
    const reading: Reading = new Rc(2);
    expect(refusedBeforeAnyThread(() => scope((s) => s.spawn(borrow([reading]), (list) => list[0]?.value)))).toBe(
      '`Rc<number>` cannot be shared between threads safely (at borrows[0][i])',
    );
  });

  it('is refused when sent on a channel, and nothing is sent', () => {
    const [tx, rx] = channel<Reading>();
    const lock = new Mutex(3);
    using guard = lock.lock();
    expect(e0277(() => tx.send(guard))).toBe('`MutexGuard<number>` cannot be sent between threads safely (at value)');
    expect(e0277(() => tx.send(new Rc(3)))).toBe('`Rc<number>` cannot be sent between threads safely (at value)');
    expect(() => rx.tryRecv()).toThrow('receiving on an empty channel');
  });

  it('is refused when stored in a lock', () => {
    expect(e0277(() => new Mutex<Reading>(new Rc(4)))).toBe('`Rc<number>` cannot be sent between threads safely (at value)');
    const lock = new Mutex<Reading>({ value: 4 });
    // Checked as the guard writes the value back: the old value stays.
    expect(
      e0277(() => {
        using guard = lock.lock();
        guard.value = new Rc(5);
      }),
    ).toBe('`Rc<number>` cannot be sent between threads safely (at value)');
    expect(
      e0277(() => {
        using guard = lock.lock();
        (guard.value as { value: unknown }).value = new Rc(5);
      }),
    ).toBe('`Rc<number>` cannot be sent between threads safely (at value.value)');
    using guard = lock.lock();
    expect(guard.value).toEqual({ value: 4 });
  });

  it("is refused as a thread's result: join reports the E0277 sentence", () => {
    const handle = spawn(() => {
      const reading: Reading = new Rc(6);
      return reading;
    });
    let thrown: unknown;
    try {
      handle.join();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PanicError);
    expect(((thrown as PanicError).cause as Error).message).toBe('`Rc<number>` cannot be sent between threads safely (at result)');
  });
});

describe('captures made other than by move(...) or borrow(...) (issue 17, item 6)', { timeout: 30_000 }, () => {
  it('a directly constructed Moved or Borrowed is refused at once', () => {
    const Forge = Moved as unknown as new (values: unknown[]) => Moved<unknown[]>;
    expect(e0277(() => new Forge([new Rc(1)]))).toBe('a `Moved` is made by `move(...)`, which checks its values');
    const ForgeBorrow = Borrowed as unknown as new (values: unknown[]) => Borrowed<unknown[]>;
    expect(e0277(() => new ForgeBorrow([new Cell(1)]))).toBe('a `Borrowed` is made by `borrow(...)`, which checks its values');
  });

  it('a forged one is refused by spawn, before any thread starts', () => {
    const forged = Object.assign(Object.create(Moved.prototype) as Moved<[Rc<number>]>, { values: [new Rc(1)] });
    expect(refusedBeforeAnyThread(() => spawn(forged, (_rc) => 0))).toBe(
      'expected move(...): its values are checked, anything else is refused',
    );
    const lookalike = smuggle({ values: [new Rc(1)] });
    expect(refusedBeforeAnyThread(() => spawn(lookalike, () => 0))).toBe(
      'expected move(...): its values are checked, anything else is refused',
    );
    const forgedBorrow = Object.create(Borrowed.prototype) as Borrowed<[Cell<number>]>;
    expect(refusedBeforeAnyThread(() => scope((s) => s.spawn(forgedBorrow, (cell) => cell.get())))).toBe(
      'expected borrow(...): its values are checked, anything else is refused',
    );
  });

  it('a genuine one still crosses', () => {
    expect(spawn(move([1, 2]), (list) => list.length).join()).toBe(2);
  });
});

describe('values shaped like built-ins (issue 17, items 3 and 8)', { timeout: 30_000 }, () => {
  it('an Error whose cause is not Send is refused, at .cause', () => {
    expect(refusedBeforeAnyThread(() => spawn(move(new Error('e', { cause: () => 1 })), (error) => error.message))).toBe(
      '`Function` cannot be sent between threads safely (at captures[0].cause)',
    );
    expect(e0277(() => move(new Error('e', { cause: { session: new Rc(1) } })))).toBe(
      '`Rc<number>` cannot be sent between threads safely (at captures[0].cause.session)',
    );
  });

  it('an Error whose cause is Send arrives with it, handles included', () => {
    const hits = new Arc(new AtomicU32(0));
    const error = new RangeError('out of range', { cause: { code: 7, hits: hits.clone() } });
    const seen = spawn(move(error), (error) => {
      const cause = error.cause as { code: number; hits: Arc<AtomicU32> };
      cause.hits.value.fetchAdd(1, Ordering.Relaxed);
      return [error instanceof RangeError, error.message, cause.code];
    }).join();
    expect(seen).toEqual([true, 'out of range', 7]);
    expect(hits.value.load(Ordering.Relaxed)).toBe(1);
  });

  it('an Error with an added property, or a renamed one, is refused: a copy would lose it', () => {
    expect(e0277(() => move(Object.assign(new Error('busy'), { code: 'E_BUSY' })))).toBe(
      '`Error` cannot be sent between threads safely: a copy would lose its property `code` (at captures[0])',
    );
    const renamed = new TypeError('t');
    renamed.name = 'ConfigError';
    expect(e0277(() => move(renamed))).toBe(
      '`TypeError` cannot be sent between threads safely: a copy would lose its property `name` (at captures[0])',
    );
    class HttpError extends Error {}
    expect(e0277(() => move(new HttpError('404')))).toBe('`HttpError` cannot be sent between threads safely (at captures[0])');
  });

  it('subclasses of Map, Set, Array, Uint8Array and Date are refused: a copy would be the plain built-in', () => {
    class Registry extends Map<string, number> {
      owner = 'me';
    }
    class Tags extends Set<string> {}
    class Row extends Array<number> {}
    class Tagged extends Uint8Array {
      tag = 't';
    }
    class Deadline extends Date {}
    for (const [value, name] of [
      [new Registry(), 'Registry'],
      [new Tags(), 'Tags'],
      [Row.from([1]), 'Row'],
      [new Tagged(2), 'Tagged'],
      [new Deadline(0), 'Deadline'],
    ] as const) {
      expect(e0277(() => move({ value: smuggle(value) }))).toBe(`\`${name}\` cannot be sent between threads safely (at captures[0].value)`);
    }
  });

  it('a Map, Set or Date with an added property is refused', () => {
    expect(e0277(() => move(Object.assign(new Map([['a', 1]]), { owner: 'me' })))).toBe(
      '`Map<string, number>` cannot be sent between threads safely: a copy would lose its property `owner` (at captures[0])',
    );
    expect(e0277(() => borrow(Object.assign(new Set([1]), { label: 'x' })))).toBe(
      '`Set<number>` cannot be shared between threads safely: a copy would lose its property `label` (at borrows[0])',
    );
    expect(e0277(() => move(Object.assign(new Date(0), { zone: 'UTC' })))).toBe(
      '`Date` cannot be sent between threads safely: a copy would lose its property `zone` (at captures[0])',
    );
  });

  it('a class instance holding an Rc in a #private field is refused, by its class name', () => {
    class Holder {
      readonly #cache = new Rc(1);
      get cached(): number {
        return this.#cache.value;
      }
    }
    expect(refusedBeforeAnyThread(() => spawn(move(smuggle(new Holder())), (_holder) => 0))).toBe(
      '`Holder` cannot be sent between threads safely (at captures[0])',
    );
  });
});
