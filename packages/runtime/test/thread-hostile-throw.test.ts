import { describe, expect, it } from 'vitest';
import { spawn } from '@sendsync/runtime';
import { panicCauseOf } from './fixtures/thread/panic-cause.js';

/** Joins a thread that must panic; returns its cause. */
function causeOf(thread: () => never): unknown {
  return panicCauseOf(() => spawn(thread).join());
}

/** Ten innocent threads after a hostile one, on the same pool, return their values. */
function innocentsReturn(): void {
  for (let round = 0; round < 10; round++) {
    expect(spawn(() => 'innocent').join()).toBe('innocent');
  }
}

// Each closure runs on a pooled worker: it names nothing outside itself.
const hostile: Record<string, { thread: () => never; name: string }> = {
  'a Proxy whose every trap throws': {
    name: 'Proxy',
    thread: () => {
      const trap = (): never => {
        throw new Error('trap');
      };
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the hostile value under test
      throw new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap, has: trap, getOwnPropertyDescriptor: trap });
    },
  },
  'an object whose toString and message getter throw': {
    name: 'Object',
    thread: () => {
      const value = {
        toString(): string {
          throw new Error('toString');
        },
        get message(): string {
          throw new Error('message');
        },
      };
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the hostile value under test
      throw value;
    },
  },
  'a Symbol': {
    name: 'Symbol',
    thread: () => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- the hostile value under test
      throw Symbol('hostile');
    },
  },
  'an Error whose stack getter throws': {
    name: 'Error',
    thread: () => {
      const error = new Error('with a hostile stack');
      Object.defineProperty(error, 'stack', {
        get(): never {
          throw new Error('stack');
        },
      });
      throw error;
    },
  },
};

describe('a hostile thrown value', { timeout: 30_000 }, () => {
  for (const [what, { thread, name }] of Object.entries(hostile)) {
    it(`${what}: the thread panics with a described stand-in, and the worker stays healthy`, () => {
      const cause = causeOf(thread);
      expect(cause).toBeInstanceOf(Error);
      expect((cause as Error).name).toBe(name);
      expect((cause as Error).message).toMatch(/^the thread threw a value that could not be read: /);
      innocentsReturn();
    });
  }
});
