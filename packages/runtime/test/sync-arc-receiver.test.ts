/* eslint-disable sendsync/no-use-after-move -- the run time's side of the rule: each use of a receiver after its move into an Arc is deliberate, to see it refused */
import { describe, expect, it } from 'vitest';
import { move, spawn } from '@sendsync/runtime';
import { Arc, Mutex, UseAfterDropError } from '@sendsync/runtime/sync';
import { RecvTimeoutError, SendError, channel, type Receiver, type Sender } from '@sendsync/runtime/sync/mpsc';

/*
 * `new Arc({ rx })` moves `rx` into the Arc's data, as Rust's `Arc::new(Data { rx })` does: the caller's variable is
 * left moved (rustc's E0382 on its next use), and the data holds a receiver of its own over the same channel, lent to
 * whoever reads it (`arc.value.rx`). Before, the data held the caller's very object: the caller still received
 * through it, and its `drop()` said E0507 ("cannot move out of an `Arc`") as if it were the Arc's.
 */

const E0382 = /^borrow of moved value: this `Receiver` was moved .*a `Receiver` cannot be cloned/;

/** Every message until every sender is gone, each wait bounded (a sender left alive fails the test instead of hanging it). */
function drain(rx: Receiver<number>): number[] {
  const got: number[] = [];
  for (;;) {
    try {
      got.push(rx.recvTimeout(30_000));
    } catch (error) {
      if (error instanceof RecvTimeoutError && error.kind === 'disconnected') return got;
      throw error;
    }
  }
}

describe("a Receiver moved into an Arc's data", { timeout: 120_000 }, () => {
  it('leaves the caller\'s variable moved (E0382), and the Arc receives every message sent before and after the move, once each, while 4 threads send', () => {
    const [tx, rx] = channel<number>();
    const early = 1_000;
    for (let i = 0; i < early; i++) tx.send(i);
    // Taken through the caller's receiver before the move: the Arc's goes on from there.
    const taken = [rx.recv(), rx.recv()];
    const threads = 4;
    const perThread = 10_000;
    // Started before the move: they send across it.
    const senders = Array.from({ length: threads }, (_, id) =>
      spawn(move(tx.clone(), id, early, perThread), (tx: Sender<number>, id: number, early: number, perThread: number) => {
        for (let i = 0; i < perThread; i++) tx.send(early + id * perThread + i);
      }),
    );
    const arc = new Arc({ rx });
    expect(() => rx.recvTimeout(1_000)).toThrow(UseAfterDropError);
    expect(() => rx.recvTimeout(1_000)).toThrow(E0382);
    expect(() => rx.tryRecv()).toThrow(E0382);
    expect(() => [...rx.tryIter()]).toThrow(E0382);
    for (let i = 0; i < 100; i++) tx.send(early + threads * perThread + i);
    tx.drop();
    const got = [...taken, ...drain(arc.value.rx)];
    for (const sender of senders) sender.join();
    const total = early + threads * perThread + 100;
    expect(got).toHaveLength(total);
    expect(new Set(got).size).toBe(total);
    expect(Math.min(...got)).toBe(0);
    expect(Math.max(...got)).toBe(total - 1);
    // Each sender's messages in the order it sent them.
    for (let id = 0; id < threads; id++) {
      const own = got.filter((value) => value >= early + id * perThread && value < early + (id + 1) * perThread);
      expect(own).toEqual(Array.from({ length: perThread }, (_, i) => early + id * perThread + i));
    }
    arc.drop();
  });

  it("the Arc's data keeps a working receiver: the last Arc's drop drops it, Arc.intoInner gives it back", () => {
    const [tx, rx] = channel<number>();
    const arc = new Arc({ rx });
    const other = arc.clone();
    tx.send(1);
    expect(other.value.rx.recv()).toBe(1);
    arc.drop();
    tx.send(2);
    expect(other.value.rx.recv()).toBe(2);
    other.drop();
    expect(() => tx.send(3)).toThrow(SendError);

    const [tx2, rx2] = channel<number>();
    const data = Arc.intoInner(new Arc({ rx: rx2 }))!;
    expect(() => rx2.recvTimeout(1_000)).toThrow(E0382);
    tx2.send(4);
    expect(data.rx.recv()).toBe(4);
    // Given back whole, it is the caller's: it may be dropped, or moved into a thread.
    const receiving = spawn(move(data.rx), (rx: Receiver<number>) => rx.recvTimeout(30_000));
    tx2.send(5);
    expect(receiving.join()).toBe(5);
    expect(() => tx2.send(6)).toThrow(SendError);

    // The Arc's data may be the receiver itself.
    const [tx3, rx3] = channel<number>();
    const whole = new Arc(rx3);
    expect(() => rx3.recvTimeout(1_000)).toThrow(E0382);
    tx3.send(7);
    expect(whole.value.recv()).toBe(7);
    whole.drop();
    expect(() => tx3.send(8)).toThrow(SendError);
  });

  it('a receiver that cannot move is refused before anything moves: dropped, or lent by a lock', () => {
    const [tx, rx] = channel<number>();
    const [replyTx, replyRx] = channel<number>();
    rx.drop();
    expect(() => new Arc({ reply: replyTx, rx })).toThrow(/use of dropped `Receiver`/);
    // The Sender beside it did not move.
    replyTx.send(1);
    expect(replyRx.recv()).toBe(1);

    const [tx2, rx2] = channel<number>();
    const lock = new Mutex(rx2);
    {
      using guard = lock.lock();
      expect(() => new Arc({ reply: replyTx, rx: guard.value })).toThrow(/a Receiver lent by a lock's value cannot move out of it/);
      tx2.send(2);
      expect(guard.value.recv()).toBe(2);
    }
    replyTx.send(3);
    expect(replyRx.recv()).toBe(3);
    tx.drop();
    tx2.drop();
    replyTx.drop();
    lock.drop();
  });

  it('4 threads share an Arc holding a Mutex<Receiver> in its data: 10,000 jobs, each done once, ending when the sender drops', () => {
    const [tx, rx] = channel<number>();
    const [doneTx, doneRx] = channel<number>();
    const pool = new Arc({ jobs: new Mutex(rx) });
    expect(() => rx.recvTimeout(1_000)).toThrow(/^borrow of moved value: this `Receiver` was moved/);
    const workers = Array.from({ length: 4 }, () =>
      spawn(move(pool.clone(), doneTx.clone()), (pool, done) => {
        let count = 0;
        for (;;) {
          let job: number;
          {
            using jobs = pool.value.jobs.lock();
            try {
              job = jobs.value.recvTimeout(30_000);
            } catch (error) {
              if (error instanceof RecvTimeoutError && error.kind === 'disconnected') return count;
              throw error;
            }
          }
          done.send(job);
          count++;
        }
      }),
    );
    doneTx.drop();
    const jobs = 10_000;
    for (let job = 0; job < jobs; job++) tx.send(job);
    tx.drop();
    const counts = workers.map((worker) => worker.join());
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(jobs);
    const done = drain(doneRx);
    expect(done).toHaveLength(jobs);
    expect(new Set(done).size).toBe(jobs);
    expect(pool.strongCount()).toBe(1);
    pool.drop();
  });
});
