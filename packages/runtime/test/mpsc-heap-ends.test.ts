import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { move, spawn } from '@sendsync/runtime';
import { Arc, Mutex, OnceLock, RwLock } from '@sendsync/runtime/sync';
import { RecvError, TryRecvError, channel, syncChannel, type Receiver, type Sender, type SyncSender } from '@sendsync/runtime/sync/mpsc';
import { heapStats } from '../dist/sys/heap.js';

/* Channel ends live in the shared heap: they cross as bytes, so they sit in locks' values and messages, used from any thread. */

const THREADS = 4;

describe('channel ends in locks', { timeout: 120_000 }, () => {
  it("the Rust book's worker pool: Arc<Mutex<Receiver<Job>>>, 4 threads, 10,000 jobs each done exactly once, the pool ends when the sender drops", () => {
    const jobs = 10_000;
    const [tx, rx] = channel<number>();
    const [doneTx, doneRx] = channel<[number, number]>();
    const receiver = new Arc(new Mutex(rx));
    const workers = Array.from({ length: THREADS }, (_, id) =>
      spawn(move(receiver.clone(), doneTx.clone(), id), (receiver, done, id) => {
        let count = 0;
        for (;;) {
          let job: number | undefined;
          {
            using guard = receiver.value.lock();
            try {
              job = guard.value.recv();
            } catch (error) {
              // Every sender is gone: the pool ends (an error escaping the guard would poison the lock).
              if (!(error instanceof RecvError)) throw error;
            }
          }
          if (job === undefined) break;
          done.send([id, job]);
          count++;
        }
        done.drop();
        receiver.drop();
        return count;
      }),
    );
    doneTx.drop();
    for (let job = 0; job < jobs; job++) tx.send(job);
    tx.drop();
    const counts = workers.map((worker) => worker.join());
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(jobs);
    const seen = new Uint8Array(jobs);
    for (const [, job] of doneRx) seen[job]++;
    expect(seen.every((times) => times === 1)).toBe(true);
    expect(receiver.strongCount()).toBe(1);
  });

  it('a Sender and a SyncSender in a Mutex, and a Sender in an RwLock, are used by 4 threads', () => {
    const [tx, rx] = channel<number>();
    const [syncTx, syncRx] = syncChannel<number>(8);
    const shared = new Arc(new RwLock(tx.clone()));
    const senders = new Arc(new Mutex({ tx, syncTx }));
    const threads = Array.from({ length: THREADS }, (_, id) =>
      spawn(move(senders.clone(), shared.clone(), id), (senders, shared, id) => {
        for (let i = 0; i < 500; i++) {
          using guard = senders.value.lock();
          guard.value.tx.send(id * 1000 + i);
          guard.value.syncTx.send(1);
        }
        using read = shared.value.read();
        read.value.send(-1);
      }),
    );
    let sum = 0;
    for (let i = 0; i < THREADS * 500; i++) sum += syncRx.recv();
    for (const thread of threads) thread.join();
    expect(sum).toBe(THREADS * 500);
    const got = [...rx.tryIter()];
    expect(got.filter((value) => value === -1)).toHaveLength(THREADS);
    const perThread = Array.from({ length: THREADS }, (_, id) => got.filter((value) => value >= id * 1000 && value < id * 1000 + 500));
    // Each thread's messages arrive once, in its order.
    for (const list of perThread) expect(list).toEqual(Array.from({ length: 500 }, (_, i) => list[0] + i));
  });

  it('a OnceLock holds a Sender set after it was shared', () => {
    const [tx, rx] = channel<string>();
    const once = new Arc(new OnceLock<Sender<string>>());
    const thread = spawn(move(once.clone()), (once) => {
      for (;;) {
        const sender = once.value.get();
        if (sender !== undefined) {
          sender.send('from the thread');
          return;
        }
      }
    });
    once.value.set(tx);
    thread.join();
    expect(rx.recv()).toBe('from the thread');
  });
});

describe('channel ends in messages', { timeout: 120_000 }, () => {
  it('request/reply from 4 threads: each request carries its reply Sender, answered by a server thread', () => {
    const [requests, server] = channel<{ n: number; reply: SyncSender<number> }>();
    const serving = spawn(move(server), (server) => {
      let served = 0;
      for (const { n, reply } of server) {
        reply.send(n * n);
        reply.drop();
        served++;
      }
      return served;
    });
    const clients = Array.from({ length: THREADS }, (_, id) =>
      spawn(move(requests.clone(), id), (requests, id) => {
        let sum = 0;
        for (let i = 0; i < 250; i++) {
          const [reply, answer] = syncChannel<number>(1);
          requests.send({ n: id + i, reply });
          sum += answer.recv();
          // The server dropped the reply sender: the reply channel is disconnected.
          if (answer.tryIter().next().done !== true) throw new Error('a second answer');
          answer.drop();
        }
        requests.drop();
        return sum;
      }),
    );
    requests.drop();
    const sums = clients.map((client) => client.join());
    expect(serving.join()).toBe(THREADS * 250);
    sums.forEach((sum, id) => {
      let expected = 0;
      for (let i = 0; i < 250; i++) expected += (id + i) ** 2;
      expect(sum).toBe(expected);
    });
  });

  it('a Sender that travelled in a message and died with its thread still disconnects', () => {
    const [tx, rx] = channel<number>();
    const [carrier, carried] = channel<Sender<number>>();
    carrier.send(tx);
    const thread = spawn(move(carried), (carried) => {
      const sender = carried.recv();
      sender.send(7);
      // Ends without dropping it.
    });
    thread.join();
    expect([...rx]).toEqual([7]);
  });

  it('a Receiver sent in a message receives in its new thread', () => {
    const [tx, rx] = channel<number>();
    const [carrier, carried] = channel<Receiver<number>>();
    for (let i = 0; i < 3000; i++) tx.send(i); // past the ring too
    carrier.send(rx);
    const thread = spawn(move(carried), (carried) => {
      const receiver = carried.recv();
      let sum = 0;
      for (const value of receiver) sum += value;
      return sum;
    });
    tx.drop();
    expect(thread.join()).toBe((3000 * 2999) / 2);
  });

  it('messages never received are dropped with the receiver: the ends inside give their counts back', () => {
    const [inner, innerRx] = channel<number>();
    const [tx, rx] = channel<{ reply: Sender<number> }>();
    tx.send({ reply: inner });
    rx.drop();
    // The only sender was in the message: its channel is disconnected.
    expect([...innerRx]).toEqual([]);
  });
});

describe('channel memory', { timeout: 120_000 }, () => {
  it('10,000 request/reply channels made and dropped go back to the heap: the next 10,000 take no more', () => {
    const round = (): void => {
      for (let i = 0; i < 10_000; i++) {
        const [tx, rx] = channel<number>();
        tx.send(i);
        if (rx.recv() !== i) throw new Error('lost');
        tx.drop();
        rx.drop();
      }
    };
    round();
    const top = heapStats().top;
    round();
    expect(heapStats().top).toBe(top);
  });

  it('a channel freed after its receiver ended with its thread frees each segment once (the consumer published its place)', () => {
    const [tx, rx] = channel<Uint8Array>();
    const big = new Uint8Array(1 << 20).fill(3);
    // eslint-disable-next-line sendsync/no-use-after-move -- the same bytes sent again: each send copies them
    for (let i = 0; i < 8; i++) tx.send(big); // one overflow segment each, freed by the consumer as it reads past them
    const sum = spawn(move(rx), (rx) => {
      let total = 0;
      for (let i = 0; i < 8; i++) total += rx.recv()[7];
      return total; // ends without dropping the receiver
    }).join();
    expect(sum).toBe(24);
    // The last end: it frees the channel, walking the chain from where the consumer said it was.
    tx.drop();
    const [again, againRx] = channel<number>();
    again.send(1);
    expect(againRx.recv()).toBe(1);
  });

  it('a channel freed after its receiver ended with its thread does not drop again the channel ends its thread took', () => {
    const [tx, rx] = channel<{ reply: Sender<number> }>();
    const [replyTx, replyRx] = channel<number>();
    tx.send({ reply: replyTx.clone() });
    spawn(move(rx), (rx) => {
      rx.recv().reply.send(1);
      return 0; // ends without dropping the receiver; the reply Sender it took is dropped with the thread
    }).join();
    // The last end frees the channel and drops the messages not received: not the one the thread took.
    tx.drop();
    expect(replyRx.recv()).toBe(1);
    let kind: string | undefined;
    try {
      replyRx.tryRecv();
    } catch (error) {
      kind = (error as TryRecvError).kind;
    }
    expect(kind).toBe('empty'); // replyTx is alive: a second drop of the thread's Sender would disconnect it
    replyTx.send(2);
    replyTx.drop();
    expect([...replyRx]).toEqual([2]);
  });

  it('channels whose ends were never dropped go back to the heap once collected', () => {
    const mpsc = new URL('../dist/sync/mpsc/index.js', import.meta.url).href;
    const heap = new URL('../dist/sys/heap.js', import.meta.url).href;
    // In a fresh Node with --expose-gc: 2,000 request/reply channels per round, none dropped.
    const script = `
      const { channel } = await import(${JSON.stringify(mpsc)});
      const { heapStats } = await import(${JSON.stringify(heap)});
      const round = () => {
        for (let i = 0; i < 2000; i++) {
          const [tx, rx] = channel();
          tx.send(i);
          if (rx.recv() !== i) throw new Error('lost');
        }
      };
      const collect = async () => {
        for (let i = 0; i < 3; i++) {
          globalThis.gc();
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      round();
      await collect();
      const top = heapStats().top;
      round();
      await collect();
      round();
      await collect();
      console.log(heapStats().top - top);
    `;
    const growth = Number(execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 }).trim());
    // Undropped and uncollected, each round would cut 2,000 more channels (about 160 MB) from the heap.
    expect(growth).toBe(0);
  });
});
