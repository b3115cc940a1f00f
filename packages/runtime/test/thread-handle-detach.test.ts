import { describe, expect, it } from 'vitest';
import { JoinedError, move, park, spawn, type JoinHandle } from '@sendsync/runtime';
import { Arc, AtomicI32, Ordering } from '@sendsync/runtime/sync';
import { channel, type Receiver } from '@sendsync/runtime/sync/mpsc';

/*
 * A JoinHandle dropped unjoined detaches its thread, as Rust's does, and the thread's result is dropped: an Arc in it
 * gives its count back (protocol.ts' `Detach`), whether the handle is dropped by hand, by `using`, or by the end of the
 * thread that owns it, and whether the thread was still running, already reporting, or finished.
 */

/** What the threads return: an Arc, so that the result needs a message (not the mailbox's bytes). */
interface Made {
  readonly arc: Arc<number>;
}

/** Polls `arc`'s strong count until it is `count` (a detached thread drops its result on its own time); bounded. */
function settlesTo(arc: Arc<number>, count: number): number {
  const deadline = Date.now() + 30_000;
  while (arc.strongCount() !== count && Date.now() < deadline) {
    // A detached thread's end drops the result's Arc.
  }
  return arc.strongCount();
}

describe('a JoinHandle dropped unjoined', { timeout: 120_000 }, () => {
  it('by drop() on the main thread while its thread runs: the result is dropped, the count comes back', () => {
    const arc = new Arc(1);
    const handle = spawn(move(arc.clone()), (arc) => {
      park();
      return { arc };
    });
    const thread = handle.thread();
    handle.drop();
    thread.unpark();
    expect(settlesTo(arc, 1)).toBe(1);
    expect(() => handle.join()).toThrow(JoinedError);
  });

  it('by drop() after its thread finished: the result collected here is dropped', () => {
    const arc = new Arc(1);
    const handle = spawn(move(arc.clone()), (arc) => ({ arc }));
    while (!handle.isFinished()) {
      // Spin until its result is on its port.
    }
    expect(arc.strongCount()).toBe(2);
    handle.drop();
    expect(arc.strongCount()).toBe(1);
  });

  it('by `using` at the end of its block, unless joined', () => {
    const arc = new Arc(1);
    {
      using handle = spawn(move(arc.clone()), (arc) => {
        park();
        return { arc };
      });
      handle.thread().unpark();
    }
    expect(settlesTo(arc, 1)).toBe(1);
    {
      using handle = spawn(move(arc.clone()), (arc): Made => ({ arc }));
      const made = handle.join();
      expect(made.arc.value).toBe(1);
      made.arc.drop();
    }
    expect(arc.strongCount()).toBe(1);
  });

  it('many rounds, dropped while its thread returns: the result is dropped exactly once, whoever claims first', () => {
    const ROUNDS = 200;
    const arc = new Arc(1);
    for (let round = 0; round < ROUNDS; round++) {
      const handle = spawn(move(arc.clone(), round), (arc, round) => {
        const until = performance.now() + (round % 8) * 0.05;
        while (performance.now() < until) {
          // Returns after 0 to 350 µs: before the handle is dropped, while, or after.
        }
        return { arc };
      });
      const until = performance.now() + ((round * 3) % 8) * 0.05;
      while (performance.now() < until) {
        // Drops after 0 to 350 µs.
      }
      handle.drop();
    }
    expect(settlesTo(arc, 1)).toBe(1);
  });

  it('by the end of the thread that spawned it: the detached thread runs on, its result is dropped', () => {
    const arc = new Arc(1);
    const ran = new Arc(new AtomicI32(0));
    const outer = spawn(move(arc.clone(), ran.clone()), (arc, ran) => {
      const inner = spawn(move(arc, ran), (arc, ran) => {
        park();
        ran.value.store(1, Ordering.SeqCst);
        ran.drop();
        return { arc };
      });
      inner.thread().unpark();
      return inner.thread().id();
    });
    expect(typeof outer.join()).toBe('number');
    expect(settlesTo(arc, 1)).toBe(1);
    expect(ran.value.load(Ordering.SeqCst)).toBe(1);
  });

  it('received through the courier and dropped there: the result is never parked for nobody', () => {
    const [tx, rx] = channel<JoinHandle<Made>>();
    const arc = new Arc(1);
    const receiver = spawn(move(rx), (rx: Receiver<JoinHandle<Made>>) => {
      const handle = rx.recvTimeout(30_000);
      const thread = handle.thread();
      handle.drop();
      thread.unpark();
      return thread.id();
    });
    // The sender, a thread with no link to the receiver: the handle waits at the courier and leaves its port behind.
    const sender = spawn(move(tx, arc.clone()), (tx, arc) => {
      const handle = spawn(move(arc), (arc) => {
        park();
        return { arc };
      });
      tx.send(handle);
    });
    sender.join();
    expect(typeof receiver.join()).toBe('number');
    expect(settlesTo(arc, 1)).toBe(1);
  });
});
