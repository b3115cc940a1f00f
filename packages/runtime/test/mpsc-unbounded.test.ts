import { describe, expect, it } from 'vitest';
import { move, spawn } from '@sendsync/runtime';
import { Arc } from '@sendsync/runtime/sync';
import { RecvError, SendError, channel, syncChannel, type Sender, type SyncSender } from '@sendsync/runtime/sync/mpsc';
import { heapStats } from '../dist/sys/heap.js';

/* Rust's channel semantics past the ring: unbounded, any message size, disconnection, handles inside messages. */

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

/** A buffer of `bytes` whose every byte says where it is, so a lost or misplaced piece shows. */
function pattern(bytes: number, seed: number): Uint8Array {
  const data = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 4096) data.fill((i / 4096 + seed) & 0xff, i, Math.min(bytes, i + 4096));
  data[bytes - 1] = seed;
  return data;
}

function isPattern(data: unknown, bytes: number, seed: number): boolean {
  if (!(data instanceof Uint8Array) || data.byteLength !== bytes || data[bytes - 1] !== seed) return false;
  for (let i = 0; i < bytes - 1; i += 4096) {
    const expected = (i / 4096 + seed) & 0xff;
    if (data[i] !== expected || data[Math.min(bytes - 2, i + 4095)] !== expected) return false;
  }
  return true;
}

describe('channel() is unbounded', { timeout: 120_000 }, () => {
  it('1,000,000 sends before any receive, in one thread, then every one received in order', () => {
    const [tx, rx] = channel<number>();
    const n = 1_000_000;
    for (let i = 0; i < n; i++) tx.send(i);
    let expected = 0;
    for (const value of rx.tryIter()) {
      if (value !== expected) throw new Error(`got ${value}, expected ${expected}`);
      expected++;
    }
    expect(expected).toBe(n);
  });

  it('producers appending to the chains of two channels at once lose nothing, each message once and in order per sender', () => {
    // Nothing is received until every producer is done, so all but a ring's worth go to the chains, whose lock
    // the producers fight over; each producer alternates between the two channels, so the lock word it last
    // released is never the one it finds next (its first compare-exchange fails).
    const [txA, rxA] = channel<number>({ capacity: 4096 });
    const [txB, rxB] = channel<number>({ capacity: 4096 });
    const perProducer = 40_000;
    const producers = [0, 1, 2, 3].map((p) =>
      spawn(move(txA.clone(), txB.clone(), p, perProducer), (txA, txB, p, n) => {
        for (let i = 0; i < n; i++) (i % 2 === 0 ? txA : txB).send(p * 1_000_000 + i);
        txA.drop();
        txB.drop();
      }),
    );
    txA.drop();
    txB.drop();
    for (const producer of producers) producer.join();
    for (const [rx, parity] of [
      [rxA, 0],
      [rxB, 1],
    ] as const) {
      const next = [parity, parity, parity, parity];
      let wrong = 0;
      for (const message of rx) {
        const p = Math.floor(message / 1_000_000);
        if (message % 1_000_000 !== next[p]) wrong++;
        next[p] += 2;
      }
      expect(wrong).toBe(0);
      expect(next).toEqual([0, 1, 2, 3].map(() => perProducer + parity));
    }
  });

  it('sends and receives taking turns past a full ring keep their order, the ring and the chain each taking some', () => {
    const [tx, rx] = channel<number | string>({ capacity: 4096 });
    const value = (i: number): number | string => (i % 3 === 0 ? `s${i}` : i);
    let sent = 0;
    let received = 0;
    let wrong = 0;
    for (let round = 0; round < 300; round++) {
      for (let i = 100 + ((round * 37) % 400); i > 0; i--) tx.send(value(sent++));
      for (let i = Math.min(sent - received, 50 + ((round * 53) % 500)); i > 0; i--) if (rx.recv() !== value(received++)) wrong++;
    }
    for (const got of rx.tryIter()) if (got !== value(received++)) wrong++;
    expect(wrong).toBe(0);
    expect(received).toBe(sent);
  });

  it('memory goes back to the shared heap as the receiver drains, and is used again', () => {
    const [tx, rx] = channel<number>();
    const tops: number[] = [];
    let wrong = 0;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 500_000; i++) tx.send(i + round);
      for (let i = 0; i < 500_000; i++) if (rx.recv() !== i + round) wrong++;
      tops.push(heapStats().top);
    }
    expect(wrong).toBe(0);
    // About 16 MB of segments past the ring per round: those read were freed, and the next rounds fit in them
    // (the second takes one more segment: the chain's last one stays for the next message).
    expect(tops[1] - tops[0]).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(tops[2]).toBe(tops[1]);
  });

  for (const kind of ['channel', 'syncChannel'] as const) {
    it(`1 MB and 100 MB messages through ${kind}(), in one thread`, () => {
      const [tx, rx] = kind === 'channel' ? channel<Uint8Array>() : syncChannel<Uint8Array>(3);
      tx.send(pattern(1 << 20, 1));
      tx.send(pattern(100 << 20, 2));
      tx.send(pattern(10, 3));
      expect(isPattern(rx.recv(), 1 << 20, 1)).toBe(true);
      expect(isPattern(rx.recv(), 100 << 20, 2)).toBe(true);
      expect(isPattern(rx.recv(), 10, 3)).toBe(true);
    });
  }

  for (const kind of ['channel', 'syncChannel'] as const) {
    it(`1 MB and 100 MB messages from another thread through ${kind}()`, () => {
      const [tx, rx] = kind === 'channel' ? channel<Uint8Array>() : syncChannel<Uint8Array>(1);
      const producer = spawn(move(tx), (tx) => {
        for (const [bytes, seed] of [
          [1 << 20, 1],
          [100 << 20, 2],
          [1 << 20, 3],
        ]) {
          const data = new Uint8Array(bytes);
          for (let i = 0; i < bytes; i += 4096) data.fill((i / 4096 + seed) & 0xff, i, Math.min(bytes, i + 4096));
          data[bytes - 1] = seed;
          tx.send(data);
        }
        tx.drop();
      });
      expect(isPattern(rx.recv(), 1 << 20, 1)).toBe(true);
      expect(isPattern(rx.recv(), 100 << 20, 2)).toBe(true);
      expect(isPattern(rx.recv(), 1 << 20, 3)).toBe(true);
      expect(thrown(() => rx.recv())).toBeInstanceOf(RecvError);
      producer.join();
    });
  }
});

describe('disconnection as in Rust', { timeout: 120_000 }, () => {
  it('the very next send after the receiver thread ended throws SendError with the value', () => {
    for (let round = 0; round < 20; round++) {
      const [tx, rx] = channel<{ round: number }>();
      tx.send({ round: -1 });
      spawn(move(rx), (rx) => rx.recv().round).join();
      const value = { round };
      const error = thrown(() => tx.send(value)) as SendError<{ round: number }>;
      expect(error).toBeInstanceOf(SendError);
      // eslint-disable-next-line sendsync/no-use-after-move -- the send was refused: the error holds this very value
      expect(error.value).toBe(value);
    }
  });

  for (const kind of ['channel', 'syncChannel'] as const) {
    for (const joined of [true, false]) {
      it(`a ${kind === 'channel' ? 'Sender' : 'SyncSender'} moved down a chain of ten threads stays connected (${joined ? 'each joins the next' : 'each ends at once'})`, () => {
        const [tx, rx] = kind === 'channel' ? channel<number>() : syncChannel<number>(2);
        const first = spawn(move(tx, 9, joined), function relay(tx: Sender<number> | SyncSender<number>, n: number, joined: boolean): void {
          tx.send(n);
          if (n === 0) return tx.drop();
          const next = spawn(move(tx, n - 1, joined), relay);
          if (joined) next.join();
        });
        // The count is exact: the loop ends when the last thread drops the sender, and not before.
        expect([...rx]).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
        first.join();
      });
    }
  }
});

describe('handles inside messages', { timeout: 120_000 }, () => {
  it('request/reply: each request carries its own reply channel', () => {
    const [requests, server] = channel<{ job: number; reply: Sender<number> }>();
    const worker = spawn(move(server), (server) => {
      let served = 0;
      for (const { job, reply } of server) {
        reply.send(job * 2);
        reply.drop();
        served++;
      }
      return served;
    });
    for (let job = 0; job < 200; job++) {
      const [reply, answer] = channel<number>();
      requests.send({ job, reply });
      expect(answer.recv()).toBe(job * 2);
      // The reply sender was dropped in the server: the reply channel is disconnected.
      expect(thrown(() => answer.recv())).toBeInstanceOf(RecvError);
    }
    requests.drop();
    expect(worker.join()).toBe(200);
  });

  it('handles at any depth, in maps and arrays, cross together with plain data', () => {
    const [tx, rx] = channel<{ deep: Map<string, [Sender<string>, SyncSender<string>]> }>();
    const [a, ra] = channel<string>();
    const [b, rb] = syncChannel<string>(1);
    tx.send({ deep: new Map([['pair', [a, b]]]) });
    const got = spawn(move(rx), (rx) => {
      const [x, y] = rx.recv().deep.get('pair')!;
      x.send('a');
      y.send('b');
      x.drop();
      y.drop();
    });
    got.join();
    expect([...ra]).toEqual(['a']);
    expect([...rb]).toEqual(['b']);
  });

  it('an Arc sent through a channel: the strong count is back to 1 at the end', () => {
    const shared = new Arc({ answer: 42 });
    const [tx, rx] = channel<Arc<{ answer: number }>>();
    const reader = spawn(move(rx), (rx) => {
      let sum = 0;
      for (const arc of rx) {
        sum += arc.value.answer;
        arc.drop();
      }
      return sum;
    });
    for (let i = 0; i < 100; i++) tx.send(shared.clone());
    tx.drop();
    expect(reader.join()).toBe(4200);
    expect(shared.strongCount()).toBe(1);
  });

  it('a refused send loses nothing and leaks nothing: the Sender inside comes back and still counts', () => {
    const [inner, innerRx] = channel<number>();
    const [tx, rx] = channel<{ reply: Sender<number> }>();
    rx.drop();
    const message = { reply: inner };
    const error = thrown(() => tx.send(message)) as SendError<{ reply: Sender<number> }>;
    expect(error).toBeInstanceOf(SendError);
    expect(error.value.reply).toBe(inner);
    inner.send(1); // still usable
    inner.drop(); // and still the one count: the receiver's loop ends
    expect([...innerRx]).toEqual([1]);
  });

  it('dropping the receiver drops the handles of messages never received: an Arc count comes back', () => {
    const shared = new Arc(7);
    const [tx, rx] = channel<{ arc: Arc<number> }>();
    for (let i = 0; i < 5; i++) tx.send({ arc: shared.clone() });
    expect(shared.strongCount()).toBe(6);
    rx.drop();
    expect(shared.strongCount()).toBe(1);
  });

  it('a receiver that moves takes the messages on their way with it (the overflow chain, a channel end, a big message, an Arc)', () => {
    const [tx, rx] = channel<number | { inner: Sender<number> } | Uint8Array | Arc<number>>({ capacity: 4096 });
    const [inner, innerRx] = channel<number>();
    const shared = new Arc(5);
    for (let i = 0; i < 1000; i++) tx.send(i); // past the ring: in the overflow chain
    tx.send({ inner });
    tx.send(pattern(1 << 20, 7));
    tx.send(shared.clone()); // its value waits in the receiver's inbox, and moves with it
    const consumer = spawn(move(rx), (rx) => {
      let sum = 0;
      for (let i = 0; i < 1000; i++) sum += rx.recv() as number;
      const { inner } = rx.recv() as { inner: Sender<number> };
      inner.send(sum);
      inner.drop();
      const big = rx.recv() as Uint8Array;
      const arc = rx.recv() as Arc<number>;
      const value = arc.value;
      arc.drop();
      return [big.byteLength, value];
    });
    expect(consumer.join()).toEqual([1 << 20, 5]);
    expect([...innerRx]).toEqual([499500]);
    expect(shared.strongCount()).toBe(1);
  });
});

describe('bad arguments', () => {
  it('channel options and recvTimeout durations are checked', () => {
    for (const capacity of [NaN, -1, 0, Infinity, '4096', null]) {
      const error = thrown(() => channel({ capacity: capacity as number }));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).message).toMatch(/^channel's capacity is a number of bytes, finite and > 0 \(got /);
      expect(thrown(() => syncChannel(1, { capacity: capacity as number }))).toBeInstanceOf(TypeError);
    }
    expect(thrown(() => channel(7 as never))).toBeInstanceOf(TypeError);
    expect(thrown(() => syncChannel('1' as never))).toBeInstanceOf(TypeError);
    const [tx, rx] = channel<number>();
    for (const duration of [NaN, undefined, -1, '5', Infinity]) {
      const error = thrown(() => rx.recvTimeout(duration as number));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).message).toMatch(/^recvTimeout takes a timeout in milliseconds/);
    }
    tx.send(1);
    expect(rx.recvTimeout(0)).toBe(1);
  });
});
