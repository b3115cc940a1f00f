import { describe, expect, it } from 'vitest';
import { move, park, spawn, type JoinHandle } from '@sendsync/runtime';
import { Arc, AtomicI32, Mutex, Ordering } from '@sendsync/runtime/sync';
import { channel, type Receiver } from '@sendsync/runtime/sync/mpsc';

/*
 * A JoinHandle beside shared memory of its own (an Arc) in one message, where the message waits for its receiver at
 * the courier (internal/courier.ts): a sender in a thread with no link to the receiver, or a receiver in a lock. On
 * Node the courier's lines are named channels, which carry no port, and a running thread's handle holds its worker's
 * port: the handle leaves it behind, and the thread's result comes through the courier (protocol.ts' `Route`). The
 * receiving thread joins it and gets the result, an Arc in it too, with every count exact.
 */

/** What a thread returns: an Arc beside plain data, so that the result needs a message (not the mailbox's bytes). */
interface Made {
  readonly arc: Arc<number>;
  readonly n: number;
}

/** A message holding a JoinHandle and an Arc. */
interface Carried {
  readonly handle: JoinHandle<Made>;
  readonly arc: Arc<number>;
}

describe('a JoinHandle beside an Arc, through the courier', { timeout: 120_000 }, () => {
  it('a thread sends it to another thread, which joins it: while the thread runs, and after it finished', () => {
    for (const finished of [false, true]) {
      const [tx, rx] = channel<Carried>();
      const arc = new Arc(5);
      // The receiver moved out of the main thread; the sender is a thread of its own, with no link to it: the courier.
      const receiver = spawn(move(rx), (rx: Receiver<Carried>) => {
        const { handle, arc } = rx.recvTimeout(30_000);
        handle.thread().unpark();
        const made = handle.join();
        const seen = [made.n, made.arc.value, arc.value];
        made.arc.drop();
        arc.drop();
        return seen;
      });
      const sender = spawn(move(tx, arc.clone(), finished), (tx, arc, finished) => {
        const handle = spawn(move(arc.clone(), finished), (arc, finished) => {
          if (!finished) park();
          return { arc, n: 7 };
        });
        while (finished && !handle.isFinished()) {
          // Spin until it ended: its result is then on its port, and the handle carries it.
        }
        tx.send({ handle, arc });
      });
      sender.join();
      expect(receiver.join()).toEqual([7, 5, 5]);
      expect(arc.strongCount()).toBe(1);
    }
  });

  it('many rounds, the handle leaving while its thread returns: the result is never lost, counts exact', () => {
    const ROUNDS = 200;
    const [tx, rx] = channel<Carried>();
    const arc = new Arc(1);
    const receiver = spawn(move(rx, ROUNDS), (rx: Receiver<Carried>, rounds) => {
      let sum = 0;
      for (let round = 0; round < rounds; round++) {
        const { handle, arc } = rx.recvTimeout(30_000);
        const made = handle.join();
        sum += made.n + made.arc.value + arc.value;
        made.arc.drop();
        arc.drop();
      }
      return sum;
    });
    const sender = spawn(move(tx, arc.clone(), ROUNDS), (tx, arc, rounds) => {
      const started = new Arc(new AtomicI32(0));
      for (let round = 0; round < rounds; round++) {
        started.value.store(0, Ordering.SeqCst);
        const handle = spawn(move(arc.clone(), started.clone(), round), (arc, started, round) => {
          started.value.store(1, Ordering.SeqCst);
          started.drop();
          // Returns after 0 to 350 µs: its worker claims the port for its result before the handle leaves, while it
          // leaves, or after (the handle then claims the route first).
          const until = performance.now() + (round % 8) * 0.05;
          while (performance.now() < until) {
            // Spin.
          }
          return { arc, n: round };
        });
        // Sent once the thread runs (a new worker takes far longer to start than the rest of the round).
        while (started.value.load(Ordering.SeqCst) === 0) {
          // Spin: the thread is about to return.
        }
        tx.send({ handle, arc: arc.clone() });
      }
      started.drop();
      arc.drop();
    });
    sender.join();
    expect(receiver.join()).toBe((ROUNDS * (ROUNDS - 1)) / 2 + 2 * ROUNDS);
    expect(arc.strongCount()).toBe(1);
  });

  it('through a receiver in a Mutex that crossed (the Rust book\'s pool shape): the thread that holds the lock joins it', () => {
    const [tx, rx] = channel<Carried>();
    const shared = new Arc(new Mutex(rx));
    const arc = new Arc(3);
    const receiver = spawn(move(shared.clone()), (shared) => {
      let message: Carried;
      {
        using guard = shared.value.lock();
        message = guard.value.recvTimeout(30_000);
      }
      message.handle.thread().unpark();
      const made = message.handle.join();
      const seen = [made.n, made.arc.value, message.arc.value];
      made.arc.drop();
      message.arc.drop();
      shared.drop();
      return seen;
    });
    // From the main thread: a receiver in a lock is reached through the courier only.
    const handle = spawn(move(arc.clone()), (arc) => {
      park();
      return { arc, n: 9 };
    });
    tx.send({ handle, arc: arc.clone() });
    expect(receiver.join()).toEqual([9, 3, 3]);
    shared.drop();
    expect(arc.strongCount()).toBe(1);
  });

  it('a Receiver holding such a message unreceived goes into a lock: the message waits at the courier, and the lock\'s holder joins', () => {
    const [tx, rx] = channel<Carried>();
    const arc = new Arc(4);
    const handle = spawn(move(arc.clone()), (arc) => {
      park();
      return { arc, n: 11 };
    });
    // To a receiver in this thread: the value waits in its inbox, holding the handle's port.
    tx.send({ handle, arc: arc.clone() });
    const shared = new Arc(new Mutex(rx));
    const receiver = spawn(move(shared), (shared) => {
      let message: Carried;
      {
        using guard = shared.value.lock();
        message = guard.value.recvTimeout(30_000);
      }
      message.handle.thread().unpark();
      const made = message.handle.join();
      const seen = [made.n, made.arc.value];
      made.arc.drop();
      message.arc.drop();
      return seen;
    });
    expect(receiver.join()).toEqual([11, 4]);
    expect(arc.strongCount()).toBe(1);
  });

  it("a panic arrives as PanicError, a worker that dies as ThreadExitError, in the joining thread", () => {
    const [tx, rx] = channel<{ handle: JoinHandle<never>; arc: Arc<number> }>();
    const arc = new Arc(1);
    const receiver = spawn(move(rx), (rx: Receiver<{ handle: JoinHandle<never>; arc: Arc<number> }>) => {
      const causes: string[] = [];
      for (let round = 0; round < 2; round++) {
        const { handle, arc } = rx.recvTimeout(30_000);
        arc.drop();
        handle.thread().unpark();
        try {
          handle.join();
          causes.push('returned');
        } catch (error) {
          const cause = (error as { cause?: Error }).cause;
          causes.push(`${(error as Error).name}: ${cause?.name} ${cause?.message}`);
        }
      }
      return causes;
    });
    const sender = spawn(move(tx, arc.clone()), (tx, arc) => {
      const panics = spawn(() => {
        park();
        throw new RangeError('bad');
      });
      tx.send({ handle: panics, arc: arc.clone() });
      const exits = spawn(() => {
        park();
        process.exit(3);
      });
      tx.send({ handle: exits, arc });
    });
    sender.join();
    const causes = receiver.join();
    expect(causes[0]).toBe('PanicError: RangeError bad');
    expect(causes[1]).toMatch(/^PanicError: ThreadExitError thread exited with code 3$/);
    expect(arc.strongCount()).toBe(1);
  });

  it('dropped unjoined in the receiving thread, the thread runs on (detached), and nothing hangs', () => {
    const [tx, rx] = channel<{ handle: JoinHandle<number>; arc: Arc<number> }>();
    const arc = new Arc(2);
    const ran = new Arc(new AtomicI32(0));
    const receiver = spawn(move(rx), (rx: Receiver<{ handle: JoinHandle<number>; arc: Arc<number> }>) => {
      const { handle, arc } = rx.recvTimeout(30_000);
      arc.drop();
      handle.thread().unpark();
      return handle.thread().id();
    });
    const sender = spawn(move(tx, arc.clone(), ran.clone()), (tx, arc, ran) => {
      const handle = spawn(move(ran), (ran) => {
        park();
        ran.value.store(1, Ordering.SeqCst);
        ran.drop();
        return 0;
      });
      tx.send({ handle, arc });
    });
    sender.join();
    expect(typeof receiver.join()).toBe('number');
    const deadline = Date.now() + 30_000;
    while (ran.value.load(Ordering.SeqCst) === 0 && Date.now() < deadline) {
      // The detached thread stores 1 once unparked.
    }
    expect(ran.value.load(Ordering.SeqCst)).toBe(1);
    expect(arc.strongCount()).toBe(1);
  });
});
