import { describe, expect, it } from 'vitest';
import { JoinedError, PanicError, current, move, park, spawn } from '@sendsync/runtime';
import { Arc } from '@sendsync/runtime/sync';

/* A JoinHandle is Send: the right to join moves with it, as in Rust. */

describe('moving a JoinHandle', { timeout: 20_000 }, () => {
  it('another thread joins a running thread', () => {
    const sleeper = spawn(() => {
      park();
      return `woken ${current().id()}`;
    });
    const id = sleeper.thread().id();
    const joiner = spawn(move(sleeper), (sleeper) => {
      sleeper.thread().unpark();
      return sleeper.join();
    });
    expect(joiner.join()).toBe(`woken ${id}`);
    // eslint-disable-next-line sendsync/no-use-after-move -- deliberately joins the moved handle to test the misuse error
    expect(() => sleeper.join()).toThrow(JoinedError);
  });

  it('carries a finished outcome, and a panic', () => {
    const done = spawn(() => ({ answer: 42 }));
    while (!done.isFinished()) {
      // Spin until it ended: the handle then carries the result itself.
    }
    const failed = spawn(() => {
      throw new RangeError('bad');
    });
    while (!failed.isFinished()) {
      // Idem, with a panic.
    }
    const joiner = spawn(move(done, failed), (done, failed) => {
      let kind = 'none';
      try {
        failed.join();
      } catch (error) {
        kind = error instanceof PanicError ? (error.cause as Error).constructor.name : 'other';
      }
      return [done.join().answer, kind] as const;
    });
    expect(joiner.join()).toEqual([42, 'RangeError']);
  });

  it('a finished handle carries an Arc in its result: the thread that carried it ends, and the count stays exact', () => {
    const arc = new Arc(5);
    const handle = spawn(move(arc.clone()), (arc) => {
      const inner = spawn(move(arc), (arc) => ({ arc, n: 1 }));
      while (!inner.isFinished()) {
        // Spin until it ended: the handle then carries its result, which this thread collected.
      }
      return inner;
    }).join();
    const made = handle.join();
    expect([made.arc.value, arc.strongCount()]).toEqual([5, 2]);
    made.arc.drop();
    expect(arc.strongCount()).toBe(1);
  });

  it('a result that needs the port crosses too, and the pool goes on', () => {
    const worker = spawn(() => {
      park();
      return { list: [1, 2, 3] };
    });
    const joiner = spawn(move(worker), async (worker) => {
      worker.thread().unpark();
      return (await worker.joinAsync()).list.length;
    });
    expect(joiner.join()).toBe(3);
    expect(spawn(move(7), (n) => n * 6).join()).toBe(42);
  });
});
