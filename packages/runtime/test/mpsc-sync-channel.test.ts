import { describe, expect, it } from 'vitest';
import { move, spawn } from '@sendsync/runtime';
import { Arc, AtomicU32, Ordering } from '@sendsync/runtime/sync';
import { RecvError, SendError, SyncSender, TrySendError, syncChannel } from '@sendsync/runtime/sync/mpsc';

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
}

describe('syncChannel', () => {
  it('smoke: holds up to bound messages, trySend reports full, then room again', () => {
    const [tx, rx] = syncChannel<string>(2);
    expect(tx).toBeInstanceOf(SyncSender);
    tx.send('a');
    tx.trySend('b');
    const full = thrown(() => tx.trySend('c')) as TrySendError<string>;
    expect(full).toBeInstanceOf(TrySendError);
    expect([full.kind, full.value, full.message]).toEqual(['full', 'c', 'sending on a full channel']);
    expect(rx.recv()).toBe('a');
    tx.trySend('c');
    expect([rx.recv(), rx.recv()]).toEqual(['b', 'c']);
    rx.drop();
    const gone = thrown(() => tx.trySend('d')) as TrySendError<string>;
    expect([gone.kind, gone.value]).toEqual(['disconnected', 'd']);
    expect((thrown(() => tx.send('e')) as SendError<string>).value).toBe('e');
  });

  it('rejects a bound that is not a natural number', () => {
    expect(() => syncChannel(-1)).toThrow(RangeError);
    expect(() => syncChannel(1.5)).toThrow(RangeError);
  });

  it('back-pressure: a producer never runs more than bound messages ahead', () => {
    const bound = 4;
    const [tx, rx] = syncChannel<number>(bound);
    const sent = new Arc(new AtomicU32(0));
    const producer = spawn(move(tx, sent.clone()), (tx, sent) => {
      for (let i = 0; i < 2000; i++) {
        tx.send(i);
        sent.value.fetchAdd(1, Ordering.SeqCst);
      }
      tx.drop();
    });
    let received = 0;
    let maxAhead = 0;
    for (const n of rx) {
      if (n !== received) throw new Error(`out of order: ${n} at ${received}`);
      received += 1;
      // `sent` counts sends that returned; at most `bound` beyond what was received, plus the one in hand.
      maxAhead = Math.max(maxAhead, sent.value.load(Ordering.SeqCst) - received);
    }
    producer.join();
    expect(received).toBe(2000);
    expect(maxAhead).toBeLessThanOrEqual(bound + 1);
    expect(maxAhead).toBeGreaterThan(0);
  });

  it('lots and lots through a small bound: 4 producers x 20,000, exactly once, in order per sender', () => {
    const [tx, rx] = syncChannel<number>(8);
    const producers = [0, 1, 2, 3].map((p) =>
      spawn(move(tx.clone(), p), (tx, p) => {
        for (let i = 0; i < 20_000; i++) tx.send(p * 1_000_000 + i);
      }),
    );
    tx.drop();
    const next = [0, 0, 0, 0];
    let wrong = 0;
    for (const message of rx) {
      const p = Math.floor(message / 1_000_000);
      if (message % 1_000_000 !== next[p]) wrong += 1;
      next[p] += 1;
    }
    for (const producer of producers) producer.join();
    expect(wrong).toBe(0);
    expect(next).toEqual([20_000, 20_000, 20_000, 20_000]);
  });

  it('a full channel blocks the sender until the receiver takes one', () => {
    const [tx, rx] = syncChannel<number>(1);
    tx.send(0);
    const state = new Arc(new AtomicU32(0));
    const producer = spawn(move(tx, state.clone()), (tx, state) => {
      state.value.store(1, Ordering.SeqCst);
      tx.send(1); // blocks: the buffer holds 0
      state.value.store(2, Ordering.SeqCst);
      tx.drop();
    });
    while (state.value.load(Ordering.SeqCst) === 0);
    const pause = new Int32Array(new SharedArrayBuffer(4));
    Atomics.wait(pause, 0, 0, 100); // give a sender that does not block time to get past
    expect(state.value.load(Ordering.SeqCst)).toBe(1);
    expect(rx.recv()).toBe(0);
    expect(rx.recv()).toBe(1);
    producer.join();
    expect(state.value.load(Ordering.SeqCst)).toBe(2);
    expect(thrown(() => rx.recv())).toBeInstanceOf(RecvError);
  });

  it('rendezvous: send returns only once the receiver took the message', () => {
    const [tx, rx] = syncChannel<number>(0);
    const returned = new Arc(new AtomicU32(0));
    const producer = spawn(move(tx, returned.clone()), (tx, returned) => {
      for (let i = 1; i <= 50; i++) {
        tx.send(i);
        returned.value.store(i, Ordering.SeqCst);
      }
      tx.drop();
    });
    let late = 0;
    for (let i = 1; i <= 50; i++) {
      // Before we take message i, the send of message i cannot have returned.
      if (returned.value.load(Ordering.SeqCst) >= i) late += 1;
      expect(rx.recv()).toBe(i);
    }
    producer.join();
    expect(late).toBe(0);
    expect(returned.value.load(Ordering.SeqCst)).toBe(50);
  });

  it('rendezvous: trySend succeeds only while the receiver waits in recv', () => {
    const [tx, rx] = syncChannel<number>(0);
    expect((thrown(() => tx.trySend(1)) as TrySendError<number>).kind).toBe('full');
    const consumer = spawn(move(rx), (rx) => rx.recv());
    const deadline = performance.now() + 15_000; // the thread must start first: bounded, not timed
    for (;;) {
      try {
        tx.trySend(7);
        break;
      } catch (error) {
        if (!(error instanceof TrySendError) || error.kind !== 'full' || performance.now() > deadline) throw error;
      }
    }
    expect(consumer.join()).toBe(7);
  });

  it('a sender blocked on a full channel fails with SendError when the receiver is dropped', () => {
    const [tx, rx] = syncChannel<number>(1);
    const firstSent = new Int32Array(new SharedArrayBuffer(4));
    const producer = spawn(move(tx, firstSent), (tx, firstSent) => {
      tx.send(1);
      Atomics.store(firstSent, 0, 1);
      Atomics.notify(firstSent, 0);
      try {
        tx.send(2); // blocks until the receiver goes
        return 'sent';
      } catch (error) {
        return error instanceof Error ? `${error.name}: ${error.message}` : 'other';
      }
    });
    // The first send must be in before the receiver goes (a thread may start late on a loaded machine);
    // the pause then lets the second block, though one that finds the receiver gone fails the same way.
    for (const deadline = performance.now() + 30_000; Atomics.load(firstSent, 0) === 0 && performance.now() < deadline; ) {
      Atomics.wait(firstSent, 0, 0, 100);
    }
    Atomics.wait(firstSent, 0, 1, 50);
    rx.drop();
    expect(producer.join()).toBe('SendError: sending on a closed channel');
  });

  it('sendAsync awaits room instead of blocking', async () => {
    const [tx, rx] = syncChannel<number>(1);
    await tx.sendAsync(1);
    let done = false;
    const pending = tx.sendAsync(2).then(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(done).toBe(false);
    expect(rx.recv()).toBe(1);
    await pending;
    expect(rx.recv()).toBe(2);
  });
});
