import { describe, expect, it } from 'vitest';
import { borrow, current, move, registerCodec, refuseToSend, spawn } from '@sendsync/runtime';

/* The run-time backstop: values that `any` or plain JavaScript smuggle past tsc. */
/** What plain JavaScript, or a wrong cast, lets past `tsc`: the backstop must catch it. */
const smuggle = (value: unknown): never => value as never;

function e0277(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as Error).message;
  }
  throw new Error('expected a TypeError');
}

describe('run-time Send backstop', { timeout: 20_000 }, () => {
  it('refuses a function, with the path to it', () => {
    const config = { name: 'x', cache: () => 1 };
    expect(e0277(() => move(1, smuggle({ config })))).toBe(
      '`Function` cannot be sent between threads safely (at captures[1].config.cache)',
    );
  });

  it('refuses symbols, promises, weak collections and class instances without a codec', () => {
    expect(e0277(() => move(smuggle(Symbol('s'))))).toBe('`symbol` cannot be sent between threads safely (at captures[0])');
    expect(e0277(() => move(smuggle([1, Promise.resolve(1)])))).toBe(
      '`Promise<unknown>` cannot be sent between threads safely (at captures[0][1])',
    );
    expect(e0277(() => move(smuggle(new WeakMap())))).toBe('`WeakMap` cannot be sent between threads safely (at captures[0])');
    class Session {
      token = 'abc';
    }
    expect(e0277(() => move(smuggle(new Map([['s', new Session()]]))))).toBe(
      '`Session` cannot be sent between threads safely (at captures[0].get("s"))',
    );
  });

  it('leaves the values untouched and starts no thread', () => {
    const buffer = new ArrayBuffer(16);
    const before = spawn(() => current().id()).join();
    expect(() => move(buffer, smuggle(() => 1))).toThrow(TypeError);
    expect(buffer.byteLength).toBe(16);
    // Ids are handed out per spawn: exactly one more (this one) since `before`.
    expect(spawn(() => current().id()).join()).toBe(before + 1);
  });

  it('refuses what a library declares never Send, by its name', () => {
    class Local<T> {
      constructor(readonly value: T) {}
    }
    refuseToSend({ type: Local, name: (local: Local<unknown>) => `Local<${typeof local.value}>` });
    expect(e0277(() => move(smuggle({ deep: [new Local(1)] })))).toBe(
      '`Local<number>` cannot be sent between threads safely (at captures[0].deep[0])',
    );
  });

  it('a class with a codec crosses, and borrow refuses what is not Sync', () => {
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
      encode: (point) => [point.x, point.y],
      decode: ([x, y]) => new Point(x, y),
      sync: false,
    });
    expect(() => move(smuggle(new Point(3, 4)))).not.toThrow(); // a local class cannot be branded Send: tsc would refuse it
    expect(e0277(() => borrow(smuggle({ at: new Point(3, 4) })))).toBe(
      '`Point` cannot be shared between threads safely (at borrows[0].at)',
    );
    expect(e0277(() => borrow(smuggle(() => 1)))).toBe('`Function` cannot be shared between threads safely (at borrows[0])');
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
