import { describe, expect, it } from 'vitest';
import { move, spawn } from '@sendsync/runtime';
import { Arc, Mutex } from '@sendsync/runtime/sync';
import { channel, type Receiver } from '@sendsync/runtime/sync/mpsc';
import { heapStats } from '../dist/sys/heap.js';

/* A thread's channel ends are dropped when it ends (internal/thread-end.ts, sync/mpsc/thread-ends.ts), as Rust drops a thread's values. */

describe('channel ends of threads that ended', { timeout: 300_000 }, () => {
  it('10,000 channels whose two ends both ended in threads give their memory back: the heap stays bounded', () => {
    const round = (count: number): void => {
      for (let i = 0; i < count; i++) {
        const [tx, rx] = channel<number>();
        // Neither end is dropped: each ends with its thread, the sender's after the receiver's.
        const receiver = spawn(move(rx), (rx) => rx.recv());
        spawn(move(tx, i), (tx, i) => {
          tx.send(i);
        }).join();
        if (receiver.join() !== i) throw new Error('lost');
      }
    };
    round(500);
    const top = heapStats().top;
    round(10_000);
    expect(heapStats().top).toBe(top);
  });

  it('both ends in one thread, messages left unreceived: the channel is freed with them', () => {
    const round = (count: number): void => {
      for (let i = 0; i < count; i++) {
        spawn(move(i), (i) => {
          const [tx, rx] = channel<string>();
          tx.send(`message ${i}`);
          tx.clone().send('another');
          return rx === undefined;
        }).join();
      }
    };
    round(200);
    const top = heapStats().top;
    round(2_000);
    expect(heapStats().top).toBe(top);
  });

  it('a Receiver lent by a lock and then moved elsewhere is refused with a TypeError, and stays the lock\'s', () => {
    const [tx, rx] = channel<number>();
    const held = new Arc(new Mutex({ rx }));
    const [out] = channel<Receiver<number>>();
    let message = '';
    {
      using guard = held.value.lock();
      try {
        out.send(guard.value.rx);
      } catch (error) {
        message = error instanceof TypeError ? error.message : String(error);
      }
    }
    expect(message).toMatch(/^a Receiver lent by a lock's value cannot move/);
    let moved = '';
    {
      using guard = held.value.lock();
      try {
        spawn(move(guard.value.rx), (rx) => rx.recv()).join();
      } catch (error) {
        moved = error instanceof TypeError ? error.message : String(error);
      }
    }
    expect(moved).toMatch(/^a Receiver lent by a lock's value cannot move/);
    tx.send(5);
    using guard = held.value.lock();
    expect(guard.value.rx.recv()).toBe(5);
  });
});
