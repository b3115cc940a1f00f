import { describe, expect, it } from 'vitest';
import { move, sleep, spawn } from '@sendsync/runtime';
import { channel, RecvTimeoutError, SendError, syncChannel, TrySendError, type Receiver, type Sender } from '@sendsync/runtime/sync/mpsc';
import { Arc, Mutex, RwLock } from '@sendsync/runtime/sync';

/*
 * A channel end inside a lock's value belongs to the lock (sync/storage.ts): when the lock's last owner (an Arc's
 * last handle) drops it, the end goes with it, as Rust drops a `Mutex<Receiver<T>>`'s receiver. Before, the end lived
 * on: a producer whose pool of workers had all panicked blocked forever on a full `syncChannel`.
 */

const WORKERS = 4;

describe("a channel end in a lock's value is dropped with the lock", { timeout: 120_000 }, () => {
  it("the Rust book pool whose workers all panic: the producer's next send is refused as disconnected, with the job, instead of waiting forever", () => {
    for (let round = 0; round < 5; round++) {
      const [jobs, queue] = syncChannel<number>(2);
      const shared = new Arc(new Mutex(queue));
      const workers = Array.from({ length: WORKERS }, () =>
        spawn(move(shared.clone()), (receiver: Arc<Mutex<Receiver<number>>>) => {
          using held = receiver; // dropped however the thread ends, as Rust drops a closure's captures
          let job: number;
          {
            using guard = held.value.lock();
            job = guard.value.recv();
          }
          throw new Error(`job ${job} failed`);
        }),
      );
      shared.drop();
      // trySend, not send: were the receiver to outlive its lock, a blocking send would hang the test instead of failing it.
      let refused: TrySendError<number> | undefined;
      let sent = 0;
      const giveUp = Date.now() + 60_000;
      while (refused === undefined && Date.now() < giveUp) {
        try {
          jobs.trySend(sent);
          sent++;
        } catch (error) {
          if (!(error instanceof TrySendError)) throw error;
          if (error.kind === 'disconnected') refused = error as TrySendError<number>;
          else sleep(1);
        }
      }
      expect(refused?.value).toBe(sent);
      for (const worker of workers) expect(() => worker.join()).toThrow();
    }
  });

  it("a Mutex's receiver goes with the Arc's last drop, in this thread: the next send throws SendError", () => {
    const [tx, rx] = channel<string>();
    const shared = new Arc(new Mutex({ inbox: rx, seen: 0 }));
    const other = shared.clone();
    shared.drop();
    tx.send('still connected');
    other.drop();
    expect(() => tx.send('gone')).toThrow(SendError);
  });

  it("an RwLock's senders go with the Arc's last drop in another thread: the receiver's iteration ends", () => {
    const [tx, rx] = channel<number>();
    const shared = new Arc(new RwLock({ out: [tx.clone(), tx] as Sender<number>[] }));
    const writers = Array.from({ length: WORKERS }, (_, id) =>
      spawn(move(shared.clone(), id), (lock, id) => {
        using held = lock;
        using guard = held.value.read();
        for (const out of guard.value.out) out.send(id);
      }),
    );
    shared.drop();
    for (const writer of writers) writer.join();
    // recvTimeout, not iteration: were the senders to outlive their lock, iterating would hang the test instead of failing it.
    const got: number[] = [];
    for (;;) {
      try {
        got.push(rx.recvTimeout(60_000));
      } catch (error) {
        expect(error).toBeInstanceOf(RecvTimeoutError);
        expect((error as RecvTimeoutError).kind).toBe('disconnected');
        break;
      }
    }
    expect(got.sort()).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
  });
});
